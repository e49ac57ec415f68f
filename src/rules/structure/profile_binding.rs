//! # profile-binding
//!
//! **What it checks**: where a profile the record claims (`meta.profile`, loaded with `--ig`
//! or the `ig` option) binds an element to a value set that can be enumerated (its codes are
//! listed in the guide, in HL7's terminology package when it is loaded too, or in FHIR R4),
//! the element's code comes from it. A required binding: one of the element's codes is in
//! the value set (an error). An extensible or preferred binding: a code from the value set's
//! own code system that is not in the value set is suspect (a warning; information for
//! preferred); a code from another code system is allowed. A value set that cannot be
//! enumerated (SNOMED CT, LOINC or VSAC content, a filter) is not checked, and an element
//! with text only is not judged.
//!
//! **Why it matters**: a binding is how a profile says what a code means: a Condition's
//! category from US Core's problem-or-health-concern codes is how a receiver finds the
//! problem list. A code outside the value set is not understood, or is understood wrongly.
//!
//! **Example**: fails: a Patient claiming a profile whose `gender` is bound (required) to a
//! value set of `female` and `male` only, with `"gender": "other"` (at `/gender`); passes:
//! the same with `"gender": "female"`.
//!
//! **Authority**: FHIR R4 terminology binding strengths
//! (http://hl7.org/fhir/R4/terminologies.html#strength); the Implementation Guide that
//! defines the profile.

#[cfg(feature = "ig")]
use crate::fhir::{
    conformance::{Binding, Constraint, Profile, Strength},
    path::Location,
};
#[cfg(feature = "ig")]
use crate::messages::{text, Catalogue};
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "profile-binding",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "A code outside the value set a claimed profile binds",
};

/// `found`: the code named (`system|code`).
#[cfg(feature = "ig")]
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    profile: &Profile,
    constraint: &Constraint,
    binding: &Binding,
    found: &str,
) -> crate::report::Issue {
    let (profile, path) = (&profile.title, &constraint.path);
    let valueset = &binding.set.name;
    let found = crate::rules::excerpt(found);
    let (key, severity) = match binding.strength {
        Strength::Required => ("profile-binding", Severity::Error),
        Strength::Extensible => ("profile-binding.extensible", Severity::Warning),
        Strength::Preferred => ("profile-binding.extensible", Severity::Information),
    };
    let text = match key {
        "profile-binding" => text!("profile-binding", profile, path, valueset, found),
        _ => text!("profile-binding.extensible", profile, path, valueset, found),
    };
    let mut issue = RULE.issue(location, suffix, messages, text);
    issue.severity = severity;
    issue
}

#[cfg(test)]
mod tests {
    use crate::report::Severity;
    use crate::rules::testing::{ig_patient_profile, issues_with, report_with, test_patient};
    use serde_json::json;

    fn patient(fields: serde_json::Value) -> serde_json::Value {
        let mut fields = fields;
        fields["identifier"] = json!([{"system": "http://example.org/mrn", "value": "1"}]);
        test_patient(fields)
    }

    #[test]
    fn fails_on_a_code_outside_a_required_binding() {
        let found = issues_with(ig_patient_profile(), patient(json!({"gender": "other"})));
        assert_eq!(found, [("profile-binding", "/gender".to_string())]);
    }

    #[test]
    fn passes_on_a_code_inside_it() {
        let found = issues_with(ig_patient_profile(), patient(json!({"gender": "female"})));
        assert_eq!(found, []);
    }

    /// The marital status binding is extensible: a code of the value set's own code system
    /// that is not in it is suspect; one from another code system is not.
    #[test]
    fn an_extensible_binding_questions_only_its_own_code_system() {
        let status = |system: &str, code: &str| {
            patient(json!({"maritalStatus": {"coding": [{"system": system, "code": code}]}}))
        };
        let v3 = "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus";
        let report = report_with(ig_patient_profile(), status(v3, "P"));
        let found: Vec<_> = report
            .issues
            .iter()
            .map(|i| (i.code, i.path.as_str(), i.severity))
            .collect();
        assert_eq!(
            found,
            [("profile-binding", "/maritalStatus", Severity::Warning)]
        );
        let found = issues_with(ig_patient_profile(), status(v3, "M"));
        assert_eq!(found, []);
        let found = issues_with(
            ig_patient_profile(),
            status("http://example.org/local", "P"),
        );
        assert_eq!(found, []);
    }
}
