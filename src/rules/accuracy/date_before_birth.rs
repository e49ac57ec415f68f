//! # date-before-birth
//!
//! **What it checks**: a record's clinical dates (the dates date-in-future checks: onset,
//! abatement, effective, issued, performed, occurrence, recorded, authoredOn, an encounter's
//! start) are not before the patient was born. The patient is the one the record is about:
//! the Patient its subject points to in the same Bundle (or among its contained resources),
//! else the patient the caller gives in the context. Partial dates and time zones compare by
//! what they may mean (an onset in `1974` may follow a birth on `1974-05-02`).
//!
//! Dates in the pregnancy are not reported: a date is reported only when it is more than 44
//! weeks (the longest pregnancy) before the birth date. A prenatal finding, a congenital
//! condition diagnosed on ultrasound, a fetal procedure or an encounter begun in labour may
//! rightly be filed to the child's record with a date before birth. Not judged either: an
//! Observation with a `focus` (it is about someone or something else: a fetus, a parent, a
//! donor), a record whose subject is not a Patient (a Group, a Device), a record entered in
//! error, and a patient whose birth date is itself in the future (birth-date-in-future reports
//! that). A record with several dates before birth gets one issue, at its main date: the usual
//! defect is one wrong birth date, or a record filed to the wrong patient.
//!
//! **Why it matters**: a record dated before its patient existed is filed to the wrong patient
//! (a mother's or sibling's record, a merged chart), or one of the dates is mistyped. Either
//! way it distorts the patient's history, ages computed at the event, and age-based code edits.
//!
//! **Example**: fails: a Condition with `"onsetDateTime": "1970-03-01"` about a patient born
//! `1974-05-02`; passes: `"onsetDateTime": "1974"` (may be after 2 May), or a congenital
//! condition with `"onsetDateTime": "1974-02-10"` (in the pregnancy).
//!
//! **Authority**: FHIR R4 Patient.birthDate ("the date of birth for the individual"), and the
//! element definitions of the dates checked (Condition.onset[x], Observation.effective[x],
//! Procedure.performed[x], Immunization.occurrence[x], ...: http://hl7.org/fhir/R4/), which
//! date events in the life of the subject; Observation.focus ("the actual focus of an
//! observation when it is not the patient of record representing something or someone
//! associated with the patient such as a spouse, parent, fetus, or donor").

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::accuracy::{before_birth, birth_to_judge, label_text};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "date-before-birth",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "value",
    title: "A clinical date before the patient was born",
};

record_rule! {
    fn check(resource, cx, out) {
        let dates = cx.clinical_dates();
        if dates.is_empty() {
            return;
        }
        let Some(birth) = birth_to_judge(resource, cx) else { return };
        let Some(date) = dates.iter().find(|d| before_birth(d, &birth)) else { return };
        let born = cx
            .patient()
            .and_then(|p| p.birth_date)
            .map(|b| b.to_string())
            .unwrap_or_default();
        let label = cx.messages.render(&label_text(date.label));
        out.push(RULE.issue(
            cx.location,
            date.pointer,
            cx.messages,
            text!("date-before-birth", label, date = date.text, born),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, validator};
    use crate::{Context, Patient};
    use serde_json::{json, Value};

    const CODE: &str = "date-before-birth";

    fn born(date: &str) -> Context {
        Context {
            patient: Some(Patient {
                birth_date: crate::fhir::primitives::parse_date(date).ok(),
                gender: None,
            }),
            ..Context::default()
        }
    }

    fn issues(resource: &Value, context: &Context) -> Vec<(&'static str, String)> {
        validator()
            .validate(resource, context)
            .issues
            .into_iter()
            .map(|i| (i.code, i.path))
            .collect()
    }

    fn condition(onset: &str) -> Value {
        json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
               "onsetDateTime": onset})
    }

    fn bundle(birth: &str, resource: Value) -> Value {
        json!({"resourceType": "Bundle", "type": "collection", "entry": [
            {"fullUrl": "urn:uuid:9f4c7a8e-3b1d-4c2e-8a6f-1d2e3f4a5b6c",
             "resource": {"resourceType": "Patient", "birthDate": birth}},
            {"resource": resource}]})
    }

    #[test]
    fn fails_a_date_before_the_context_patient_was_born() {
        let one = vec![(CODE, "/onsetDateTime".to_string())];
        assert_eq!(issues(&condition("1970-03-01"), &born("1974-05-02")), one);
        assert_eq!(issues(&condition("1972"), &born("1974-05-02")), one);
        assert_eq!(
            issues(&condition("1970-03-01T10:00:00-05:00"), &born("1974")),
            one
        );
    }

    #[test]
    fn fails_a_date_before_the_bundle_patient_was_born() {
        let observation = json!({"resourceType": "Observation", "status": "final",
                                 "code": {"text": "Heart rate"},
                                 "subject": {"reference": "urn:uuid:9f4c7a8e-3b1d-4c2e-8a6f-1d2e3f4a5b6c"},
                                 "effectiveDateTime": "1960-01-01T10:00:00Z",
                                 "issued": "1960-01-01T12:00:00Z"});
        // Two dates before birth, one defect: one issue, at the main date.
        assert_one(
            bundle("1974-05-02", observation),
            CODE,
            "/entry/1/resource/effectiveDateTime",
        );
    }

    #[test]
    fn passes_dates_that_may_follow_birth_or_fall_in_the_pregnancy() {
        let clean = |resource: Value, birth: &str| {
            assert_eq!(issues(&resource, &born(birth)), vec![], "{resource}");
        };
        clean(condition("1974"), "1974-05-02");
        clean(condition("1974-05-02T01:00:00+14:00"), "1974-05-02");
        // A congenital condition found on a prenatal ultrasound.
        clean(condition("1974-02-10"), "1974-05-02");
        clean(condition("1973-07"), "1974-05-02");
        // No known patient: nothing to compare with.
        assert_clean(condition("1970-03-01"));
    }

    #[test]
    fn passes_records_about_someone_else() {
        let mother = json!({"resourceType": "Observation", "status": "final",
                            "code": {"text": "Maternal hepatitis B surface antigen"},
                            "subject": {"reference": "Patient/1"},
                            "focus": [{"reference": "RelatedPerson/mother"}],
                            "effectiveDateTime": "1970-03-01"});
        assert_eq!(issues(&mother, &born("1974-05-02")), vec![]);
        let group = json!({"resourceType": "Observation", "status": "final",
                           "code": {"text": "Heart rate"},
                           "subject": {"reference": "Group/ward-3"},
                           "effectiveDateTime": "1970-03-01"});
        assert_eq!(issues(&group, &born("1974-05-02")), vec![]);
    }

    #[test]
    fn leaves_a_birth_date_in_the_future_to_its_own_rule() {
        let condition = json!({"resourceType": "Condition",
                               "subject": {"reference": "urn:uuid:9f4c7a8e-3b1d-4c2e-8a6f-1d2e3f4a5b6c"},
                               "onsetDateTime": "2024-05-02"});
        assert_one(
            bundle("2999-01-01", condition),
            "birth-date-in-future",
            "/entry/0/resource/birthDate",
        );
    }
}
