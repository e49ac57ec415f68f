#!/usr/bin/env bash
# Installs what the demo needs and is missing (scripts/setup.sh demo: the Wasm target,
# wasm-bindgen-cli, the build's npm packages; no test tools), builds the npm package
# (scripts/build.sh --package: the Wasm and its glue, no native CLI) and the demo page
# (target/www: the encounter form, its worker, the ICD-10-CM descriptions and the rules
# reference), and serves it on a local address with a strict Content-Security-Policy.
# PORT picks the port (0: any free one).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh target
# On a new machine wasm-bindgen-cli takes minutes to build: the Wasm compiles meanwhile, as each
# build leaves a core idle for long stretches (linking, the Wasm's one-unit optimisation).
scripts/setup.sh demo &
setup=$!
scripts/build.sh --compile
wait "$setup"
scripts/build.sh --package
node tools/build-www.mjs
exec node tools/serve.mjs target/www "${PORT:-8080}"
