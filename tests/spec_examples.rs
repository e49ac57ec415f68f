//! The official FHIR R4 examples (npm hl7.fhir.r4.examples 4.0.1, pinned with its sha512 in
//! tools/package-lock.json and installed by scripts/setup.sh) are valid records: ehrlint must
//! give none of them an error, and must not stumble on any of the 5,306, except for the defects
//! really in them, listed in KNOWN with the reason each is a defect.

/// (file, rule code, path): defects in the examples themselves, each verified by hand.
const KNOWN: &[(&str, &str, &str)] = &[
    // NPI 1122334499 fails the NPI check digit: Luhn over "80840" + the ten digits sums to
    // 61, not a multiple of 10 (checked independently of ehrlint's code). A made-up NPI.
    (
        "Bundle-3ad0687e-f477-468c-afd5-fcc2bf897809.json",
        "npi-check-digit",
        "/entry/0/resource/identifier/1/value",
    ),
    // Dose units given with system http://unitsofmeasure.org that are not UCUM codes (UCUM 2.2
    // has no atoms ea, tbl, drop, mcg, mEq or hr; it spells them {each}/{tbl}, [drp], ug, meq,
    // h). Checked against ucum-essence.xml by hand.
    (
        "Bundle-father.json",
        "ucum-invalid",
        "/entry/5/resource/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationRequest-medrx0304.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationRequest-medrx0314.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationRequest-medrx0319.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/rateQuantity/code",
    ),
    (
        "MedicationRequest-medrx0322.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationRequest-medrx0325.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationRequest-medrx0326.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationRequest-medrx0328.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationRequest-medrx0329.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationRequest-medrx0334.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationRequest-medrx0335.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    // The same non-UCUM units, in the other resource types that carry Quantities (the rules
    // read every Quantity, wherever it is): doses in MedicationDispense, a contained
    // Medication's strength in mEq, a Claim item's quantity in "TAB" and a lens duration in
    // "month" (UCUM's month is "mo"), all under system http://unitsofmeasure.org.
    (
        "MedicationDispense-meddisp0309.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationDispense-meddisp0313.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationDispense-meddisp0318.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationDispense-meddisp0324.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationDispense-meddisp0327.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationDispense-meddisp0328.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationDispense-meddisp0329.json",
        "ucum-invalid",
        "/dosageInstruction/0/doseAndRate/0/doseQuantity/code",
    ),
    (
        "MedicationDispense-meddisp0313.json",
        "ucum-invalid",
        "/contained/0/ingredient/0/strength/numerator/code",
    ),
    (
        "MedicationRequest-medrx0322.json",
        "ucum-invalid",
        "/contained/0/ingredient/0/strength/numerator/code",
    ),
    ("Claim-760151.json", "ucum-invalid", "/item/0/quantity/code"),
    ("Claim-760152.json", "ucum-invalid", "/item/0/quantity/code"),
    (
        "VisionPrescription-33124.json",
        "ucum-invalid",
        "/lensSpecification/*/duration/code",
    ),
    // NDC "2501-813-16" has 4-3-2 digits: no NDC form (4-4-2, 5-3-2, 5-4-1) has nine digits.
    (
        "MedicationRequest-medrx0330.json",
        "ndc-format",
        "/contained/0/code/coding/0/code",
    ),
    (
        "MedicationDispense-meddisp0308.json",
        "ndc-format",
        "/contained/0/code/coding/0/code",
    ),
    (
        "Medication-med0305.json",
        "ndc-format",
        "/code/coding/0/code",
    ),
    // SNOMED CT ids that fail their Verhoeff check digit (415818005, 6547210000124112; checked
    // with an independent Verhoeff implementation), a SNOMED RT code ("T-15460", not a SNOMED
    // CT id) and a placeholder ("look up value") given with system http://snomed.info/sct.
    (
        "MedicationDispense-meddisp0314.json",
        "snomed-check-digit",
        "/quantity/code",
    ),
    (
        "MedicationDispense-meddisp0317.json",
        "snomed-check-digit",
        "/quantity/code",
    ),
    (
        "NutritionOrder-enteralcontinuous.json",
        "snomed-check-digit",
        "/enteralFormula/baseFormulaType/coding/0/code",
    ),
    (
        "ImagingStudy-example-xr.json",
        "snomed-check-digit",
        "/series/0/bodySite/code",
    ),
    (
        "PlanDefinition-example-cardiology-os.json",
        "snomed-check-digit",
        "/useContext/0/valueCodeableConcept/coding/0/code",
    ),
    // ValueSet.compose.include.system is a uri naming the code system, absolute; this example
    // points at its contained CodeSystem with "#hacked". The HL7 validator rejects the same
    // ("URI values in ValueSet.compose.include.system must be absolute", its case
    // vs-canonical-bad-2); R4 names the contained code system with the valueset-system
    // extension instead.
    (
        "ValueSet-example-hierarchical.json",
        "system-not-absolute",
        "/compose/include/0/system",
    ),
    (
        "Bundle-valuesets.json",
        "system-not-absolute",
        "/entry/499/resource/compose/include/0/system",
    ),
    // R4 makes ImplementationGuide.name and .status 1..1; these two IG resources (the
    // specification's own package descriptions) have neither.
    ("ImplementationGuide-fhir.json", "required-element", "/name"),
    (
        "ImplementationGuide-fhir.json",
        "required-element",
        "/status",
    ),
    ("ig-r4.json", "required-element", "/name"),
    ("ig-r4.json", "required-element", "/status"),
    // Questionnaire.item.linkId is 1..1 at every level; the display items nested in this
    // questionnaire (a fly-over text under each question) have none.
    (
        "Questionnaire-qs1.json",
        "required-element",
        "/item/0/**/linkId",
    ),
    // SearchParameter.base is 1..*; the search parameters the extension pages generate give
    // none.
    (
        "SearchParameter-codesystem-extensions-CodeSystem-*.json",
        "required-element",
        "/base",
    ),
    (
        "SearchParameter-valueset-extensions-ValueSet-*.json",
        "required-element",
        "/base",
    ),
    // bdl-7: a fullUrl appears once per version. This collection lists seven data elements
    // of Quantity (de-Quantity.id, .extension, .value, .comparator, .unit, .system, .code)
    // two or three times (entries 6769-6780 repeat 144-148 and 6767-6768), with no versionId.
    (
        "Bundle-dataelements.json",
        "bundle-fullurl-duplicate",
        "/entry/67*/fullUrl",
    ),
    // A RESTful fullUrl ends with the resource's type and id: these message Bundles give the
    // second patient the fullUrl .../Patient/pat12 but the id pat2.
    (
        "Bundle-10bb101f-a121-4264-a920-67be9cb82c74.json",
        "bundle-fullurl-mismatch",
        "/entry/2/fullUrl",
    ),
    (
        "Bundle-3a0707d3-549e-4467-b8b8-5a2ab3800efe.json",
        "bundle-fullurl-mismatch",
        "/entry/3/fullUrl",
    ),
    // ... and this collection's observations have fullUrls .../Observation/lri-gramstain1 with
    // ids gramstain1 (the "lri-" prefix is in every fullUrl and no id).
    (
        "Bundle-lri-example.json",
        "bundle-fullurl-mismatch",
        "/entry/*/fullUrl",
    ),
    // The translation extension (context: string, code, markdown) put on the expansion's
    // `contains` element itself instead of on its `_display`, 3,139 times.
    (
        "Bundle-valueset-expansions.json",
        "extension-context",
        "/entry/*/resource/expansion/contains/*/extension/*",
    ),
    // valueset-concept-comments (context ValueSet.compose.include.concept) on the concepts of
    // the DICOM CodeSystem, where R4 has codesystem-concept-comments; that code system again
    // in the Bundle of all value sets.
    (
        "CodeSystem-dicom-dcim.json",
        "extension-context",
        "/concept/*/extension/*",
    ),
    (
        "Bundle-valuesets.json",
        "extension-context",
        "/entry/*/resource/concept/*/extension/*",
    ),
    // hla-genotyping-results-glstring's sub-extensions are `url` and `text`; this one says `uri`.
    (
        "Bundle-hla-1.json",
        "extension-sub-unknown",
        "/entry/0/resource/extension/1/extension/1/url",
    ),
    // An id has at most 64 characters; this one has 67.
    (
        "SearchParameter-questionnaireresponse-extensions-QuestionnaireResponse-item-subject.json",
        "invalid-format",
        "/id",
    ),
];

/// `pattern` with `*` for any text within a name or step, and `**` for any steps.
fn matches(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            let (tail, deep) = match tail.strip_prefix('*') {
                Some(t) => (t, true),
                None => (tail, false),
            };
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i))
                .filter(|&i| deep || !rest[..i].contains('/'))
                .any(|i| matches(tail, &rest[i..]))
        }
    }
}

use ehrlint::{Context, Options, Severity, Validator};
use serde_json::Value;

#[test]
fn spec_examples_give_no_errors() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tools/node_modules/hl7.fhir.r4.examples"
    );
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/package.json"))
            .expect("FHIR R4 examples missing: run scripts/setup.sh (npm ci in tools/)"),
    )
    .unwrap();
    assert_eq!(manifest["version"], "4.0.1");

    // Some examples are Bundles of the whole specification (StructureDefinitions, value sets),
    // up to 35 MB: above the 10 MB default size limit meant for records.
    let options =
        Options::from_json(serde_json::json!({ "limits": { "maxBytes": 40_000_000 } })).unwrap();
    let validator = Validator::new(options).unwrap();
    let supported = validator.supported_types();
    let (mut all, mut of_supported, mut failures) = (0, 0, Vec::new());
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") || name == "package.json" || name.starts_with('.') {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let report = validator.validate_json(&text, &Context::default()).unwrap();
        all += 1;
        let rt = serde_json::from_str::<Value>(&text).unwrap()["resourceType"]
            .as_str()
            .unwrap_or("")
            .to_string();
        if supported.contains(&rt.as_str()) {
            of_supported += 1;
        }
        let known: Vec<(&str, &str)> = KNOWN
            .iter()
            .filter(|k| matches(k.0, &name))
            .map(|k| (k.1, k.2))
            .collect();
        let errors: Vec<&ehrlint::Issue> = report
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        // Every error is a known defect, and every known defect is found.
        let unknown = errors
            .iter()
            .any(|i| !known.iter().any(|k| k.0 == i.code && matches(k.1, &i.path)));
        let missed = known.iter().any(|k| {
            !errors
                .iter()
                .any(|i| k.0 == i.code && matches(k.1, &i.path))
        });
        if unknown || missed {
            let shown: Vec<String> = errors
                .iter()
                .map(|i| format!("{} {} {}", i.code, i.path, i.message))
                .collect();
            failures.push(format!("{name}: {shown:?}"));
        }
    }
    assert_eq!(all, 5306, "all examples read");
    assert_eq!(
        of_supported, all,
        "every example is of a type ehrlint checks"
    );
    assert!(
        failures.is_empty(),
        "{} examples with errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
