//! Every fixture gives exactly the issues listed in tests/fixtures/expected.json, and the Rust
//! reports are written to target/parity/rust.json for the cross-binding test (tests/js).

mod common;

use ehrlint::{Context, Options, Severity, Validator};
use serde_json::{json, Value};

#[test]
fn fixtures_give_exactly_their_expected_issues() {
    let validator = Validator::new(Options::default()).unwrap();
    let mut dump = serde_json::Map::new();
    for (name, want) in common::expected() {
        let text = std::fs::read_to_string(common::fixtures().join(&name)).unwrap();
        let report = validator.validate_json(&text, &Context::default()).unwrap();
        let report = serde_json::to_value(&report).unwrap();
        assert_eq!(common::pairs(&report["issues"]), want, "{name}");
        let has_error = want.iter().any(|(code, _)| {
            ehrlint::rules::meta(code).map(|m| m.severity) == Some(Severity::Error)
        });
        assert_eq!(report["valid"], json!(!has_error), "{name}: valid");
        dump.insert(name, report);
    }
    let dir = common::root().join("target/parity");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("rust.json"), Value::Object(dump).to_string()).unwrap();
}

#[test]
fn issues_carry_the_design_shape() {
    let validator = Validator::new(Options::default()).unwrap();
    let text = std::fs::read_to_string(common::fixtures().join("invalid/bundle-entry-errors.json"))
        .unwrap();
    let report = validator.validate_json(&text, &Context::default()).unwrap();
    let first = serde_json::to_value(&report.issues[0]).unwrap();
    assert_eq!(
        first,
        json!({
            "severity": "error",
            "category": "structure",
            "code": "invalid-date",
            "path": "/entry/1/resource/onsetDateTime",
            "expression": "Bundle.entry[1].resource.onsetDateTime",
            "message": "\"2023-02-29\" is not a valid dateTime: February 2023 has 28 days."
        })
    );
}

#[test]
fn operation_outcome_carries_every_issue() {
    let validator = Validator::new(Options::default()).unwrap();
    let report = validator
        .validate_json(
            r#"{"resourceType":"Patient","gender":"mal","active":"yes"}"#,
            &Context::default(),
        )
        .unwrap();
    let outcome = report.to_operation_outcome();
    assert_eq!(outcome["resourceType"], "OperationOutcome");
    let issues = outcome["issue"].as_array().unwrap();
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0]["severity"], "error");
    assert_eq!(issues[0]["expression"], json!(["Patient.active"]));
    assert_eq!(issues[0]["details"]["coding"][0]["code"], "wrong-type");
    assert_eq!(issues[1]["code"], "code-invalid");
    // Round trip through JSON, as the JS API does it.
    let via_json =
        ehrlint::report::operation_outcome_from_json(&serde_json::to_value(&report).unwrap())
            .unwrap();
    assert_eq!(via_json, outcome);
    // A clean report still gives a valid OperationOutcome (issue has min cardinality 1).
    let clean = validator.validate(&json!({"resourceType": "Patient"}), &Context::default());
    assert_eq!(
        clean.to_operation_outcome()["issue"][0]["severity"],
        "information"
    );
}

#[test]
fn completeness_counts_required_elements() {
    let validator = Validator::new(Options::default()).unwrap();
    let r = validator.validate(
        &json!({"resourceType": "Observation", "code": {"text": "x"}}),
        &Context::default(),
    );
    assert_eq!(r.completeness.missing, vec!["/status"]);
    assert!(
        (r.completeness.score - 0.5).abs() < 1e-9,
        "{}",
        r.completeness.score
    );
    let r = validator.validate(
        &json!({"resourceType": "Observation", "status": "final", "code": {"text": "x"}}),
        &Context::default(),
    );
    assert_eq!(r.completeness.score, 1.0);
}
