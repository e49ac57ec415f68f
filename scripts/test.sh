#!/usr/bin/env bash
# Runs every test: formatting and lints, cargo deny, generated files up to date, Rust unit,
# integration and property tests (fixtures, CLI, bad input, limits, the FHIR spec examples, saved
# fuzz inputs), a short fuzzing run of every target, the Wasm/npm package's Node tests
# (API, CommonJS, Rust/CLI/Wasm parity), the consumer tests (the packed tarball installed in
# fresh Node ESM, CommonJS, Vite, webpack, Web Worker and unbundled projects, the browser ones
# run in Chromium), the demo page's end-to-end tests in Chromium (tests/e2e/: typing into the
# form, issues, fixes, accessibility, CSP; screenshots and latency in test-output/), and
# agreement with the HL7 validator's test cases.
# Installs what is missing first (scripts/setup.sh). Exit 0 only if all of it passes.
set -euo pipefail
cd "$(dirname "$0")/.."
log=$(mktemp)
trap 'rm -f "$log"' EXIT

scripts/setup.sh
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

echo "== cargo fmt --check, clippy (native and wasm32)"
cargo fmt --check
# The rule files are declared by build.rs (one file, one rule), out of cargo fmt's sight.
rustfmt --edition 2021 --check src/rules/*/*.rs
cargo clippy --quiet --all-targets --features typescript -- -D warnings
# Both browser modules: with the invariants (Node, full/) and without (the default build).
cargo clippy --quiet --lib --target wasm32-unknown-unknown -- -D warnings
cargo clippy --quiet --lib --target wasm32-unknown-unknown --no-default-features -- -D warnings

echo "== supply chain: licences, banned crates and sources (cargo deny, deny.toml)"
# Advisories need the RustSec database from GitHub: `cargo deny check advisories` where it is
# reachable (SECURITY.md).
cargo deny --offline check licenses bans sources
cargo deny --manifest-path fuzz/Cargo.toml --offline check licenses bans sources

echo "== generated files are up to date"
node tools/gen-schemas.mjs --check
node tools/gen-model.mjs --check
node tools/gen-core-profiles.mjs --check
bash tools/gen-packs.sh --check
node tools/gen-rules-doc.mjs --check
node tools/gen-usps.mjs --check
node tools/gen-ucum-print.mjs --check
rm -rf target/gen-codes-check
cargo run --quiet --release --manifest-path tools/gen-codes/Cargo.toml -- ../shared/data target/gen-codes-check
for f in target/gen-codes-check/*; do
  cmp "$f" "data/$(basename "$f")" || { echo "data/$(basename "$f") differs from what tools/gen-codes generates"; exit 1; }
done

echo "== cargo test (with the TypeScript declarations' check: tests/typescript.rs)"
cargo test --features typescript 2>&1 | tee -a "$log"

echo "== fuzzing, a short run of every target (scripts/fuzz.sh; the long run: scripts/fuzz.sh 600)"
scripts/fuzz.sh 15

scripts/build.sh
echo "== demo page: type check (tsc --strict) and build (target/www)"
# build-www links www/node_modules/ehrlint to the built package, which the type check reads.
node tools/build-www.mjs
tools/node_modules/.bin/tsc -p www --noEmit --strict

echo "== Node tests of the npm package"
mkdir -p tests/js/node_modules
ln -sfn ../../../target/npm/ehrlint tests/js/node_modules/ehrlint
node --test tests/js/ 2>&1 | tee -a "$log"

echo "== consumer tests: the packed tarball in fresh projects (target/consumers/)"
node --test tests/consumers/ 2>&1 | tee -a "$log"

echo "== demo page: end-to-end tests in Chromium (tests/e2e/; screenshots and latency in test-output/)"
node --test tests/e2e/ 2>&1 | tee -a "$log"

echo "== agreement with the HL7 FHIR validator's R4 test cases (docs/conformance.md)"
# The baseline only goes up: a change that loses agreement fails here.
node tools/conformance.mjs --min-agreement "$(cat tests/conformance-baseline.txt)" | tail -n 1

# One closing line for all the runners above.
awk '/^test result:/ { p += $4; f += $6 } /^# pass / { p += $3 } /^# fail / { f += $3 }
     END { printf "all tests: %d passed, %d failed\n", p, f }' "$log"
