#!/usr/bin/env bash
# Proves the README's two commands on a fresh machine: clones the committed HEAD into a new
# folder (beside a link to ../shared) and runs them there with an empty cargo home, an empty npm
# cache and none of the tools earlier runs installed on PATH (only the Rust toolchain's own
# commands), as a newcomer's machine would have. Prints each step with the time it started, then
# the wall time of each command.
#
# Usage: scripts/fresh-check.sh [demo|test|both]   (both by default: demo first, then test)
#   The demo passes when its page and the package's .wasm answer over HTTP; the test command
#   when it exits 0. The work folder is kept in target/fresh-check/ for a look afterwards.
# Chromium cannot be hidden from the test command when the machine has it (/usr/bin/chromium):
# the script says whether it was there, so a run that installed it can be told apart.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
what=${1:-both}
case "$what" in
  demo | test | both) ;;
  *) echo "usage: scripts/fresh-check.sh [demo|test|both]" >&2; exit 2 ;;
esac

work="$root/target/fresh-check"
rm -rf "$work"
mkdir -p "$work/cargo-home/bin" "$work/npm-cache"
git clone --quiet --no-hardlinks "$root" "$work/ehrlint"
ln -s "$(cd "$root/../shared" && pwd)" "$work/shared"

# The toolchain's commands only (rustup's proxies), in the new cargo home: no tool installed
# into ~/.cargo/bin by an earlier run is on PATH.
rustup_bin=$(dirname "$(command -v rustup)")
for tool in cargo rustc rustup rustdoc rustfmt cargo-fmt cargo-clippy clippy-driver; do
  [ -e "$rustup_bin/$tool" ] && ln -s "$rustup_bin/$tool" "$work/cargo-home/bin/$tool"
done
clean_path="$work/cargo-home/bin"
IFS=: read -r -a dirs <<< "$PATH"
for d in "${dirs[@]}"; do
  [ "$d" = "$rustup_bin" ] || clean_path="$clean_path:$d"
done
fresh() {
  env -u CARGO_TARGET_DIR CARGO_HOME="$work/cargo-home" npm_config_cache="$work/npm-cache" \
    PATH="$clean_path" "$@"
}
# Each output line with the seconds since the command began.
stamped() {
  local start=$1
  while IFS= read -r line; do
    printf '[%4ds] %s\n' $(($(date +%s) - start)) "$line"
  done
}

echo "fresh-check: HEAD $(git rev-parse --short HEAD), clone in $work/ehrlint"
if [ -x /usr/bin/chromium ]; then
  echo "fresh-check: /usr/bin/chromium is present (the test command will not install it)"
else
  echo "fresh-check: /usr/bin/chromium is absent"
fi
status=0
summary=()

if [ "$what" != test ]; then
  port=$(node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  start=$(date +%s)
  echo "== demo: scripts/demo.sh (PORT=$port)"
  # In a session of its own (setsid, here not forking: $! is its leader), so that the demo
  # and everything it started can be stopped together.
  (cd "$work/ehrlint" && PORT=$port exec env -u CARGO_TARGET_DIR CARGO_HOME="$work/cargo-home" \
    npm_config_cache="$work/npm-cache" PATH="$clean_path" setsid scripts/demo.sh \
    > "$work/demo.log" 2>&1) &
  demo=$!
  tail -n +1 -F "$work/demo.log" 2>/dev/null | stamped "$start" &
  tailer=$!
  answered=""
  while kill -0 "$demo" 2>/dev/null; do
    if curl -fsS -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
      answered=$(($(date +%s) - start))
      break
    fi
    sleep 2
  done
  wasm_ok=false
  if [ -n "$answered" ]; then
    wasm=$(cd "$work/ehrlint/target/www/assets" && ls ./*.wasm | head -n 1)
    curl -fsS -o /dev/null "http://127.0.0.1:$port/assets/${wasm#./}" && wasm_ok=true
  fi
  pkill -TERM -s "$demo" 2>/dev/null || true
  wait "$demo" 2>/dev/null || true
  sleep 1
  kill "$tailer" 2>/dev/null || true
  if [ -n "$answered" ] && $wasm_ok; then
    summary+=("demo: the page and its .wasm answered after ${answered} s")
  else
    summary+=("demo: FAILED (see $work/demo.log)")
    status=1
  fi
fi

if [ "$what" != demo ]; then
  start=$(date +%s)
  echo "== test: scripts/test.sh"
  set +e
  (cd "$work/ehrlint" && CI=true fresh scripts/test.sh < /dev/null 2>&1) | tee "$work/test.log" | stamped "$start"
  rc=${PIPESTATUS[0]}
  set -e
  took=$(($(date +%s) - start))
  closing=$(grep -E '^all tests:' "$work/test.log" | tail -n 1 || true)
  if [ "$rc" -eq 0 ]; then
    summary+=("test: exit 0 after $((took / 60)) min $((took % 60)) s; ${closing:-no closing line}")
  else
    summary+=("test: FAILED (exit $rc) after $((took / 60)) min $((took % 60)) s (see $work/test.log)")
    status=1
  fi
fi

printf 'fresh-check: %s\n' "${summary[@]}"
exit "$status"
