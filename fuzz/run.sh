#!/usr/bin/env bash
# Runs one fuzz target under the budget of FUZZING.md, on its corpus (fuzz/corpus/TARGET,
# kept between runs) and its seeds (fuzz/seeds/TARGET, from fuzz/seed.sh), for SECONDS
# (default 60) or RUNS executions (when given), whichever comes first. Builds first
# (`cargo fuzz build`, release, debug assertions, no sanitizer).
#
#   fuzz/run.sh TARGET [SECONDS] [RUNS]
#
# Crashes, timeouts and inputs over the budget go to fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
target="$1"
seconds="${2:-60}"
runs="${3:--1}"
export RUSTC_BOOTSTRAP=1
tdir="${CARGO_TARGET_DIR:-$PWD/target}"
if [ -z "${VIGIE_FUZZ_NO_BUILD:-}" ]; then
  cargo fuzz build -O -a --sanitizer none --target-dir "$tdir" "$target"
fi
host="$(rustc -vV | sed -n 's/^host: //p')"
mkdir -p "fuzz/corpus/$target" "fuzz/artifacts/$target"
seeds=()
[ -d "fuzz/seeds/$target" ] && seeds=("fuzz/seeds/$target")
dict=()
[ -f "fuzz/dicts/$target.dict" ] && dict=("-dict=fuzz/dicts/$target.dict")
exec "$tdir/$host/release/$target" \
  -timeout=1 -rss_limit_mb=2048 -malloc_limit_mb=1024 -max_len=262144 \
  -max_total_time="$seconds" -runs="$runs" -print_final_stats=1 \
  -artifact_prefix="fuzz/artifacts/$target/" "${dict[@]}" \
  "fuzz/corpus/$target" "${seeds[@]}"
