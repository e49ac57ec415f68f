//! # unknown-resource-type
//!
//! **What it checks**: `resourceType` names a resource type of FHIR R4 (`Patient`,
//! `Observation`, ...).
//!
//! **Why it matters**: a record of an unknown type (`Patinet`, or an R5-only type) cannot be
//! stored or read by any R4 system.
//!
//! **Example**: fails: a Bundle entry `{"resourceType": "Patinet"}` (suggests `Patient`);
//! passes: `{"resourceType": "Patient"}`.
//!
//! **Authority**: FHIR R4 resource list (http://hl7.org/fhir/R4/resourcelist.html).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{nearest, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "unknown-resource-type",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "A resourceType that FHIR R4 does not define",
};

pub(crate) fn issue<'a>(
    location: &Location,
    messages: &Catalogue,
    name: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Issue {
    let suggestions = nearest(name, known, 3);
    let text = match suggestions.first() {
        Some(suggestion) => text!("unknown-resource-type.suggest", name, suggestion),
        None => text!("unknown-resource-type", name),
    };
    let mut issue = RULE.issue(location, "/resourceType", messages, text);
    issue.suggestions = suggestions;
    issue
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    #[test]
    fn fails_on_unknown_type() {
        assert_one(
            json!({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Patinet"}}]}),
            "unknown-resource-type",
            "/entry/0/resource/resourceType",
        );
        assert_one(
            json!({"resourceType": "Patinet"}),
            "unknown-resource-type",
            "/resourceType",
        );
    }

    #[test]
    fn passes_known_type() {
        assert_clean(
            json!({"resourceType": "Bundle", "type": "collection", "entry": [{"resource": {"resourceType": "Patient"}}]}),
        );
    }
}
