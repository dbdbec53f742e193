#!/usr/bin/env bash
# Report benchmark of issue 7: the synthetic 10,000-repository estate (bench/gen_estate.py)
# scanned once into a fresh store, then `vigie report -f html` timed with hyperfine; prints the
# median, the peak memory and the size of the HTML (targets: under 5 s, under 5 MB).
#   VIGIE_ESTATE=/work/estate10k bench/report.sh
#   BENCH_DB=/path/vigie.db bench/report.sh   # reuse a store already scanned (skips the scan)
# The report runs under a virtual-memory limit (REPORT_MEM_GIB, default 8) so that it fails
# rather than starve a shared machine.
# Needs: hyperfine, GNU time. (installed by bench/require.sh when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/require.sh
require hyperfine time python3
DATA="${VIGIE_DATA:-$(cd .. && pwd)/shared/data}"
ESTATE="${VIGIE_ESTATE:-/work/estate10k}"
RUNS="${RUNS:-5}"
cargo build --release -q -p vigie
VIGIE="$(pwd)/target/release/vigie"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export VIGIE_DATA_DIR="$tmp/data"
DB="${BENCH_DB:-$tmp/vigie.db}"

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -srm)"
if [ -z "${BENCH_DB:-}" ]; then
  "$VIGIE" sync -q --mirror "$DATA"
  echo "== scan of $ESTATE (once)"
  /usr/bin/time -f "scan: %e s, peak %M KiB" "$VIGIE" scan "$ESTATE" --db "$DB" -q 2>&1 | tail -2
fi
ulimit -v $(( ${REPORT_MEM_GIB:-8} * 1024 * 1024 ))
echo "== vigie report -f html"
hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$tmp/report.json" \
  "$VIGIE report --db $DB -f html -o $tmp/r.html"
bench/median.py "$tmp/report.json" s "report:"
/usr/bin/time -f "peak memory: %M KiB" "$VIGIE" report --db "$DB" -f html -o "$tmp/r.html"
echo "HTML size: $(stat -c %s "$tmp/r.html") bytes"
