//! Accuracy rules: is a value malformed or implausible (dates out of order, dates in the
//! future, implausible vitals)? What the date rules share: where a resource's clinical dates
//! are, which of them a record's status says happened, and whether one is already reported as
//! impossible (so that the ordering rules do not report the same mistyped date again).

pub mod birth_date_in_future;
pub mod birth_date_too_old;
pub mod date_before_birth;
pub mod date_in_future;
pub mod deceased_before_birth;
pub mod diastolic_above_systolic;
pub mod issued_before_effective;
pub mod onset_after_abatement;
pub mod period_end_before_start;
pub mod ucum_invalid;
pub mod unit_mismatch;
pub mod value_implausible;
pub mod value_impossible;

use serde_json::Value;

use crate::codes::units;
use crate::fhir::primitives::Moment;
use crate::rules::Cx;

/// What a clinical date says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// When something happened to the patient: an onset, an observation, a procedure, a
    /// vaccination, an encounter's start. A planned one may lie ahead.
    Event,
    /// When the record was written: recordedDate, issued, recorded, authoredOn.
    Record,
}

/// Where the clinical dates are, by resource type: (type, pointer, what a clinician calls it,
/// kind). A Period counts by its start: an end is allowed to lie ahead (a planned end), and an
/// end before a start is period-end-before-start's.
const DATES: &[(&str, &str, &str, Kind)] = &[
    ("Condition", "/onsetDateTime", "onset date", Kind::Event),
    ("Condition", "/onsetPeriod/start", "onset date", Kind::Event),
    (
        "Condition",
        "/abatementDateTime",
        "abatement (resolution) date",
        Kind::Event,
    ),
    ("Condition", "/recordedDate", "recorded date", Kind::Record),
    (
        "Observation",
        "/effectiveDateTime",
        "observation time",
        Kind::Event,
    ),
    (
        "Observation",
        "/effectivePeriod/start",
        "observation start",
        Kind::Event,
    ),
    (
        "Observation",
        "/effectiveInstant",
        "observation time",
        Kind::Event,
    ),
    (
        "Observation",
        "/issued",
        "time the result was issued",
        Kind::Record,
    ),
    (
        "Procedure",
        "/performedDateTime",
        "procedure date",
        Kind::Event,
    ),
    (
        "Procedure",
        "/performedPeriod/start",
        "procedure start",
        Kind::Event,
    ),
    (
        "Immunization",
        "/occurrenceDateTime",
        "vaccination date",
        Kind::Event,
    ),
    ("Immunization", "/recorded", "recorded date", Kind::Record),
    (
        "AllergyIntolerance",
        "/onsetDateTime",
        "onset date",
        Kind::Event,
    ),
    (
        "AllergyIntolerance",
        "/onsetPeriod/start",
        "onset date",
        Kind::Event,
    ),
    (
        "AllergyIntolerance",
        "/recordedDate",
        "recorded date",
        Kind::Record,
    ),
    (
        "MedicationRequest",
        "/authoredOn",
        "prescription date",
        Kind::Record,
    ),
    ("Encounter", "/period/start", "encounter start", Kind::Event),
];

/// The resource types that have clinical dates.
pub(crate) const DATED_TYPES: &[&str] = &[
    "Condition",
    "Observation",
    "Procedure",
    "Immunization",
    "AllergyIntolerance",
    "MedicationRequest",
    "Encounter",
];

/// One clinical date of a resource, readable as a date.
pub(crate) struct ClinicalDate<'a> {
    /// JSON Pointer below the resource.
    pub pointer: &'static str,
    pub label: &'static str,
    pub text: &'a str,
    pub moment: Moment,
    pub kind: Kind,
}

/// The resource's clinical dates, in the order of `DATES` (the main clinical date first).
/// Values that are not strings or not valid dates are skipped: the structure layer reports them.
pub(crate) fn clinical_dates(resource: &Value) -> Vec<ClinicalDate<'_>> {
    let rt = resource
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("");
    DATES
        .iter()
        .filter(|d| d.0 == rt)
        .filter_map(|&(_, pointer, label, kind)| {
            let text = resource.pointer(pointer)?.as_str()?;
            Some(ClinicalDate {
                pointer,
                label,
                text,
                moment: Moment::parse(text)?,
                kind,
            })
        })
        .collect()
}

/// A record marked entered-in-error (status, or a verificationStatus coding): its dates are
/// known to be wrong, often because it was filed to the wrong patient; they are not reported.
pub(crate) fn entered_in_error(resource: &Value) -> bool {
    resource.get("status").and_then(Value::as_str) == Some("entered-in-error")
        || resource
            .pointer("/verificationStatus/coding")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c.get("code").and_then(Value::as_str) == Some("entered-in-error"))
            })
}

/// Whether the record says its event dates are facts, not plans: only these statuses say the
/// event has begun. Planned, registered, in-preparation, not-done, cancelled and unknown
/// statuses may carry a planned date ahead; a missing status says nothing.
pub(crate) fn happened(resource: &Value) -> bool {
    let status = resource.get("status").and_then(Value::as_str);
    match resource.get("resourceType").and_then(Value::as_str) {
        Some("Encounter") => matches!(status, Some("in-progress" | "onleave" | "finished")),
        Some("Procedure") => matches!(
            status,
            Some("in-progress" | "on-hold" | "stopped" | "completed")
        ),
        Some("Observation") => matches!(
            status,
            Some("preliminary" | "final" | "amended" | "corrected")
        ),
        Some("Immunization") => status == Some("completed"),
        // Conditions and allergies have no planned state.
        _ => true,
    }
}

/// How far ahead of the validator's clock a timed value may be before it counts as in the
/// future: device and computer clocks drift by a few minutes.
pub(crate) const CLOCK_SKEW: i64 = 5 * 60;

/// Whether `date` lies in the future by date-in-future's judgement: after now (plus the clock
/// skew) in every time zone, on a record whose status says it happened (for an event) or that
/// stands (for a record date).
pub(crate) fn in_future(resource: &Value, date: &ClinicalDate, cx: &Cx) -> bool {
    let applies = match date.kind {
        Kind::Event => happened(resource),
        // A draft prescription is not authored yet.
        Kind::Record => resource.get("status").and_then(Value::as_str) != Some("draft"),
    };
    applies && !entered_in_error(resource) && date.moment.instants.0 > cx.now + CLOCK_SKEW
}

/// How long before its birth a record may rightly be dated: a pregnancy (44 weeks covers the
/// longest). Prenatal findings, a congenital condition diagnosed before birth and fetal
/// procedures are filed to the child's record with dates in the pregnancy.
pub(crate) const PREGNANCY: i64 = 44 * 7 * 86_400;

/// The patient's birth date, when date-before-birth may judge this resource against it: a
/// known birth date that is not itself in the future (that is birth-date-in-future's), on a
/// record that stands and is about that patient (an Observation with a `focus` is about
/// someone or something else, like a fetus or a parent; a subject of another type is not the
/// patient).
pub(crate) fn birth_to_judge(resource: &Value, cx: &Cx) -> Option<Moment> {
    if entered_in_error(resource) || resource.get("focus").is_some() {
        return None;
    }
    let subject = ["subject", "patient"].iter().find_map(|k| resource.get(k));
    if let Some(subject) = subject {
        let typed = subject.get("type").and_then(Value::as_str);
        let named = subject
            .get("reference")
            .and_then(Value::as_str)
            .and_then(reference_type);
        if typed.or(named).is_some_and(|t| t != "Patient") {
            return None;
        }
    }
    let birth = cx.patient()?.birth_date?;
    if birth.days().0 > cx.today {
        return None;
    }
    Moment::parse(&birth.to_string())
}

/// The resource type a literal reference names (`Patient/1`, `http://x/fhir/Group/2`), if any.
fn reference_type(reference: &str) -> Option<&str> {
    if reference.starts_with('#') || reference.starts_with("urn:") {
        return None;
    }
    let mut parts = reference.rsplit('/');
    let (_, rt) = (parts.next()?, parts.next()?);
    let rt = if rt == "_history" {
        // Patient/1/_history/2
        parts.nth(1)?
    } else {
        rt
    };
    rt.starts_with(|c: char| c.is_ascii_uppercase())
        .then_some(rt)
}

/// Whether `date` is before the patient's birth by date-before-birth's judgement: every moment
/// it may mean comes more than a pregnancy before the earliest moment the birth date may mean.
pub(crate) fn before_birth(date: &ClinicalDate, birth: &Moment) -> bool {
    date.moment.instants.1 < birth.instants.0 - PREGNANCY
}

/// Whether any of these clinical dates of the resource (by pointer) is already reported by
/// date-in-future or date-before-birth: then a rule comparing two dates stays silent, the
/// mistyped date has its issue.
pub(crate) fn already_reported(resource: &Value, cx: &Cx, pointers: &[&str]) -> bool {
    let dates = clinical_dates(resource);
    let mut judged = dates.iter().filter(|d| pointers.contains(&d.pointer));
    let birth = birth_to_judge(resource, cx);
    judged.any(|d| in_future(resource, d, cx) || birth.as_ref().is_some_and(|b| before_birth(d, b)))
}

/// The LOINC system URI.
pub(crate) const LOINC: &str = "http://loinc.org";
/// The UCUM system URI.
pub(crate) const UCUM: &str = "http://unitsofmeasure.org";

/// A quantity an Observation reports for a LOINC code the range table knows: its value, its
/// unit as UCUM (the `code`, else a `unit` text that is valid UCUM), and where it is.
pub(crate) struct Measurement<'a> {
    pub loinc: &'a str,
    pub value: f64,
    /// The number as written, for messages.
    pub shown: String,
    pub unit: Option<&'a str>,
    /// Pointer suffix of the Quantity: `/valueQuantity`, `/component/1/valueQuantity`.
    pub at: String,
    /// The Quantity has a comparator (`<`, `>=`...): a bound, not a measured value.
    pub bounded: bool,
}

/// The Observation's own value and its components' values, with their LOINC codes.
pub(crate) fn measurements<'a>(
    resource: &'a Value,
    ranges: &crate::codes::ranges::Ranges,
) -> Vec<Measurement<'a>> {
    let mut out = Vec::new();
    let mut push = |holder: &'a Value, at: &str| {
        let Some(loinc) = holder
            .get("code")
            .and_then(|c| c.get("coding"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|c| c.get("system").and_then(Value::as_str) == Some(LOINC))
            .filter_map(|c| c.get("code").and_then(Value::as_str))
            .find(|code| ranges.knows(code))
        else {
            return;
        };
        let Some(q) = holder.get("valueQuantity") else {
            return;
        };
        let Some(number) = q.get("value").and_then(Value::as_number) else {
            return;
        };
        let Some(value) = number.as_f64() else {
            return;
        };
        let system = q.get("system").and_then(Value::as_str);
        let code = q.get("code").and_then(Value::as_str);
        let unit = match (system, code) {
            (Some(UCUM) | None, Some(code)) => Some(code),
            (Some(_), Some(_)) => None,
            (_, None) => q
                .get("unit")
                .and_then(Value::as_str)
                .filter(|u| units::analyze(u).is_some()),
        };
        out.push(Measurement {
            loinc,
            value,
            shown: number.to_string(),
            unit,
            at: format!("{at}/valueQuantity"),
            bounded: q.get("comparator").is_some(),
        });
    };
    push(resource, "");
    if let Some(components) = resource.get("component").and_then(Value::as_array) {
        for (i, c) in components.iter().enumerate() {
            push(c, &format!("/component/{i}"));
        }
    }
    out
}

/// The patient's possible age in whole years on the Observation's date, when both are known.
pub(crate) fn age_on_service(resource: &Value, cx: &Cx) -> Option<(f64, f64)> {
    let birth = cx.patient()?.birth_date?.days();
    let (first, last) = crate::rules::consistency::service_days(resource, cx);
    let youngest = crate::codes::mce::age(birth.1, first).max(0);
    let oldest = crate::codes::mce::age(birth.0, last).max(0);
    Some((youngest as f64, oldest as f64))
}

/// How a value compares with a code's bounds for the patient's age, with the value converted
/// into the bounds' unit.
pub(crate) struct Judged<'b> {
    pub band: &'b crate::codes::ranges::Band,
    /// The value in `band.unit`.
    pub value: f64,
    pub impossible: (f64, f64),
    pub implausible: (f64, f64),
}

/// None when the unit is missing or cannot measure the code's property (another rule's case).
pub(crate) fn judge<'b>(m: &Measurement, resource: &Value, cx: &'b Cx) -> Option<Judged<'b>> {
    let unit = m.unit?;
    let ranges = &cx.codes.ranges;
    let age = age_on_service(resource, cx);
    let bands = ranges.bands(m.loinc, age);
    let band = *bands.first()?;
    let (impossible, implausible) = crate::codes::ranges::widest(&bands)?;
    let value = units::convert(m.value, unit, &band.unit, band.molar_mass)?;
    Some(Judged {
        band,
        value,
        impossible,
        implausible,
    })
}

impl Judged<'_> {
    /// A unit the value would be plausible in, when the one given makes it out of range:
    /// 98.6 with Cel reads as [degF].
    pub fn likely_unit(&self, m: &Measurement) -> Option<(String, f64)> {
        let given = m.unit?;
        std::iter::once(&self.band.unit)
            .chain(&self.band.confused_with)
            .filter(|u| u.as_str() != given)
            .find_map(|u| {
                let v = units::convert(m.value, u, &self.band.unit, self.band.molar_mass)?;
                (self.implausible.0..=self.implausible.1)
                    .contains(&v)
                    .then(|| (u.clone(), v))
            })
    }
}

/// A number for messages: at most 2 decimals, no trailing zeros.
pub(crate) fn show_number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}
