#!/usr/bin/env bash
# Concurrent CI pushes of real lockfiles into real `vigie serve`s, timed, and checked: the
# latest snapshot must hold exactly the projects pushed (none lost, none doubled).
#
#   bench/ingest.sh [VIGIE_BIN]      (default: target/release/vigie; build it with
#                                     `cargo build --release -p vigie`)
#   PUSHES=200 SERVERS=2 VIGIE_BENCH_DB=postgres://postgres@127.0.0.1:5432/vigie_ingest bench/ingest.sh
#
# PUSHES (default 100) pushes at once; VIGIE_BENCH_DB a PostgreSQL URL (its database dropped
# and made again at each run) instead of a SQLite file; SERVERS (default 1; more needs
# PostgreSQL) servers on that one store, the pushes sent to each in turn, with one token
# created once for all (tokens live in the store).
#
# Needs curl (>= 7.66 for --parallel: `apt-get install curl`) and the reference data
# ($VIGIE_DATA, else ../shared/data). The pushes are made once with `vigie scan --push`'s own
# document format (each lockfile project read by `vigie`, written gzip-compressed), then
# sent at once by `curl --parallel --parallel-max 100`; the whole is repeated RUNS times
# (default 5) on a fresh store and the median wall time printed.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/target/release/vigie}
data=${VIGIE_DATA:-$here/../shared/data}
runs=${RUNS:-5}
pushes=${PUSHES:-100}
servers=${SERVERS:-1}
pg=${VIGIE_BENCH_DB:-}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT
db=${pg:-$work/vigie.db}
if [ -z "$pg" ] && [ "$servers" != 1 ]; then
    echo "SERVERS > 1 needs a PostgreSQL store (VIGIE_BENCH_DB)" >&2; exit 2
fi

"$bin" sync --mirror "$data" --data-dir "$work/data" >/dev/null 2>&1 || {
    echo "vigie sync --mirror failed" >&2; exit 2; }

# One push document (docs/ingest.md) per push, from `vigie inventory -f json` of the real
# lockfiles: 100 different projects, the lockfile projects taken in turn.
python3 - "$bin" "$data/lockfiles" "$work/docs" "$pushes" <<'PY'
import gzip, json, os, subprocess, sys
bin_, root, out, pushes = sys.argv[1:]
os.makedirs(out)
inv = json.loads(subprocess.run([bin_, "inventory", "-f", "json", root], capture_output=True, check=False).stdout)
projects = [p for p in inv["projects"] if p.get("components")]
for i in range(int(pushes)):
    p = projects[i % len(projects)]
    doc = {"format": "vigie-push", "version": 1, "tool_version": "bench", "projects": [{
        "path": f"ci/{i:03}", "name": p["name"],
        "files": [{"path": f"ci/{i:03}/{os.path.basename(f['path'])}", "format": f["format"], "components": f["components"]} for f in p["files"]],
        "components": [{k: c.get(k) for k in ("ecosystem", "name", "version", "purl", "scope", "relation", "licence", "line", "note")} for c in p["components"]],
    }]}
    with gzip.open(f"{out}/{i:03}.json.gz", "wt") as f:
        json.dump(doc, f)
PY

# The projects of the latest snapshot, counted by the engine.
latest_projects() {
    local q='select count(*) from projects where snapshot_id=(select max(id) from snapshots)'
    if [ -n "$pg" ]; then psql -X -At "$pg" -c "$q"
    else python3 -c "import sqlite3;print(sqlite3.connect('$db').execute('$q').fetchone()[0])"; fi
}

times=()
for run in $(seq "$runs"); do
    if [ -n "$pg" ]; then
        psql -X -q "${pg%/*}/postgres" -c "DROP DATABASE IF EXISTS \"${pg##*/}\" WITH (FORCE)" \
            -c "CREATE DATABASE \"${pg##*/}\"" >/dev/null
    else
        rm -f "$work/vigie.db"*
    fi
    ports=(); pids=()
    for s in $(seq "$servers"); do
        port=$((20000 + RANDOM % 20000))
        VIGIE_ADMIN_PASSWORD='bench bench bench bench' "$bin" serve --listen "127.0.0.1:$port" \
            --db "$db" --data-dir "$work/data" >/dev/null 2>"$work/serve$s.log" &
        pids+=($!); ports+=("$port")
        for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
    done
    token=$("$bin" token create --role ingest --name bench --db "$db" 2>/dev/null)
    args=(); i=0
    for f in "$work"/docs/*.json.gz; do
        port=${ports[$((i % servers))]}; i=$((i + 1))
        args+=(-o /dev/null -w '%{http_code} %{time_total}\n' -H "X-Api-Key: $token" -H 'Content-Encoding: gzip'
               -H 'Content-Type: application/json' --data-binary "@$f"
               "http://127.0.0.1:$port/api/v1/scans" --next)
    done
    start=$(date +%s.%N)
    codes=$(curl -s --no-progress-meter --parallel --parallel-max "$pushes" "${args[@]:0:${#args[@]}-1}")
    end=$(date +%s.%N)
    created=$(grep -c '^201 ' <<<"$codes" || true)
    kill "${pids[@]}"; wait "${pids[@]}" 2>/dev/null || true
    projects=$(latest_projects)
    t=$(python3 -c "print(round($end-$start,3))")
    lat=$(awk '{print $2}' <<<"$codes" | sort -n | awk '{a[NR]=$1} END {printf "p50 %.3f s, p99 %.3f s", a[int(NR*0.5+0.5)], a[int(NR*0.99+0.5)]}')
    echo "run $run: ${t}s ($(python3 -c "print(round($pushes/($end-$start),1))") pushes/s, $lat), $created/$pushes answered 201, latest snapshot holds $projects projects"
    [ "$created" = "$pushes" ] && [ "$projects" = "$pushes" ] || { echo "LOST OR DOUBLED" >&2; exit 1; }
    times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -n | awk -v n="$pushes" -v s="$servers" '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)] " s for " n " concurrent pushes on " s " server(s)"}'
