//! # snomed-check-digit
//!
//! **What it checks**: a SNOMED CT code (system `http://snomed.info/sct`) is a concept id: 6
//! to 18 digits with no leading zero, a valid Verhoeff check digit, and the partition of a
//! concept (not a description or relationship id). Post-coordinated expressions are left alone.
//!
//! **Why it matters**: a mistyped SNOMED CT id points at no concept, or at a description, so
//! decision support, problem-list reconciliation and registries miss the diagnosis.
//!
//! **Example**: fails: Condition.code `44054007`; passes: `44054006` (type 2 diabetes).
//!
//! **Authority**: SNOMED CT Technical Implementation Guide, 6.1 "SCTID" (Verhoeff check digit,
//! partition identifier); ehrlint ships no SNOMED CT content.

use crate::codes::checkdigit::{sctid_concept, Partition, SctidError};
use crate::fhir::coding::SNOMED;
use crate::fhir::path;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "snomed-check-digit",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "A SNOMED CT code that is not a well-formed concept id",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS,
    fn check(_resource, cx, out) {
        for c in super::own_codes(cx, SNOMED) {
            // Expressions (`64572001 |Disease| : 246075003 = 6142004`) are not single ids.
            if c.value.contains(['|', ':', '+', '{', '=']) {
                continue;
            }
            let code = crate::rules::excerpt(&path::escape_token(c.value));
            let text = match sctid_concept(c.value) {
                Ok(()) => continue,
                Err(SctidError::Form) => text!("snomed-check-digit.form", code),
                Err(SctidError::CheckDigit) => text!("snomed-check-digit", code),
                Err(SctidError::NotAConcept(Partition::Description)) => {
                    text!("snomed-check-digit.description-id", code)
                }
                Err(SctidError::NotAConcept(Partition::Relationship)) => {
                    text!("snomed-check-digit.relationship-id", code)
                }
                Err(SctidError::NotAConcept(Partition::Other(partition))) => {
                    text!("snomed-check-digit.partition", code, partition)
                }
            };
            out.push(RULE.issue(cx.location, &c.pointer, cx.messages, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn condition(code: &str) -> serde_json::Value {
        json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
               "code": {"coding": [{"system": "http://snomed.info/sct", "code": code}]}})
    }

    #[test]
    fn fails_on_a_bad_check_digit() {
        assert_one(
            condition("44054007"),
            "snomed-check-digit",
            "/code/coding/0/code",
        );
        assert_one(
            condition("diabetes"),
            "snomed-check-digit",
            "/code/coding/0/code",
        );
    }

    #[test]
    fn passes_concept_ids_and_expressions() {
        assert_clean(condition("44054006"));
        assert_clean(condition("64572001 |Disease| : 246075003 = 6142004"));
    }
}
