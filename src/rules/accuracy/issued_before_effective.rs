//! # issued-before-effective
//!
//! **What it checks**: an Observation's result is not issued before the observation was made:
//! `issued` is not before the start of effective[x] (effectiveDateTime, effectivePeriod.start
//! or effectiveInstant). Issued before the *end* of an effective period is fine: an interim
//! report of a 24-hour collection is issued while it runs. Time zones are honoured, and a
//! date without a time spans its whole day in every time zone, so only an issue time that
//! cannot follow the start is reported. Judged only when the status says there is a result
//! (preliminary, final, amended, corrected): a registered observation's effective time may be
//! a planned collection. A date already reported as in the future or before the patient's
//! birth is left to that issue.
//!
//! **Why it matters**: a result issued before its specimen was taken is a wrong date or a
//! wrong time zone (a local time written with `Z`); turnaround-time measures, result
//! timelines and "result available" alerts read both times.
//!
//! **Example**: fails: `"effectiveDateTime": "2024-05-01T23:30:00-05:00", "issued":
//! "2024-05-02T01:00:00Z"` (the observation was made at 04:30 UTC); passes: `"effectivePeriod":
//! {"start": "2024-05-01T08:00:00Z", "end": "2024-05-02T08:00:00Z"}, "issued":
//! "2024-05-01T20:00:00Z"` (an interim report).
//!
//! **Authority**: FHIR R4 Observation.effective[x] ("the time or time-period the observed value
//! is asserted as being true ... usually called the 'physiologically relevant time'") and
//! Observation.issued ("the date and time this version of the observation was made available
//! to providers, typically after the results have been reviewed and verified")
//! (http://hl7.org/fhir/R4/observation.html).

use crate::fhir::path::AtPointer;
use crate::json::Value;

use crate::fhir::primitives::surely_before;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::accuracy::{already_reported, happened};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "issued-before-effective",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "value",
    title: "An observation's result issued before the observation was made",
};

const EFFECTIVE_STARTS: [&str; 3] = [
    "/effectiveDateTime",
    "/effectivePeriod/start",
    "/effectiveInstant",
];

record_rule! {
    types: crate::rules::Types::Only(&["Observation"]),
    fn check(resource, cx, out) {
        let Some(issued) = resource.get("issued").and_then(Value::as_str) else { return };
        let Some(start) = EFFECTIVE_STARTS
            .iter()
            .find_map(|p| resource.at_pointer(p))
            .and_then(Value::as_str)
        else {
            return;
        };
        if !happened(resource) || !surely_before(issued, start) {
            return;
        }
        let mut judged = EFFECTIVE_STARTS.to_vec();
        judged.push("/issued");
        if already_reported(resource, cx, &judged) {
            return;
        }
        out.push(RULE.issue(
            cx.location,
            "/issued",
            cx.messages,
            text!("issued-before-effective", issued, effective = start),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::{json, Value};

    const CODE: &str = "issued-before-effective";

    fn observation(status: &str, effective: (&str, Value), issued: &str) -> Value {
        let mut o = json!({"resourceType": "Observation", "status": status,
                           "code": {"text": "Serum potassium"}, "issued": issued});
        o[effective.0] = effective.1;
        o
    }

    fn at(effective: &str, issued: &str) -> Value {
        observation("final", ("effectiveDateTime", json!(effective)), issued)
    }

    #[test]
    fn fails_a_result_issued_before_it_was_observed() {
        // The observation was made at 04:30 UTC, after 01:00 UTC.
        assert_one(
            at("2024-05-01T23:30:00-05:00", "2024-05-02T01:00:00Z"),
            CODE,
            "/issued",
        );
        let period = json!({"start": "2024-05-02T10:00:00Z", "end": "2024-05-02T11:00:00Z"});
        assert_one(
            observation("final", ("effectivePeriod", period), "2024-05-01T10:00:00Z"),
            CODE,
            "/issued",
        );
        assert_one(
            observation(
                "amended",
                ("effectiveInstant", json!("2024-05-02T10:00:00.000+02:00")),
                "2024-05-02T07:59:59Z",
            ),
            CODE,
            "/issued",
        );
    }

    #[test]
    fn passes_results_that_may_follow_the_observation() {
        assert_clean(at("2024-05-02T01:00:00Z", "2024-05-01T23:30:00-05:00"));
        // A date without a time: the day may have begun at 10:00 UTC the day before.
        assert_clean(at("2024-05-02", "2024-05-02T01:00:00Z"));
        // An interim report while a 24-hour collection runs.
        let period = json!({"start": "2024-05-01T08:00:00Z", "end": "2024-05-02T08:00:00Z"});
        assert_clean(observation(
            "preliminary",
            ("effectivePeriod", period),
            "2024-05-01T20:00:00Z",
        ));
        // Registered: the effective time is a planned collection.
        assert_clean(observation(
            "registered",
            ("effectiveDateTime", json!("2024-05-03T08:00:00Z")),
            "2024-05-02T10:00:00Z",
        ));
    }

    #[test]
    fn leaves_a_future_effective_time_to_date_in_future() {
        assert_one(
            at("2999-05-02T10:00:00Z", "2024-05-02T10:00:00Z"),
            "date-in-future",
            "/effectiveDateTime",
        );
    }
}
