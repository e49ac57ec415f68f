//! # invalid-value
//!
//! **What it checks**: a coded element bound to a required FHIR value set holds one of that
//! value set's codes (`Patient.gender`, `Observation.status`, `Encounter.status`, ...).
//!
//! **Why it matters**: `gender: "mal"` or `status: "done"` is not a code any system
//! understands; the record's meaning is lost, or it is rejected on exchange.
//!
//! **Example**: fails: `{"resourceType": "Patient", "gender": "mal"}` (suggests `male`);
//! passes: `{"resourceType": "Patient", "gender": "male"}`.
//!
//! **Authority**: FHIR R4 terminology binding strength "required"
//! (http://hl7.org/fhir/R4/terminologies.html#required), as enumerated in HL7's R4 JSON schema.

use crate::json::Value;

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{element_name, nearest, quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "invalid-value",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "A code outside the value set its element requires",
};

pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    value: &Value,
    allowed: &[Value],
) -> Issue {
    let names: Vec<&str> = allowed.iter().filter_map(Value::as_str).collect();
    let mut suggestions = value
        .as_str()
        .map(|v| nearest(v, names.iter().copied(), 3))
        .unwrap_or_default();
    // A short list is itself the best suggestion.
    if suggestions.is_empty() && names.len() <= 6 {
        suggestions = names.iter().map(|s| s.to_string()).collect();
    }
    let name = element_name(suffix);
    let shown = quote(value);
    let suggestion = suggestions.first().filter(|s| {
        names.len() > 6
            || value
                .as_str()
                .is_some_and(|v| !nearest(v, [s.as_str()], 1).is_empty())
    });
    // Up to 12 codes are listed; a longer list is only pointed at.
    let codes = names.join(", ");
    let text = match (suggestion, names.len() <= 12) {
        (None, true) => text!("invalid-value", value = shown, name, codes),
        (Some(suggestion), true) => text!(
            "invalid-value.suggest",
            value = shown,
            name,
            suggestion,
            codes
        ),
        (None, false) => text!("invalid-value.many", value = shown, name),
        (Some(suggestion), false) => text!(
            "invalid-value.many-suggest",
            value = shown,
            name,
            suggestion
        ),
    };
    let mut issue = RULE.issue(location, suffix, messages, text);
    issue.suggestions = suggestions;
    issue
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    #[test]
    fn fails_on_code_outside_value_set() {
        assert_one(
            json!({"resourceType": "Patient", "gender": "mal"}),
            "invalid-value",
            "/gender",
        );
        let r = report(json!({"resourceType": "Patient", "gender": "mal"}));
        assert_eq!(r.issues[0].suggestions[0], "male");
        assert!(
            r.issues[0].message.contains("Did you mean 'male'?"),
            "{}",
            r.issues[0].message
        );
    }

    #[test]
    fn fails_inside_backbone_elements() {
        assert_one(
            json!({"resourceType": "Bundle", "type": "batch", "entry": [{"request": {"method": "GO", "url": "Patient"}}]}),
            "invalid-value",
            "/entry/0/request/method",
        );
    }

    #[test]
    fn passes_allowed_codes() {
        assert_clean(json!({"resourceType": "Patient", "gender": "unknown"}));
    }
}
