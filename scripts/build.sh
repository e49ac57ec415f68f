#!/usr/bin/env bash
# Builds everything from source: the native CLI, the Wasm package for web, Node and bundlers,
# the npm package (target/npm/ehrlint and its tarball).
#
# Usage: scripts/build.sh [--package|--compile]
#   --package  the npm package only (what the demo page needs): no native CLI and no
#              test-only fault-injection build
#   --compile  only compile the Wasm (no wasm-bindgen needed yet: scripts/demo.sh runs it while
#              wasm-bindgen-cli installs)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

package_only=false
compile_only=false
case "${1:-}" in
  "") ;;
  --package) package_only=true ;;
  --compile) package_only=true compile_only=true ;;
  *) echo "usage: scripts/build.sh [--package|--compile]" >&2; exit 2 ;;
esac

export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
# wasm-opt from the npm package binaryen (Debian's 108 produces modules that fail to load; the
# release download wasm-pack would attempt is unreachable). The features are those Rust's
# wasm32 target emits.
wasm_opt="$root/tools/node_modules/.bin/wasm-opt"
features="--enable-bulk-memory --enable-bulk-memory-opt --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-reference-types --enable-multivalue --enable-mutable-globals"

if ! $package_only; then
  echo "== cargo build --release (CLI)"
  cargo build --release --quiet
fi

# The Wasm, then its JS glue for each target, by wasm-bindgen (what wasm-pack runs, called here
# directly for one more flag): --experimental-reset-state-function gives the web and Node glue
# a way to start a fresh instance of the module, which the package's wrapper
# (pkg-templates/guard.js) uses after a trap. wasm-bindgen offers it for those two targets only.
glue() { # MODULE OUT-DIR TARGET
  local reset=--experimental-reset-state-function
  [ "$3" = bundler ] && reset=""
  wasm-bindgen "$1" --out-dir "$2" --out-name ehrlint --typescript --target "$3" $reset
}

# wasm-opt -Oz in place, once per distinct module: the targets made from one module are the
# same bytes (wasm-bindgen differs only in the glue), and a module built before is taken from the
# cache, so a rebuild with nothing changed costs no optimisation (about 25 s each).
opt_cache=target/wasm/opt-cache
# -ocimfs 300: a function with one caller is inlined into it only when small. Without the
# limit, wasm-opt folded all of `new Validator()` (the model, code tables and profile loaders)
# into one 51 KB function: V8 compiles a module's functions on first call, and took 4 ms for
# that one alone, then 45 ms more optimising it in the background while start-up went on, on
# a 2-core machine. The download is also 2 KB smaller with the limit.
opt_flags="-Oz -ocimfs 300"
used=()
optimise() { # FILE
  local sum
  # The cache key covers the flags too: a module optimised differently is another module.
  sum=$({ sha256sum "$1" | cut -d' ' -f1; echo "$opt_flags"; } | sha256sum | cut -d' ' -f1)
  if [ ! -f "$opt_cache/$sum.wasm" ]; then
    mkdir -p "$opt_cache"
    # shellcheck disable=SC2086
    "$wasm_opt" $opt_flags $features "$1" -o "$opt_cache/$sum.tmp"
    mv "$opt_cache/$sum.tmp" "$opt_cache/$sum.wasm"
  fi
  cp "$opt_cache/$sum.wasm" "$1"
  used+=("$sum.wasm")
}

# opt-level 3 for the Wasm, as native: measured side by side with "s", it validates the spec
# examples about 1.4x faster, and the default browser build (every R4 type's model, the
# extension definitions and all code tables) stays within the budget of
# benches/size-budget.json. "2" is both slower and larger.
wasm_level=3
modules=target/wasm/modules
# compile NAME CARGO-ARGS...: the Wasm with those features, kept as $modules/NAME.wasm (cargo
# writes every feature set's module to the same file).
compile() {
  local name=$1
  shift
  CARGO_PROFILE_RELEASE_OPT_LEVEL=$wasm_level cargo build --release --quiet --lib \
    --target wasm32-unknown-unknown "$@"
  mkdir -p "$modules"
  cp target/wasm32-unknown-unknown/release/ehrlint.wasm "$modules/$name.wasm"
}
# Two modules. The default browser build leaves out the default features (`invariants`: the
# FHIRPath engine would take its download about 120 KB over budget; `ig-json`: reading
# Implementation Guides); the full one has them, for Node (where the download does not count)
# and for pages that want them (full/).
echo "== cargo build --release --target wasm32-unknown-unknown (the Wasm: default, then full)"
compile default --no-default-features
compile full
$compile_only && exit 0
# DIR:MODULE:TARGET, each assembled by tools/assemble-pkg.mjs.
for build in web:default:web bundler:default:bundler nodejs:full:nodejs full:full:web; do
  IFS=: read -r dir module target <<<"$build"
  echo "== wasm-bindgen --target $target ($module module: target/wasm/$dir), wasm-opt"
  rm -rf "target/wasm/$dir"
  glue "$modules/$module.wasm" "target/wasm/$dir" "$target"
  optimise "target/wasm/$dir/ehrlint_bg.wasm"
done
# Only the modules of this build stay cached.
for f in "$opt_cache"/*; do
  [[ " ${used[*]} " == *" $(basename "$f") "* ]] || rm -f "$f"
done

# A test build that is never published: the same Wasm with the `fault-injection` feature, whose
# input markers make it panic or trap, so that tests/js/guard.test.mjs can show the wrapper
# reporting the fault and restarting the validator (web and Node glue; no wasm-opt).
if ! $package_only; then
  echo "== the test-only Wasm with fault injection (target/wasm-fault/)"
  # The same profile as the Wasm above, so that its dependencies are not compiled again.
  compile fault --no-default-features --features fault-injection
  for target in web nodejs; do
    rm -rf "target/wasm-fault/$target"
    glue "$modules/fault.wasm" "target/wasm-fault/$target" "$target"
  done
fi

node tools/assemble-pkg.mjs

# The demo page imports the package like any app (tools/build-www.mjs): no copy into www/.
rm -rf www/pkg
