#!/usr/bin/env bash
# Installs the tools of the reliability checks from crates.io, skipping any already installed
# at the pinned version (safe to run again and again):
#   cargo-fuzz  scripts/fuzz.sh (libFuzzer targets in fuzz/)     about 1 minute, once
#   cargo-deny  licences, bans and sources (deny.toml)         about 5 minutes, once
# Usage: scripts/setup-checks.sh [cargo-fuzz] [cargo-deny]   (both when none is named)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# deny.toml's format follows cargo-deny's releases, and scripts/fuzz.sh reads cargo-fuzz's
# and libFuzzer's output: pinned, so a new release changes nothing until it is chosen here.
CARGO_FUZZ_VERSION=0.13.2
CARGO_DENY_VERSION=0.20.2

say() { printf '== %s\n' "$*"; }

# install CRATE SUBCOMMAND VERSION: skipped when `cargo SUBCOMMAND --version` prints VERSION.
install() {
  local crate=$1 sub=$2 version=$3 have
  have=$(cargo "$sub" --version 2>/dev/null | awk '{print $2}' || true)
  if [ "$have" = "$version" ]; then
    return
  fi
  say "installing $crate $version (once)"
  # --locked builds with the versions the tool was released with; should this registry lack
  # one of them, resolve afresh rather than fail.
  cargo install "$crate" --version "$version" --locked ||
    cargo install "$crate" --version "$version"
}

tools=("$@")
[ ${#tools[@]} -gt 0 ] || tools=(cargo-fuzz cargo-deny)
for tool in "${tools[@]}"; do
  case "$tool" in
    cargo-fuzz) install cargo-fuzz fuzz "$CARGO_FUZZ_VERSION" ;;
    cargo-deny) install cargo-deny deny "$CARGO_DENY_VERSION" ;;
    *) echo "setup-checks.sh: unknown tool $tool (cargo-fuzz, cargo-deny)" >&2; exit 2 ;;
  esac
done
