//! # code-system-mismatch
//!
//! **What it checks**: a code fits the code system its `system` URI names. A code that does
//! not, and plainly belongs to another system (an existing ICD-10-CM code under the SNOMED CT
//! URI, a LOINC code with its check digit under ICD-10-CM), is reported once, at `system`, with
//! the likely system as the fix.
//!
//! **Why it matters**: the receiving system looks the code up in the wrong code system and
//! finds nothing, or something else: `E11.9` sent as SNOMED CT is not diabetes there.
//!
//! **Example**: fails: `{"system": "http://snomed.info/sct", "code": "E11.9"}` (suggests
//! `http://hl7.org/fhir/sid/icd-10-cm`); passes: the same code with the ICD-10-CM URI.
//!
//! **Authority**: FHIR R4 Coding.system ("the identification of the code system that defines
//! the meaning of the symbol in the code"); HL7 Terminology (THO) code system URIs.

use super::{likely_system, system_name};
use crate::fhir::path;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "code-system-mismatch",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "A code that belongs to another code system than its system URI says",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS,
    fn check(_resource, cx, out) {
        for c in cx.all_codes() {
            let Some(likely) = likely_system(cx, c.system, c.value) else {
                continue;
            };
            let at = format!(
                "{}/system",
                c.pointer.strip_suffix("/code").unwrap_or(&c.pointer)
            );
            let text = text!(
                "code-system-mismatch",
                code = path::escape_token(c.value),
                likely = system_name(likely),
                system = system_name(c.system),
                uri = likely
            );
            let mut issue = RULE.issue(cx.location, &at, cx.messages, text);
            issue.suggestions = vec![likely.to_string()];
            out.push(issue);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    fn condition(system: &str, code: &str) -> serde_json::Value {
        json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"}, "recordedDate": "2026-04-01",
               "code": {"coding": [{"system": system, "code": code}]}})
    }

    #[test]
    fn fails_once_on_a_code_under_another_system() {
        assert_one(
            condition("http://snomed.info/sct", "E11.9"),
            "code-system-mismatch",
            "/code/coding/0/system",
        );
        let r = report(condition("http://snomed.info/sct", "E11.9"));
        assert_eq!(
            r.issues[0].suggestions,
            vec!["http://hl7.org/fhir/sid/icd-10-cm"]
        );
        assert_one(
            condition("http://hl7.org/fhir/sid/icd-10-cm", "8867-4"),
            "code-system-mismatch",
            "/code/coding/0/system",
        );
        assert_one(
            condition("http://loinc.org", "44054006"),
            "code-system-mismatch",
            "/code/coding/0/system",
        );
    }

    #[test]
    fn passes_codes_under_their_own_system() {
        assert_clean(condition("http://hl7.org/fhir/sid/icd-10-cm", "E11.9"));
        assert_clean(condition("http://snomed.info/sct", "44054006"));
        // Another system's shape that is also valid in its own: never a mismatch.
        assert_clean(condition("http://example.org/local-codes", "E11.9"));
    }
}
