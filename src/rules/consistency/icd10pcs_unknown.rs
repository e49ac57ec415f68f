//! # icd10pcs-unknown
//!
//! **What it checks**: an ICD-10-PCS code (system `http://www.cms.gov/Medicare/Coding/ICD10`)
//! has the 7-character form (digits and letters other than I and O) and exists in ICD-10-PCS
//! (FY2016 to FY2027).
//!
//! **Why it matters**: an inpatient procedure with an invalid code drops out of the DRG: the
//! hospital stay is paid wrongly or the claim is returned.
//!
//! **Example**: fails: Procedure.code `0DTJ4ZX` (no such code); passes: `0DTJ4ZZ`
//! (laparoscopic appendectomy).
//!
//! **Authority**: CMS ICD-10-PCS code set and Official Guidelines (A.2: seven characters);
//! CMS MCE edit 1 ("Invalid procedure code"), tables v44.0.

use super::icd10pcs;
use crate::codes::CodeStatus;
use crate::fhir::path;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "icd10pcs-unknown",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "An ICD-10-PCS code that is malformed or does not exist",
};

/// Seven characters, each 0-9 or a letter other than I and O.
fn well_formed(code: &str) -> bool {
    code.len() == 7
        && code
            .bytes()
            .all(|c| c.is_ascii_digit() || (c.is_ascii_uppercase() && c != b'I' && c != b'O'))
}

record_rule! {
    reads: crate::rules::Reads::CODINGS_ON_SERVICE_DATE,
    fn check(resource, cx, out) {
        let table = &cx.codes.icd10pcs;
        for f in icd10pcs(resource, cx) {
            if !matches!(f.status, CodeStatus::Unknown | CodeStatus::Header) {
                continue;
            }
            let shown = crate::rules::excerpt(&path::escape_token(f.coding.code));
            let code = f.code.as_deref().unwrap_or("");
            let (text, suggestions) = if !well_formed(code) {
                (text!("icd10pcs-unknown.form", code = shown), Vec::new())
            } else {
                let near = table.nearest(code, f.days.0, f.days.1, 5);
                let text = if near.is_empty() {
                    text!("icd10pcs-unknown.no-match", code = shown)
                } else {
                    text!("icd10pcs-unknown", code = shown, suggestions = near.join(", "))
                };
                (text, near)
            };
            let mut issue = RULE.issue(cx.location, &f.coding.pointer, cx.messages, text);
            issue.suggestions = suggestions;
            out.push(issue);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    pub(crate) fn procedure(code: &str, date: &str) -> serde_json::Value {
        json!({"resourceType": "Procedure", "status": "completed", "subject": {"reference": "Patient/1"},
               "performedDateTime": date,
               "code": {"coding": [{"system": "http://www.cms.gov/Medicare/Coding/ICD10", "code": code}]}})
    }

    #[test]
    fn fails_on_unknown_and_malformed_codes() {
        assert_one(
            procedure("0DTJ4ZX", "2026-04-01"),
            "icd10pcs-unknown",
            "/code/coding/0/code",
        );
        assert_one(
            procedure("0DTJ4Z", "2026-04-01"),
            "icd10pcs-unknown",
            "/code/coding/0/code",
        );
        assert_one(
            procedure("0DTJ4ZO", "2026-04-01"),
            "icd10pcs-unknown",
            "/code/coding/0/code",
        );
    }

    #[test]
    fn passes_a_real_code() {
        assert_clean(procedure("0DTJ4ZZ", "2026-04-01"));
    }
}
