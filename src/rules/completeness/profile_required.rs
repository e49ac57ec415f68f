//! # profile-required
//!
//! **What it checks**: every element the validator's profile requires is present. The default
//! profile, modelled on US Core 5.0.1, asks for a Patient's identifier (with its value), name
//! and gender, a Practitioner's identifier and family name, an Encounter's type and subject, a
//! Condition's category, code and subject, an Observation's category, code, subject and
//! effective date, a Procedure's code and subject, a MedicationRequest's requester and an
//! AllergyIntolerance's code. A vendor's profile (`Options.profile`) adds or relaxes these
//! (docs/profiles.md). A record that claims an Implementation Guide's profile in
//! `meta.profile` (loaded with `--ig` or the `ig` option) must also have every element that
//! profile requires, in each occurrence of the element above it: missing, it is an error
//! naming the profile ("US Core Patient Profile needs at least one identifier
//! (Patient.identifier, 1..*)"), and the validator's own profile does not report the same
//! element again.
//!
//! **Why it matters**: a record that is valid FHIR can still be useless downstream: an
//! Observation with no subject belongs to nobody, a Patient with no identifier cannot be
//! matched, and US exchange (US Core, USCDI) refuses both.
//!
//! **Example**: fails: `{"resourceType": "Patient", "name": [{"family": "Chalmers"}], "gender":
//! "male"}` (no identifier); passes: the same with `"identifier": [{"system":
//! "http://hospital.example.org/mrn", "value": "12345"}]`.
//!
//! **Authority**: HL7 US Core Implementation Guide 5.0.1 (minimum cardinalities of the US Core
//! Patient, Practitioner, Encounter, Condition, Observation, Procedure, MedicationRequest and
//! AllergyIntolerance profiles), http://hl7.org/fhir/us/core/STU5.0.1/. The default profile
//! makes these warnings, as a record that is valid FHIR must never get an error from a profile
//! the user did not choose; a vendor's profile makes them errors unless it says otherwise.

#[cfg(feature = "ig")]
use crate::fhir::conformance::{Constraint, Profile};
use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "profile-required",
    category: Category::Completeness,
    severity: Severity::Error,
    issue_type: "required",
    title: "An element the profile requires is missing",
};

/// `suffix`: where the element belongs (`/identifier`, `/name/0/family`, `/effective[x]`).
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    resource_type: &str,
    suffix: &str,
    element: &str,
    profile: &str,
    severity: Severity,
) -> Issue {
    let text = text!("profile-required", resource_type, element, profile);
    let mut issue = RULE.issue(location, suffix, messages, text);
    issue.severity = severity;
    issue
}

/// A required element that a profile the record claims (`meta.profile`, an Implementation
/// Guide loaded with `--ig` or the `ig` option) finds missing, or too few of: an error, as the
/// record says it meets the profile. `suffix`: where the element belongs.
#[cfg(feature = "ig")]
pub(crate) fn ig_issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    profile: &Profile,
    constraint: &Constraint,
    count: usize,
) -> Issue {
    let (profile, element, path) = (&profile.title, &constraint.name, &constraint.path);
    let cardinality = constraint.cardinality();
    let min = constraint.min;
    let text = match (&constraint.slice_name, min) {
        (Some(slice), 1) => text!(
            "profile-required.slice",
            profile,
            element,
            slice,
            path,
            cardinality
        ),
        (Some(slice), _) => text!(
            "profile-required.slice-count",
            profile,
            element,
            slice,
            path,
            cardinality,
            min,
            count
        ),
        (None, 1) => text!("profile-required.ig", profile, element, path, cardinality),
        (None, _) => text!(
            "profile-required.ig-count",
            profile,
            element,
            path,
            cardinality,
            min,
            count
        ),
    };
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_one_with, default_profile, issues_with};
    use serde_json::json;

    #[test]
    fn fails_on_patient_without_identifier() {
        assert_one_with(
            default_profile(),
            json!({"resourceType": "Patient", "name": [{"family": "Chalmers"}], "gender": "male",
                   "birthDate": "1974-12-25", "telecom": [{"system": "phone", "value": "555 0100"}],
                   "address": [{"city": "Boston"}]}),
            "profile-required",
            "/identifier",
        );
    }

    #[test]
    fn fails_on_nested_element_in_each_instance() {
        let found = issues_with(
            default_profile(),
            json!({"resourceType": "Practitioner", "identifier": [{"value": "1"}],
                   "name": [{"family": "Smith"}, {"given": ["Ann"]}]}),
        );
        assert_eq!(
            found,
            vec![("profile-required", "/name/1/family".to_string())]
        );
    }

    #[test]
    fn fails_on_choice_element_with_x_path() {
        assert_one_with(
            default_profile(),
            json!({"resourceType": "Observation", "status": "final",
                   "category": [{"text": "Laboratory"}], "code": {"text": "Glucose"},
                   "subject": {"reference": "Patient/1"}, "valueString": "normal"}),
            "profile-required",
            "/effective[x]",
        );
    }

    #[test]
    fn fails_on_an_element_a_claimed_profile_requires() {
        use crate::rules::testing::{ig_patient_profile, test_patient};
        let found = issues_with(
            ig_patient_profile(),
            test_patient(json!({"name": [{"family": "Chalmers"}]})),
        );
        assert_eq!(found, vec![("profile-required", "/identifier".to_string())]);
        let found = issues_with(
            ig_patient_profile(),
            test_patient(
                json!({"identifier": [{"system": "http://example.org/mrn", "value": "1"}]}),
            ),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    /// Test Patient Strict requires a telecom of its `phone` slice and the `birthsex`
    /// extension, whose definition requires a value.
    #[test]
    fn fails_on_a_missing_slice_and_in_an_extension_by_its_definition() {
        use crate::rules::testing::{ig_patient_profile, test_patient};
        let strict = |fields: serde_json::Value| {
            let mut record = test_patient(fields);
            record["meta"]["profile"] =
                json!(["http://example.org/fhir/StructureDefinition/test-patient-strict"]);
            record["identifier"] = json!([{"system": "http://example.org/mrn", "value": "1"}]);
            record
        };
        let birthsex = "http://example.org/fhir/StructureDefinition/test-birthsex";
        let found = issues_with(
            ig_patient_profile(),
            strict(
                json!({"telecom": [{"system": "email", "value": "a@example.org"}],
                          "extension": [{"url": birthsex, "valueCode": "F"}]}),
            ),
        );
        assert_eq!(found, [("profile-required", "/telecom".to_string())]);
        let found = issues_with(
            ig_patient_profile(),
            strict(json!({"telecom": [{"system": "phone", "value": "555 0100"}]})),
        );
        assert_eq!(found, [("profile-required", "/extension".to_string())]);
        let found = issues_with(
            ig_patient_profile(),
            strict(
                json!({"telecom": [{"system": "phone", "value": "555 0100"}],
                          "extension": [{"url": birthsex, "extension": [{"url": "a", "valueCode": "F"}]}]}),
            ),
        );
        assert_eq!(
            found,
            [("profile-required", "/extension/0/value[x]".to_string())]
        );
        let found = issues_with(
            ig_patient_profile(),
            strict(
                json!({"telecom": [{"system": "phone", "value": "555 0100"}],
                          "extension": [{"url": birthsex, "valueCode": "F"}]}),
            ),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn passes_complete_patient() {
        let found = issues_with(
            default_profile(),
            json!({"resourceType": "Patient",
                   "identifier": [{"system": "http://hospital.example.org/mrn", "value": "12345"}],
                   "name": [{"family": "Chalmers"}], "gender": "male", "birthDate": "1974-12-25",
                   "telecom": [{"system": "phone", "value": "555 0100"}],
                   "address": [{"city": "Boston"}]}),
        );
        assert!(found.is_empty(), "{found:?}");
    }

    #[test]
    fn an_element_absent_with_a_reason_counts_as_present() {
        let found = issues_with(
            default_profile(),
            json!({"resourceType": "Patient",
                   "identifier": [{"system": "http://hospital.example.org/mrn", "value": "12345"}],
                   "name": [{"family": "Chalmers"}],
                   "_gender": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "asked-declined"}]},
                   "birthDate": "1974-12-25",
                   "telecom": [{"system": "phone", "value": "555 0100"}],
                   "address": [{"city": "Boston"}]}),
        );
        // Present for completeness; but gender's binding is required, so a code is still due
        // (US Core: the value set's `unknown`), which is the structure rule code-missing.
        assert_eq!(found, [("code-missing", "/_gender".to_string())]);
    }
}
