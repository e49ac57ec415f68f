//! # invalid-format
//!
//! **What it checks**: primitive values other than dates follow their FHIR type's lexical
//! rules: `id` (letters, digits, `-` and `.`, at most 64), `code` (no leading, trailing or
//! doubled spaces), `uri` (no spaces), `oid`, `uuid`, `base64Binary`, text without control
//! characters, narrative XHTML as one `<div>` with no scripts or other active content, only
//! XML's entities, and some content: text that is not white space, or an image.
//!
//! **Why it matters**: an id with an underscore or a space cannot be used in a FHIR URL, so the
//! record cannot be stored or referenced; a code with stray spaces matches nothing; a narrative
//! with `<script>` attacks whoever views the record, one with `&reg;` is not XML, and an empty
//! one shows the reader nothing where the record's summary should be.
//!
//! **Example**: fails: `{"resourceType": "Patient", "id": "bad_id 1"}`; passes:
//! `{"resourceType": "Patient", "id": "bad-id.1"}`.
//!
//! **Authority**: FHIR R4 primitive types and their regular expressions
//! (http://hl7.org/fhir/R4/datatypes.html#primitive); narrative invariants txt-1 and txt-2
//! (http://hl7.org/fhir/R4/narrative.html#xhtml).

use crate::json::Value;

use crate::fhir::path::Location;
use crate::fhir::primitives::Reason;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "invalid-format",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "value",
    title: "A primitive value that breaks its type's lexical rules",
};

/// `"1974-02-30" is not a valid date: February 1974 has 28 days.`, the reason in the same
/// locale.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    type_name: &str,
    value: &Value,
    reason: &Reason,
) -> Issue {
    let text = text!(
        "invalid-format",
        value = quote(value),
        type_name,
        reason = messages.render(reason)
    );
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    #[test]
    fn fails_on_illegal_id() {
        assert_one(
            json!({"resourceType": "Patient", "id": "bad_id 1"}),
            "invalid-format",
            "/id",
        );
        assert_one(
            json!({"resourceType": "Patient", "id": "a".repeat(65)}),
            "invalid-format",
            "/id",
        );
    }

    #[test]
    fn fails_on_code_with_double_space() {
        assert_one(
            json!({"resourceType": "Patient", "identifier": [{"system": "http://a b", "value": "1"}]}),
            "invalid-format",
            "/identifier/0/system",
        );
    }

    #[test]
    fn fails_on_script_in_narrative() {
        assert_one(
            json!({"resourceType": "Patient", "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\"><script>alert(1)</script></div>"}}),
            "invalid-format",
            "/text/div",
        );
    }

    #[test]
    fn fails_on_a_narrative_of_white_space() {
        assert_one(
            json!({"resourceType": "Patient", "text": {"status": "generated", "div": "<div xmlns=\"http://www.w3.org/1999/xhtml\">\n  <p> </p>\n</div>"}}),
            "invalid-format",
            "/text/div",
        );
    }

    #[test]
    fn passes_legal_values() {
        assert_clean(
            json!({"resourceType": "Patient", "id": "bad-id.1", "identifier": [{"system": "urn:oid:2.16.840.1.113883.4.1", "value": "1"}]}),
        );
    }
}
