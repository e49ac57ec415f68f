//! ICD-10-CM descriptions: loaded on demand, they name codes in messages; without them the
//! same issues come out, with codes alone.

use ehrlint::{Context, Options, ProfileChoice, Validator};
use serde_json::json;

fn condition(code: &str) -> serde_json::Value {
    json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"}, "recordedDate": "2026-04-01",
           "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code}]}})
}

#[test]
fn descriptions_name_codes_in_messages_once_loaded() {
    // FHIR R4 alone: these cases are about the code edits, not completeness.
    let v = Validator::new(Options::with_profile(ProfileChoice::BuiltIn("none".into()))).unwrap();
    let before = v.validate(&condition("E11.99"), &Context::default());
    assert!(
        before.issues[0].message.contains("Did you mean E11.9?"),
        "{}",
        before.issues[0].message
    );

    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/icd10cm-descriptions.tsv"
    ))
    .unwrap();
    assert_eq!(v.load_descriptions(text).unwrap(), 74_719);
    let after = v.validate(&condition("E11.99"), &Context::default());
    assert_eq!(after.issues.len(), before.issues.len());
    assert_eq!(after.issues[0].code, before.issues[0].code);
    assert_eq!(after.issues[0].suggestions, before.issues[0].suggestions);
    assert!(
        after.issues[0]
            .message
            .contains("Did you mean E11.9 (Type 2 diabetes mellitus without complications)"),
        "{}",
        after.issues[0].message
    );
    // A second load keeps the first set; a malformed one is refused with a reason.
    assert_eq!(v.load_descriptions("Z\tz\n".to_string()).unwrap(), 74_719);
    let fresh = Validator::new(Options::default()).unwrap();
    assert!(fresh
        .load_descriptions("not a table".to_string())
        .unwrap_err()
        .contains("code TAB description"));
}
