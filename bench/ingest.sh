#!/usr/bin/env bash
# 100 concurrent CI pushes of real lockfiles into a real `vigie serve`, timed, and checked:
# the latest snapshot must hold exactly the 100 projects pushed (none lost, none doubled).
#
#   bench/ingest.sh [VIGIE_BIN]      (default: target/release/vigie; build it with
#                                     `cargo build --release -p vigie`)
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
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" sync --mirror "$data" --data-dir "$work/data" >/dev/null 2>&1 || {
    echo "vigie sync --mirror failed" >&2; exit 2; }

# One push document (docs/ingest.md) per push, from `vigie inventory -f json` of the real
# lockfiles: 100 different projects, the lockfile projects taken in turn.
python3 - "$bin" "$data/lockfiles" "$work/docs" <<'PY'
import gzip, json, os, subprocess, sys
bin_, root, out = sys.argv[1:]
os.makedirs(out)
inv = json.loads(subprocess.run([bin_, "inventory", "-f", "json", root], capture_output=True, check=False).stdout)
projects = [p for p in inv["projects"] if p.get("components")]
for i in range(100):
    p = projects[i % len(projects)]
    doc = {"format": "vigie-push", "version": 1, "tool_version": "bench", "projects": [{
        "path": f"ci/{i:03}", "name": p["name"],
        "files": [{"path": f"ci/{i:03}/{os.path.basename(f['path'])}", "format": f["format"], "components": f["components"]} for f in p["files"]],
        "components": [{k: c.get(k) for k in ("ecosystem", "name", "version", "purl", "scope", "relation", "licence", "line", "note")} for c in p["components"]],
    }]}
    with gzip.open(f"{out}/{i:03}.json.gz", "wt") as f:
        json.dump(doc, f)
PY

times=()
for run in $(seq "$runs"); do
    rm -f "$work/vigie.db"*
    port=$((20000 + RANDOM % 20000))
    VIGIE_ADMIN_PASSWORD='bench bench bench bench' "$bin" serve --listen "127.0.0.1:$port" \
        --db "$work/vigie.db" --data-dir "$work/data" >/dev/null 2>"$work/serve.log" &
    server=$!
    for _ in $(seq 100); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
    token=$("$bin" token create --role ingest --name bench --db "$work/vigie.db" 2>/dev/null)
    args=()
    for f in "$work"/docs/*.json.gz; do
        args+=(-o /dev/null -w '%{http_code}\n' -H "X-Api-Key: $token" -H 'Content-Encoding: gzip'
               -H 'Content-Type: application/json' --data-binary "@$f"
               "http://127.0.0.1:$port/api/v1/scans" --next)
    done
    start=$(date +%s.%N)
    codes=$(curl -s --no-progress-meter --parallel --parallel-max 100 "${args[@]:0:${#args[@]}-1}")
    end=$(date +%s.%N)
    created=$(grep -c '^201$' <<<"$codes" || true)
    kill "$server"; wait "$server" 2>/dev/null || true
    projects=$(python3 -c "import sqlite3;c=sqlite3.connect('$work/vigie.db');print(c.execute('select count(*) from projects where snapshot_id=(select max(id) from snapshots)').fetchone()[0])")
    t=$(python3 -c "print(round($end-$start,3))")
    echo "run $run: ${t}s, $created/100 answered 201, latest snapshot holds $projects projects"
    [ "$created" = 100 ] && [ "$projects" = 100 ] || { echo "LOST OR DOUBLED" >&2; exit 1; }
    times+=("$t")
done
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print "median: " a[int((NR+1)/2)] " s for 100 concurrent pushes"}'
