#!/usr/bin/env bash
# Two `vigie serve` on one PostgreSQL store under the page load (issue 16): both servers
# started on the same database, one viewer token created once (tokens live in the store, so
# it is valid on both), then for each route two wrk runs at once, half the connections on
# each server; p50 and p99 of each, and the errors.
#
#   VIGIE_SERVE_DB=postgres://postgres@127.0.0.1:5432/vigie_serve bench/serve_two.sh [VIGIE_BIN]
#   DURATION=10s CONNS=64 ...
#
# The store must hold a snapshot (`vigie scan ESTATE --db URL` first).
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
cd "$here"
source bench/require.sh
require wrk curl python3
bin=$(realpath "${1:-$here/target/release/vigie}")
data=${VIGIE_DATA:-$here/../shared/data}
db=${VIGIE_SERVE_DB:?a PostgreSQL store URL holding a snapshot}
duration=${DURATION:-10s}
conns=${CONNS:-64}
work=$(mktemp -d)
pids=()
trap 'kill "${pids[@]}" 2>/dev/null || true; rm -rf "$work"' EXIT

"$bin" sync -q --mirror "$data" --data-dir "$work/data" >/dev/null
ports=()
for s in 1 2; do
    port=$((20000 + RANDOM % 20000))
    VIGIE_ADMIN_PASSWORD='bench bench bench bench' "$bin" serve --listen "127.0.0.1:$port" \
        --db "$db" --data-dir "$work/data" >/dev/null 2>"$work/serve$s.log" &
    pids+=($!); ports+=("$port")
done
for port in "${ports[@]}"; do
    for _ in $(seq 600); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.1; done
done
token=$("$bin" token create --role viewer --name bench --db "$db" 2>/dev/null)
auth="Authorization: Bearer $token"
project=$(curl -sf -H "$auth" "http://127.0.0.1:${ports[0]}/api/v1/projects?limit=1" | python3 -c \
    'import json,sys,urllib.parse; print(urllib.parse.quote(json.load(sys.stdin)["items"][0]["path"], safe=""))')
routes=("/" "/projects" "/projects/$project" "/register" "/api/v1/who-uses?q=lodash&limit=100"
        "/api/v1/projects/$project" "/api/v1/findings?limit=100" "/api/v1/risks?limit=100")

echo "== machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); two servers on $(sed 's#//[^@]*@#//#' <<<"$db"), $conns connections in all, $duration per route"
printf '| route | server | p50 | p99 | requests/s | errors |\n|---|---|---:|---:|---:|---:|\n'
for r in "${routes[@]}"; do
    loads=()
    for i in 0 1; do
        curl -s -o /dev/null -H "$auth" "http://127.0.0.1:${ports[$i]}$r"
        wrk -t1 -c$((conns / 2)) -d"$duration" --timeout 10s --latency -H "$auth" \
            "http://127.0.0.1:${ports[$i]}$r" >"$work/wrk$i.txt" 2>&1 &
        loads+=($!)
    done
    wait "${loads[@]}" || true
    for i in 0 1; do
        python3 - "$r" "$((i + 1))" "$work/wrk$i.txt" <<'PY'
import re, sys
route, server, path = sys.argv[1:]
t = open(path).read()
lat = dict(re.findall(r"^\s+(50|99)%\s+(\S+)", t, re.M))
rps = re.search(r"Requests/sec:\s+(\S+)", t)
errs = sum(int(x) for x in re.findall(r"(?:connect|read|write|timeout) (\d+)", t))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", t)
errs += int(non2xx.group(1)) if non2xx else 0
print(f"| `{route}` | {server} | {lat.get('50', '?')} | {lat.get('99', '?')} | {rps.group(1) if rps else '?'} | {errs} |")
PY
    done
done
