#!/usr/bin/env bash
# Store benchmarks of issue 6 on the synthetic 10,000-repository estate (bench/gen_estate.py):
#  - `vigie scan` into a fresh SQLite store (hyperfine median; target under 30 s), the size of
#    the store and what it holds;
#  - a second scan of the unchanged estate into the same store (lists are shared);
#  - `vigie who-uses` for packages present in thousands of projects: inside the process (the
#    vigie-store example who_uses_bench, median of 31, rows collected and rows walked) and as
#    a whole command (hyperfine, `-f json`, what the command prints streamed as it is read);
#    target under 10 ms.
#   VIGIE_ESTATE=/work/estate10k bench/scan.sh
#   RUNS=3 bench/scan.sh
# Needs: hyperfine, GNU time. (installed by bench/require.sh when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/require.sh
require hyperfine time python3
DATA="${VIGIE_DATA:-$(cd .. && pwd)/shared/data}"
ESTATE="${VIGIE_ESTATE:-/work/estate10k}"
RUNS="${RUNS:-5}"
QUERIES=(lodash serde react "pkg:npm/lodash@4.17.21")
cargo build --release -q -p vigie
cargo build --release -q -p vigie-store --example who_uses_bench
VIGIE="$(pwd)/target/release/vigie"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export VIGIE_DATA_DIR="$tmp/data"
DB="$tmp/vigie.db"
if [ ! -d "$ESTATE" ]; then
  python3 bench/gen_estate.py --repos 10000 --data "$DATA" "$ESTATE"
fi

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -srm)"
"$VIGIE" sync -q --mirror "$DATA" >/dev/null
echo "== vigie scan of $ESTATE into a fresh store"
hyperfine -N --warmup 0 --runs "$RUNS" --prepare "rm -f $DB $DB-wal $DB-shm" \
  --export-json "$tmp/scan.json" "$VIGIE scan $ESTATE --db $DB -q"
bench/median.py "$tmp/scan.json" s "scan:"
rm -f "$DB" "$DB-wal" "$DB-shm"
/usr/bin/time -f "peak memory: %M KiB" "$VIGIE" scan "$ESTATE" --db "$DB" 2>&1 | tail -2
echo "== second scan, estate unchanged"
/usr/bin/time -f "second scan: %e s" "$VIGIE" scan "$ESTATE" --db "$DB" 2>&1 | tail -2

echo "== who-uses inside the process"
target/release/examples/who_uses_bench "$DB" "${QUERIES[@]}"
echo "== who-uses as a whole command"
for q in "${QUERIES[@]}"; do
  hyperfine -N --warmup 5 --runs 80 --export-json "$tmp/wu.json" \
    "$VIGIE who-uses $q --db $DB -f json" >/dev/null
  bench/median.py "$tmp/wu.json" ms "who-uses $q:"
done
# The floor: a process of this binary that does nothing.
hyperfine -N --warmup 5 --runs 80 --export-json "$tmp/wu.json" "$VIGIE --version" >/dev/null
bench/median.py "$tmp/wu.json" ms "vigie --version:"
