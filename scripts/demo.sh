#!/usr/bin/env bash
# Installs what is missing, builds, and serves the demo page on a local address.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build.sh
exec node tools/serve.mjs www "${PORT:-8080}"
