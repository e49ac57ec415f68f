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

use crate::json::Value;

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{element_name, quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "wrong-type",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "A value of the wrong JSON type for its element",
};

/// `expected` is the JSON Schema type name (`boolean`, `array`, ...). A value found is quoted;
/// a list or an object found where a value belongs is named, in a message of its own.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    expected: &str,
    value: &Value,
) -> Issue {
    let name = element_name(suffix);
    let subject = if name.is_empty() {
        location.expression.clone()
    } else {
        format!("'{name}'")
    };
    let list = matches!(value, Value::Array(_));
    let object = matches!(value, Value::Object(_));
    let shown = quote(value);
    let text = match expected {
        "array" if object => text!("wrong-type.array-found-object", subject),
        "array" => text!("wrong-type.array", subject, value = shown),
        "object" if list => text!("wrong-type.object-found-list", subject),
        "object" => text!("wrong-type.object", subject, value = shown),
        "boolean" if list => text!("wrong-type.boolean-found-list", subject),
        "boolean" if object => text!("wrong-type.boolean-found-object", subject),
        "boolean" => text!("wrong-type.boolean", subject, value = shown),
        "integer" if list => text!("wrong-type.integer-found-list", subject),
        "integer" if object => text!("wrong-type.integer-found-object", subject),
        "integer" => text!("wrong-type.integer", subject, value = shown),
        "number" if list => text!("wrong-type.number-found-list", subject),
        "number" if object => text!("wrong-type.number-found-object", subject),
        "number" => text!("wrong-type.number", subject, value = shown),
        "string" if list => text!("wrong-type.string-found-list", subject),
        "string" if object => text!("wrong-type.string-found-object", subject),
        "string" => text!("wrong-type.string", subject, value = shown),
        // No FHIR element asks for another type (`null`): named as JSON Schema names it.
        json_type => text!("wrong-type", subject, json_type),
    };
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use crate::{Context, Options, ProfileChoice, Validator};
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
    fn words_the_expected_and_found_types_in_the_validators_locale() {
        let mut options = Options::with_profile(ProfileChoice::BuiltIn("none".into()));
        options.locale = Some("es".into());
        let v = Validator::new(options).expect("built-in schemas compile");
        let message = |resource| {
            let r = v.validate(&resource, &Context::default());
            assert_eq!(r.issues.len(), 1, "{:#?}", r.issues);
            r.issues[0].message.clone()
        };
        assert_eq!(
            message(json!({"resourceType": "Patient", "active": "yes"})),
            "'active' debe ser true o false; se encontró \"yes\"."
        );
        assert_eq!(
            message(json!({"resourceType": "Patient", "name": {"family": "Chalmers"}})),
            "'name' debe ser una lista [ ... ], incluso con una sola entrada; se encontró un objeto."
        );
        assert_eq!(
            message(json!({"resourceType": "Patient", "maritalStatus": "x"})),
            "'maritalStatus' debe ser un objeto { ... }; se encontró \"x\"."
        );
    }

    #[test]
    fn passes_right_types() {
        assert_clean(
            json!({"resourceType": "Patient", "active": true, "name": [{"family": "Chalmers"}], "multipleBirthInteger": 2}),
        );
    }
}
