//! # string-too-long
//!
//! **What it checks**: a string (and a code, id or markdown, which are strings) is at most
//! 1 MB: 1,048,576 bytes of UTF-8.
//!
//! **Why it matters**: FHIR servers and databases are built for that bound; a longer string is
//! refused or cut off, and a document that large belongs in an Attachment or a Binary.
//!
//! **Example**: fails: a `Location.position.id` of 1.2 million characters; passes: any string
//! up to 1,048,576 bytes.
//!
//! **Authority**: FHIR R4 string (http://hl7.org/fhir/R4/datatypes.html#string): "strings
//! SHALL NOT exceed 1MB in size"; the reference validator's "value is longer than permitted
//! maximum length of 1 MB (1048576 bytes)" (fhir-test-cases `resource-invalid-eid-2`).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "string-too-long",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "value",
    title: "A string longer than FHIR's 1 MB",
};

pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    bytes: usize,
) -> Issue {
    RULE.issue(location, suffix, messages, text!("string-too-long", bytes))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    #[test]
    fn fails_above_one_megabyte() {
        // fhir-test-cases resource-invalid-eid-2.json: an element id of 1.2 MB.
        assert_one(
            json!({"resourceType": "Location", "position": {"id": "a".repeat(1_048_577),
                   "longitude": 1, "latitude": 2}}),
            "string-too-long",
            "/position/id",
        );
        assert_one(
            json!({"resourceType": "Patient", "name": [{"text": "é".repeat(524_289)}]}),
            "string-too-long",
            "/name/0/text",
        );
    }

    #[test]
    fn passes_up_to_one_megabyte() {
        assert_clean(json!({"resourceType": "Patient", "name": [{"text": "a".repeat(1_048_576)}]}));
        // base64Binary is not a string: attachments may be larger.
        assert_clean(
            json!({"resourceType": "Binary", "contentType": "text/plain",
            "data": "QUFB".repeat(300_000)}),
        );
    }
}
