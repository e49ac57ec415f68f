#!/usr/bin/env bash
# Builds everything from source: the native CLI, the Wasm package for web, Node and bundlers,
# the npm package (target/npm/ehrlint and its tarball), and the demo page's copy of the web build.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

# wasm-pack would download binaryen's wasm-opt; the npm package's works here (Debian's 108
# produces modules that fail to load).
export PATH="$root/tools/node_modules/.bin:$PATH"

echo "== cargo build --release (CLI)"
cargo build --release --quiet

for target in web nodejs bundler; do
  echo "== wasm-pack build --target $target"
  wasm-pack --quiet --log-level error build --release --target "$target" \
    --out-dir "target/wasm/$target" --out-name ehrlint --no-pack
done

node tools/assemble-pkg.mjs

rm -rf www/pkg
mkdir -p www/pkg
cp target/npm/ehrlint/web/ehrlint.js target/npm/ehrlint/web/ehrlint_bg.wasm www/pkg/
