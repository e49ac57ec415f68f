//! # mce-age-conflict
//!
//! **What it checks**: a diagnosis code that the CMS Medicare Code Editor limits to an age group
//! (newborn: 0; pediatric: 0-17; maternity: 9-64, 12-55 before 2019-10-01; adult: 15-124) fits
//! the patient's age on the date of service. Only when the patient's birth date is known (from
//! the Bundle's Patient or the caller's context); with partial dates it speaks only when every
//! possible age falls outside the group.
//!
//! **Why it matters**: a maternity code on a 70-year-old or a newborn code on an adult is
//! usually a wrong code or the wrong patient; CMS returns such claims for review. A warning:
//! the guidelines allow some (a perinatal condition may be coded later in life).
//!
//! **Example**: warns: O80 (delivery) for a patient born 1950, recorded 2025-03-01; passes: the
//! same code for a patient born 1995.
//!
//! **Authority**: CMS "Definitions of Medicare Code Edits" (MCE v43.1/v44.0), edit 4 "Age
//! conflict"; MCE age groups table.

use super::patient_icd10cm;
use crate::codes::mce::age;
use crate::codes::CodeStatus;
use crate::fhir::clock::show;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "mce-age-conflict",
    category: Category::Consistency,
    severity: Severity::Warning,
    issue_type: "business-rule",
    title: "A diagnosis code for another age group than the patient's (CMS MCE age edit)",
};

/// The MCE age groups. The newborn group is a single age (0), the others are ranges: the
/// messages say so, and a test checks the age table agrees.
#[derive(Clone, Copy)]
enum Group {
    Newborn,
    Pediatric,
    Maternity,
    Adult,
}

const GROUPS: [Group; 4] = [
    Group::Newborn,
    Group::Pediatric,
    Group::Maternity,
    Group::Adult,
];

impl Group {
    /// The MCE flag of its codes and age range.
    fn flag(self) -> &'static str {
        match self {
            Group::Newborn => "newborn",
            Group::Pediatric => "pediatric",
            Group::Maternity => "maternity",
            Group::Adult => "adult",
        }
    }
}

record_rule! {
    reads: crate::rules::Reads::CODINGS_ON_SERVICE_DATE,
    fn check(resource, cx, out) {
        let Some((born_first, born_last)) =
            cx.patient().and_then(|p| p.birth_date).map(|d| d.days())
        else {
            return;
        };
        let table = &cx.codes.icd10cm;
        for f in patient_icd10cm(resource, cx) {
            let (CodeStatus::Valid(window), Some(code)) = (&f.status, f.code.as_deref()) else {
                continue;
            };
            let (day_first, day_last) = f.days;
            // The youngest and oldest the patient can be on the date of service.
            let (youngest, oldest) = (age(born_last, day_first), age(born_first, day_last));
            for group in GROUPS {
                let bit = table.records().flag(group.flag()).unwrap_or(0);
                let Some(range) = cx.codes.ages.range(group.flag(), day_first) else {
                    continue;
                };
                if window.2 & bit == 0
                    || (oldest >= i64::from(range.min) && youngest <= i64::from(range.max))
                {
                    continue;
                }
                let (code, date) = (cx.codes.icd10cm_label(code), show(day_first));
                let (min, max) = (range.min, range.max);
                // The patient's age is uncertain when only the birth year (or month) is known.
                let text = match (group, youngest == oldest) {
                    (Group::Newborn, true) => {
                        text!("mce-age-conflict.newborn", code, min, age = youngest, date)
                    }
                    (Group::Newborn, false) => text!(
                        "mce-age-conflict.newborn-between",
                        code,
                        min,
                        youngest,
                        oldest,
                        date
                    ),
                    (Group::Pediatric, true) => {
                        text!("mce-age-conflict.pediatric", code, min, max, age = youngest, date)
                    }
                    (Group::Pediatric, false) => text!(
                        "mce-age-conflict.pediatric-between",
                        code,
                        min,
                        max,
                        youngest,
                        oldest,
                        date
                    ),
                    (Group::Maternity, true) => {
                        text!("mce-age-conflict.maternity", code, min, max, age = youngest, date)
                    }
                    (Group::Maternity, false) => text!(
                        "mce-age-conflict.maternity-between",
                        code,
                        min,
                        max,
                        youngest,
                        oldest,
                        date
                    ),
                    (Group::Adult, true) => {
                        text!("mce-age-conflict.adult", code, min, max, age = youngest, date)
                    }
                    (Group::Adult, false) => text!(
                        "mce-age-conflict.adult-between",
                        code,
                        min,
                        max,
                        youngest,
                        oldest,
                        date
                    ),
                };
                out.push(RULE.issue(cx.location, &f.coding.pointer, cx.messages, text));
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::rules::testing::validator;
    use crate::rules::testing::{assert_clean, report};
    use crate::{Context, Patient};
    use serde_json::json;

    pub(crate) fn bundle(code: &str, birth: &str, gender: &str) -> serde_json::Value {
        json!({"resourceType": "Bundle", "type": "collection", "entry": [
            {"fullUrl": "urn:uuid:9f4c7a8e-3b1d-4c2e-8a6f-1d2e3f4a5b6c",
             "resource": {"resourceType": "Patient", "birthDate": birth, "gender": gender}},
            {"resource": {"resourceType": "Condition", "subject": {"reference": "urn:uuid:9f4c7a8e-3b1d-4c2e-8a6f-1d2e3f4a5b6c"},
                          "recordedDate": "2025-03-01",
                          "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": code}]}}}]})
    }

    fn codes(r: &crate::Report) -> Vec<(&str, &str)> {
        r.issues.iter().map(|i| (i.code, i.path.as_str())).collect()
    }

    #[test]
    fn warns_on_a_maternity_code_for_a_70_year_old() {
        let r = report(bundle("O80", "1955-01-10", "female"));
        assert_eq!(
            codes(&r),
            vec![("mce-age-conflict", "/entry/1/resource/code/coding/0/code")]
        );
        assert!(
            r.issues[0]
                .message
                .contains("ages 9 to 64, but the patient is 70"),
            "{}",
            r.issues[0].message
        );
        let r = report(bundle("A33", "1980", "male"));
        assert_eq!(
            codes(&r),
            vec![("mce-age-conflict", "/entry/1/resource/code/coding/0/code")]
        );
    }

    #[test]
    fn uses_the_context_patient_outside_a_bundle() {
        let condition = json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"}, "recordedDate": "2025-03-01",
                               "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "N40.0"}]}});
        let cx = Context {
            patient: Some(Patient {
                birth_date: crate::fhir::primitives::parse_date("2015-06-01").ok(),
                gender: None,
            }),
            ..Context::default()
        };
        let r = validator().validate(&condition, &cx);
        assert_eq!(codes(&r), vec![("mce-age-conflict", "/code/coding/0/code")]);
        // Without a known patient the rule stays silent.
        assert_clean(condition);
    }

    #[test]
    fn the_age_table_is_worded_right() {
        // The messages call the newborn group one age and the others ranges.
        let ages = crate::codes::mce::AgeGroups::load().unwrap();
        for year in 1985..=2040 {
            let day = year * 10_000 + 1001;
            for group in super::GROUPS {
                let range = ages.range(group.flag(), day).unwrap();
                let single = matches!(group, super::Group::Newborn);
                assert_eq!(range.min == range.max, single, "{} on {day}", group.flag());
            }
        }
    }

    #[test]
    fn passes_ages_within_the_group_and_uncertain_ones() {
        assert_clean(bundle("O80", "1995-01-10", "female"));
        // Born some time in 2010: 14 or 15 on 2025-03-01; the adult group starts at 15.
        assert_clean(bundle("N40.0", "2010", "male"));
    }
}
