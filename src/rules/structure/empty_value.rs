//! # empty-value
//!
//! **What it checks**: no primitive value is an empty string.
//!
//! **Why it matters**: FHIR has no empty values: an element is present with content or absent.
//! Forms that send `""` for a field left blank create records that other systems reject.
//!
//! **Example**: fails: `{"resourceType": "Patient", "name": [{"family": ""}]}`; passes:
//! `{"resourceType": "Patient", "name": [{"family": "Chalmers"}]}` (or no `family` at all).
//!
//! **Authority**: FHIR R4 JSON representation (http://hl7.org/fhir/R4/json.html): "empty
//! values are not allowed"; the `string` type's regular expression `[ \r\n\t\S]+`.

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{element_name, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "empty-value",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "value",
    title: "An empty string where FHIR requires content or absence",
};

pub(crate) fn issue(location: &Location, messages: &Catalogue, suffix: &str) -> Issue {
    let name = element_name(suffix);
    RULE.issue(location, suffix, messages, text!("empty-value", name))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    #[test]
    fn fails_on_empty_string() {
        assert_one(
            json!({"resourceType": "Patient", "name": [{"family": ""}]}),
            "empty-value",
            "/name/0/family",
        );
        assert_one(
            json!({"resourceType": "Patient", "birthDate": ""}),
            "empty-value",
            "/birthDate",
        );
    }

    #[test]
    fn passes_filled_strings() {
        assert_clean(json!({"resourceType": "Patient", "name": [{"family": "Chalmers"}]}));
    }
}
