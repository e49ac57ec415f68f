//! The official FHIR R4 examples (npm hl7.fhir.r4.examples 4.0.1, pinned with its sha512 in
//! tools/package-lock.json and installed by scripts/setup.sh) are valid records: ehrlint must
//! give none of them an error, and must not stumble on any of the 5,306.

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

    let validator = Validator::new(Options::default()).unwrap();
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
        let errors: Vec<String> = report
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .map(|i| format!("{} {} {}", i.code, i.path, i.message))
            .collect();
        if !errors.is_empty() {
            failures.push(format!("{name}: {errors:?}"));
        }
    }
    assert_eq!(all, 5306, "all examples read");
    assert_eq!(of_supported, 233, "examples of the supported types");
    assert!(
        failures.is_empty(),
        "{} examples with errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
