//! # principal-unacceptable
//!
//! **What it checks**: the principal diagnosis of an Encounter (its `diagnosis` with rank 1,
//! or use `billing`, whose Condition is resolved in the Bundle) is not a code CMS does not accept as principal diagnosis (like B95.0).
//!
//! **Why it matters**: codes such as the B95-B97 bacterial agents or many Z codes only add detail; as principal they leave the stay without a reason and the claim is returned.
//!
//! **Example**: fails: an Encounter whose rank-1 diagnosis is a Condition coded B95.0 (Streptococcus, group A, as the cause of diseases classified elsewhere);
//! passes: the same Condition ranked 2 behind its underlying condition or injury.
//!
//! **Authority**: CMS MCE edit 8 "Unacceptable principal diagnosis"; ICD-10-CM Official Guidelines Section II (selection of principal diagnosis).

use super::flagged_principals;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "principal-unacceptable",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "business-rule",
    title: "A code CMS does not accept as principal diagnosis (like B95.0)",
};

record_rule! {
    types: crate::rules::Types::Only(&["Encounter"]),
    fn check(resource, cx, out) {
        for (d, at) in flagged_principals(resource, cx, "unacceptable") {
            let text = text!("principal-unacceptable", code = cx.codes.icd10cm_label(&d.code));
            out.push(RULE.issue(cx.location, &at, cx.messages, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::principal_duplicate::tests::{assert_principal_issue, encounter_bundle};
    use crate::rules::testing::assert_clean;

    #[test]
    fn fails_as_principal() {
        assert_principal_issue(
            encounter_bundle("B95.0", "E11.9", 1),
            "principal-unacceptable",
            "/entry/2/resource/diagnosis/0/condition",
        );
    }

    #[test]
    fn passes_as_secondary() {
        assert_clean(encounter_bundle("B95.0", "E11.9", 2));
    }
}
