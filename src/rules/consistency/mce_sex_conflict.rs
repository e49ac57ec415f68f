//! # mce-sex-conflict
//!
//! **What it checks**: a diagnosis or procedure code that the CMS Medicare Code Editor's sex
//! edit listed as male-only or female-only matches the patient's administrative gender. CMS
//! retired this edit on 2024-10-01; the lists (kept as of FY2024) still flag likely slips, so
//! this is information only, and says so. Silent when the gender is unknown or other.
//!
//! **Why it matters**: prostate cancer on a female patient's record is usually the wrong code
//! or the wrong patient; it can also be correct (administrative gender is not anatomy), hence
//! information, not a warning.
//!
//! **Example**: noted: C61 (prostate cancer) for a patient with gender `female`; not noted:
//! the same code for `male`.
//!
//! **Authority**: CMS "Definitions of Medicare Code Edits", edit 5 "Sex conflict" (retired in
//! MCE v42.0, FY2025); MCE v41.1 sex lists.

use super::{patient_icd10cm, patient_icd10pcs};
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "mce-sex-conflict",
    category: Category::Consistency,
    severity: Severity::Information,
    issue_type: "informational",
    title: "A code CMS once listed for the other sex (retired MCE sex edit; information only)",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS_ON_SERVICE_DATE,
    fn check(resource, cx, out) {
        let other = match cx.patient().and_then(|p| p.gender.as_deref()) {
            Some("male") => "female",
            Some("female") => "male",
            _ => return,
        };
        let cm = patient_icd10cm(resource, cx)
            .into_iter()
            .map(|f| (f, &cx.codes.icd10cm));
        let pcs = patient_icd10pcs(resource, cx)
            .into_iter()
            .map(|f| (f, &cx.codes.icd10pcs));
        for (f, table) in cm.chain(pcs) {
            let Some(code) = f.code.as_deref() else {
                continue;
            };
            let bit = table.records().flag(other).unwrap_or(0);
            // The edit is retired: its lists live on in the windows that ended 2024-09-30.
            let listed = table
                .windows(code)
                .is_some_and(|ws| ws.iter().any(|w| w.2 & bit != 0));
            if listed {
                let code = table.display(code);
                let text = if other == "female" {
                    text!("mce-sex-conflict.female-only", code)
                } else {
                    text!("mce-sex-conflict.male-only", code)
                };
                out.push(RULE.issue(cx.location, &f.coding.pointer, cx.messages, text));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::mce_age_conflict::tests::bundle;
    use crate::rules::testing::{assert_clean, report};
    use crate::Severity;

    #[test]
    fn notes_a_male_code_for_a_female_patient() {
        let r = report(bundle("C61", "1950-05-01", "female"));
        assert_eq!(r.issues.len(), 1);
        assert_eq!(
            (r.issues[0].code, r.issues[0].path.as_str()),
            ("mce-sex-conflict", "/entry/1/resource/code/coding/0/code")
        );
        assert_eq!(r.issues[0].severity, Severity::Information);
        assert!(r.issues[0].message.contains("retired"));
    }

    #[test]
    fn judges_the_patients_own_codes_not_a_relatives() {
        // The same male-only code as a female patient's family history: her father's.
        let history = serde_json::json!({"resourceType": "FamilyMemberHistory",
            "status": "completed", "patient": {"reference": "Patient/1"},
            "relationship": {"text": "father"},
            "condition": [{"code": {"coding": [
                {"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C61"}]}}]});
        let v = crate::rules::testing::validator();
        let context = crate::Context {
            patient: Some(crate::Patient {
                birth_date: None,
                gender: Some("female".into()),
            }),
            ..Default::default()
        };
        assert!(v.validate(&history, &context).issues.is_empty());
    }

    #[test]
    fn silent_for_matching_or_unknown_gender() {
        assert_clean(bundle("C61", "1950-05-01", "male"));
        assert_clean(bundle("C61", "1950-05-01", "unknown"));
    }
}
