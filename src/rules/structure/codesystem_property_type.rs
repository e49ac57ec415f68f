//! # codesystem-property-type
//!
//! **What it checks**: a concept's property value (`concept.property.value[x]`, in concepts
//! at any depth) has the type its CodeSystem defines for that property (`property.type`).
//!
//! **Why it matters**: property values are compared with the type the property has: a
//! `notSelectable` given as a date where it was defined as a boolean, or a score given as an
//! integer where it was defined as a decimal, is read as missing, or fails, by the value set
//! filters and terminology servers that use it.
//!
//! **Example**: fails: `"property": [{"code": "rank", "type": "decimal"}]` and a concept with
//! `{"code": "rank", "valueInteger": 12}`; passes: `{"code": "rank", "valueDecimal": 12.5}`.
//!
//! **Authority**: FHIR R4 CodeSystem.property.type (http://hl7.org/fhir/R4/codesystem.html):
//! "The type of the property value. Properties of type "code" contain a code defined by the
//! code system"; the HL7 reference validator: "The property ... has the invalid type ..., when
//! it is defined to have the type ...".

use crate::json::{Map, Value};

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "codesystem-property-type",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "business-rule",
    title: "A concept's property value of another type than its CodeSystem defines",
};

record_rule! {
    types: crate::rules::Types::Only(&["CodeSystem"]),
    fn check(resource, cx, out) {
        // The first definition of each code: codesystem-property-duplicate reports the others.
        let mut defined: Vec<(&str, &str)> = Vec::new();
        let properties = resource.get("property").and_then(Value::as_array);
        for p in properties.into_iter().flatten() {
            let code = p.get("code").and_then(Value::as_str);
            let ty = p.get("type").and_then(Value::as_str);
            if let (Some(code), Some(ty)) = (code, ty) {
                if !defined.iter().any(|(c, _)| *c == code) {
                    defined.push((code, ty));
                }
            }
        }
        if defined.is_empty() {
            return;
        }
        let mut found = Vec::new();
        concepts(resource.get("concept"), "/concept", &defined, &mut found);
        for (path, code, given, ty) in found {
            let code = crate::rules::quote(&Value::from(code));
            let mut chars = ty.chars();
            let form: String = chars.next().map_or(String::new(), |first| {
                format!("value{}{}", first.to_ascii_uppercase(), chars.as_str())
            });
            out.push(RULE.issue(
                cx.location,
                &path,
                cx.messages,
                text!("codesystem-property-type", code, given, ty, form),
            ));
        }
    }
}

/// Each property value of the concepts at `at` (and below) whose type is not the defined one:
/// its path, the property's code, the member given (`valueBoolean`) and the type defined.
fn concepts<'v>(
    list: Option<&'v Value>,
    at: &str,
    defined: &[(&str, &'v str)],
    found: &mut Vec<(String, &'v str, &'v str, &'v str)>,
) {
    for (i, concept) in list
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let Some(concept) = concept.as_object() else {
            continue;
        };
        let here = format!("{at}/{i}");
        let properties = concept.get("property").and_then(Value::as_array);
        for (j, property) in properties.into_iter().flatten().enumerate() {
            if let Some(p) = property.as_object() {
                if let Some((member, code, ty)) = mistyped(p, defined) {
                    found.push((format!("{here}/property/{j}/{member}"), code, member, ty));
                }
            }
        }
        concepts(
            concept.get("concept"),
            &format!("{here}/concept"),
            defined,
            found,
        );
    }
}

/// The value member of a concept's property (`valueBoolean`: the type given), its code and
/// the type defined, when the two types differ.
fn mistyped<'v>(
    property: &'v Map,
    defined: &[(&str, &'v str)],
) -> Option<(&'v str, &'v str, &'v str)> {
    let code = property.get("code").and_then(Value::as_str)?;
    let ty = defined.iter().find(|(c, _)| *c == code)?.1;
    let member = property.keys().find(|k| k.starts_with("value"))?;
    let given = member.strip_prefix("value")?;
    // `valueDateTime` holds a dateTime, `valueCoding` a Coding: the type's name with its first
    // letter upper-case.
    let mut chars = ty.chars();
    let same = chars.next().is_some_and(|first| {
        given.starts_with(first.to_ascii_uppercase()) && given.get(1..) == Some(chars.as_str())
    });
    (!same).then_some((member, code, ty))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, issues};
    use serde_json::json;

    fn code_system(concept: serde_json::Value) -> serde_json::Value {
        json!({"resourceType": "CodeSystem", "url": "http://example.org/cs", "status": "active",
            "content": "complete",
            "property": [{"code": "notSelectable", "type": "dateTime"},
                         {"code": "rank", "type": "decimal"},
                         {"code": "parent", "type": "code"},
                         {"code": "translation", "type": "Coding"}],
            "concept": concept})
    }

    #[test]
    fn fails_on_values_of_another_type_at_any_depth() {
        let concepts = json!([{"code": "a", "property": [
            {"code": "notSelectable", "valueBoolean": false},
            {"code": "rank", "valueInteger": 12}
        ], "concept": [{"code": "b", "property": [{"code": "parent", "valueString": "a"}]}]}]);
        let path = |p: &str| ("codesystem-property-type", p.to_string());
        assert_eq!(
            issues(code_system(concepts)),
            vec![
                path("/concept/0/property/0/valueBoolean"),
                path("/concept/0/property/1/valueInteger"),
                path("/concept/0/concept/0/property/0/valueString"),
            ]
        );
    }

    #[test]
    fn passes_values_of_the_defined_types_and_undefined_properties() {
        assert_clean(code_system(json!([{"code": "a", "property": [
            {"code": "notSelectable", "valueDateTime": "2020-01-01"},
            {"code": "rank", "valueDecimal": 12.5},
            {"code": "translation", "valueCoding": {"system": "http://loinc.org", "code": "1-8"}},
            {"code": "other", "valueInteger": 3}
        ], "concept": [{"code": "b", "property": [{"code": "parent", "valueCode": "a"}]}]}])));
    }
}
