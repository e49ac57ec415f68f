//! # empty-element
//!
//! **What it checks**: no element is an empty object `{}` and no repeating element an empty
//! list `[]`.
//!
//! **Why it matters**: an empty element claims data that is not there; FHIR forbids it, and
//! receiving systems reject the record or misread it.
//!
//! **Example**: fails: `{"resourceType": "Patient", "name": []}`; passes:
//! `{"resourceType": "Patient"}`.
//!
//! **Authority**: FHIR R4 invariant ele-1 "All FHIR elements must have a @value or children";
//! JSON representation: arrays are never empty (http://hl7.org/fhir/R4/json.html).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{element_name, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "empty-element",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "An empty object or empty list",
};

pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    is_list: bool,
) -> Issue {
    let name = element_name(suffix);
    let text = if is_list {
        text!("empty-element.list", name)
    } else {
        text!("empty-element", name)
    };
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    #[test]
    fn fails_on_empty_list_and_object() {
        assert_one(
            json!({"resourceType": "Patient", "name": []}),
            "empty-element",
            "/name",
        );
        assert_one(
            json!({"resourceType": "Patient", "maritalStatus": {}}),
            "empty-element",
            "/maritalStatus",
        );
    }

    #[test]
    fn passes_filled_elements() {
        assert_clean(json!({"resourceType": "Patient", "maritalStatus": {"text": "married"}}));
    }
}
