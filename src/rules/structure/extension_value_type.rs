//! # extension-value-type
//!
//! **What it checks**: an extension defined by FHIR R4 holds what its definition allows: a
//! value of one of its types (`patient-birthPlace` takes an Address, `patient-birthTime` a
//! dateTime), or, for a complex extension (`patient-nationality`), sub-extensions and no value.
//! Sub-extensions are checked the same way.
//!
//! **Why it matters**: a system that reads `patient-birthPlace` expects an Address; a
//! `valueString` there is dropped or breaks the reader, and the data is lost.
//!
//! **Example**: fails: `{"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
//! "valueString": "Oslo"}`; passes: the same with `"valueAddress": {"city": "Oslo"}`.
//!
//! **Authority**: the extension's StructureDefinition, `Extension.value[x]` types
//! (http://hl7.org/fhir/R4/extensibility.html); the reference validator's "The Extension ...
//! definition allows for the types [...] but found type ...".

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{excerpt, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "extension-value-type",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "An extension holding a value its definition does not allow",
};

/// At the value (`/extension/0/valueString`), or at the extension when it holds sub-extensions
/// where a value belongs (`found` None). `allowed` empty: a complex extension.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    url: &str,
    found: Option<&str>,
    allowed: &[&str],
) -> Issue {
    let url = excerpt(url);
    let types = allowed.join(", ");
    let text = match found {
        Some(found) if allowed.is_empty() => text!("extension-value-type.complex", url, found),
        Some(found) => text!("extension-value-type", url, found, types),
        None => text!("extension-value-type.missing", url, types),
    };
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn patient(extension: serde_json::Value) -> serde_json::Value {
        json!({"resourceType": "Patient", "extension": [extension]})
    }

    const BIRTH_PLACE: &str = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace";
    const NATIONALITY: &str = "http://hl7.org/fhir/StructureDefinition/patient-nationality";

    #[test]
    fn fails_on_a_value_of_another_type() {
        assert_one(
            patient(json!({"url": BIRTH_PLACE, "valueString": "Oslo"})),
            "extension-value-type",
            "/extension/0/valueString",
        );
    }

    #[test]
    fn fails_on_a_value_in_a_complex_extension() {
        assert_one(
            patient(json!({"url": NATIONALITY, "valueCode": "NO"})),
            "extension-value-type",
            "/extension/0/valueCode",
        );
    }

    #[test]
    fn fails_on_a_sub_extension_value_of_another_type() {
        assert_one(
            patient(json!({"url": NATIONALITY, "extension": [
                {"url": "code", "valueCode": "NO"}]})),
            "extension-value-type",
            "/extension/0/extension/0/valueCode",
        );
    }

    #[test]
    fn fails_on_sub_extensions_where_a_value_belongs() {
        assert_one(
            patient(json!({"url": BIRTH_PLACE, "extension": [
                {"url": "city", "valueString": "Oslo"}]})),
            "extension-value-type",
            "/extension/0",
        );
    }

    #[test]
    fn passes_the_types_its_definition_allows() {
        assert_clean(patient(
            json!({"url": BIRTH_PLACE, "valueAddress": {"city": "Oslo"}}),
        ));
        assert_clean(patient(json!({"url": NATIONALITY, "extension": [
            {"url": "code", "valueCodeableConcept": {"text": "Norwegian"}},
            {"url": "period", "valuePeriod": {"start": "2001"}}]})));
    }
}
