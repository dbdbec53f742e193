#!/usr/bin/env bash
# Store benchmark: write a synthetic snapshot (default 10,000 projects x 300 components =
# three million component rows) into a fresh SQLite store, report time and size, then the
# median time of who-uses queries. Usage: bench/store.sh [PROJECTS] [COMPONENTS]
set -euo pipefail
cd "$(dirname "$0")/.."
db="$(mktemp -d)/vigie.db"
cargo run --release -q -p vigie-store --example store_bench -- "$db" "${1:-10000}" "${2:-300}"
rm -rf "$(dirname "$db")"
