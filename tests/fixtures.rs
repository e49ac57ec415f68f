//! Every fixture gives exactly the issues listed in tests/fixtures/expected.json, and the Rust
//! reports are written to target/parity/rust.json for the cross-binding test (tests/js).

mod common;

use ehrlint::{Context, Options, ProfileChoice, Severity, Tally, Validator};
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
            "message": "\"2023-02-29\" is not a valid date and time: February 2023 has 28 days."
        })
    );
}

#[test]
fn operation_outcome_carries_every_issue() {
    let validator =
        Validator::new(Options::with_profile(ProfileChoice::BuiltIn("none".into()))).unwrap();
    let report = validator
        .validate_json(
            r#"{"resourceType":"Patient","gender":"mal","active":"yes"}"#,
            &Context::default(),
        )
        .unwrap();
    let typed = report.to_operation_outcome();
    let outcome = serde_json::to_value(&typed).unwrap();
    assert_eq!(outcome["resourceType"], "OperationOutcome");
    let issues = outcome["issue"].as_array().unwrap();
    assert_eq!(issues.len(), 2);
    assert_eq!(issues[0]["severity"], "error");
    assert_eq!(issues[0]["expression"], json!(["Patient.active"]));
    assert_eq!(issues[0]["details"]["coding"][0]["code"], "wrong-type");
    assert_eq!(issues[1]["code"], "code-invalid");
    // Round trip through JSON, as the JS API does it.
    let via_json =
        ehrlint::operation_outcome_from_json(&serde_json::to_value(&report).unwrap()).unwrap();
    assert_eq!(via_json, typed);
    // The CLI's --format outcome prints the same JSON.
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&typed.to_string()).unwrap(),
        outcome
    );
    // A clean report still gives a valid OperationOutcome (issue has min cardinality 1).
    let clean = validator.validate(&json!({"resourceType": "Patient"}), &Context::default());
    assert_eq!(
        clean.to_operation_outcome().issue[0].severity,
        "information"
    );
}

#[test]
fn completeness_counts_required_and_must_support_elements() {
    let validator = Validator::new(Options::default()).unwrap();
    let r = validator.validate(
        &json!({"resourceType": "Observation", "code": {"text": "x"}}),
        &Context::default(),
    );
    // FHIR's status and code, the default profile's category, subject and effective[x], and
    // (no value, no status) its dataAbsentReason requirement: 1 of 6 present.
    assert_eq!(
        r.completeness.missing,
        vec![
            "/status",
            "/category",
            "/subject",
            "/effective[x]",
            "/dataAbsentReason"
        ]
    );
    assert_eq!(
        r.completeness.required,
        Tally {
            present: 1,
            total: 6
        }
    );
    assert_eq!(
        r.completeness.must_support,
        Tally {
            present: 0,
            total: 0
        }
    );
    assert!(
        (r.completeness.score - 1.0 / 6.0).abs() < 1e-9,
        "{}",
        r.completeness.score
    );

    let r = validator.validate(
        &json!({"resourceType": "Patient", "identifier": [{"value": "1"}],
                "name": [{"family": "Chalmers"}], "gender": "male", "birthDate": "1974"}),
        &Context::default(),
    );
    assert_eq!(
        r.completeness.required,
        Tally {
            present: 4,
            total: 4
        }
    );
    // birthDate yes; telecom, address, identifier.system no.
    assert_eq!(
        r.completeness.must_support,
        Tally {
            present: 1,
            total: 4
        }
    );
    assert_eq!(
        r.completeness.missing,
        vec!["/telecom", "/address", "/identifier/0/system"]
    );
    assert!(
        (r.completeness.score - 9.0 / 12.0).abs() < 1e-9,
        "{}",
        r.completeness.score
    );
    let shape = serde_json::to_value(&r.completeness).unwrap();
    assert_eq!(shape["mustSupport"], json!({"present": 1, "total": 4}));

    let full = validator.validate(
        &json!({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
                "category": [{"text": "Laboratory"}], "subject": {"reference": "Patient/1"},
                "effectiveDateTime": "2024-05-02", "valueString": "negative"}),
        &Context::default(),
    );
    assert_eq!(full.completeness.score, 1.0);
    assert!(full.issues.is_empty(), "{:?}", full.issues);
}

#[test]
fn a_vendor_profile_adds_and_relaxes_requirements() {
    let profile = json!({
        "id": "clinic",
        "extends": "default",
        "requiredSeverity": "error",
        "resources": {
            "Patient": {"required": ["birthDate"], "relax": ["identifier", "identifier.value", "telecom", "address", "identifier.system"]}
        }
    });
    let v = Validator::new(Options::with_profile(ProfileChoice::Custom(profile))).unwrap();
    let r = v.validate(
        &json!({"resourceType": "Patient", "name": [{"family": "Chalmers"}], "gender": "male"}),
        &Context::default(),
    );
    let found: Vec<_> = r
        .issues
        .iter()
        .map(|i| (i.code, i.path.as_str(), i.severity))
        .collect();
    assert_eq!(
        found,
        vec![("profile-required", "/birthDate", Severity::Error)]
    );
    assert!(!r.valid);
}

#[test]
fn bad_profiles_are_refused_with_a_clear_error() {
    let cases = [
        (json!({"resources": {}}), "\"id\" is a required property"),
        (
            json!({"id": "x", "resources": {"Patinet": {}}}),
            "did you mean Patient?",
        ),
        (
            json!({"id": "x", "resources": {"Patient": {"required": ["identifer"]}}}),
            "Patient has no element identifer (did you mean identifier?)",
        ),
        (
            json!({"id": "x", "resources": {"Patient": {"required": [42]}}}),
            "/resources/Patient/required/0",
        ),
        (
            json!({"id": "x", "resources": {"Observation": {"required": ["value[x].code"]}}}),
            "name one form",
        ),
        (
            json!({"id": "x", "extends": "default", "resources": {"Patient": {"relax": ["photo"]}}}),
            "no such element",
        ),
        (json!("us-core"), "unknown profile \"us-core\""),
        (json!(42), "invalid profile"),
    ];
    for (profile, want) in cases {
        let choice: ProfileChoice = serde_json::from_value(profile.clone()).unwrap();
        match Validator::new(Options::with_profile(choice)) {
            Ok(_) => panic!("{profile} was accepted"),
            Err(e) => assert!(e.contains(want), "{profile}: {e}"),
        }
    }
}
