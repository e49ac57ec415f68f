//! # wrong-type
//!
//! **What it checks**: each value has the JSON type FHIR R4 gives its element: true/false for
//! a boolean, a number for a decimal or integer, text for a string, code or date, an object for
//! a complex element, and a list for an element that repeats.
//!
//! **Why it matters**: `"active": "yes"` or `"name": {...}` where a list belongs break every
//! parser downstream; the record may be rejected whole by the receiving EHR or payer.
//!
//! **Example**: fails: `{"resourceType": "Patient", "active": "yes"}`; passes:
//! `{"resourceType": "Patient", "active": true}`.
//!
//! **Authority**: FHIR R4 JSON representation §3.2.0 (http://hl7.org/fhir/R4/json.html):
//! primitive JSON types, and arrays for elements with max cardinality > 1.

use serde_json::Value;

use crate::fhir::path::Location;
use crate::report::{Category, Issue, Severity};
use crate::rules::{element_name, quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "wrong-type",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "A value of the wrong JSON type for its element",
};

fn describe(json_type: &str) -> &'static str {
    match json_type {
        "boolean" => "true or false",
        "integer" => "a whole number",
        "number" => "a number",
        "string" => "text in quotes",
        "object" => "an object { ... }",
        "array" => "a list [ ... ]",
        "null" => "null",
        _ => "another type",
    }
}

fn found(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(_) | Value::Number(_) | Value::String(_) => quote(value),
        Value::Array(_) => "a list".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

/// `expected` is the JSON Schema type name (`boolean`, `array`, ...).
pub(crate) fn issue(location: &Location, suffix: &str, expected: &str, value: &Value) -> Issue {
    let name = element_name(suffix);
    let subject = if name.is_empty() {
        location.expression.clone()
    } else {
        format!("'{name}'")
    };
    let message = match (expected, value) {
        ("array", _) => format!(
            "{subject} must be a list [ ... ], even with a single entry; found {}.",
            found(value)
        ),
        ("object", Value::Array(_)) => format!("{subject} must be a single object, not a list."),
        _ => format!(
            "{subject} must be {}; found {}.",
            describe(expected),
            found(value)
        ),
    };
    RULE.at(location, suffix, message)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    #[test]
    fn fails_on_string_for_boolean() {
        assert_one(
            json!({"resourceType": "Patient", "active": "yes"}),
            "wrong-type",
            "/active",
        );
    }

    #[test]
    fn fails_on_object_for_list() {
        assert_one(
            json!({"resourceType": "Patient", "name": {"family": "Chalmers"}}),
            "wrong-type",
            "/name",
        );
    }

    #[test]
    fn fails_on_number_for_code_with_one_issue() {
        assert_one(
            json!({"resourceType": "Patient", "gender": 1}),
            "wrong-type",
            "/gender",
        );
    }

    #[test]
    fn fails_on_fraction_for_integer() {
        assert_one(
            json!({"resourceType": "Patient", "multipleBirthInteger": 1.5}),
            "wrong-type",
            "/multipleBirthInteger",
        );
    }

    #[test]
    fn passes_null_padding_in_primitive_arrays() {
        assert_clean(json!({"resourceType": "Patient", "name": [{
            "given": ["Ann", null],
            "_given": [null, {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier", "valueCode": "CL"}]}]
        }]}));
    }

    #[test]
    fn fails_on_null_for_a_single_value_and_names_the_real_type_in_arrays() {
        assert_one(
            json!({"resourceType": "Patient", "gender": null}),
            "wrong-type",
            "/gender",
        );
        let r = report(json!({"resourceType": "Patient", "name": [{"given": ["Ann", 7]}]}));
        assert_eq!(r.issues.len(), 1);
        assert_eq!(r.issues[0].path, "/name/0/given/1");
        assert!(
            r.issues[0].message.contains("text in quotes"),
            "{}",
            r.issues[0].message
        );
    }

    #[test]
    fn passes_right_types() {
        assert_clean(
            json!({"resourceType": "Patient", "active": true, "name": [{"family": "Chalmers"}], "multipleBirthInteger": 2}),
        );
    }
}
