#!/usr/bin/env bash
# Memory benchmark of issue 19 (defect 3): peak RSS and time of the inventory on the inputs
# that used to blow up (bench/gen_memory.py lays them out; never committed).
#   bench/memory.sh                      # builds vigie (release) and measures it
#   bench/memory.sh OLD_BIN              # also measures OLD_BIN, side by side
#   VIGIE_BIN=path bench/memory.sh ...   # measure that binary instead of building
# Prints one line per case: input bytes, then peak MiB and seconds of each binary, and the
# peak's ratio to the largest input file.
# Needs: GNU time (/usr/bin/time), python3 (installed by bench/require.sh when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/require.sh
require time python3
OUT="${VIGIE_MEMORY_DATA:-/tmp/vigie-memory}"
if [ -z "${VIGIE_BIN:-}" ]; then
  cargo build --release -q -p vigie
  VIGIE_BIN="${CARGO_TARGET_DIR:-target}/release/vigie"
fi
BINS=("$VIGIE_BIN")
[ $# -ge 1 ] && BINS=("$1" "$VIGIE_BIN")
[ -d "$OUT" ] || python3 bench/gen_memory.py "$OUT"

# "peak_MiB seconds" of one run of "$@" (output thrown away).
measure() {
  /usr/bin/time -f "%M %e" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f %.1f\n", $1/1024, $2}'
}

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -srm)"
printf "%-16s %-12s %10s" case format "largest MB"
for b in "${BINS[@]}"; do printf " | %-24s" "$(basename "$(dirname "$(dirname "$b")")")/$(basename "$b")"; done
echo
for case in gitignore-lines gitignore-line poetry uv cyclonedx cargo12; do
  format=json
  [ "$case" = cyclonedx ] && format=cyclonedx
  largest=$(find "$OUT/$case" -type f -printf '%s\n' | sort -n | tail -1)
  printf "%-16s %-12s %10.1f" "$case" "$format" "$(echo "$largest / 1000000" | bc -l)"
  for b in "${BINS[@]}"; do
    read -r mib secs < <(measure "$b" inventory -q -f "$format" -o /dev/null "$OUT/$case")
    ratio=$(echo "$mib * 1048576 / $largest" | bc -l)
    printf " | %6s MiB %6s s %5.1fx" "$mib" "$secs" "$ratio"
  done
  echo
done
