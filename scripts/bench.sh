#!/usr/bin/env bash
# The benchmark suite, from a clean clone: installs what is missing (scripts/setup.sh), builds the
# CLI and the Wasm package (scripts/build.sh), then measures
#   1. the native CLI's throughput on a large NDJSON file      (benches/cli.mjs)
#   2. the native core with criterion                          (benches/core.rs)
#   3. ehrlint in Node beside Medplum and ajv: per-record time, cold start, entry-time calls,
#      Wasm memory over 1M validations                         (benches/peers.mjs)
# and writes benches/results.md (printed at the end). Figures and files in target/bench/.
# Arguments go to benches/peers.mjs (e.g. --quick for a smoke run, which writes
# target/bench/results-quick.md instead). About ten minutes on 2 quiet cores, builds excluded.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
scripts/build.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
mkdir -p target/bench

echo "== native CLI throughput (benches/cli.mjs)"
node benches/cli.mjs

echo "== native core, criterion (cargo bench --bench core)"
# Fresh estimates only: the report collects whatever target/criterion holds.
rm -rf target/criterion
cargo bench --quiet --bench core >target/bench/criterion.txt 2>&1 || { cat target/bench/criterion.txt; exit 1; }
node benches/report.mjs --criterion >/dev/null

echo "== ehrlint, Medplum and ajv in Node (benches/peers.mjs)"
node benches/peers.mjs "$@"
