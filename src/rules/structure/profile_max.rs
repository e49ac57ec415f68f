//! # profile-max
//!
//! **What it checks**: an element occurs no more often than a profile the record claims
//! (`meta.profile`, loaded with `--ig` or the `ig` option) allows, where the profile lowers
//! FHIR R4's maximum: a US Core profile that allows one `Patient.birthDate`... The issue names
//! the profile, the element and its cardinality. FHIR R4's own maxima are the structure
//! walk's (`wrong-type` for a list where one value goes).
//!
//! **Why it matters**: a record that claims a profile is sent to systems that rely on it;
//! one that breaks it is rejected by a receiver that validates, or read wrongly by one that
//! takes the first of two values the profile says cannot both be there.
//!
//! **Example**: fails: a Patient claiming a profile that allows one `name` (`0..1`), with two
//! names (at `/name`); passes: the same with one.
//!
//! **Authority**: FHIR R4 profiling, cardinality (http://hl7.org/fhir/R4/profiling.html#cardinality);
//! the Implementation Guide that defines the profile.

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
    code: "profile-max",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "More occurrences of an element than a claimed profile allows",
};

/// `suffix`: the element's pointer below the resource.
#[cfg(feature = "ig")]
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    profile: &Profile,
    constraint: &Constraint,
    count: usize,
) -> crate::report::Issue {
    let (profile, element, path) = (&profile.title, &constraint.name, &constraint.path);
    let cardinality = constraint.cardinality();
    let max = constraint.max.unwrap_or_default();
    let text = match &constraint.slice_name {
        Some(slice) => text!(
            "profile-max.slice",
            profile,
            element,
            slice,
            path,
            cardinality,
            count,
            max
        ),
        None => text!(
            "profile-max",
            profile,
            element,
            path,
            cardinality,
            count,
            max
        ),
    };
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{ig_patient_profile, issues_with, test_patient};
    use serde_json::json;

    #[test]
    fn fails_on_more_than_the_profile_allows() {
        let found = issues_with(
            ig_patient_profile(),
            test_patient(
                json!({"identifier": [{"system": "http://example.org/mrn", "value": "1"}],
                   "name": [{"family": "Chalmers"}, {"family": "Chalmers-Smith"}]}),
            ),
        );
        assert_eq!(found, [("profile-max", "/name".to_string())]);
    }

    #[test]
    fn fails_on_more_of_a_slice_than_it_allows() {
        let found = issues_with(
            ig_patient_profile(),
            test_patient(
                json!({"identifier": [{"system": "http://example.org/mrn", "value": "1"}],
                   "telecom": [{"system": "phone", "value": "555 0100"},
                               {"system": "phone", "value": "555 0101"}]}),
            ),
        );
        assert_eq!(found, [("profile-max", "/telecom".to_string())]);
    }

    #[test]
    fn passes_within_the_profile() {
        let found = issues_with(
            ig_patient_profile(),
            test_patient(
                json!({"identifier": [{"system": "http://example.org/mrn", "value": "1"}],
                   "name": [{"family": "Chalmers"}]}),
            ),
        );
        assert_eq!(found, []);
    }
}
