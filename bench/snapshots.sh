#!/usr/bin/env bash
# What a snapshot costs (issue 17) on the synthetic 10,000-repository estate
# (bench/gen_estate.py), for this build and optionally older binaries, side by side in one
# run (rounds alternate the binaries; see bench/snapshots.py): inventory (the floor), fresh
# scan, rescan of the unchanged estate, reaudit; medians, ratios, store growth per snapshot.
#   bench/snapshots.sh                        # this build
#   bench/snapshots.sh /work/vigie-old        # and an older binary
#   ROUNDS=5 VIGIE_ESTATE=/work/estate10k bench/snapshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DATA="${VIGIE_DATA:-$(cd .. && pwd)/shared/data}"
ESTATE="${VIGIE_ESTATE:-/work/estate10k}"
ROUNDS="${ROUNDS:-3}"
cargo build --release -q -p vigie
if [ ! -d "$ESTATE" ]; then
  python3 bench/gen_estate.py --repos 10000 --data "$DATA" "$ESTATE"
fi
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(uname -srm); estate $ESTATE"
exec python3 bench/snapshots.py "$ESTATE" "$DATA" "$ROUNDS" "$(pwd)/target/release/vigie" "$@"
