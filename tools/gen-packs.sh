#!/usr/bin/env bash
# Builds the compiled guides (`ehrlint ig pack`), their bindings expanded with HL7's terminology
# package:
# - data/us-core-6.1.0.pack: US Core 6.1.0, with FHIR R4's own vital signs profiles it builds on
#   (data/fhir-r4-profiles.json). Every build that checks profiles has it built in (src/ig/mod.rs).
# - data/ips-2.0.0.pack: the International Patient Summary 2.0.0, compiled over the built-in US
#   Core (whose vital signs profiles it uses), which the demo page loads (tools/build-www.mjs).
#   bash tools/gen-packs.sh           writes the files
#   bash tools/gen-packs.sh --check   fails if a committed file differs
#
# Sources: ../shared/ig/us-core-6.1.0 (US Core's StructureDefinitions, ValueSets and
# CodeSystems as published, CC0), tools/ig-packages/hl7.fhir.uv.ips-2.0.0 (npm hl7.fhir.uv.ips,
# CC0) and tools/ig-packages/hl7.terminology.r4-7.0.1 (npm hl7.terminology.r4, CC0);
# scripts/setup.sh fetches the packages. ehrlint ships no LOINC, SNOMED CT or
# CPT content: every such code is left out but the LOINC codes it already ships (the vital signs
# and labs of data/plausible-ranges.tsv, keys only, and the two panels' codes, as
# tools/gen-core-profiles.mjs); what needs another code is not checked, and is listed with its
# profile as left out (docs/ig.md).
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true

us_core=../shared/ig/us-core-6.1.0
ips=tools/ig-packages/hl7.fhir.uv.ips-2.0.0
terminology=tools/ig-packages/hl7.terminology.r4-7.0.1
for dir in "$us_core" "$ips" "$terminology"; do
  [ -d "$dir" ] || { echo "gen-packs: $dir is missing (scripts/setup.sh fetches the packages)" >&2; exit 1; }
done

cargo build --release --quiet --bin ehrlint
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  grep -v '^#' data/plausible-ranges.tsv | tail -n +2 | cut -f1 | sed 's|^|http://loinc.org\||'
  printf 'http://loinc.org|%s\n' 85353-1 85354-9
} | sort -u >"$tmp/kept.txt"
# pack OUT ARGS...: writes data/OUT with `ehrlint ig pack ARGS`, or checks it.
pack() {
  local out=data/$1
  shift
  target/release/ehrlint ig pack "$@" --terminology "$terminology" \
    --licensed-codes-kept "$tmp/kept.txt" -o "$tmp/pack"
  if $check; then
    if ! cmp -s "$tmp/pack" "$out"; then
      echo "gen-packs: $out differs from what its sources compile to: run bash tools/gen-packs.sh" >&2
      exit 1
    fi
    echo "gen-packs: $out is up to date"
  else
    cp "$tmp/pack" "$out"
    echo "gen-packs: wrote $out"
  fi
}
pack us-core-6.1.0.pack "$us_core" --without-us-core
# Compiled over the built-in US Core just written: the command line is built again with it.
$check || cargo build --release --quiet --bin ehrlint
pack ips-2.0.0.pack "$ips"
