#!/usr/bin/env bash
# Builds data/us-core-6.1.0.pack: US Core 6.1.0 compiled (`ehrlint ig pack`), with FHIR R4's own
# vital signs profiles it builds on (data/fhir-r4-profiles.json), its bindings expanded with
# HL7's terminology package. Every build of ehrlint has it built in (src/ig/mod.rs).
#   bash tools/gen-us-core-pack.sh           writes the file
#   bash tools/gen-us-core-pack.sh --check   fails if the committed file differs
#
# Sources: ../shared/ig/us-core-6.1.0 (US Core's StructureDefinitions, ValueSets and
# CodeSystems as published, CC0) and tools/ig-packages/hl7.terminology.r4-7.0.1 (npm
# hl7.terminology.r4, CC0; scripts/setup.sh fetches it). ehrlint ships no LOINC, SNOMED CT or
# CPT content: every such code is left out but the LOINC codes it already ships (the vital signs
# and labs of data/plausible-ranges.tsv, keys only, and the two panels' codes, as
# tools/gen-core-profiles.mjs); what needs another code is not checked, and is listed with its
# profile as left out (docs/ig.md).
set -euo pipefail
cd "$(dirname "$0")/.."
check=false
[ "${1:-}" = "--check" ] && check=true

us_core=../shared/ig/us-core-6.1.0
terminology=tools/ig-packages/hl7.terminology.r4-7.0.1
out=data/us-core-6.1.0.pack
for dir in "$us_core" "$terminology"; do
  [ -d "$dir" ] || { echo "gen-us-core-pack: $dir is missing (scripts/setup.sh fetches the packages)" >&2; exit 1; }
done

cargo build --release --quiet --bin ehrlint
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
{
  grep -v '^#' data/plausible-ranges.tsv | tail -n +2 | cut -f1 | sed 's|^|http://loinc.org\||'
  printf 'http://loinc.org|%s\n' 85353-1 85354-9
} | sort -u >"$tmp/kept.txt"
target/release/ehrlint ig pack "$us_core" --terminology "$terminology" --without-us-core \
  --licensed-codes-kept "$tmp/kept.txt" -o "$tmp/pack"
if $check; then
  if ! cmp -s "$tmp/pack" "$out"; then
    echo "gen-us-core-pack: $out differs from what its sources compile to: run bash tools/gen-us-core-pack.sh" >&2
    exit 1
  fi
  echo "gen-us-core-pack: $out is up to date"
else
  cp "$tmp/pack" "$out"
  echo "gen-us-core-pack: wrote $out"
fi
