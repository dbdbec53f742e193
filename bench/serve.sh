#!/usr/bin/env bash
# The web control tower under load (issue 15): every page and API read of `vigie serve` over
# the store of the synthetic 10,000-repository estate, at 64 concurrent connections on the
# loopback, each for a bounded run; p50, p99, requests per second and errors per route, and the
# server's peak memory (VmHWM) over the whole run. The first request of each route is timed
# apart (nothing is kept for it yet: the analysis aside, it computes), and a second table asks
# six routes with a different real value of the store on every request (VARIED values: 2,000
# projects, advisories and package names), so that almost nothing is replayed.
#
#   bench/serve.sh [VIGIE_BIN]            (default: target/release/vigie)
#   DURATION=10s CONNS=64 VIGIE_ESTATE=/work/estate10k bench/serve.sh
#   VIGIE_SERVE_DB=/tmp/estate.db bench/serve.sh     # reuse a store scanned before
#   VIGIE_SERVE_DB=postgres://postgres@127.0.0.1:5432/vigie_serve bench/serve.sh   # on PostgreSQL
#
# The store is made by `vigie scan` of the estate (about half a minute) unless VIGIE_SERVE_DB
# names one. A viewer token (`vigie token create --role viewer`) authenticates every request
# (pages accept tokens as the API does). Each route is requested once before its run (the
# risk analysis of the estate is computed once and kept), then `wrk -t2 -c$CONNS -d$DURATION
# --latency`. Needs wrk, curl, python3 (bench/require.sh installs them when missing).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
source bench/require.sh
require wrk curl python3
bin=$(realpath "${1:-$here/target/release/vigie}")
data=${VIGIE_DATA:-$here/../shared/data}
estate=${VIGIE_ESTATE:-/work/estate10k}
duration=${DURATION:-10s}
conns=${CONNS:-64}
work=$(mktemp -d)
trap 'kill "${server:-0}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" sync -q --mirror "$data" --data-dir "$work/data" >/dev/null
db=${VIGIE_SERVE_DB:-$work/vigie.db}
if [ -z "${VIGIE_SERVE_DB:-}" ]; then
    [ -d "$estate" ] || { echo "no estate at $estate (bench/gen_estate.py makes one)" >&2; exit 2; }
    echo "== scanning $estate into $db" >&2
    "$bin" scan -q "$estate" --db "$db" --data-dir "$work/data" >/dev/null || true
fi

port=$((20000 + RANDOM % 20000))
base="http://127.0.0.1:$port"
VIGIE_ADMIN_PASSWORD='bench bench bench bench' "$bin" serve --listen "127.0.0.1:$port" \
    --db "$db" --data-dir "$work/data" >/dev/null 2>"$work/serve.log" &
server=$!
for _ in $(seq 300); do curl -sf "$base/readyz" >/dev/null && break; sleep 0.1; done
token=$("$bin" token create --role viewer --name bench --db "$db" 2>/dev/null)
auth="Authorization: Bearer $token"

# Real values of this store for the routes that take one.
project=$(curl -sf -H "$auth" "$base/api/v1/projects?limit=1" | python3 -c \
    'import json,sys,urllib.parse; print(urllib.parse.quote(json.load(sys.stdin)["items"][0]["path"], safe=""))')
system=$(curl -sf -H "$auth" "$base/api/v1/catalog/entities?kind=system&limit=1" | python3 -c \
    'import json,sys,urllib.parse; i=json.load(sys.stdin)["items"]; print(urllib.parse.quote(i[0]["entity_ref"], safe="") if i else "")')
# The advisory found in most projects (an id the index knows, with many answers).
advisory=$(python3 bench/store_sql.py "$db" "SELECT f.id FROM findings f JOIN projects p ON p.finding_set = f.set_id WHERE f.family = 'vulnerability' AND p.snapshot_id = (SELECT max(id) FROM snapshots) GROUP BY f.id ORDER BY count(*) DESC, f.id LIMIT 1")
routes=(
    "/" "/projects" "/projects/$project" "/packages" "/packages?q=lodash"
    "/hit?q=lodash%40%3C4.17.21" "/hit?q=$advisory" "/hit?q=CVE-2021-23337" "/map" "/register" "/lifecycle"
    "/licences" "/reports"
    "/api/v1/snapshots" "/api/v1/projects?limit=100" "/api/v1/projects/$project"
    "/api/v1/components?name=lodash&limit=100" "/api/v1/who-uses?q=lodash&limit=100"
    "/api/v1/hit?q=$advisory" "/api/v1/findings?limit=100" "/api/v1/risks?limit=100"
    "/api/v1/actions?limit=100" "/api/v1/catalog/entities?limit=100"
)
[ -n "$system" ] && routes+=("/systems/$system" "/api/v1/catalog/entities/$system")

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg); $conns connections, $duration per route"
printf '| route | status | first request | p50 | p99 | requests/s | errors |\n|---|---:|---:|---:|---:|---:|---:|\n'
# The table's rows: `route first-request-seconds wrk-output`.
row() {
    python3 - "$1" "$2" "$3" "$4" <<'PY'
import re, sys
route, status, first, path = sys.argv[1:]
text = open(path).read()
def ms(v):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", v)
    n, u = float(m.group(1)), m.group(2)
    return n * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[u]
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)\s*$", text, re.M))
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
non2xx = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
sock = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", text)
errors = (int(non2xx.group(1)) if non2xx else 0) + (sum(map(int, sock.groups())) if sock else 0)
first = f"{float(first) * 1000:.1f} ms" if first != "-" else "-"
if '50' not in lat or '99' not in lat or not rps:
    print(f"| `{route}` | {status} | {first} | wrk failed: {text.strip()[:80]} | | | |")
else:
    print(f"| `{route}` | {status} | {first} | {ms(lat['50']):.2f} ms | {ms(lat['99']):.2f} ms | {float(rps.group(1)):,.0f} | {errors} |")
PY
}
# ONLY_VARIED=1 skips the first table (the routes asked again and again).
[ -n "${ONLY_VARIED:-}" ] && routes=()
for r in "${routes[@]}"; do
    # The first request computes (nothing is kept for it yet); wrk then asks it again.
    read -r status first < <(curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -H "$auth" "$base$r")
    wrk -t2 -c"$conns" -d"$duration" --timeout 10s --latency -H "$auth" "$base$r" >"$work/wrk.txt" 2>&1 || true
    row "$r" "$status" "$first" "$work/wrk.txt"
done

[ ${#routes[@]} -gt 0 ] && echo && echo "server peak memory (VmHWM) after these routes: $(( $(awk '/VmHWM/{print $2}' "/proc/$server/status") / 1024 )) MiB"

# The same routes asked with a different value each time (wrk cycles through VARIED real
# values of this store), so that almost every request is one the server has not answered
# before: what a crowd of people asking different questions costs.
varied=${VARIED:-2000}
python3 - "$db" "$varied" "$work" <<'PY'
import random, subprocess, sys, urllib.parse
db, n, work = sys.argv[1], int(sys.argv[2]), sys.argv[3]
sql = lambda q: subprocess.run([sys.executable, "bench/store_sql.py", db, q], check=True,
                               capture_output=True, text=True).stdout.splitlines()
latest = "(SELECT max(id) FROM snapshots)"
pick = lambda rows: random.Random(1).sample(rows, min(n, len(rows)))
paths = pick(sql(f"SELECT path FROM projects WHERE snapshot_id = {latest}"))
ids = pick(sql("SELECT DISTINCT f.id FROM findings f JOIN projects p ON p.finding_set = f.set_id "
               f"WHERE p.snapshot_id = {latest} AND f.family = 'vulnerability'"))
names = pick(sql("SELECT DISTINCT name FROM packages"))
q = lambda s: urllib.parse.quote(s, safe="")
sets = {
    "project-page": [f"/projects/{q(p)}" for p in paths],
    "project-api": [f"/api/v1/projects/{q(p)}" for p in paths],
    "hit-page": [f"/hit?q={q(i)}" for i in ids],
    "hit-api": [f"/api/v1/hit?q={q(i)}" for i in ids],
    "who-uses-api": [f"/api/v1/who-uses?q={q(n)}&limit=100" for n in names],
    "findings-api": [f"/api/v1/findings?project={q(p)}" for p in paths],
}
for name, uris in sets.items():
    with open(f"{work}/{name}.lua", "w") as f:
        f.write("local uris = {" + ",".join('"%s"' % u for u in uris) + "}\n")
        f.write("local i = 0\nrequest = function()\n  i = i % #uris + 1\n")
        f.write("  return wrk.format(nil, uris[i])\nend\n")
    print(name, len(uris), file=sys.stderr)
PY
# The analysis is computed once (the server starts it at once; this waits for it).
curl -s -o /dev/null -H "$auth" "$base/"
echo
echo "Varied: each request a different value of the store (up to $varied values per route)."
printf '| route | status | first request | p50 | p99 | requests/s | errors |\n|---|---:|---:|---:|---:|---:|---:|\n'
peaks=()
for name in ${VARIED_ROUTES:-project-page project-api hit-page hit-api who-uses-api findings-api}; do
    n=$(grep -o '","' "$work/$name.lua" | wc -l)
    wrk -t2 -c"$conns" -d"$duration" --timeout 10s --latency -H "$auth" -s "$work/$name.lua" "$base" >"$work/wrk.txt" 2>&1 || true
    row "$name ($((n + 1)) values)" "-" "-" "$work/wrk.txt"
    peaks+=("$name $(( $(awk '/VmHWM/{print $2}' "/proc/$server/status") / 1024 ))")
done
hwm=$(awk '/VmHWM/{print $2}' "/proc/$server/status")
echo
echo "server peak memory (VmHWM, MiB) after each varied route: ${peaks[*]}"
echo "server peak memory (VmHWM) over the whole run: $((hwm / 1024)) MiB"
# What the server holds at the end: its own memory (anonymous) apart from the pages of
# files it maps (the binary, the knowledge index), which the kernel can drop and reread.
awk '/^(VmRSS|RssAnon|RssFile):/{printf "%s %d MiB  ", $1, $2/1024} END{print "(at the end)"}' "/proc/$server/status"
