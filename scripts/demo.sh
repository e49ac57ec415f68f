#!/usr/bin/env bash
# Installs what is missing, builds the package and the demo page (target/www: the encounter
# form, its worker, the ICD-10-CM descriptions and the rules reference), and serves it on a
# local address with a strict Content-Security-Policy. PORT picks the port (0: any free one).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
node tools/build-www.mjs
exec node tools/serve.mjs target/www "${PORT:-8080}"
