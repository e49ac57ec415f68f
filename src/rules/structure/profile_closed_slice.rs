//! # profile-closed-slice
//!
//! **What it checks**: where a profile the record claims (`meta.profile`, loaded with `--ig`
//! or the `ig` option) slices an element and closes the slicing (only the slices it names
//! may occur), each occurrence of the element is one of them, as the slicing's
//! discriminators tell. The issue names the profile, the element and the slices it allows.
//!
//! **Why it matters**: a closed slicing is the profile's complete list: a receiver built on
//! it has no place for anything else, and drops it or refuses the record.
//!
//! **Example**: fails: a Patient claiming a profile whose `telecom` is sliced by `system`
//! into `phone` and `email`, closed, with a fax number (at `/telecom/0`); passes: the same
//! with a phone number.
//!
//! **Authority**: FHIR R4 profiling, slicing rules
//! (http://hl7.org/fhir/R4/profiling.html#slicing); the Implementation Guide that defines
//! the profile.

#[cfg(feature = "ig")]
use crate::fhir::{
    conformance::{Constraint, Profile},
    path::Location,
};
#[cfg(feature = "ig")]
use crate::messages::{text, Catalogue};
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "profile-closed-slice",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "An occurrence that is none of the slices a claimed profile closes",
};

/// `suffix`: the occurrence's pointer below the resource (`/telecom/0`).
#[cfg(feature = "ig")]
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    profile: &Profile,
    constraint: &Constraint,
) -> crate::report::Issue {
    let slices = constraint.slicing.iter().flat_map(|s| &s.slices);
    let slices: Vec<&str> = slices.filter_map(|s| s.slice_name.as_deref()).collect();
    let text = text!(
        "profile-closed-slice",
        profile = profile.title,
        element = constraint.name,
        path = constraint.path,
        slices = slices.join(", ")
    );
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{ig_patient_profile, issues_with, test_patient};
    use serde_json::json;

    fn patient(telecom: serde_json::Value) -> serde_json::Value {
        test_patient(json!({
            "identifier": [{"system": "http://example.org/mrn", "value": "1"}],
            "telecom": telecom
        }))
    }

    #[test]
    fn fails_on_an_occurrence_of_no_slice() {
        let found = issues_with(
            ig_patient_profile(),
            patient(json!([{"system": "phone", "value": "555 0100"},
                           {"system": "fax", "value": "555 0101"}])),
        );
        assert_eq!(found, [("profile-closed-slice", "/telecom/1".to_string())]);
    }

    #[test]
    fn passes_when_each_is_a_slice() {
        let found = issues_with(
            ig_patient_profile(),
            patient(json!([{"system": "phone", "value": "555 0100"},
                           {"system": "email", "value": "a@example.org"}])),
        );
        assert_eq!(found, []);
    }
}
