#!/usr/bin/env bash
# CI's fuzzing step: builds every fuzz target, then runs each for a few seconds on its seed
# corpus (fuzz/seed.sh, from the reference data), two at a time, under the budget of
# FUZZING.md (1 s per input, 2 GiB RSS, the live-heap budget of fuzz/src/lib.rs). Any crash,
# timeout or input over the budget fails the step; its input is kept in the run's artifacts
# folder (printed), to become a regression test.
#
#   fuzz/ci.sh [SECONDS_PER_TARGET]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
seconds="${1:-5}"
export RUSTC_BOOTSTRAP=1
tdir="${CARGO_TARGET_DIR:-$PWD/target}"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
start=$SECONDS
# 16 codegen units: a faster build than cargo fuzz's default of one, for runs of a few seconds
# whose speed does not matter (the long runs of FUZZING.md use the default, fuzz/run.sh).
# VIGIE_FUZZ_NO_BUILD=1: run the targets already built (by fuzz/run.sh, say) as they are.
if [ -z "${VIGIE_FUZZ_NO_BUILD:-}" ]; then
  cargo fuzz build -O -a --sanitizer none --codegen-units "${VIGIE_FUZZ_CODEGEN_UNITS:-16}" \
    --target-dir "$tdir"
  echo "fuzz: built in $((SECONDS - start)) s"
fi
fuzz/seed.sh "$tdir/fuzz-seeds" >/dev/null
host="$(rustc -vV | sed -n 's/^host: //p')"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
one() {
  local t="$1"
  mkdir -p "$work/$t/corpus" "$work/$t/artifacts"
  local seeds=()
  [ -d "$tdir/fuzz-seeds/$t" ] && seeds=("$tdir/fuzz-seeds/$t")
  if "$tdir/$host/release/$t" -timeout=1 -rss_limit_mb=2048 -malloc_limit_mb=1024 \
      -max_len=262144 -max_total_time="$seconds" -print_final_stats=1 \
      -artifact_prefix="$work/$t/artifacts/" "$work/$t/corpus" "${seeds[@]}" \
      >"$work/$t/log" 2>&1; then
    echo "fuzz: $t ok ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$work/$t/log" | grep -o '[0-9]*$') runs)"
  else
    echo "fuzz: $t FAILED"
    tail -40 "$work/$t/log"
    mkdir -p "$tdir/fuzz-failures/$t"
    cp -r "$work/$t/artifacts/." "$tdir/fuzz-failures/$t/"
    echo "fuzz: the input is in $tdir/fuzz-failures/$t/"
    return 1
  fi
}
export -f one
export tdir host work seconds
targets=$(cargo fuzz list)
if ! printf '%s\n' $targets | xargs -P 2 -I{} bash -c 'one {}'; then
  echo "fuzz: a target failed (see above)"
  exit 1
fi
echo "fuzz: $(printf '%s\n' $targets | wc -l) targets, done in $((SECONDS - start)) s"
