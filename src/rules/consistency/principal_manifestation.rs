//! # principal-manifestation
//!
//! **What it checks**: the principal diagnosis of an Encounter (its `diagnosis` with rank 1,
//! or use `billing`, whose Condition is resolved in the Bundle) is not a manifestation code (like G63 or D63.1) as the principal diagnosis.
//!
//! **Why it matters**: a manifestation code describes a consequence of an underlying disease, which the coding conventions require to be sequenced first; a claim with a manifestation as principal is returned.
//!
//! **Example**: fails: an Encounter whose rank-1 diagnosis is a Condition coded D63.1 (Anemia in chronic kidney disease);
//! passes: the same Condition ranked 2 behind its underlying condition or injury.
//!
//! **Authority**: the ICD-10-CM Official Guidelines I.A.13 (etiology/manifestation convention, "code first" notes); CMS MCE edit 7 "Manifestation code as principal diagnosis".

use super::flagged_principals;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "principal-manifestation",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "business-rule",
    title: "A manifestation code (like G63 or D63.1) as the principal diagnosis",
};

record_rule! {
    types: crate::rules::Types::Only(&["Encounter"]),
    fn check(resource, cx, out) {
        for (d, at) in flagged_principals(resource, cx, "manifestation") {
            let text = text!("principal-manifestation", code = cx.codes.icd10cm_label(&d.code));
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
            encounter_bundle("D63.1", "E11.9", 1),
            "principal-manifestation",
            "/entry/2/resource/diagnosis/0/condition",
        );
    }

    #[test]
    fn passes_as_secondary() {
        assert_clean(encounter_bundle("D63.1", "E11.9", 2));
    }
}
