#!/usr/bin/env bash
# The store on PostgreSQL beside SQLite (issue 16) on the synthetic 10,000-repository
# estate (bench/gen_estate.py), side by side in one run: fresh scan, rescan, reaudit,
# who-uses in the process, store size per snapshot (bench/postgres.py).
#   bench/postgres.sh
#   ROUNDS=3 VIGIE_ESTATE=/work/estate10k VIGIE_BENCH_POSTGRES=postgres://postgres@127.0.0.1:5432/vigie_bench bench/postgres.sh
# The database named by the URL is dropped and made again at each round.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${VIGIE_DATA:-$(cd .. && pwd)/shared/data}"
ESTATE="${VIGIE_ESTATE:-/work/estate10k}"
ROUNDS="${ROUNDS:-3}"
URL="${VIGIE_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432/vigie_bench}"
cargo build --release -q -p vigie
cargo build --release -q -p vigie-store --example who_uses_bench
if [ ! -d "$ESTATE" ]; then
  python3 bench/gen_estate.py --repos 10000 --data "$DATA" "$ESTATE"
fi
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -srm); $(psql -X -At "${URL%/*}/postgres" -c 'SHOW server_version' | sed 's/^/PostgreSQL /')"
exec python3 bench/postgres.py "$ESTATE" "$DATA" "$ROUNDS" "$(pwd)/target/release/vigie" \
  "$(pwd)/target/release/examples/who_uses_bench" "$URL"
