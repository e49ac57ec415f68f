//! # onset-after-abatement
//!
//! **What it checks**: a Condition does not resolve before it begins: the earliest its onset
//! may be (onsetDateTime, or onsetPeriod.start) is not after the latest its abatement may be
//! (abatementDateTime, or abatementPeriod.end). When both are given as ages (onsetAge or
//! onsetRange.low against abatementAge or abatementRange.high, in UCUM time units without a
//! comparator), the onset age is not above the abatement age. Partial dates compare by what
//! they may mean and time zones are honoured, as in period-end-before-start: only a condition
//! that cannot be in order is reported. An onset date against an abatement age (or the
//! reverse) is not compared. A date already reported as in the future or before the
//! patient's birth is left to that issue, and an order within one Period is
//! period-end-before-start's.
//!
//! **Why it matters**: a condition that resolves before it begins is a mistyped or swapped
//! date; problem lists, disease durations and registries (time to remission, active
//! problems on a date) read the interval and go wrong.
//!
//! **Example**: fails: `"onsetDateTime": "2024-05-02", "abatementDateTime": "2024-04-01"`, or
//! `"onsetDateTime": "2024-05-01T23:30:00-05:00", "abatementDateTime": "2024-05-02T01:00:00Z"`
//! (the onset is 04:30 UTC); passes: `"onsetDateTime": "2024", "abatementDateTime":
//! "2024-03-01"` (the onset may be in January).
//!
//! **Authority**: FHIR R4 Condition.onset[x] ("estimated or actual date or date-time the
//! condition began") and Condition.abatement[x] ("the date or estimated date that the
//! condition resolved or went into remission") (http://hl7.org/fhir/R4/condition.html), with
//! invariant con-4 (an abated condition is inactive, resolved or in remission): an abatement
//! ends what the onset began.

use crate::fhir::path::AtPointer;
use crate::json::Value;

use crate::fhir::primitives::surely_before;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::accuracy::{already_reported, entered_in_error};
use crate::rules::{quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "onset-after-abatement",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "invariant",
    title: "A condition that resolves before it begins",
};

/// UCUM time units an Age uses, in seconds (a year is 365.25 days, a month a twelfth of it).
fn unit_seconds(code: &str) -> Option<f64> {
    Some(match code {
        "s" => 1.0,
        "min" => 60.0,
        "h" => 3_600.0,
        "d" => 86_400.0,
        "wk" => 604_800.0,
        "mo" => 2_629_800.0,
        "a" => 31_557_600.0,
        _ => return None,
    })
}

/// An age Quantity in seconds, when it is a plain UCUM time quantity.
fn age_seconds(q: &Value) -> Option<f64> {
    if q.get("comparator").is_some() {
        return None;
    }
    if let Some(system) = q.get("system") {
        if system.as_str() != Some("http://unitsofmeasure.org") {
            return None;
        }
    }
    let value = q.get("value")?.as_f64()?;
    Some(value * unit_seconds(q.get("code")?.as_str()?)?)
}

/// The earliest the onset may be and the latest the abatement may be, as written, with the
/// abatement's pointer.
fn dates(resource: &Value) -> Option<(&str, &str, &'static str)> {
    let onset = resource
        .get("onsetDateTime")
        .or_else(|| resource.at_pointer("/onsetPeriod/start"))?
        .as_str()?;
    let (abatement, at) = if let Some(a) = resource.get("abatementDateTime") {
        (a, "/abatementDateTime")
    } else {
        (
            resource.at_pointer("/abatementPeriod/end")?,
            "/abatementPeriod/end",
        )
    };
    Some((onset, abatement.as_str()?, at))
}

/// The same for ages: (onset age, abatement age, abatement pointer, onset as written,
/// abatement as written).
fn ages(resource: &Value) -> Option<(f64, f64, &'static str, String, String)> {
    let onset = resource
        .get("onsetAge")
        .or_else(|| resource.at_pointer("/onsetRange/low"))?;
    let (abatement, at) = if let Some(a) = resource.get("abatementAge") {
        (a, "/abatementAge")
    } else {
        (
            resource.at_pointer("/abatementRange/high")?,
            "/abatementRange/high",
        )
    };
    let shown = |q: &Value| {
        let value = q.get("value").map(Value::to_string).unwrap_or_default();
        let unit = q
            .get("unit")
            .or_else(|| q.get("code"))
            .and_then(Value::as_str)
            .unwrap_or("");
        format!("{value} {unit}").trim().to_string()
    };
    Some((
        age_seconds(onset)?,
        age_seconds(abatement)?,
        at,
        shown(onset),
        shown(abatement),
    ))
}

record_rule! {
    types: crate::rules::Types::Only(&["Condition"]),
    fn check(resource, cx, out) {
        if entered_in_error(resource) {
            return;
        }
        if let Some((onset, abatement, at)) = dates(resource) {
            if surely_before(abatement, onset)
                && !already_reported(
                    resource,
                    cx,
                    &["/onsetDateTime", "/onsetPeriod/start", "/abatementDateTime"],
                )
            {
                out.push(RULE.issue(
                    cx.location,
                    at,
                    cx.messages,
                    text!(
                        "onset-after-abatement",
                        abatement = quote(&Value::from(abatement)),
                        onset = quote(&Value::from(onset))
                    ),
                ));
            }
        } else if let Some((onset, abatement, at, onset_text, abatement_text)) = ages(resource) {
            if abatement < onset {
                out.push(RULE.issue(
                    cx.location,
                    at,
                    cx.messages,
                    text!(
                        "onset-after-abatement.ages",
                        abatement = abatement_text,
                        onset = onset_text
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::{json, Value};

    const CODE: &str = "onset-after-abatement";

    fn condition(onset: (&str, Value), abatement: (&str, Value)) -> Value {
        let mut c = json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}]}});
        c[onset.0] = onset.1;
        c[abatement.0] = abatement.1;
        c
    }

    fn dates(onset: &str, abatement: &str) -> Value {
        condition(
            ("onsetDateTime", json!(onset)),
            ("abatementDateTime", json!(abatement)),
        )
    }

    fn years(n: f64) -> Value {
        json!({"value": n, "unit": "years", "system": "http://unitsofmeasure.org", "code": "a"})
    }

    #[test]
    fn fails_an_abatement_before_the_onset() {
        assert_one(
            dates("2024-05-02", "2024-04-01"),
            CODE,
            "/abatementDateTime",
        );
        assert_one(dates("2024-05", "2024-04"), CODE, "/abatementDateTime");
        // 23:30 in Chicago is 04:30 UTC: after 01:00 UTC.
        assert_one(
            dates("2024-05-01T23:30:00-05:00", "2024-05-02T01:00:00Z"),
            CODE,
            "/abatementDateTime",
        );
        let periods = condition(
            ("onsetPeriod", json!({"start": "2024-05-03"})),
            (
                "abatementPeriod",
                json!({"start": "2024-04-01", "end": "2024-05-01"}),
            ),
        );
        assert_one(periods, CODE, "/abatementPeriod/end");
        assert_one(
            condition(("onsetAge", years(50.0)), ("abatementAge", years(40.0))),
            CODE,
            "/abatementAge",
        );
        let range = json!({"low": years(40.0), "high": years(45.0)});
        assert_one(
            condition(("onsetRange", range), ("abatementAge", years(30.0))),
            CODE,
            "/abatementAge",
        );
    }

    #[test]
    fn passes_conditions_that_may_be_in_order() {
        assert_clean(dates("2024-04-01", "2024-05-02"));
        assert_clean(dates("2024", "2024-03-01"));
        assert_clean(dates("2024-05-02T01:00:00Z", "2024-05-01T23:30:00-05:00"));
        assert_clean(dates("2024-05-02", "2024-05-02"));
        let months = json!({"value": 6, "unit": "months", "system": "http://unitsofmeasure.org", "code": "mo"});
        assert_clean(condition(
            ("onsetAge", months),
            ("abatementAge", years(1.0)),
        ));
        let twelve = json!({"value": 12, "unit": "months", "system": "http://unitsofmeasure.org", "code": "mo"});
        assert_clean(condition(
            ("onsetAge", twelve),
            ("abatementAge", years(1.0)),
        ));
        // An onset date and an abatement age are not compared.
        assert_clean(condition(
            ("onsetDateTime", json!("2024-05-02")),
            ("abatementAge", years(1.0)),
        ));
    }

    #[test]
    fn leaves_a_future_onset_to_date_in_future() {
        assert_one(
            dates("2999-05-02", "2024-04-01"),
            "date-in-future",
            "/onsetDateTime",
        );
    }
}
