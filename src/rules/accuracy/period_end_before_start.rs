//! # period-end-before-start
//!
//! **What it checks**: every Period in a resource (Encounter.period, Condition.onsetPeriod,
//! Procedure.performedPeriod, a name's or identifier's period, ...) ends no earlier than it
//! starts. Time zones are honoured, and partial dates compare by what they may mean: only a
//! period that cannot be in order is reported. A start already reported as in the future or
//! before the patient's birth (date-in-future, date-before-birth) is left to that issue.
//!
//! **Why it matters**: an encounter that ends before it starts breaks length-of-stay, billing
//! units and every timeline built from the record; it is almost always a typo in one date.
//!
//! **Example**: fails: `"period": {"start": "2024-05-02T10:00:00Z", "end": "2024-05-01T10:00:00Z"}`;
//! passes: the same with the dates swapped, or `{"start": "2024-05", "end": "2024-05-02"}`, or a
//! date-only start with a timed end on the same day (HL7's validator fails that comparison of
//! unequal precisions; the period may well be in order, so ehrlint does not flag it).
//!
//! **Authority**: FHIR R4 invariant per-1 on Period: "If present, start SHALL have a lower value
//! than end" (http://hl7.org/fhir/R4/datatypes.html#Period).

use crate::json::Value;

use crate::fhir::primitives::surely_before;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "period-end-before-start",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "invariant",
    title: "A period that ends before it starts",
};

record_rule! {
    fn check(resource, cx, out) {
        let periods = cx.views().periods.iter();
        for (at, start, end) in periods.filter(|(_, s, e)| surely_before(e, s)) {
            if crate::rules::accuracy::already_reported(resource, cx, &[&format!("{at}/start")]) {
                continue;
            }
            let start = crate::rules::quote(&Value::from(*start));
            let end = crate::rules::quote(&Value::from(*end));
            out.push(RULE.issue(
                cx.location,
                &format!("{at}/end"),
                cx.messages,
                text!("period-end-before-start", end, start),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn encounter(start: &str, end: &str) -> serde_json::Value {
        json!({"resourceType": "Encounter", "status": "finished",
               "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
               "period": {"start": start, "end": end}})
    }

    #[test]
    fn fails_when_the_end_comes_first() {
        assert_one(
            encounter("2024-05-02T10:00:00Z", "2024-05-01T10:00:00Z"),
            "period-end-before-start",
            "/period/end",
        );
        // 09:00 in New York is 13:00 UTC: after 12:00 UTC.
        assert_one(
            encounter("2024-05-02T09:00:00-04:00", "2024-05-02T12:00:00Z"),
            "period-end-before-start",
            "/period/end",
        );
        assert_one(
            encounter("2024-05-03", "2024-05-01"),
            "period-end-before-start",
            "/period/end",
        );
    }

    #[test]
    fn passes_ordered_and_overlapping_partial_periods() {
        assert_clean(encounter("2024-05-01T10:00:00Z", "2024-05-02T10:00:00Z"));
        assert_clean(encounter("2024-05", "2024-05-02"));
        assert_clean(encounter("2024-05-02", "2024-05-02T08:00:00+02:00"));
    }

    #[test]
    fn leaves_a_start_in_the_future_to_date_in_future() {
        let procedure = json!({"resourceType": "Procedure", "status": "completed",
                               "subject": {"reference": "Patient/1"},
                               "performedPeriod": {"start": "2999-05-02", "end": "2024-05-03"}});
        assert_one(procedure, "date-in-future", "/performedPeriod/start");
    }

    #[test]
    fn covers_a_prescription_validity_period() {
        let request = |start: &str, end: &str| {
            json!({"resourceType": "MedicationRequest", "status": "active", "intent": "order",
                   "subject": {"reference": "Patient/1"},
                   "medicationCodeableConcept": {"text": "amoxicillin 500 mg capsule"},
                   "dispenseRequest": {"validityPeriod": {"start": start, "end": end}}})
        };
        assert_one(
            request("2024-05-02", "2024-04-02"),
            "period-end-before-start",
            "/dispenseRequest/validityPeriod/end",
        );
        assert_clean(request("2024-05-02", "2024-08-02"));
    }
}
