//! # extension-context
//!
//! **What it checks**: an extension defined by FHIR R4 is used only on the elements its
//! definition names as its context: `humanname-mothers-family` on a HumanName's `family`,
//! `patient-birthPlace` on a Patient, `data-absent-reason` anywhere. A context matches the
//! element's path from the resource (`Patient.name`) or from any datatype on the way
//! (`HumanName.family`), also through base types (`Quantity` for an Age; `DomainResource` for
//! every resource but Bundle, Binary and Parameters), as HL7's reference validator matches
//! them.
//!
//! **Why it matters**: an extension in the wrong place is not where receivers look for it
//! (the mother's family name on the whole name rather than on `family`), or means something
//! its definition never said.
//!
//! **Example**: fails: `humanname-mothers-family` in `Patient.name[0].extension`; passes: the
//! same extension in `Patient.name[0]._family.extension`.
//!
//! **Authority**: the extension's StructureDefinition, `context` (http://hl7.org/fhir/R4/extensibility.html#context);
//! the reference validator's "The extension ... is not allowed to be used at this point"
//! (fhir-test-cases `maiden-name-extension`).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{excerpt, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "extension-context",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "An extension used on an element its definition does not allow",
};

/// At the extension; `holder` the element's path from the resource (`Patient.name`).
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    url: &str,
    holder: &str,
    allowed: &[&str],
) -> Issue {
    let text = text!(
        "extension-context",
        url = excerpt(url),
        holder,
        allowed = allowed.join(", ")
    );
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    const MOTHERS: &str = "http://hl7.org/fhir/StructureDefinition/humanname-mothers-family";

    #[test]
    fn fails_on_the_wrong_element() {
        // fhir-test-cases maiden-name.json
        assert_one(
            json!({"resourceType": "Patient", "name": [{"family": "Family", "given": ["Names"],
                "extension": [{"url": MOTHERS, "valueString": "Mothers family"}]}]}),
            "extension-context",
            "/name/0/extension/0",
        );
        assert_one(
            json!({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
                "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
                               "valueAddress": {"city": "Oslo"}}]}),
            "extension-context",
            "/extension/0",
        );
    }

    #[test]
    fn passes_its_own_elements_and_their_base_types() {
        assert_clean(
            json!({"resourceType": "Patient", "name": [{"family": "Family",
            "_family": {"extension": [{"url": MOTHERS, "valueString": "Mothers family"}]}}]}),
        );
        // Context Element: anywhere.
        assert_clean(
            json!({"resourceType": "Patient", "_birthDate": {"extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"}]}}),
        );
        // Context DomainResource... through Patient's base types; a contained resource too.
        assert_clean(json!({"resourceType": "Patient", "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
             "valueAddress": {"city": "Oslo"}}],
            "contained": [{"resourceType": "Patient", "id": "p", "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
                 "valueAddress": {"city": "Oslo"}}]}],
            "link": [{"other": {"reference": "#p"}, "type": "seealso"}]}));
        // Through a contentReference: Questionnaire.item.item is a Questionnaire.item.
        assert_clean(
            json!({"resourceType": "Questionnaire", "status": "draft", "item": [
            {"linkId": "1", "type": "group", "item": [{"linkId": "1.1", "type": "string", "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/minLength", "valueInteger": 2}]}]}]}),
        );
    }
}
