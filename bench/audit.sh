#!/usr/bin/env bash
# Audit benchmarks of issue 3. Prints hyperfine medians, ratios and peak memory.
#   bench/audit.sh            # one Cargo.lock of 1,184 packages, side by side with cargo-audit;
#                             # vigie sync --mirror of the reference data
#   bench/audit.sh estate     # also the 10,000-repository synthetic estate (inventory vs audit)
# Needs: hyperfine, GNU time, cargo-audit (`cargo install cargo-audit --locked`), git. (installed by bench/require.sh when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/require.sh
require hyperfine time cargo-audit git
DATA="${VIGIE_DATA:-$(cd .. && pwd)/shared/data}"
ESTATE="${VIGIE_ESTATE:-/tmp/vigie-estate-10k}"
LOCK=bench/fixtures/cargo-1184/Cargo.lock
cargo build --release -q -p vigie
VIGIE="$(pwd)/target/release/vigie"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export VIGIE_DATA_DIR="$tmp/data"

peak() { # peak RSS in MiB of one run of "$@"
  /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1 | awk '{printf "%.0f MiB\n", $1/1024}'
}
medians() { # medians (ms) of a hyperfine JSON export, and the first over the second
  python3 - "$1" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
m = [x["median"] * 1000 for x in r]
print("medians:", ", ".join(f"{x['command'].split()[0].split('/')[-1]} {v:.1f} ms" for x, v in zip(r, m)))
if len(m) == 2:
    print(f"ratio first/second: {m[0] / m[1]:.3f}")
PY
}

echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -srm)"
echo "== vigie sync --mirror $DATA"
hyperfine -N --warmup 1 --runs 10 --export-json "$tmp/sync.json" \
  "$VIGIE sync -q --mirror $DATA"
medians "$tmp/sync.json"
echo "peak memory: $(peak "$VIGIE" sync -q --mirror "$DATA")"

echo "== one Cargo.lock ($(grep -c '^\[\[package\]\]' $LOCK) packages): vigie audit vs cargo-audit"
tar xzf "$DATA/rustsec/advisory-db.tar.gz" -C "$tmp"
(cd "$tmp/advisory-db" && git init -q && git add -A && git -c user.email=bench@vigie -c user.name=bench commit -qm snapshot)
hyperfine -N --warmup 5 --runs 50 -i --export-json "$tmp/one.json" \
  "$VIGIE audit -q $LOCK" \
  "cargo-audit audit --db $tmp/advisory-db --no-fetch --stale --no-yanked -f $LOCK"
medians "$tmp/one.json"

if [ "${1:-}" = "estate" ]; then
  if [ ! -d "$ESTATE" ]; then
    python3 bench/gen_estate.py --repos 10000 --data "$DATA" "$ESTATE"
  fi
  echo "== synthetic estate $ESTATE: inventory, then audit (inventory + matching)"
  hyperfine -N --warmup 1 --runs 5 -i --export-json "$tmp/estate.json" \
    "$VIGIE inventory -q -f json -o /dev/null $ESTATE" \
    "$VIGIE audit -q -f json -o /dev/null $ESTATE"
  medians "$tmp/estate.json"
  echo "peak memory, inventory: $(peak "$VIGIE" inventory -q -f json -o /dev/null "$ESTATE")"
  echo "peak memory, audit: $(peak "$VIGIE" audit -q -f json -o /dev/null "$ESTATE")"
fi
