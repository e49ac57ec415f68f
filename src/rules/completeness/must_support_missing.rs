//! # must-support-missing
//!
//! **What it checks**: the elements the validator's profile marks must-support are filled when
//! the record is saved. The default profile, modelled on US Core 5.0.1, asks for a Patient's
//! birth date, telecom, address and identifier system, an Encounter's period, a Condition's
//! and an AllergyIntolerance's verification status, a MedicationRequest's authored date and
//! dosage, and an Immunization's primary source. A missing one is a warning, never an error.
//! A record that claims an Implementation Guide's profile (`meta.profile`, loaded with `--ig`
//! or the `ig` option) is also held to that profile's must-support elements, where the element
//! above each is there: an empty one is noted as information (a guide marks what a system must
//! handle when the data exists, such as both a lab's value and its data-absent reason; an
//! element whose presence an invariant decides is not noted) and counted in the completeness
//! score.
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

/// A must-support element of a profile the record claims (`meta.profile`, an Implementation
/// Guide loaded with `--ig` or the `ig` option) that is empty where the element above it is
/// there. Information, not a warning: a guide's must-support list says what a system must
/// handle when the data exists (US Core marks a lab's value and its data-absent reason both),
/// not what every record holds; the completeness score counts it. `suffix`: where it belongs.
#[cfg(feature = "ig")]
pub(crate) fn ig_issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    profile: &crate::fhir::conformance::Profile,
    constraint: &crate::fhir::conformance::Constraint,
) -> Issue {
    let (profile, element, path) = (&profile.title, &constraint.name, &constraint.path);
    let text = match &constraint.slice_name {
        Some(slice) => text!(
            "must-support-missing.ig-slice",
            profile,
            element,
            slice,
            path
        ),
        None => text!("must-support-missing.ig", profile, element, path),
    };
    let mut issue = RULE.issue(location, suffix, messages, text);
    issue.severity = Severity::Information;
    issue
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

    /// A must-support element of a claimed profile, empty where the element above it is
    /// there: noted (information) and counted in the completeness score.
    #[test]
    fn notes_an_empty_must_support_element_of_a_claimed_profile() {
        use crate::rules::testing::{ig_patient_profile, report_with, test_patient};
        let patient = |address: serde_json::Value| {
            test_patient(
                json!({"identifier": [{"system": "http://example.org/mrn", "value": "1"}],
                                "address": address}),
            )
        };
        let report = report_with(ig_patient_profile(), patient(json!([{"city": "Boston"}])));
        let found: Vec<_> = report
            .issues
            .iter()
            .map(|i| (i.code, i.path.as_str(), i.severity))
            .collect();
        assert_eq!(
            found,
            [(
                "must-support-missing",
                "/address/0/postalCode",
                crate::report::Severity::Information
            )]
        );
        assert_eq!(
            report.completeness.missing,
            ["/address/0/postalCode".to_string()]
        );
        let complete = patient(json!([{"city": "Boston", "postalCode": "02110"}]));
        let report = report_with(ig_patient_profile(), complete);
        assert!(report.issues.is_empty(), "{:?}", report.issues);
        assert_eq!(report.completeness.score, 1.0);
    }
}
