//! The official FHIR R4 examples (npm hl7.fhir.r4.examples 4.0.1, pinned with its sha512 in
//! tools/package-lock.json and installed by scripts/setup.sh) are valid records: ehrlint must
//! give none of them an error, and must not stumble on any of the 5,306, except for the defects
//! really in them, listed in tests/spec-examples-known.json with the reason each is a defect.

/// Defects in the examples themselves, each verified by hand: file (a pattern), rule code (an
/// invariant's as `invariant:key`), path (a pattern) and the reason it is a defect. The same list is the "defects in the official
/// examples" section of docs/conformance.md (`node tools/conformance.mjs --write`).
#[derive(serde::Deserialize)]
struct Known {
    file: String,
    code: String,
    path: String,
    reason: String,
}

fn known() -> Vec<Known> {
    let known: Vec<Known> = serde_json::from_str(include_str!("spec-examples-known.json"))
        .expect("tests/spec-examples-known.json reads");
    assert!(
        known.iter().all(|k| !k.reason.is_empty()),
        "every defect has its reason"
    );
    known
}

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

/// An issue's code, and an invariant's key with it: `invariant:obs-6`.
fn id(issue: &ehrlint::Issue) -> String {
    match issue.invariant {
        Some(key) => format!("{}:{key}", issue.code),
        None => issue.code.to_string(),
    }
}

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
    let known = known();
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
        let known: Vec<(&str, &str)> = known
            .iter()
            .filter(|k| matches(&k.file, &name))
            .map(|k| (k.code.as_str(), k.path.as_str()))
            .collect();
        let errors: Vec<&ehrlint::Issue> = report
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        // Every error is a known defect, and every known defect is found.
        let unknown = errors
            .iter()
            .any(|i| !known.iter().any(|k| k.0 == id(i) && matches(k.1, &i.path)));
        let missed = known
            .iter()
            .any(|k| !errors.iter().any(|i| k.0 == id(i) && matches(k.1, &i.path)));
        if unknown || missed {
            let shown: Vec<String> = errors
                .iter()
                .map(|i| format!("{} {} {}", id(i), i.path, i.message))
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
