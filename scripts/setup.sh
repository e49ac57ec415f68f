#!/usr/bin/env bash
# Installs what ehrlint's build and tests need, from package registries only, skipping what is
# already there (safe to run again and again). See ../shared/ENVIRONMENT.md for why each step
# is done this way.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '== %s\n' "$*"; }
# Where cargo installs tools, whether or not the shell's profile put it on PATH.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Rust's Wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (a few minutes, once)"
  # Without --locked: the registry here lacks one of its locked dependency versions.
  cargo install wasm-bindgen-cli --version "$want" --force
fi

if ! command -v wasm-pack >/dev/null 2>&1; then
  say "installing wasm-pack (a few minutes, once)"
  cargo install wasm-pack --locked
fi

# Node tooling: schema generator inputs, FHIR spec examples, binaryen's wasm-opt.
stamp=tools/node_modules/.ehrlint-lock
lock_sum=$(sha256sum tools/package-lock.json | cut -d' ' -f1)
if [ "$(cat "$stamp" 2>/dev/null || true)" != "$lock_sum" ]; then
  say "installing tools/ npm packages (npm ci)"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error)
  echo "$lock_sum" > "$stamp"
fi

# Chromium, for the consumer tests' browser apps: Debian's package (playwright-core drives it;
# browser downloads fail here). Skipped when /usr/bin/chromium is there.
if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium with apt-get (once; needs root, so sudo when not root)"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

# cargo-fuzz and cargo-deny for the reliability checks (pinned; skipped when installed).
scripts/setup-checks.sh
