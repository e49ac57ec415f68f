//! # attachment-size-mismatch
//!
//! **What it checks**: an Attachment that carries its content inline (`data`, base64) and
//! states its `size` states the size of that content: the number of bytes the base64 decodes
//! to. Applies to every Attachment in every resource type (DocumentReference.content,
//! Media.content, Communication.payload, a Patient's photo...).
//!
//! **Why it matters**: a size that disagrees with the data means the content was cut short or
//! replaced after the size was written: the document a clinician opens may be incomplete, and
//! systems that check the size before storing or forwarding it reject it.
//!
//! **Example**: fails: `{"data": "aGVscCBpJ20gYSBidWc=", "size": 100}` (the data is 14 bytes);
//! passes: the same with `"size": 14`, or without `size`.
//!
//! **Authority**: FHIR R4 Attachment.size ("the number of bytes of data that make up this
//! attachment (before base64 encoding, if that is done)"); HL7's validator reports the same
//! ("Stated Attachment Size does not match actual attachment size").

use crate::json::Value;

use crate::fhir::index::Datatype;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "attachment-size-mismatch",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "value",
    title: "An attachment whose stated size is not the size of its data",
};

record_rule! {
    reads: crate::rules::Reads::ATTACHMENTS,
    fn check(_resource, cx, out) {
        for entry in cx.index().of(Datatype::Attachment) {
            let Some(object) = entry.object() else {
                continue;
            };
            let (Some(data), Some(stated)) = (
                object.get("data").and_then(Value::as_str),
                object.get("size").and_then(Value::as_u64),
            ) else {
                continue;
            };
            // Malformed base64 is the structure rules' to report.
            let Some(actual) = decoded_len(data) else {
                continue;
            };
            if actual != stated {
                let text = text!("attachment-size-mismatch", stated, actual);
                let at = format!("{}/size", entry.pointer);
                out.push(RULE.issue(cx.location, &at, cx.messages, text));
            }
        }
    }
}

/// The number of bytes base64 text decodes to (whitespace ignored), or None when it is not
/// base64 of whole quanta.
fn decoded_len(data: &str) -> Option<u64> {
    let mut chars = 0u64;
    let mut padding = 0u64;
    for b in data.bytes() {
        match b {
            b' ' | b'\t' | b'\r' | b'\n' => {}
            b'=' => {
                padding += 1;
                chars += 1;
            }
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' if padding == 0 => chars += 1,
            _ => return None,
        }
    }
    (chars % 4 == 0 && padding <= 2).then(|| chars / 4 * 3 - padding)
}

#[cfg(test)]
mod tests {
    use super::decoded_len;
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn media(size: u64) -> serde_json::Value {
        json!({"resourceType": "Media", "status": "completed",
               "content": {"contentType": "text/plain", "data": "aGVscCBpJ20gYSBidWc=", "size": size}})
    }

    #[test]
    fn fails_when_the_stated_size_is_not_the_datas() {
        assert_one(media(100), "attachment-size-mismatch", "/content/size");
        let doc = json!({"resourceType": "DocumentReference", "status": "current",
            "content": [{"attachment": {"contentType": "text/plain", "data": "aGk=", "size": 3}}]});
        assert_one(
            doc,
            "attachment-size-mismatch",
            "/content/0/attachment/size",
        );
    }

    #[test]
    fn passes_the_right_size_or_none() {
        assert_clean(media(14));
        assert_clean(json!({"resourceType": "Media", "status": "completed",
            "content": {"contentType": "text/plain", "data": "aGVscCBpJ20gYSBidWc="}}));
    }

    #[test]
    fn decodes_lengths_with_padding_and_whitespace() {
        assert_eq!(decoded_len("aGk="), Some(2));
        assert_eq!(decoded_len("aGVscCBpJ20gYSBidWc="), Some(14));
        assert_eq!(decoded_len("aGVs\ncA=="), Some(4));
        assert_eq!(decoded_len("abc"), None);
        assert_eq!(decoded_len("a=bc"), None);
    }
}
