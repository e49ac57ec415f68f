//! # principal-duplicate
//!
//! **What it checks**: no secondary diagnosis of an Encounter repeats the principal diagnosis's
//! ICD-10-CM code.
//!
//! **Why it matters**: a duplicate adds nothing and makes the claim edit out; it often hides a
//! missing secondary code that was meant to be entered. A warning.
//!
//! **Example**: warns: an Encounter with E11.9 ranked 1 and E11.9 again ranked 2; passes: E11.9
//! and I10.
//!
//! **Authority**: CMS MCE edit 2 "Duplicate of PDX" (a secondary diagnosis the same as the
//! principal diagnosis).

use super::diagnoses;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "principal-duplicate",
    category: Category::Consistency,
    severity: Severity::Warning,
    issue_type: "business-rule",
    title: "A secondary diagnosis that repeats the principal diagnosis",
};

record_rule! {
    types: crate::rules::Types::Only(&["Encounter"]),
    fn check(resource, cx, out) {
        let all = diagnoses(resource, cx);
        for d in all.iter().filter(|d| !d.principal) {
            if all.iter().any(|p| p.principal && p.code == d.code) {
                let text = text!("principal-duplicate", code = cx.codes.icd10cm.display(&d.code));
                out.push(RULE.issue(
                    cx.location,
                    &format!("/diagnosis/{}/condition", d.index),
                    cx.messages,
                    text,
                ));
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::rules::testing::{assert_clean, report};
    use serde_json::json;

    /// A Bundle: Patient, Condition A (`Condition/a`), Encounter diagnosing A with `rank_a` and
    /// B with the other rank, Condition B (by urn:uuid).
    pub(crate) fn encounter_bundle(a: &str, b: &str, rank_a: u64) -> serde_json::Value {
        let cm = "http://hl7.org/fhir/sid/icd-10-cm";
        let b_url = "urn:uuid:0b7e2c1a-5d4f-4e3a-9c8b-7a6f5e4d3c2b";
        json!({"resourceType": "Bundle", "type": "collection", "entry": [
            {"fullUrl": "http://example.org/fhir/Patient/p", "resource": {"resourceType": "Patient", "id": "p"}},
            {"fullUrl": "http://example.org/fhir/Condition/a", "resource": {"resourceType": "Condition", "id": "a",
                "subject": {"reference": "Patient/p"}, "recordedDate": "2025-03-01", "code": {"coding": [{"system": cm, "code": a}]}}},
            {"resource": {"resourceType": "Encounter", "id": "e", "status": "finished",
                "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
                "subject": {"reference": "Patient/p"}, "period": {"start": "2025-03-01", "end": "2025-03-04"},
                "diagnosis": [
                    {"condition": {"reference": "Condition/a"}, "rank": rank_a},
                    {"condition": {"reference": b_url}, "rank": if rank_a == 1 { 2 } else { 1 }}]}},
            {"fullUrl": b_url, "resource": {"resourceType": "Condition", "subject": {"reference": "Patient/p"},
                "recordedDate": "2025-03-01", "code": {"coding": [{"system": cm, "code": b}]}}}]})
    }

    pub(crate) fn assert_principal_issue(bundle: serde_json::Value, code: &str, path: &str) {
        let r = report(bundle);
        let got: Vec<(&str, &str)> = r.issues.iter().map(|i| (i.code, i.path.as_str())).collect();
        assert_eq!(got, vec![(code, path)]);
    }

    #[test]
    fn warns_on_a_secondary_copy_of_the_principal() {
        assert_principal_issue(
            encounter_bundle("E11.9", "E11.9", 1),
            "principal-duplicate",
            "/entry/2/resource/diagnosis/1/condition",
        );
    }

    #[test]
    fn passes_distinct_diagnoses() {
        assert_clean(encounter_bundle("E11.9", "I10", 1));
    }
}
