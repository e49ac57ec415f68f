#!/usr/bin/env bash
# Builds everything from source: the native CLI, the Wasm package for web, Node and bundlers,
# the npm package (target/npm/ehrlint and its tarball).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# wasm-opt from the npm package binaryen (Debian's 108 produces modules that fail to load; the
# release download wasm-pack would attempt is unreachable). The features are those Rust's
# wasm32 target emits.
wasm_opt="$root/tools/node_modules/.bin/wasm-opt"
features="--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-reference-types --enable-multivalue --enable-mutable-globals"

echo "== cargo build --release (CLI)"
cargo build --release --quiet

for target in web nodejs bundler; do
  echo "== wasm-pack build --target $target"
  # Size over speed for the download (Cargo.toml's release profile is for native builds).
  CARGO_PROFILE_RELEASE_OPT_LEVEL=z wasm-pack --quiet --log-level error build --release --target "$target" \
    --out-dir "target/wasm/$target" --out-name ehrlint --no-pack
  # shellcheck disable=SC2086
  "$wasm_opt" -Oz $features "target/wasm/$target/ehrlint_bg.wasm" -o "target/wasm/$target/ehrlint_bg.wasm"
done

node tools/assemble-pkg.mjs

# The demo page imports the package like any app (tools/build-www.mjs): no copy into www/.
rm -rf www/pkg
