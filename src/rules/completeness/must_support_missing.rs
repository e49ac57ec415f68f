//! # must-support-missing
//!
//! **What it checks**: the elements the validator's profile marks must-support are filled when
//! the record is saved. The default profile, modelled on US Core 5.0.1, asks for a Patient's
//! birth date, telecom, address and identifier system, an Encounter's period, a Condition's
//! and an AllergyIntolerance's verification status, a MedicationRequest's authored date and
//! dosage, and an Immunization's primary source. A missing one is a warning, never an error.
//!
//! **Why it matters**: must-support elements are the ones a receiving system relies on when
//! they are known (a birth date for every age-based check, a period for length of stay); an
//! empty one is often an oversight a clinician can fix at once while the chart is open.
//!
//! **Example**: fails: a Patient with identifier, name and gender but no `birthDate` (warning
//! at `/birthDate`); passes: the same with `"birthDate": "1974-12-25"`, or with a `_birthDate`
//! carrying a data-absent-reason extension.
//!
//! **Authority**: HL7 US Core Implementation Guide 5.0.1, Must Support
//! (http://hl7.org/fhir/us/core/STU5.0.1/conformance-expectations.html#must-support), and
//! FHIR R4 ElementDefinition.mustSupport.

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "must-support-missing",
    category: Category::Completeness,
    severity: Severity::Warning,
    issue_type: "incomplete",
    title: "A must-support element of the profile is empty",
};

pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    resource_type: &str,
    suffix: &str,
    element: &str,
    profile: &str,
) -> Issue {
    let text = text!("must-support-missing", resource_type, element, profile);
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_one_with, default_profile, issues_with};
    use serde_json::json;

    fn patient() -> serde_json::Value {
        json!({"resourceType": "Patient",
               "identifier": [{"system": "http://hospital.example.org/mrn", "value": "12345"}],
               "name": [{"family": "Chalmers"}], "gender": "male", "birthDate": "1974-12-25",
               "telecom": [{"system": "phone", "value": "555 0100"}],
               "address": [{"city": "Boston"}]})
    }

    #[test]
    fn fails_on_patient_without_birth_date() {
        let mut p = patient();
        p.as_object_mut().unwrap().remove("birthDate");
        assert_one_with(default_profile(), p, "must-support-missing", "/birthDate");
    }

    #[test]
    fn is_a_warning() {
        let mut p = patient();
        p.as_object_mut().unwrap().remove("birthDate");
        let r = default_profile().validate(&p, &crate::engine::context::Context::default());
        assert!(r.valid);
        assert_eq!(r.issues[0].severity, crate::Severity::Warning);
    }

    #[test]
    fn passes_complete_patient() {
        assert!(issues_with(default_profile(), patient()).is_empty());
    }
}
