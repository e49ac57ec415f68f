//! # resource-type-missing
//!
//! **What it checks**: every resource, including those inside a Bundle entry or `contained`,
//! says what it is with a `resourceType` string.
//!
//! **Why it matters**: without it no system can tell a Patient from an Observation; the
//! resource cannot be read at all.
//!
//! **Example**: fails: a Bundle entry `{"resource": {"id": "1"}}`; passes:
//! `{"resource": {"resourceType": "Patient", "id": "1"}}`.
//!
//! **Authority**: FHIR R4 JSON representation, "Resources" (http://hl7.org/fhir/R4/json.html#resources).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "resource-type-missing",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "required",
    title: "A resource without a resourceType",
};

pub(crate) fn issue(location: &Location, messages: &Catalogue) -> Issue {
    RULE.issue(
        location,
        "/resourceType",
        messages,
        text!("resource-type-missing"),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    #[test]
    fn fails_on_nested_resource_without_type() {
        assert_one(
            json!({"resourceType": "Patient", "contained": [{"id": "p1"}],
                   "generalPractitioner": [{"reference": "#p1"}]}),
            "resource-type-missing",
            "/contained/0/resourceType",
        );
    }

    #[test]
    fn passes_typed_nested_resource() {
        assert_clean(
            json!({"resourceType": "Patient", "contained": [{"resourceType": "Practitioner", "id": "p1"}],
                   "generalPractitioner": [{"reference": "#p1"}]}),
        );
    }
}
