//! # principal-external-cause
//!
//! **What it checks**: the principal diagnosis of an Encounter (its `diagnosis` with rank 1,
//! or use `billing`, whose Condition is resolved in the Bundle) is not an external cause code (V00-Y99) as the principal diagnosis.
//!
//! **Why it matters**: external cause codes describe the circumstances (a fall, a car crash), not the condition treated; the injury must lead.
//!
//! **Example**: fails: an Encounter whose rank-1 diagnosis is a Condition coded V00.01XA (Pedestrian on foot injured in collision with roller-skater, initial encounter);
//! passes: the same Condition ranked 2 behind its underlying condition or injury.
//!
//! **Authority**: CMS MCE edit 3 "E-code as principal diagnosis"; ICD-10-CM Official Guidelines I.C.20 (external cause codes are never principal).

use super::flagged_principals;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "principal-external-cause",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "business-rule",
    title: "An external cause code (V00-Y99) as the principal diagnosis",
};

record_rule! {
    types: crate::rules::Types::Only(&["Encounter"]),
    fn check(resource, cx, out) {
        for (d, at) in flagged_principals(resource, cx, "ecodepdx") {
            let text = text!("principal-external-cause", code = cx.codes.icd10cm_label(&d.code));
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
            encounter_bundle("V00.01XA", "E11.9", 1),
            "principal-external-cause",
            "/entry/2/resource/diagnosis/0/condition",
        );
    }

    #[test]
    fn passes_as_secondary() {
        assert_clean(encounter_bundle("V00.01XA", "E11.9", 2));
    }
}
