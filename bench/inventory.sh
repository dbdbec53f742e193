#!/usr/bin/env bash
# Inventory benchmarks of issue 2. Prints hyperfine medians and peak memory.
#   bench/inventory.sh            # the reference data (lockfiles + SBOMs)
#   bench/inventory.sh estate     # also the 10,000-repository synthetic estate
# Needs: hyperfine (apt-get install hyperfine), GNU time (/usr/bin/time). (installed by bench/require.sh when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/require.sh
require hyperfine time python3
DATA="${VIGIE_DATA:-$(cd .. && pwd)/shared/data}"
ESTATE="${VIGIE_ESTATE:-/tmp/vigie-estate-10k}"
cargo build --release -q -p vigie
VIGIE="$(pwd)/target/release/vigie"

peak() { # peak RSS in MiB of one run of "$@"
  /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f MiB\n", $1/1024}'
}

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -srm)"
bytes=$(du -sb "$DATA/lockfiles" "$DATA/sbom" | awk '{s+=$1} END {print s}')
files=$(find "$DATA/lockfiles" "$DATA/sbom" -type f | wc -l)
echo "== reference data: $((bytes / 1000000)) MB in $files files"
hyperfine -N --warmup 2 --runs 15 -i \
  "$VIGIE inventory -q -f json -o /dev/null $DATA/lockfiles $DATA/sbom"
echo "peak memory: $(peak "$VIGIE" inventory -q -f json -o /dev/null "$DATA/lockfiles" "$DATA/sbom")"

if [ "${1:-}" = "estate" ]; then
  if [ ! -d "$ESTATE" ]; then
    python3 bench/gen_estate.py --repos 10000 --data "$DATA" "$ESTATE"
  fi
  ebytes=$(du -sb "$ESTATE" | awk '{print $1}')
  echo "== synthetic estate: 10,000 repositories, $((ebytes / 1000000)) MB"
  hyperfine -N --warmup 1 --runs 5 -i \
    "$VIGIE inventory -q -f json -o /dev/null $ESTATE"
  echo "peak memory: $(peak "$VIGIE" inventory -q -f json -o /dev/null "$ESTATE")"
fi
