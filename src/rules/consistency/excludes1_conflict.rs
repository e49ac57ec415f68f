//! # excludes1-conflict
//!
//! **What it checks**: two ICD-10-CM codes that an Excludes1 note says are never coded together
//! do not appear on the same patient's diagnoses in one Bundle (the same encounter, or the
//! problem list). The issue sits on the second code and names both.
//!
//! **Why it matters**: Excludes1 means "not coded here": the two conditions cannot occur
//! together (congenital and acquired forms of one condition, type 1 and type 2 diabetes), so one
//! of them is probably wrong. A warning: the guidelines allow both when the conditions are
//! unrelated.
//!
//! **Example**: warns: E10.9 (type 1 diabetes) and E11.9 (type 2 diabetes) for one patient;
//! passes: E11.9 and I10.
//!
//! **Authority**: ICD-10-CM Official Guidelines for Coding and Reporting FY2026, Section
//! I.A.12.a "Excludes1"; ICD-10-CM tabular list, FY2026 (data/icd10cm-excludes1.tsv).

use crate::fhir::path::AtPointer;
use crate::json::Value;

use super::{patient_icd10cm, CodeStatus};
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "excludes1-conflict",
    category: Category::Consistency,
    severity: Severity::Warning,
    issue_type: "business-rule",
    title: "Two ICD-10-CM codes that an Excludes1 note says are not coded together",
};

record_rule! {
    types: crate::rules::Types::Only(&["Bundle"]),
    fn check(resource, cx, out) {
        let Some(entries) = resource.get("entry").and_then(Value::as_array) else {
            return;
        };
        // (patient reference, code, pointer from the Bundle's root), in document order.
        let mut seen: Vec<(&str, String, String)> = Vec::new();
        let table = &cx.codes.icd10cm;
        for (i, entry) in entries.iter().enumerate() {
            let Some(condition) = entry
                .get("resource")
                .filter(|r| r.get("resourceType") == Some(&Value::from("Condition")))
            else {
                continue;
            };
            let patient = condition
                .at_pointer("/subject/reference")
                .and_then(Value::as_str)
                .unwrap_or("");
            for f in patient_icd10cm(condition, cx) {
                let (CodeStatus::Valid(_), Some(code)) = (&f.status, f.code) else {
                    continue;
                };
                let at = format!("/entry/{i}/resource{}", f.coding.pointer);
                for (other_patient, other, _) in &seen {
                    if *other_patient != patient || *other == code {
                        continue;
                    }
                    if cx.codes.excludes1.excludes(other, &code)
                        || cx.codes.excludes1.excludes(&code, other)
                    {
                        let text = text!(
                            "excludes1-conflict",
                            first = table.display(other),
                            second = table.display(&code)
                        );
                        out.push(RULE.issue(cx.location, &at, cx.messages, text));
                    }
                }
                seen.push((patient, code, at));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::principal_duplicate::tests::{assert_principal_issue, encounter_bundle};
    use crate::rules::testing::assert_clean;

    #[test]
    fn warns_on_type_1_and_type_2_diabetes_together() {
        assert_principal_issue(
            encounter_bundle("E10.9", "E11.9", 1),
            "excludes1-conflict",
            "/entry/3/resource/code/coding/0/code",
        );
    }

    #[test]
    fn passes_unrelated_codes() {
        assert_clean(encounter_bundle("E11.9", "I10", 1));
    }
}
