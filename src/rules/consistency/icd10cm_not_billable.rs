//! # icd10cm-not-billable
//!
//! **What it checks**: an ICD-10-CM code is a billable (leaf) code, not a category or
//! subcategory that has codes below it (`E11` -> choose one of E11.0 to E11.9).
//!
//! **Why it matters**: a header code cannot be billed: the claim is denied and the record says
//! less than the clinician knew. On a problem list it is a warning; where the Condition is an
//! Encounter's principal (billing) diagnosis in the Bundle, an error.
//!
//! **Example**: fails: Condition.code `E11` (suggests E11.9, E11.8, ...); passes: `E11.9`.
//!
//! **Authority**: ICD-10-CM Official Guidelines for Coding and Reporting FY2026, Section
//! I.A.6 / I.B.2 ("a code is invalid if it has not been coded to the full number of characters
//! required"); CMS MCE edit 1.

use crate::fhir::path::AtPointer;
use crate::json::Value;

use super::icd10cm;
use crate::codes::CodeStatus;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::{RuleInput, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "icd10cm-not-billable",
    category: Category::Consistency,
    severity: Severity::Warning,
    issue_type: "code-invalid",
    title: "An ICD-10-CM category or subcategory used where a billable code belongs",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS_ON_SERVICE_DATE,
    fn check(resource, cx, out) {
        let table = &cx.codes.icd10cm;
        for f in icd10cm(resource, cx) {
            let (CodeStatus::Header, Some(code)) = (&f.status, f.code.as_deref()) else {
                continue;
            };
            let mut below = table.children(code, f.days.0, f.days.1, 500);
            let count = below.len();
            // The most general codes first: they are the likeliest fix.
            crate::sort::by(&mut below, |a, b| (a.len(), a).cmp(&(b.len(), b)));
            let suggestions: Vec<String> = below.iter().take(8).map(|c| table.display(c)).collect();
            let shown = table.display(code);
            // The first named in full once descriptions are loaded.
            let examples = below
                .iter()
                .take(3)
                .enumerate()
                .map(|(i, c)| if i == 0 { cx.codes.icd10cm_label(c) } else { table.display(c) })
                .collect::<Vec<_>>()
                .join(", ");
            let text = if count >= 500 {
                text!("icd10cm-not-billable.many", code = shown, examples)
            } else {
                text!("icd10cm-not-billable", code = shown, count, examples)
            };
            let mut issue = RULE.issue(cx.location, &f.coding.pointer, cx.messages, text);
            issue.suggestions = suggestions;
            if billed(resource, cx) {
                issue.severity = Severity::Error;
                issue.message = cx.messages.render(&text!(
                    "icd10cm-not-billable.billed",
                    message = issue.message
                ));
            }
            out.push(issue);
        }
    }
}

/// Is this Condition an Encounter's principal (billing) diagnosis in its Bundle? Found by
/// resolving every Encounter's diagnosis references and comparing identities.
fn billed(condition: &Value, cx: &RuleInput) -> bool {
    let Some(entries) = cx
        .bundle
        .and_then(|b| b.get("entry"))
        .and_then(Value::as_array)
    else {
        return false;
    };
    entries
        .iter()
        .filter_map(|e| e.get("resource"))
        .filter(|r| r.get("resourceType").and_then(Value::as_str) == Some("Encounter"))
        .any(|encounter| {
            encounter
                .get("diagnosis")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter(|d| super::is_principal(d))
                .filter_map(|d| d.at_pointer("/condition/reference").and_then(Value::as_str))
                .filter_map(|r| crate::fhir::reference::resolve(r, encounter, cx.bundle))
                .any(|target| std::ptr::eq(target, condition))
        })
}

#[cfg(test)]
mod tests {
    use super::super::icd10cm_unknown::tests::condition;
    use crate::rules::testing::{assert_clean, assert_one, report};
    use crate::Severity;

    const CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";

    #[test]
    fn warns_on_a_category() {
        assert_one(
            condition(CM, "E11"),
            "icd10cm-not-billable",
            "/code/coding/0/code",
        );
        let r = report(condition(CM, "E11"));
        assert_eq!(r.issues[0].severity, Severity::Warning);
        assert!(r.valid);
        assert!(
            r.issues[0].suggestions.contains(&"E11.9".to_string()),
            "{:?}",
            r.issues[0].suggestions
        );
        assert!(
            r.issues[0].message.starts_with("E11 is a category"),
            "{}",
            r.issues[0].message
        );
    }

    #[test]
    fn is_an_error_as_the_billing_diagnosis() {
        let bundle = super::super::principal_duplicate::tests::encounter_bundle("E11", "I10", 1);
        let r = report(bundle);
        let got: Vec<(&str, &str, Severity)> = r
            .issues
            .iter()
            .map(|i| (i.code, i.path.as_str(), i.severity))
            .collect();
        assert_eq!(
            got,
            vec![(
                "icd10cm-not-billable",
                "/entry/1/resource/code/coding/0/code",
                Severity::Error
            )]
        );
        // Ranked second, it is a warning again.
        let r = report(super::super::principal_duplicate::tests::encounter_bundle(
            "E11", "I10", 2,
        ));
        assert_eq!(r.issues[0].severity, Severity::Warning);
    }

    #[test]
    fn passes_a_billable_code() {
        assert_clean(condition(CM, "E11.65"));
    }
}
