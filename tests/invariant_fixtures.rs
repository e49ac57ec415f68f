//! A failing and a passing record for every invariant of the FHIR R4 datatypes and of the 20
//! clinical resource types the R4 examples use most (tests/invariants/KEY.json; the format is
//! in tests/invariants/README.md). The list of keys to cover comes from the model, so an
//! invariant without its pair fails here rather than going unnoticed.
//!
//! For each pair: the failing record gets exactly one issue about that invariant, with the
//! code and at the path the fixture gives (`invariant` naming the key, or the rule that reports
//! the same defect in better words: one defect, one issue), and no other error; the passing
//! record gets no error and no issue about that invariant.

use std::collections::BTreeSet;

use ehrlint::fhir::model::{ElementDef, Kind, Model};
use ehrlint::{Context, Options, Severity, Validator};
use serde_json::Value;

/// The clinical resource types with the most examples in `hl7.fhir.r4.examples` 4.0.1, one
/// file each, counted by resourceType: FHIR's Base (individuals, entities, workflow),
/// Clinical, Diagnostics and Medications modules. Conformance, terminology, knowledge
/// artifacts (Questionnaire, PlanDefinition...), financial (Claim, Contract) and exchange or
/// security resources (Bundle, Consent, AuditEvent) are not clinical records; their
/// invariants are checked all the same, but need no fixture here.
const CLINICAL: [&str; 20] = [
    "Observation",              // 64
    "MedicationRequest",        // 40
    "MedicationDispense",       // 31
    "Medication",               // 23
    "Patient",                  // 22
    "ServiceRequest",           // 20
    "MolecularSequence",        // 17
    "Procedure",                // 16
    "MedicationAdministration", // 14
    "Practitioner",             // 14
    "NutritionOrder",           // 13
    "Organization",             // 13
    "Condition",                // 12
    "Task",                     // 12
    "CarePlan",                 // 11
    "Encounter",                // 10
    "List",                     // 10
    "MedicationStatement",      // 7
    "AllergyIntolerance",       // 6
    "DiagnosticReport",         // 6
];

/// Every invariant key of an element and the elements below it.
fn element_keys(elements: &[ElementDef], out: &mut BTreeSet<&'static str>) {
    for e in elements {
        out.extend(e.invariants.iter().map(|i| i.key()));
        element_keys(&e.children, out);
    }
}

/// The keys to cover: every datatype's (its own and its elements'), and every one of the
/// clinical types with their bases' (DomainResource's dom-2 to dom-6).
fn required(model: &Model) -> BTreeSet<&'static str> {
    let mut keys = BTreeSet::new();
    for t in model.types() {
        let clinical = CLINICAL.contains(&t.name);
        if t.kind == Kind::Resource && !clinical {
            continue;
        }
        keys.extend(t.invariants.iter().map(|i| i.key()));
        element_keys(&t.elements, &mut keys);
        let mut base = t.base;
        while let Some(name) = base.filter(|_| clinical) {
            let Some(b) = model.type_def(name) else { break };
            keys.extend(b.invariants.iter().map(|i| i.key()));
            base = b.base;
        }
    }
    keys
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    /// The invariant (`per-1`).
    key: String,
    /// What breaking it means, in a few words.
    about: String,
    /// A record that breaks it, and nothing else that is an error.
    #[serde(default)]
    invalid: Value,
    /// The issue expected on it: `invariant`, or the rule that reports the same defect.
    #[serde(default)]
    code: String,
    /// Where: a JSON Pointer.
    #[serde(default)]
    path: String,
    /// Instead of `invalid`, `code` and `path`: why no record can break it (an expression that
    /// holds whatever the data, as R4's eld-11).
    #[serde(default)]
    unbreakable: Option<String>,
    /// The same record mended: valid, with no issue about the invariant.
    valid: Value,
}

fn fixtures() -> Vec<(String, Fixture)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/invariants");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.ends_with(".json") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let fixture: Fixture =
            serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(
            name,
            format!("{}.json", fixture.key),
            "a fixture's file is named by its key"
        );
        assert!(
            !fixture.about.trim().is_empty(),
            "{name}: say what it breaks"
        );
        out.push((name, fixture));
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// Whether an issue is about the fixture's invariant: it names the key, or it has the code
/// the fixture expects (a rule reporting the same defect).
fn about(issue: &ehrlint::Issue, fixture: &Fixture) -> bool {
    issue.invariant == Some(fixture.key.as_str())
        || (fixture.code != "invariant" && issue.code == fixture.code)
}

/// The failing record: one issue about the invariant, with the fixture's code and path, and
/// no other error.
fn check_invalid(validator: &Validator, name: &str, f: &Fixture, failures: &mut Vec<String>) {
    let bad = validator
        .validate_json(&f.invalid.to_string(), &Context::default())
        .unwrap();
    let on_it: Vec<String> = bad
        .issues
        .iter()
        .filter(|i| about(i, f))
        .map(|i| format!("{} {:?} {}", i.code, i.invariant, i.path))
        .collect();
    let expected = format!(
        "{} {:?} {}",
        f.code,
        (f.code == "invariant").then_some(f.key.as_str()),
        f.path
    );
    if on_it != [expected.clone()] {
        failures.push(format!(
            "{name}: invalid: expected [{expected}], got {on_it:?}"
        ));
    }
    let others: Vec<String> = bad
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error && !about(i, f))
        .map(|i| format!("{} {} {}", i.code, i.path, i.message))
        .collect();
    if !others.is_empty() {
        failures.push(format!("{name}: invalid: other errors {others:?}"));
    }
}

/// The passing record: no error, and no issue about the invariant.
fn check_valid(validator: &Validator, name: &str, f: &Fixture, failures: &mut Vec<String>) {
    let good = validator
        .validate_json(&f.valid.to_string(), &Context::default())
        .unwrap();
    let wrong: Vec<String> = good
        .issues
        .iter()
        .filter(|i| i.severity == Severity::Error || about(i, f))
        .map(|i| format!("{} {:?} {} {}", i.code, i.invariant, i.path, i.message))
        .collect();
    if !wrong.is_empty() {
        failures.push(format!("{name}: valid: {wrong:?}"));
    }
}

#[test]
fn every_invariant_of_the_datatypes_and_clinical_types_breaks_and_holds() {
    let model = Model::r4().unwrap();
    let all = model.invariant_keys();
    // Best-practice invariants (dom-6, con-3) are reported only when asked for.
    let validator = Validator::new(
        Options::from_json(serde_json::json!({
            "asOf": "2026-04-01",
            "rules": { "severity": { "dom-6": "warning", "con-3": "warning" } }
        }))
        .unwrap(),
    )
    .unwrap();
    let mut failures = Vec::new();
    let mut covered = BTreeSet::new();
    // While writing fixtures: only the keys starting with one of these (comma-separated).
    let only: Option<Vec<String>> = std::env::var("EHRLINT_INVARIANT_KEYS")
        .ok()
        .map(|v| v.split(',').map(str::to_string).collect());
    let wanted = |key: &str| {
        only.as_ref()
            .is_none_or(|o| o.iter().any(|p| key.starts_with(p.as_str())))
    };
    for (name, f) in fixtures().into_iter().filter(|(_, f)| wanted(&f.key)) {
        assert!(
            all.contains(&f.key.as_str()),
            "{name}: no invariant {}",
            f.key
        );
        covered.insert(f.key.clone());
        match &f.unbreakable {
            Some(why) => assert!(
                !why.trim().is_empty() && f.invalid.is_null() && f.code.is_empty(),
                "{name}: an unbreakable invariant says why, and has no invalid record"
            ),
            None => check_invalid(&validator, &name, &f, &mut failures),
        }
        check_valid(&validator, &name, &f, &mut failures);
    }
    let missing: Vec<&str> = required(&model)
        .into_iter()
        .filter(|k| wanted(k) && !covered.contains(*k))
        .collect();
    assert!(
        missing.is_empty() && failures.is_empty(),
        "{} fixtures fail:\n{}\n{} invariants without fixtures in tests/invariants/: {missing:?}",
        failures.len(),
        failures.join("\n"),
        missing.len()
    );
}
