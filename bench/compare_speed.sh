#!/usr/bin/env bash
# Side by side, in one run: two vigie builds on the benchmarks of BENCHMARKS.md, so that a
# refactor's "no benchmark gets slower" is a ratio measured under the same load, not two
# figures from different days: both binaries in the same hyperfine run, one after the other.
#   bench/compare_speed.sh OLD_BIN NEW_BIN
#   RUNS=5 SCAN_RUNS=3 VIGIE_ESTATE=/work/estate10k bench/compare_speed.sh OLD NEW
# Prints hyperfine's medians and the NEW/OLD ratio of each: the one-lockfile audit (1,184
# crates), `vigie sync --mirror` of the reference data, `vigie scan` of the estate into a
# fresh store, `vigie report -f html` of that store (with its knowledge index), and
# `vigie who-uses lodash -f json` as whole commands.
# Needs: hyperfine, GNU time, python3 (bench/require.sh installs them when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/require.sh
require hyperfine time python3
OLD=$(realpath "${1:?OLD_BIN}"); NEW=$(realpath "${2:?NEW_BIN}")
DATA="${VIGIE_DATA:-$(cd .. && pwd)/shared/data}"
ESTATE="${VIGIE_ESTATE:-/work/estate10k}"
RUNS="${RUNS:-10}"
SCAN_RUNS="${SCAN_RUNS:-3}"
LOCK=bench/fixtures/cargo-1184/Cargo.lock
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for b in old new; do
  bin=$OLD; [ $b = new ] && bin=$NEW
  VIGIE_DATA_DIR="$tmp/$b-data" "$bin" sync -q --mirror "$DATA" >/dev/null
done
ratio() { # medians of a hyperfine JSON export (first command OLD, second NEW) and NEW/OLD
  python3 - "$1" "$2" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))["results"]
old, new = (x["median"] for x in r)
unit, k = ("s", 1) if old > 1 else ("ms", 1000)
print(f"{sys.argv[2]}: old {old * k:.1f} {unit}, new {new * k:.1f} {unit}, new/old {new / old:.3f}")
PY
}
echo "== machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"

hyperfine -N --warmup 2 --runs "$RUNS" --export-json "$tmp/audit.json" \
  -n old "env VIGIE_DATA_DIR=$tmp/old-data $OLD audit -q -f json -o /dev/null $LOCK" \
  -n new "env VIGIE_DATA_DIR=$tmp/new-data $NEW audit -q -f json -o /dev/null $LOCK" >/dev/null
ratio "$tmp/audit.json" "audit of one Cargo.lock (1,184 crates)"

hyperfine --runs "$SCAN_RUNS" --export-json "$tmp/sync.json" \
  --prepare "rm -rf $tmp/old-sync $tmp/new-sync" \
  -n old "VIGIE_DATA_DIR=$tmp/old-sync $OLD sync -q --mirror $DATA >/dev/null" \
  -n new "VIGIE_DATA_DIR=$tmp/new-sync $NEW sync -q --mirror $DATA >/dev/null" >/dev/null
ratio "$tmp/sync.json" "sync --mirror of the reference data into a fresh data directory"

if [ -d "$ESTATE" ]; then
  hyperfine --runs "$SCAN_RUNS" --export-json "$tmp/scan.json" \
    --prepare "rm -f $tmp/old.db*" --prepare "rm -f $tmp/new.db*" \
    -n old "VIGIE_DATA_DIR=$tmp/old-data $OLD scan -q $ESTATE --db $tmp/old.db >/dev/null" \
    -n new "VIGIE_DATA_DIR=$tmp/new-data $NEW scan -q $ESTATE --db $tmp/new.db >/dev/null" >/dev/null
  ratio "$tmp/scan.json" "scan of the estate into a fresh store"
  hyperfine -N --warmup 1 --runs "$RUNS" --export-json "$tmp/report.json" \
    -n old "env VIGIE_DATA_DIR=$tmp/old-data $OLD report --db $tmp/old.db -o $tmp/old.html" \
    -n new "env VIGIE_DATA_DIR=$tmp/new-data $NEW report --db $tmp/new.db -o $tmp/new.html" >/dev/null
  ratio "$tmp/report.json" "report -f html of the estate's store"
  hyperfine -N --warmup 5 --runs $((RUNS * 5)) --export-json "$tmp/who.json" \
    -n old "$OLD who-uses lodash --db $tmp/old.db -f json" \
    -n new "$NEW who-uses lodash --db $tmp/new.db -f json" >/dev/null
  ratio "$tmp/who.json" "who-uses lodash -f json, whole command"
else
  echo "no estate at $ESTATE: scan, report and who-uses skipped (bench/gen_estate.py makes one)"
fi
