//! # profile-type
//!
//! **What it checks**: where a profile the record claims (`meta.profile`, loaded with `--ig`
//! or the `ig` option) narrows the types a choice element may take (US Core's
//! `Observation.effective[x]` as a dateTime or a Period only), the record gives the element
//! as one of them. The issue names the profile, the element and the types it allows.
//!
//! **Why it matters**: a receiver built on the profile reads only the types it allows: an
//! effective time given as an Instant or a Timing is not read at all, and the record looks
//! undated.
//!
//! **Example**: fails: a Patient claiming a profile that allows `deceased[x]` as a boolean
//! only, with `"deceasedDateTime": "2020-01-01"` (at `/deceasedDateTime`); passes: the same
//! with `"deceasedBoolean": true`.
//!
//! **Authority**: FHIR R4 profiling, restricting the types of a choice
//! (http://hl7.org/fhir/R4/profiling.html#types); the Implementation Guide that defines the
//! profile.

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
    code: "profile-type",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "A choice element of a type a claimed profile does not allow",
};

/// `suffix`: the element's pointer below the resource (`/deceasedDateTime`).
#[cfg(feature = "ig")]
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    profile: &Profile,
    constraint: &Constraint,
) -> crate::report::Issue {
    let found = suffix
        .rsplit('/')
        .next()
        .and_then(|key| key.get(constraint.name.len()..))
        .unwrap_or_default();
    let text = text!(
        "profile-type",
        profile = profile.title,
        path = constraint.path,
        types = constraint.types.join(", "),
        found
    );
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{ig_patient_profile, issues_with, test_patient};
    use serde_json::json;

    fn patient(fields: serde_json::Value) -> serde_json::Value {
        let mut fields = fields;
        fields["identifier"] = json!([{"system": "http://example.org/mrn", "value": "1"}]);
        // The test profile's test-1: a deceased patient has a gender.
        fields["gender"] = json!("male");
        test_patient(fields)
    }

    #[test]
    fn fails_on_a_type_the_profile_does_not_allow() {
        let found = issues_with(
            ig_patient_profile(),
            patient(json!({"deceasedDateTime": "2020-01-01"})),
        );
        assert_eq!(found, [("profile-type", "/deceasedDateTime".to_string())]);
    }

    #[test]
    fn passes_on_a_type_it_allows() {
        let found = issues_with(
            ig_patient_profile(),
            patient(json!({"deceasedBoolean": true})),
        );
        assert_eq!(found, []);
    }
}
