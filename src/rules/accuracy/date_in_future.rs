//! # date-in-future
//!
//! **What it checks**: a record's clinical dates are not in the future: Condition onset
//! (onsetDateTime, onsetPeriod.start), abatementDateTime and recordedDate; Observation
//! effective[x] (dateTime, Period start, instant) and issued; Procedure performedDateTime and
//! performedPeriod.start; Immunization occurrenceDateTime and recorded; AllergyIntolerance onset
//! and recordedDate; MedicationRequest authoredOn; Encounter period.start;
//! MedicationAdministration effective[x]; MedicationDispense whenHandedOver; DiagnosticReport
//! effective[x] and issued (the table of clinical dates is `fhir::facts::CLINICAL_DATES`).
//!
//! "Future" means after the real clock, not after the caller's date of service (`asOf`). A
//! date without a time is in the future only once it has begun nowhere on Earth (its day starts
//! in the most advanced time zone, UTC+14, after now), so a date entered in one zone is never
//! "tomorrow" by another's clock. A time is in the future when it is more than 5 minutes
//! ahead of now, with its time zone: device and computer clocks drift by a few minutes.
//!
//! Plans are not facts, and are not reported: an event date is judged only when the record's
//! status says the event has begun (Encounter in-progress, onleave or finished; Procedure
//! in-progress, on-hold, stopped or completed; Observation preliminary, final, amended or
//! corrected; DiagnosticReport partial, preliminary, final, amended, corrected or appended;
//! MedicationAdministration in-progress, on-hold, completed or stopped; MedicationDispense
//! completed; Immunization completed; any Condition or AllergyIntolerance). A planned,
//! arrived or triaged Encounter, a Procedure in preparation or not done, a registered or
//! cancelled Observation, a vaccination not done, and any unknown status may rightly carry a
//! date ahead. The end of a period may lie ahead (an encounter's planned discharge), and a
//! prescription's dispense validityPeriod is a plan, so neither is checked. Record dates (when
//! the record was written) are judged on any record but a draft prescription. Records
//! entered in error are never judged.
//!
//! **Why it matters**: a fact cannot be dated ahead: the date is mistyped (2052 for 2025, or
//! day and month swapped) or a planned date landed in the field for what happened. A
//! future-dated result sorts to the top of every timeline and flowsheet, hides the real latest
//! value, and falls outside "in the last 12 months" quality measures and care gaps.
//!
//! **Example**: fails: a Condition with `"onsetDateTime": "2999-01-01"`, or an Observation with
//! `"status": "final", "effectiveDateTime": "2999-01-01T10:00:00Z"`; passes: the same
//! Observation with `"status": "registered"` (a planned collection), or an Encounter with
//! `"status": "planned", "period": {"start": "2999-01-01"}`.
//!
//! **Authority**: FHIR R4 element definitions: Condition.onset[x] ("estimated or actual date or
//! date-time the condition began"), Condition.recordedDate ("date record was first
//! recorded"), Observation.effective[x] ("the time or time-period the observed value is
//! asserted as being true"), Observation.issued ("the date and time this version of the
//! observation was made available to providers"), Procedure.performed[x] ("estimated or actual
//! date ... when the procedure was performed"), Immunization.occurrence[x] ("date vaccine
//! administered or was to be administered"), Immunization.recorded,
//! AllergyIntolerance.onset[x] and recordedDate, MedicationRequest.authoredOn ("the date ...
//! when the prescription was initially written or authored on"), Encounter.period ("the start
//! and end time of the encounter"), MedicationAdministration.effective[x],
//! MedicationDispense.whenHandedOver, DiagnosticReport.effective[x] and issued; and the status
//! value sets EncounterStatus, EventStatus, ObservationStatus, DiagnosticReportStatus,
//! MedicationAdministration and MedicationDispense status codes, and ImmunizationStatusCodes
//! (http://hl7.org/fhir/R4/).

use crate::fhir::clock::show_instant;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::accuracy::{in_future, label_text, Kind};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "date-in-future",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "value",
    title: "A clinical date in the future on a record of what happened",
};

record_rule! {
    fn check(resource, cx, out) {
        for date in cx.clinical_dates() {
            if !in_future(resource, date, cx) {
                continue;
            }
            let now = show_instant(cx.now);
            let label = cx.messages.render(&label_text(date.label));
            let text = match date.kind {
                Kind::Event => text!("date-in-future", label, date = date.text, now),
                Kind::Record => text!("date-in-future.record", label, date = date.text, now),
            };
            out.push(RULE.issue(cx.location, date.pointer, cx.messages, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::fhir::clock::{day_of, now, show};
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::{json, Value};

    const CODE: &str = "date-in-future";

    /// An instant as FHIR writes it in a time zone `offset` minutes from UTC.
    fn at(secs: i64, offset: i64) -> String {
        let local = secs + offset * 60;
        let s = local.rem_euclid(86_400);
        let sign = if offset < 0 { '-' } else { '+' };
        format!(
            "{}T{:02}:{:02}:{:02}{sign}{:02}:{:02}",
            show(day_of(local)),
            s / 3600,
            s / 60 % 60,
            s % 60,
            offset.abs() / 60,
            offset.abs() % 60
        )
    }

    fn observation(status: &str, when: Value) -> Value {
        json!({"resourceType": "Observation", "status": status, "code": {"text": "Heart rate"},
               "effectiveDateTime": when})
    }

    #[test]
    fn fails_facts_dated_ahead() {
        let condition = json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
                               "onsetDateTime": "2999-01-01"});
        assert_one(condition, CODE, "/onsetDateTime");
        let condition = json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
                               "recordedDate": "2999-01"});
        assert_one(condition, CODE, "/recordedDate");
        assert_one(
            observation("final", json!("2999-01-01T10:00:00Z")),
            CODE,
            "/effectiveDateTime",
        );
        let period = json!({"resourceType": "Observation", "status": "final", "code": {"text": "Heart rate"},
                            "effectivePeriod": {"start": "2999-01-01"}});
        assert_one(period, CODE, "/effectivePeriod/start");
        let procedure = json!({"resourceType": "Procedure", "status": "completed",
                               "subject": {"reference": "Patient/1"},
                               "performedPeriod": {"start": "2999-01-01"}});
        assert_one(procedure, CODE, "/performedPeriod/start");
        let request = json!({"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                             "subject": {"reference": "Patient/1"},
                             "medicationCodeableConcept": {"text": "amoxicillin 500 mg capsule"},
                             "authoredOn": "2999-01-01"});
        assert_one(request, CODE, "/authoredOn");
        // The types the facts table added: a dispense handed over, a final report.
        let dispense = json!({"resourceType": "MedicationDispense", "status": "completed",
                              "medicationCodeableConcept": {"text": "amoxicillin"},
                              "whenHandedOver": "2999-01-01"});
        assert_one(dispense, CODE, "/whenHandedOver");
        let report = json!({"resourceType": "DiagnosticReport", "status": "final",
                            "code": {"text": "CBC"}, "effectiveDateTime": "2999-01-01"});
        assert_one(report, CODE, "/effectiveDateTime");
    }

    #[test]
    fn passes_planned_dispenses_and_registered_reports() {
        let dispense = json!({"resourceType": "MedicationDispense", "status": "preparation",
                              "medicationCodeableConcept": {"text": "amoxicillin"},
                              "whenHandedOver": "2999-01-01"});
        assert_clean(dispense);
        let report = json!({"resourceType": "DiagnosticReport", "status": "registered",
                            "code": {"text": "CBC"}, "effectiveDateTime": "2999-01-01"});
        assert_clean(report);
    }

    #[test]
    fn allows_a_few_minutes_of_clock_skew_and_honours_time_zones() {
        let now = now();
        // An hour ahead, written in Chicago time: its date may even be yesterday's.
        assert_one(
            observation("final", json!(at(now + 3600, -300))),
            CODE,
            "/effectiveDateTime",
        );
        // A minute ahead: a clock that runs a little fast.
        assert_clean(observation("final", json!(at(now + 60, 0))));
        // Half an hour ago in Kiribati (UTC+14): its date is often tomorrow's in UTC.
        assert_clean(observation("final", json!(at(now - 1800, 14 * 60))));
    }

    #[test]
    fn a_date_is_in_the_future_once_it_has_begun_nowhere() {
        let today = show(day_of(now()));
        assert_clean(observation("final", json!(today)));
        // The day after tomorrow (UTC) has not begun anywhere yet.
        let later = show(day_of(now() + 2 * 86_400));
        assert_one(
            observation("final", json!(later)),
            CODE,
            "/effectiveDateTime",
        );
    }

    #[test]
    fn passes_plans_and_past_dates() {
        assert_clean(observation("final", json!("2024-05-02T10:00:00Z")));
        // A registered observation: the planned collection time.
        assert_clean(observation("registered", json!("2999-01-01T10:00:00Z")));
        assert_clean(observation("cancelled", json!("2999-01-01T10:00:00Z")));
        let encounter = json!({"resourceType": "Encounter", "status": "planned",
                               "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
                               "period": {"start": "2999-01-01T09:00:00Z"}});
        assert_clean(encounter);
        // An encounter under way, with its planned end.
        let encounter = json!({"resourceType": "Encounter", "status": "in-progress",
                               "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
                               "period": {"start": "2024-05-02T09:00:00Z", "end": "2999-01-01"}});
        assert_clean(encounter);
        let procedure = json!({"resourceType": "Procedure", "status": "preparation",
                               "subject": {"reference": "Patient/1"},
                               "performedDateTime": "2999-01-01"});
        assert_clean(procedure);
        let immunization = json!({"resourceType": "Immunization", "status": "not-done",
                                  "vaccineCode": {"text": "influenza vaccine"},
                                  "patient": {"reference": "Patient/1"},
                                  "occurrenceDateTime": "2999-01-01"});
        assert_clean(immunization);
        let request = json!({"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                             "subject": {"reference": "Patient/1"},
                             "medicationCodeableConcept": {"text": "amoxicillin 500 mg capsule"},
                             "authoredOn": "2024-05-02",
                             "dispenseRequest": {"validityPeriod": {"start": "2999-01-01"}}});
        assert_clean(request);
        let wrong = json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
                           "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "entered-in-error"}]},
                           "onsetDateTime": "2999-01-01"});
        assert_clean(wrong);
    }
}
