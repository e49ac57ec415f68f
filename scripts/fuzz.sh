#!/usr/bin/env bash
# Fuzzes ehrlint with cargo fuzz (libFuzzer, AddressSanitizer with LeakSanitizer) on stable
# Rust: each target of fuzz/fuzz_targets/ for SECONDS, one after the other, then a line per
# target with how many inputs ran in how long. See docs/fuzzing.md.
#
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]
#   scripts/fuzz.sh              the short run (20 s a target, about 2 minutes once built)
#   scripts/fuzz.sh 600          the long run (10 minutes a target)
#   scripts/fuzz.sh 60 lookup    some targets only
#
# Exits 1 when a target fails: a panic, a sanitizer report (memory error, stack overflow,
# leak), an input that runs longer than 10 s, or more than 2 GB of memory. The input is kept
# in fuzz/artifacts/<target>/ and saved as a regression fixture in
# tests/fuzz-regressions/<target>/, which `cargo test` runs from then on.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

all=(validate_json validate_value validate_field options lookup)
usage() {
  echo "usage: scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET...]; targets: ${all[*]}" >&2
  exit 2
}
seconds=${1:-20}
[[ $seconds =~ ^[1-9][0-9]*$ ]] || usage
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $t "* ]] || usage
done

scripts/setup-checks.sh cargo-fuzz
export PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"

# cargo fuzz compiles with flags only nightly Rust accepts (-Zsanitizer=address, the sanitizer
# coverage passes); RUSTC_BOOTSTRAP=1 lets the stable toolchain take them.
export RUSTC_BOOTSTRAP=1
# Apart from the normal build (every crate is instrumented), and under the ignored target/.
export CARGO_TARGET_DIR="$root/target/fuzz"
triple=$(rustc -vV | sed -n 's/^host: //p')
bin_dir="$CARGO_TARGET_DIR/$triple/release"
logs="$CARGO_TARGET_DIR/logs"
seeds="$CARGO_TARGET_DIR/seeds"
mkdir -p "$logs"

echo "== building the fuzz targets (AddressSanitizer; a first build takes several minutes)"
build_start=$SECONDS
cargo fuzz build --fuzz-dir fuzz
echo "   built in $((SECONDS - build_start)) s"

# Seed inputs, read-only (libFuzzer adds what it finds to fuzz/corpus/<target>/ instead): the
# test fixtures, FHIR spec examples of the supported types, options and profiles, and the
# raw regression fixtures. The structured targets start from their own corpus alone.
rm -rf "$seeds"
mkdir -p "$seeds/validate_json" "$seeds/options"
cp tests/fixtures/valid/*.json tests/fixtures/invalid/*.json tests/fixtures/*.ndjson \
  fuzz/seeds/records/*.json "$seeds/validate_json/"
examples=tools/node_modules/hl7.fhir.r4.examples
if [ -d "$examples" ]; then
  for type in Patient Practitioner Encounter Condition Observation Procedure \
    MedicationRequest AllergyIntolerance Immunization Bundle; do
    find "$examples" -maxdepth 1 -name "$type-*.json" -size -64k \
      -exec cp {} "$seeds/validate_json/" \;
  done
fi
cp fuzz/seeds/options/*.json "$seeds/options/"
cp schemas/profiles/default.json "$seeds/options/profile-default.json"
for t in validate_json options; do
  find "tests/fuzz-regressions/$t" -type f ! -name '*.md' -exec cp {} "$seeds/$t/" \; 2>/dev/null || true
done

max_len() {
  case $1 in
    validate_json) echo 65536 ;; # a record as text
    options) echo 16384 ;;       # options with a profile document
    validate_value) echo 8192 ;; # decoded into a record, its context and edits
    validate_field) echo 4096 ;;
    lookup) echo 1024 ;;
  esac
}

# One summary line per target, and what to do about a failure.
summary=()
failed=0
for t in "${targets[@]}"; do
  log="$logs/$t.log"
  mkdir -p "fuzz/corpus/$t"
  corpora=("$root/fuzz/corpus/$t")
  [ -d "$seeds/$t" ] && corpora+=("$seeds/$t")
  # The dictionary's entries are JSON text: for the targets that read JSON text.
  dict=()
  case $t in validate_json | options) dict=("-dict=$root/fuzz/fhir.dict") ;; esac
  echo "== $t: ${seconds} s"
  start=$SECONDS
  status=0
  cargo fuzz run --fuzz-dir fuzz "$t" "${corpora[@]}" -- \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len="$(max_len "$t")" \
    "${dict[@]}" -print_final_stats=1 >"$log" 2>&1 || status=$?
  elapsed=$((SECONDS - start))

  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  rss=$(sed -n 's/^stat::peak_rss_mb: *//p' "$log" | tail -n 1)
  done_secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log" | tail -n 1)
  corpus=$(grep -o 'corp: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2 || true)

  result=ok
  if [ "$status" -ne 0 ]; then
    failed=1
    if grep -q 'ERROR: libFuzzer: timeout' "$log"; then
      result="FAILED: an input ran longer than 10 s"
    elif grep -q 'ERROR: libFuzzer: out-of-memory' "$log"; then
      result="FAILED: out of memory (over 2048 MB)"
    elif grep -q 'ERROR: LeakSanitizer' "$log"; then
      result="FAILED: memory leak"
    elif grep -q 'ERROR: AddressSanitizer' "$log"; then
      result="FAILED: $(grep -m1 -o 'AddressSanitizer: [a-z-]*' "$log")"
    elif grep -q 'panicked at' "$log"; then
      result="FAILED: panic"
    elif grep -q 'ERROR: libFuzzer' "$log"; then
      result="FAILED: $(grep -m1 -o 'ERROR: libFuzzer: .*' "$log")"
    else
      result="FAILED: exit status $status (see the log)"
    fi
    echo "   $t $result"
    # The panic, with its message (the line after "panicked at").
    grep -A2 'panicked at' "$log" | head -n 6 | sed 's/^/   | /' || true
    artifact=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    if [ -n "$artifact" ] && [ -f "$artifact" ]; then
      fixture_dir="tests/fuzz-regressions/$t"
      mkdir -p "$fixture_dir"
      name=$(basename "$artifact")
      case $t in
        validate_json | options)
          fixture="$fixture_dir/$name"
          cp "$artifact" "$fixture"
          ;;
        *)
          # The structured targets save the decoded case, as JSON (the input's Debug form).
          fixture="$fixture_dir/$name.json"
          RUST_LIBFUZZER_DEBUG_PATH="$root/$fixture" "$bin_dir/$t" "$artifact" >/dev/null 2>&1 || true
          ;;
      esac
      echo "   input:     ${artifact#"$root/"}"
      echo "   fixture:   $fixture (cargo test --test fuzz_regressions runs it; commit it with the fix)"
      echo "   reproduce: RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/fuzz cargo fuzz run $t ${artifact#"$root/"}"
      echo "   minimize:  RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=target/fuzz cargo fuzz tmin $t ${artifact#"$root/"}"
    fi
    echo "   log:       ${log#"$root/"}"
  fi
  summary+=("$(printf '%-15s %12s %7s %9s %7s %7s %8s  %s' "$t" "${runs:-?}" \
    "${done_secs:-$elapsed}" "${rate:-?}" "${cov:-?}" "${corpus:-?}" "${rss:-?}" "$result")")
done

echo
printf '%-15s %12s %7s %9s %7s %7s %8s  %s\n' target executions seconds "execs/s" cov corpus "peak MB" result
printf '%s\n' "${summary[@]}"
if [ "$failed" -ne 0 ]; then
  echo "fuzzing found failures: see above"
  exit 1
fi
