#!/usr/bin/env python3
"""What a snapshot costs (issue 17), side by side in one run for one or more vigie binaries.

Rounds alternate the binaries so that the machine's load falls on all of them alike:
each round runs, per binary, `vigie inventory -f json -o /dev/null` of the estate (the
floor: reading it), a fresh `vigie scan` into an empty store, a rescan of the unchanged
estate into that store and a `vigie reaudit`. Medians, ratios to the fresh scan (and of the
scan to the inventory), and what each new snapshot adds to the store.

Usage: bench/snapshots.py ESTATE DATA ROUNDS VIGIE [VIGIE...]
"""
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

estate, data, rounds, binaries = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4:]
tmp = tempfile.mkdtemp()
times = {b: {"inventory": [], "scan": [], "rescan": [], "reaudit": []} for b in binaries}
growth = {b: {"rescan": [], "reaudit": []} for b in binaries}


def env(i):
    e = dict(os.environ)
    e["VIGIE_DATA_DIR"] = f"{tmp}/data{i}"
    return e


def timed(cmd, e):
    t = time.perf_counter()
    subprocess.run(cmd, env=e, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - t


def size(db):
    return sum(os.path.getsize(p) for p in (db, db + "-wal") if os.path.exists(p))


for i, b in enumerate(binaries):
    subprocess.run([b, "sync", "-q", "--mirror", data], env=env(i), check=True,
                   stdout=subprocess.DEVNULL)
for r in range(rounds):
    for i, b in enumerate(binaries):
        e, db = env(i), f"{tmp}/vigie{i}.db"
        for p in (db, db + "-wal", db + "-shm"):
            if os.path.exists(p):
                os.remove(p)
        t = times[b]
        t["inventory"].append(timed([b, "inventory", "-q", "-f", "json", "-o", "/dev/null",
                                     estate], e))
        t["scan"].append(timed([b, "scan", estate, "--db", db, "-q"], e))
        before = size(db)
        t["rescan"].append(timed([b, "scan", estate, "--db", db, "-q"], e))
        middle = size(db)
        t["reaudit"].append(timed([b, "reaudit", "--db", db, "-q", "-f", "json"], e))
        after = size(db)
        growth[b]["rescan"].append(middle - before)
        growth[b]["reaudit"].append(after - middle)
        print(f"round {r + 1} {b}: " + ", ".join(f"{k} {v[-1]:.2f} s" for k, v in t.items()),
              flush=True)

for b in binaries:
    m = {k: statistics.median(v) for k, v in times[b].items()}
    print(f"== {b} (medians of {rounds} rounds)")
    print(f"  inventory -o /dev/null {m['inventory']:7.2f} s")
    print(f"  fresh scan             {m['scan']:7.2f} s   scan / inventory {m['scan'] / m['inventory']:.2f}")
    for k in ("rescan", "reaudit"):
        g = statistics.median(growth[b][k]) / 1e6
        print(f"  {k:<22} {m[k]:7.2f} s   / fresh scan {m[k] / m['scan']:.3f}   store +{g:.1f} MB")
shutil.rmtree(tmp)
