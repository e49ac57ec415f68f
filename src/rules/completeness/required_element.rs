//! # required-element
//!
//! **What it checks**: every element FHIR R4 makes mandatory (minimum cardinality 1) is
//! present: `Observation.status` and `code`, `Encounter.status` and `class`,
//! `MedicationRequest.status`, `intent` and `subject`, `Bundle.type`, `Extension.url`, ...
//!
//! **Why it matters**: without `Observation.status` nobody can tell a preliminary result from
//! a final or cancelled one; a record missing a mandatory element is not a valid FHIR record
//! and will be refused on exchange. HL7's own JSON schema does not catch these.
//!
//! **Example**: fails: `{"resourceType": "Observation", "code": {"text": "Heart rate"}}`;
//! passes: `{"resourceType": "Observation", "status": "final", "code": {"text": "Heart rate"}}`.
//!
//! **Authority**: FHIR R4 StructureDefinitions, `ElementDefinition.min` = 1 (for example
//! http://hl7.org/fhir/R4/observation-definitions.html#Observation.status).

use crate::fhir::path::{self, Location};
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "required-element",
    category: Category::Completeness,
    severity: Severity::Error,
    issue_type: "required",
    title: "A mandatory element (minimum cardinality 1) is missing",
};

/// The issue sits where the missing element belongs (`/status`), so a form can mark that field.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    object: &str,
    owner: &str,
    element: &str,
) -> Issue {
    RULE.issue(
        location,
        &path::join(object, element),
        messages,
        text!("required-element", owner, element),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    #[test]
    fn fails_on_observation_without_status() {
        assert_one(
            json!({"resourceType": "Observation", "code": {"text": "Heart rate"}}),
            "required-element",
            "/status",
        );
        let r = report(json!({"resourceType": "Observation", "code": {"text": "Heart rate"}}));
        assert_eq!(r.issues[0].expression, "Observation.status");
    }

    #[test]
    fn fails_on_encounter_without_class() {
        assert_one(
            json!({"resourceType": "Encounter", "status": "finished"}),
            "required-element",
            "/class",
        );
    }

    #[test]
    fn fails_inside_elements() {
        assert_one(
            json!({"resourceType": "Patient", "extension": [{"valueString": "x"}]}),
            "required-element",
            "/extension/0/url",
        );
    }

    #[test]
    fn passes_complete_record() {
        assert_clean(
            json!({"resourceType": "Observation", "status": "final", "code": {"text": "Heart rate"}}),
        );
    }
}
