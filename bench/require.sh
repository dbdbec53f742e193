# Sourced by the bench scripts: installs the tools a script names when they
# are missing, so a benchmark runs on a fresh machine (Debian packages through
# apt-get, cargo-audit through `cargo install --locked`), or stops saying what
# is missing when it cannot install them.
#   source bench/require.sh; require hyperfine time jq git cargo-audit
require() {
  local apt=() tool pkg
  for tool in "$@"; do
    case "$tool" in
      time) [ -x /usr/bin/time ] && continue; pkg=time ;;
      cargo-audit)
        command -v cargo-audit >/dev/null && continue
        echo "== installing cargo-audit (cargo install cargo-audit --locked)" >&2
        cargo install -q cargo-audit --locked || { echo "cannot install cargo-audit" >&2; exit 2; }
        continue ;;
      *) command -v "$tool" >/dev/null && continue; pkg=$tool ;;
    esac
    apt+=("$pkg")
  done
  [ ${#apt[@]} -eq 0 ] && return 0
  local sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "== installing ${apt[*]} (apt-get)" >&2
  if ! { $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
      $sudo apt-get install -y -qq --no-install-recommends "${apt[@]}" >/dev/null; }; then
    echo "cannot install ${apt[*]}: install them and run again" >&2
    exit 2
  fi
}
