//! # codesystem-property-duplicate
//!
//! **What it checks**: the properties a CodeSystem defines (`property`) have different codes,
//! and different URIs where they give one. The second and later ones are reported.
//!
//! **Why it matters**: concepts give property values by the property's code, and value set
//! filters select by it; with two definitions of one code (or two codes for one meaning, the
//! URI), a property value has two types or two names, and filters find some concepts and not
//! others.
//!
//! **Example**: fails: `"property": [{"code": "notSelectable", "type": "boolean"}, {"code":
//! "notSelectable", "type": "string"}]`; passes: two properties with different codes and URIs.
//!
//! **Authority**: FHIR R4 CodeSystem.property.code (http://hl7.org/fhir/R4/codesystem.html):
//! "A code that is used to identify the property", which CodeSystem.concept.property.code
//! refers to; the HL7 reference validator: "A property is already defined with the code".

use crate::json::Value;

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "codesystem-property-duplicate",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "business-rule",
    title: "Two properties of a CodeSystem with the same code or the same URI",
};

record_rule! {
    types: crate::rules::Types::Only(&["CodeSystem"]),
    fn check(resource, cx, out) {
        let properties = resource.get("property").and_then(Value::as_array);
        let (mut codes, mut uris): (Vec<&str>, Vec<&str>) = (Vec::new(), Vec::new());
        for (i, property) in properties.into_iter().flatten().enumerate() {
            for (member, seen) in [("code", &mut codes), ("uri", &mut uris)] {
                let Some(value) = property.get(member).and_then(Value::as_str) else {
                    continue;
                };
                if seen.contains(&value) {
                    let value = crate::rules::quote(&Value::from(value));
                    let message = if member == "code" {
                        text!("codesystem-property-duplicate", value)
                    } else {
                        text!("codesystem-property-duplicate.uri", value)
                    };
                    out.push(RULE.issue(
                        cx.location,
                        &format!("/property/{i}/{member}"),
                        cx.messages,
                        message,
                    ));
                } else {
                    seen.push(value);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, issues};
    use serde_json::json;

    fn code_system(property: serde_json::Value) -> serde_json::Value {
        json!({"resourceType": "CodeSystem", "url": "http://example.org/cs", "status": "active",
            "content": "complete", "property": property})
    }

    #[test]
    fn fails_on_a_code_or_a_uri_given_twice() {
        let uri = "http://hl7.org/fhir/concept-properties#notSelectable";
        assert_eq!(
            issues(code_system(json!([
                {"code": "notSelectable", "uri": uri, "type": "boolean"},
                {"code": "notSelectable", "type": "boolean"},
                {"code": "not-selectable", "uri": uri, "type": "boolean"}
            ]))),
            vec![
                (
                    "codesystem-property-duplicate",
                    "/property/1/code".to_string()
                ),
                (
                    "codesystem-property-duplicate",
                    "/property/2/uri".to_string()
                ),
            ]
        );
    }

    #[test]
    fn passes_different_codes_and_uris() {
        assert_clean(code_system(json!([
            {"code": "notSelectable", "uri": "http://hl7.org/fhir/concept-properties#notSelectable", "type": "boolean"},
            {"code": "parent", "uri": "http://hl7.org/fhir/concept-properties#parent", "type": "code"},
            {"code": "rank", "type": "integer"}
        ])));
    }
}
