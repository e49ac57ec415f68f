//! # icd10cm-not-billable
//!
//! **What it checks**: an ICD-10-CM code is a billable (leaf) code, not a category or
//! subcategory that has codes below it (`E11` -> choose one of E11.0 to E11.9).
//!
//! **Why it matters**: a header code cannot be billed: the claim is denied and the record says
//! less than the clinician knew. On a problem list it is a warning; coders need the full code.
//!
//! **Example**: fails: Condition.code `E11` (suggests E11.9, E11.8, ...); passes: `E11.9`.
//!
//! **Authority**: ICD-10-CM Official Guidelines for Coding and Reporting FY2026, Section
//! I.A.6 / I.B.2 ("a code is invalid if it has not been coded to the full number of characters
//! required"); CMS MCE edit 1.

use serde_json::Value;

use super::{icd10cm, CM_TYPES};
use crate::codes::CodeStatus;
use crate::report::{Category, Issue, Severity};
use crate::rules::{Cx, Rule, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "icd10cm-not-billable",
    category: Category::Consistency,
    severity: Severity::Warning,
    issue_type: "code-invalid",
    title: "An ICD-10-CM category or subcategory used where a billable code belongs",
};

pub struct Check;

impl Rule for Check {
    fn meta(&self) -> &'static RuleMeta {
        &RULE
    }
    fn resource_types(&self) -> &'static [&'static str] {
        CM_TYPES
    }
    fn check(&self, resource: &Value, cx: &Cx, out: &mut Vec<Issue>) {
        let table = &cx.codes.icd10cm;
        for f in icd10cm(resource, cx) {
            let (CodeStatus::Header, Some(code)) = (&f.status, f.code.as_deref()) else {
                continue;
            };
            let mut below = table.children(code, f.days.0, f.days.1, 500);
            let count = below.len();
            // The most general codes first: they are the likeliest fix.
            below.sort_by_key(|c| (c.len(), c.clone()));
            let suggestions: Vec<String> = below.iter().take(8).map(|c| table.display(c)).collect();
            let shown = table.display(code);
            let mut issue = RULE.at(
                cx.location,
                &f.coding.pointer,
                format!(
                    "{shown} is a category, not a billable code. Choose a more specific code ({} under {shown}, such as {}).",
                    if count >= 500 { "many".to_string() } else { count.to_string() },
                    suggestions.iter().take(3).cloned().collect::<Vec<_>>().join(", ")
                ),
            );
            issue.suggestions = suggestions;
            out.push(issue);
        }
    }
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
    fn passes_a_billable_code() {
        assert_clean(condition(CM, "E11.65"));
    }
}
