#!/usr/bin/env bash
# Parity of `vigie audit` with cargo-audit on every Cargo.lock of the reference data.
#
# cargo-audit reads the RustSec advisory database in its native form
# (rustsec/advisory-db.tar.gz, unpacked, offline); vigie reads the OSV export of
# the same database (osv/crates.io/all.zip), compiled by `vigie sync --mirror`.
# For each lockfile the script prints the advisory ids each tool reports
# (vulnerabilities and informational warnings; yanked checks off) and whether
# the sets are equal. With --write it also writes the expected ids that the CI
# test `crates/vigie/tests/it/audit.rs` checks vigie against.
#
# Needs: cargo-audit (`cargo install cargo-audit --locked`), jq, git. (installed by bench/require.sh when missing).
# Usage: bench/cargo_audit_parity.sh [--write]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/require.sh
require cargo-audit jq git
DATA="${VIGIE_DATA:-$(cd .. && pwd)/shared/data}"
EXPECTED=crates/vigie/tests/data/cargo_audit_expected.json

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
tar xzf "$DATA/rustsec/advisory-db.tar.gz" -C "$tmp"
db="$tmp/advisory-db"
# cargo-audit wants a git repository, even offline.
(cd "$db" && git init -q && git add -A && git -c user.email=bench@vigie -c user.name=bench commit -qm snapshot)

cargo build --release -q -p vigie
vigie=target/release/vigie
export VIGIE_DATA_DIR="$tmp/vigie-data"
$vigie sync -q --mirror "$DATA" >/dev/null

# The reference data's lockfiles (paths relative to $DATA), and the example's.
mapfile -t locks < <(cd "$DATA" && { find lockfiles -name Cargo.lock; find lockfiles/osv-scanner-fixtures/cargo -name '*.lock'; } | sort)
locks+=(examples/acme/edge-proxy/Cargo.lock)
status=0
json='{}'
for lock in "${locks[@]}"; do
  case "$lock" in examples/*) file="$lock" ;; *) file="$DATA/$lock" ;; esac
  # cargo-audit exits 1 when it finds something: keep its output whatever the code.
  raw=$(cargo-audit audit --db "$db" --no-fetch --stale --no-yanked --json -f "$file" 2>/dev/null || true)
  ca=$(jq -c '[(.vulnerabilities.list[]?.advisory.id), (.warnings // {} | to_entries[] | .value[]? | .advisory.id // empty)] | unique' <<<"$raw" 2>/dev/null || true)
  raw=$($vigie audit -q -f json "$file" 2>/dev/null || true)
  vg=$(jq -c "[.projects[].components[].findings[].advisories[]] | unique" <<<"$raw" 2>/dev/null \
       || echo '"vigie gave no JSON"')
  if [ -z "$ca" ] || [ "${ca:0:1}" = '"' ]; then
    # cargo-audit refuses lockfiles it cannot resolve (a dependency that is not
    # in the file); vigie reads what it can. Nothing to compare.
    printf '%-70s %s\n  vigie       %s\n' "$lock" "cargo-audit refused the file" "$vg"
    continue
  fi
  if [ "$ca" = "$vg" ]; then verdict=same; else verdict=DIFFERENT; status=1; fi
  printf '%-70s %s\n  cargo-audit %s\n  vigie       %s\n' "$lock" "$verdict" "$ca" "$vg"
  json=$(jq -c --arg k "$lock" --argjson v "$ca" '. + {($k): $v}' <<<"$json")
done
if [ "${1:-}" = "--write" ]; then
  jq . <<<"$json" > "$EXPECTED"
  echo "wrote $EXPECTED"
fi
exit $status
