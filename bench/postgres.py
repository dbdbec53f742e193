#!/usr/bin/env python3
"""The store on PostgreSQL beside SQLite (issue 16), in one run, rounds alternating.

For each backend: a fresh `vigie scan` of the estate into an empty store, a rescan of the
unchanged estate, and `vigie reaudit`; then, in the process (`who_uses_bench`), who-uses
of a few packages; and what the store holds (`vigie store stats`: bytes after the first
snapshot and per later snapshot). Medians and PostgreSQL/SQLite ratios.

  bench/postgres.py ESTATE DATA ROUNDS VIGIE WHO_USES_BENCH PG_URL
"""

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

estate, data, rounds, vigie, who_uses_bench, pg_url = sys.argv[1:7]
rounds = int(rounds)
tmp = tempfile.mkdtemp(prefix="vigie-pg-bench-")
env = dict(os.environ, VIGIE_DATA_DIR=f"{tmp}/data", NO_COLOR="1")
subprocess.run([vigie, "sync", "-q", "--mirror", data], env=env, check=True,
               stdout=subprocess.DEVNULL)


def psql(sql):
    subprocess.run(["psql", "-q", "-X", "-v", "ON_ERROR_STOP=1", admin_url, "-c", sql],
                   check=True, stdout=subprocess.DEVNULL)


# The benchmark's own database, made afresh for each round.
base, _, dbname = pg_url.rpartition("/")
admin_url = f"{base}/postgres"


def fresh(backend, i):
    if backend == "sqlite":
        path = f"{tmp}/vigie{i}.db"
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return path
    psql(f'DROP DATABASE IF EXISTS "{dbname}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{dbname}"')
    return pg_url


def timed(cmd):
    t = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def stats(db):
    out = subprocess.run([vigie, "store", "stats", "--db", db, "-f", "json"], env=env,
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out)


times = {b: {"scan": [], "rescan": [], "reaudit": []} for b in ("sqlite", "postgres")}
sizes = {b: {"first": [], "next": []} for b in ("sqlite", "postgres")}
locations = {}
for i in range(rounds):
    for b in ("sqlite", "postgres"):
        db = fresh(b, i)
        locations[b] = db
        times[b]["scan"].append(timed([vigie, "scan", estate, "--db", db, "-q"]))
        first = stats(db)["bytes"]
        times[b]["rescan"].append(timed([vigie, "scan", estate, "--db", db, "-q"]))
        times[b]["reaudit"].append(timed([vigie, "reaudit", "--db", db, "-q", "-f", "json"]))
        last = stats(db)
        sizes[b]["first"].append(first)
        sizes[b]["next"].append((last["bytes"] - first) / max(last["snapshots"] - 1, 1))

print(f"== {rounds} round(s), medians (seconds); estate {estate}")
print(f"  {'':<10} {'sqlite':>9} {'postgres':>9} {'pg/sqlite':>9}")
for k in ("scan", "rescan", "reaudit"):
    s, p = statistics.median(times["sqlite"][k]), statistics.median(times["postgres"][k])
    print(f"  {k:<10} {s:9.2f} {p:9.2f} {p / s:9.2f}")
for k, what in (("first", "store after the first snapshot"), ("next", "each later snapshot")):
    s, p = statistics.median(sizes["sqlite"][k]), statistics.median(sizes["postgres"][k])
    print(f"  {what:<32} sqlite {s / 1e6:8.1f} MB   postgres {p / 1e6:8.1f} MB")
print("== who-uses in the process, on the last round's stores (median of 31)")
for b in ("sqlite", "postgres"):
    out = subprocess.run([who_uses_bench, locations[b], "lodash", "requests", "react", "openssl",
                          "pkg:cargo/serde"], env=env, check=True, capture_output=True,
                         text=True).stdout
    for line in out.splitlines():
        print(f"  {b:<9}{line}")
