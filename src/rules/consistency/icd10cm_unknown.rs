//! # icd10cm-unknown
//!
//! **What it checks**: an ICD-10-CM code (system `http://hl7.org/fhir/sid/icd-10-cm`) exists:
//! it is, or once was, a code of ICD-10-CM (FY2016 to FY2027), or a category above such codes.
//! `E119` and `E11.9` are the same code.
//!
//! **Why it matters**: a code that does not exist is rejected by every payer, and the
//! diagnosis it was meant to carry is lost from quality measures and registries.
//!
//! **Example**: fails: Condition.code `E11.99` (suggests E11.9); passes: `E11.9`.
//!
//! **Authority**: CMS/CDC ICD-10-CM code set; CMS Medicare Code Editor "Invalid diagnosis or
//! procedure code" edit (MCE edit 1), tables v44.0 (FY2027).

use super::icd10cm;
use crate::codes::CodeStatus;
use crate::fhir::path;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "icd10cm-unknown",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "An ICD-10-CM code that does not exist",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS_ON_SERVICE_DATE,
    fn check(resource, cx, out) {
        let table = &cx.codes.icd10cm;
        for f in icd10cm(resource, cx) {
            if f.status != CodeStatus::Unknown {
                continue;
            }
            let shown = crate::rules::excerpt(&path::escape_token(f.coding.code));
            let suggestions: Vec<String> = f
                .code
                .as_deref()
                .map(|c| table.nearest(c, f.days.0, f.days.1, 5))
                .unwrap_or_default()
                .iter()
                .map(|c| table.display(c))
                .collect();
            let best = f.code.as_deref().and_then(|c| table.nearest(c, f.days.0, f.days.1, 1).pop());
            let text = match best {
                Some(best) => {
                    // The first named in full once descriptions are loaded.
                    let codes = std::iter::once(cx.codes.icd10cm_label(&best))
                        .chain(suggestions.iter().skip(1).cloned())
                        .collect::<Vec<_>>()
                        .join(", ");
                    text!("icd10cm-unknown", code = shown, suggestions = codes)
                }
                None => text!("icd10cm-unknown.form", code = shown),
            };
            let mut issue = RULE.issue(cx.location, &f.coding.pointer, cx.messages, text);
            issue.suggestions = suggestions;
            out.push(issue);
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    pub(crate) fn condition(system: &str, code: &str) -> serde_json::Value {
        json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"}, "recordedDate": "2026-04-01",
               "code": {"coding": [{"system": system, "code": code}]}})
    }

    #[test]
    fn fails_on_a_code_that_does_not_exist() {
        let r = condition("http://hl7.org/fhir/sid/icd-10-cm", "E11.99");
        assert_one(r.clone(), "icd10cm-unknown", "/code/coding/0/code");
        assert_eq!(report(r).issues[0].suggestions[0], "E11.9");
        assert_one(
            condition("http://hl7.org/fhir/sid/icd-10-cm", "diabetes"),
            "icd10cm-unknown",
            "/code/coding/0/code",
        );
    }

    #[test]
    fn passes_real_codes_with_or_without_dot_and_other_systems() {
        assert_clean(condition("http://hl7.org/fhir/sid/icd-10-cm", "E11.9"));
        assert_clean(condition("http://hl7.org/fhir/sid/icd-10-cm", "e119"));
        // WHO ICD-10 is another code system: E11.99 is not checked against ICD-10-CM.
        assert_clean(condition("http://hl7.org/fhir/sid/icd-10", "E11.99"));
    }
}
