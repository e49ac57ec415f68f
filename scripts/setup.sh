#!/usr/bin/env bash
# Installs what ehrlint needs, from package registries only, skipping what is already there
# (safe to run again and again; quick when everything is in place). See ../shared/ENVIRONMENT.md
# for why each step is done this way.
#
# Usage: scripts/setup.sh [target|demo|all]
#   target Rust's wasm32 target only (scripts/demo.sh compiles the Wasm while the rest installs)
#   demo  what scripts/demo.sh needs: Rust's wasm32 target, wasm-bindgen-cli, and the npm
#         packages of the build (binaryen's wasm-opt, Vite): tools/package.json's dependencies
#   all   (the default; scripts/test.sh) the above, plus the test tools: every crate the
#         supply-chain check reads (cargo fetch), tools/package.json's devDependencies, the
#         Implementation Guide packages of tools/ig-packages.txt, Debian's Chromium, cargo-fuzz
#         and cargo-deny
set -euo pipefail
cd "$(dirname "$0")/.."

mode=${1:-all}
case "$mode" in
  target | demo | all) ;;
  *) echo "usage: scripts/setup.sh [target|demo|all]" >&2; exit 2 ;;
esac

say() { printf '== %s\n' "$*"; }
# Where cargo installs tools, whether or not the shell's profile put it on PATH.
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# Rust's Wasm target.
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
[ "$mode" = target ] && exit 0

# Chromium, for the browser tests: Debian's package (playwright-core drives it; browser
# downloads fail here). Skipped when /usr/bin/chromium is there.
chromium() {
  [ -x /usr/bin/chromium ] && return
  say "installing Debian's chromium with apt-get (once; needs root, so sudo when not root)"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
}

# The test tools install side by side with the rest: Chromium is mostly download, and each
# cargo install ends in a long single-threaded stretch (codegen, linking), so on 2 cores they
# finish sooner together than one after the other. cargo-fuzz and cargo-deny are pinned and
# skipped when installed (scripts/setup-checks.sh).
background=()
if [ "$mode" = all ]; then
  chromium &
  background+=($!)
  scripts/setup-checks.sh &
  background+=($!)
fi

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
want=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$want" ]; then
  say "installing wasm-bindgen-cli $want (about 2 minutes, once)"
  # Without --locked: the registry here lacks one of its locked dependency versions. The
  # wasm-bindgen command only: the test runner and its TLS stack (the default feature) serve
  # nothing here, and leaving them out saves a third of the build. Optimised lightly: it runs
  # for a second per build, and opt-level 1 compiles it in much less time than 3.
  CARGO_PROFILE_RELEASE_OPT_LEVEL=1 cargo install wasm-bindgen-cli --version "$want" --force \
    --no-default-features --bin wasm-bindgen
fi

# Node tooling, tools/package.json: `dependencies` build the package and the page (binaryen's
# wasm-opt, Vite); `devDependencies` serve the tests and benchmarks (TypeScript, webpack,
# playwright-core, axe-core, the FHIR examples, Medplum, ajv). The stamp records the lockfile
# and which of the two sets is installed, so an install is skipped only when it would change
# nothing.
stamp=tools/node_modules/.ehrlint-lock
lock_sum=$(sha256sum tools/package-lock.json | cut -d' ' -f1)
have=$(cat "$stamp" 2>/dev/null || true)
if [ "$have" != "$lock_sum all" ] && { [ "$mode" = all ] || [ "$have" != "$lock_sum demo" ]; }; then
  omit=()
  [ "$mode" = demo ] && omit=(--omit=dev)
  say "installing tools/ npm packages (npm ci${omit[*]:+ ${omit[*]}})"
  (cd tools && npm ci --no-audit --no-fund --loglevel=error "${omit[@]}")
  echo "$lock_sum $mode" > "$stamp"
fi

[ "$mode" = demo ] && exit 0

# Implementation Guide packages for the tests (tools/ig-packages.txt says why not through
# npm install): each fetched from the npm registry, checked against its pinned integrity and
# unpacked, unless already there.
while read -r name version integrity; do
  case "$name" in '' | '#'*) continue ;; esac
  dir=tools/ig-packages/$name-$version
  [ -f "$dir/package/package.json" ] && continue
  say "fetching $name $version (npm pack)"
  tmp=$(mktemp -d)
  (cd "$tmp" && npm pack "$name@$version" --silent --loglevel=error >/dev/null)
  tgz=("$tmp"/*.tgz)
  got=$(node -e 'const c=require("crypto");process.stdout.write("sha512-"+c.createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "${tgz[0]}")
  if [ "$got" != "$integrity" ]; then
    echo "$name $version: integrity $got, expected $integrity (tools/ig-packages.txt)" >&2
    exit 1
  fi
  mkdir -p "$dir.tmp" && tar xzf "${tgz[0]}" -C "$dir.tmp" && mv "$dir.tmp" "$dir"
  rm -rf "$tmp"
done < tools/ig-packages.txt

# Every crate of every platform in the lockfiles, for `cargo deny --offline` (it reads the
# crates' own files, and a fresh machine has only those its builds downloaded). Quick when the
# cache is warm.
say "cargo fetch (the crates the supply-chain check reads)"
cargo fetch --locked --quiet
cargo fetch --locked --quiet --manifest-path fuzz/Cargo.toml

# The test tools installed meanwhile, to the end.
for pid in "${background[@]}"; do
  wait "$pid"
done
