//! # profile-unknown
//!
//! **What it checks**: every profile a record claims in `meta.profile` is loaded (with `--ig`
//! or the `ig` option), so that the record is checked against it. One that is not gets this
//! issue, as information, never an error: the record is still checked against FHIR R4 and the
//! validator's completeness profile. So does one that is loaded without the profile it builds
//! on (its `baseDefinition`), naming that one.
//!
//! **Why it matters**: a record that claims US Core and is checked against FHIR R4 alone can
//! pass here and be refused by the receiver that checks the profile. Saying so lets the user
//! load the guide instead of trusting a partial check.
//!
//! **Example**: reported: a Patient with `"meta": {"profile":
//! ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient"]}` and no guide loaded
//! (at `/meta/profile/0`); not reported: the same with US Core loaded.
//!
//! **Authority**: FHIR R4 Meta.profile (http://hl7.org/fhir/R4/resource-definitions.html#Meta.profile).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "profile-unknown",
    category: Category::Structure,
    severity: Severity::Information,
    issue_type: "not-found",
    title: "A profile the record claims that is not loaded",
};

/// `missing_base`: for a profile loaded without the profile it builds on, that one.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    canonical: &str,
    missing_base: Option<&str>,
) -> Issue {
    let text = match missing_base {
        Some(base) => text!("profile-unknown.base", canonical, base),
        None => text!("profile-unknown", canonical),
    };
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{ig_patient_profile, issues_with, test_patient};
    use serde_json::json;

    #[test]
    fn reports_a_profile_not_loaded() {
        let found = issues_with(
            ig_patient_profile(),
            json!({"resourceType": "Patient", "meta": {"profile": [
                "http://example.org/fhir/StructureDefinition/test-patient|1.0.0",
                "http://example.org/fhir/StructureDefinition/elsewhere"]},
                   "identifier": [{"system": "http://example.org/mrn", "value": "1"}]}),
        );
        assert_eq!(found, [("profile-unknown", "/meta/profile/1".to_string())]);
    }

    #[test]
    fn passes_a_loaded_profile() {
        let found = issues_with(
            ig_patient_profile(),
            test_patient(
                json!({"identifier": [{"system": "http://example.org/mrn", "value": "1"}]}),
            ),
        );
        assert_eq!(found, []);
    }
}
