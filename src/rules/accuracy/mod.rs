//! Accuracy rules: is a value malformed or implausible (dates out of order, dates in the
//! future, contact details that cannot be used, implausible vitals)? What the date rules
//! share: where a resource's clinical dates are, which of them a record's status says
//! happened, and whether one is already reported as impossible (so that the ordering rules do
//! not report the same mistyped date again).

// One module per file of this folder, one rule each (build.rs `write_rule_registry`).
include!(concat!(env!("OUT_DIR"), "/rules-accuracy.rs"));

use crate::fhir::path::AtPointer;
use crate::json::{Map, Value};

use crate::codes::units;
use crate::fhir::coding::LOINC;
use crate::fhir::facts::{self, Kind, Label};
pub(crate) use crate::fhir::facts::{entered_in_error, happened};
use crate::fhir::index::Datatype;
use crate::fhir::primitives::Moment;
use crate::messages::{text, Text};
use crate::rules::RuleInput;

/// A clinical date's name with its article, to begin a sentence: "The onset date".
pub(crate) fn label_text(label: Label) -> Text {
    {
        match label {
            Label::Onset => text!("date-in-future.label.onset"),
            Label::Abatement => text!("date-in-future.label.abatement"),
            Label::Recorded => text!("date-in-future.label.recorded"),
            Label::ObservationTime => text!("date-in-future.label.observation-time"),
            Label::ObservationStart => text!("date-in-future.label.observation-start"),
            Label::Issued => text!("date-in-future.label.issued"),
            Label::ProcedureDate => text!("date-in-future.label.procedure-date"),
            Label::ProcedureStart => text!("date-in-future.label.procedure-start"),
            Label::Vaccination => text!("date-in-future.label.vaccination"),
            Label::Prescription => text!("date-in-future.label.prescription"),
            Label::EncounterStart => text!("date-in-future.label.encounter-start"),
            Label::Administration => text!("date-in-future.label.administration"),
            Label::HandedOver => text!("date-in-future.label.handed-over"),
            Label::ReportTime => text!("date-in-future.label.report-time"),
        }
    }
}

/// One clinical date of a resource, readable as a date.
pub(crate) struct ClinicalDate<'a> {
    /// JSON Pointer below the resource.
    pub pointer: &'static str,
    pub label: Label,
    pub text: &'a str,
    pub moment: Moment,
    pub kind: Kind,
}

/// The resource's clinical dates (`fhir::facts::CLINICAL_DATES`, the main clinical date
/// first). Values that are not strings or not valid dates are skipped: the structure layer
/// reports them.
pub(crate) fn clinical_dates(resource: &Value) -> Vec<ClinicalDate<'_>> {
    let rt = resource
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("");
    facts::clinical_dates(rt)
        .filter_map(|&(_, pointer, label, kind)| {
            let text = resource.at_pointer(pointer)?.as_str()?;
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

/// How far ahead of the validator's clock a timed value may be before it counts as in the
/// future: device and computer clocks drift by a few minutes.
pub(crate) const CLOCK_SKEW: i64 = 5 * 60;

/// Whether `date` lies in the future by date-in-future's judgement: after now (plus the clock
/// skew) in every time zone, on a record whose status says it happened (for an event) or that
/// stands (for a record date).
pub(crate) fn in_future(resource: &Value, date: &ClinicalDate, cx: &RuleInput) -> bool {
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
pub(crate) fn birth_to_judge(resource: &Value, cx: &RuleInput) -> Option<Moment> {
    if entered_in_error(resource) || resource.get("focus").is_some() {
        return None;
    }
    let rt = resource
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("");
    let subject = facts::subject_elements(rt)
        .iter()
        .find_map(|k| resource.get(*k));
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
pub(crate) fn already_reported(resource: &Value, cx: &RuleInput, pointers: &[&str]) -> bool {
    let dates = cx.clinical_dates();
    let mut judged = dates.iter().filter(|d| pointers.contains(&d.pointer));
    let birth = birth_to_judge(resource, cx);
    judged.any(|d| in_future(resource, d, cx) || birth.as_ref().is_some_and(|b| before_birth(d, b)))
}

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
pub(crate) fn age_on_service(resource: &Value, cx: &RuleInput) -> Option<(f64, f64)> {
    let birth = cx.patient()?.birth_date?.days();
    let (first, last) = crate::rules::service_days(resource, cx);
    let youngest = crate::codes::mce::age(birth.1, first).max(0);
    let oldest = crate::codes::mce::age(birth.0, last).max(0);
    Some((youngest as f64, oldest as f64))
}

/// How a value compares with a code's bounds for the patient's age, with the value converted
/// into the bounds' unit.
pub(crate) struct RangeCheck<'b> {
    pub band: &'b crate::codes::ranges::Band,
    /// The value in `band.unit`.
    pub value: f64,
    pub impossible: (f64, f64),
    pub implausible: (f64, f64),
}

/// None when the unit is missing or cannot measure the code's property (another rule's case).
pub(crate) fn check_range<'b>(
    m: &Measurement,
    resource: &Value,
    cx: &'b RuleInput,
) -> Option<RangeCheck<'b>> {
    let unit = m.unit?;
    let ranges = &cx.codes.ranges;
    let age = age_on_service(resource, cx);
    let bands = ranges.bands(m.loinc, age);
    let band = *bands.first()?;
    let (impossible, implausible) = crate::codes::ranges::widest(&bands)?;
    let value = units::convert(m.value, unit, &band.unit, band.molar_mass)?;
    Some(RangeCheck {
        band,
        value,
        impossible,
        implausible,
    })
}

/// The resource's measured values (not bounds like `<5`) with their judgement: what the
/// value rules iterate over.
pub(crate) fn range_checks<'a, 'b>(
    resource: &'a Value,
    cx: &'b RuleInput,
) -> Vec<(Measurement<'a>, RangeCheck<'b>)> {
    measurements(resource, &cx.codes.ranges)
        .into_iter()
        .filter(|m| !m.bounded)
        .filter_map(|m| {
            let j = check_range(&m, resource, cx)?;
            Some((m, j))
        })
        .collect()
}

/// The issue of a value outside `bounds` (value-impossible or value-implausible): the value,
/// the bounds in their unit, and the unit the value would fit, offered as the suggestion.
pub(crate) fn out_of_range(
    rule: &'static crate::rules::RuleMeta,
    m: &Measurement,
    j: &RangeCheck,
    bounds: (f64, f64),
    cx: &RuleInput,
) -> crate::report::Issue {
    let impossible = std::ptr::eq(rule, &value_impossible::RULE);
    // Units as people write them (°F, mm Hg); the UCUM code stays the suggestion.
    let unit = units::display(m.unit.unwrap_or_default());
    let measure = cx.messages.render(&measure(m.loinc));
    let (value, low, high) = (&m.shown, show_number(bounds.0), show_number(bounds.1));
    let bounds_unit = units::display(&j.band.unit);
    let likely = j.likely_unit(m);
    let text = match (&likely, impossible) {
        (Some((u, v)), true) => text!(
            "value-impossible.likely-unit",
            measure,
            value,
            unit,
            low,
            high,
            bounds_unit,
            likely = units::display(u),
            converted = show_number(*v)
        ),
        (None, true) => text!(
            "value-impossible",
            measure,
            value,
            unit,
            low,
            high,
            bounds_unit
        ),
        (Some((u, v)), false) => text!(
            "value-implausible.likely-unit",
            measure,
            value,
            unit,
            low,
            high,
            bounds_unit,
            likely = units::display(u),
            converted = show_number(*v)
        ),
        (None, false) => text!(
            "value-implausible",
            measure,
            value,
            unit,
            low,
            high,
            bounds_unit
        ),
    };
    let mut issue = rule.issue(cx.location, &format!("{}/value", m.at), cx.messages, text);
    issue.suggestions.extend(likely.map(|(u, _)| u));
    issue
}

impl RangeCheck<'_> {
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

/// What a LOINC code of the range table measures, in words ("body temperature"): the
/// table's `what`, in the validator's language.
pub(crate) fn measure(loinc: &str) -> Text {
    match loinc {
        "8867-4" => text!("value-impossible.measure.heart-rate"),
        "9279-1" => text!("value-impossible.measure.respiratory-rate"),
        "8310-5" => text!("value-impossible.measure.body-temperature"),
        "8480-6" => text!("value-impossible.measure.systolic-blood-pressure"),
        "8462-4" => text!("value-impossible.measure.diastolic-blood-pressure"),
        "8302-2" => text!("value-impossible.measure.body-height"),
        "29463-7" => text!("value-impossible.measure.body-weight"),
        "39156-5" => text!("value-impossible.measure.body-mass-index"),
        "59408-5" => text!("value-impossible.measure.oxygen-saturation-pulse-oximetry"),
        "2708-6" => text!("value-impossible.measure.oxygen-saturation-arterial"),
        "9843-4" => text!("value-impossible.measure.head-circumference"),
        "2339-0" => text!("value-impossible.measure.blood-glucose"),
        "718-7" => text!("value-impossible.measure.blood-hemoglobin"),
        "2823-3" => text!("value-impossible.measure.potassium"),
        "2951-2" => text!("value-impossible.measure.sodium"),
        "2160-0" => text!("value-impossible.measure.creatinine"),
        // A code added to the table without a name here (a test catches it).
        _ => text!("value-impossible.measure.other", loinc),
    }
}

/// A number for messages: at most 2 decimals, no trailing zeros.
pub(crate) fn show_number(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.to_string()
}

/// The contact datatypes' values of a resource (ContactPoint, Address, HumanName wherever the
/// definitions put one), each with its pointer and datatype, from the walk's index
/// (`RuleInput::contact_values`).
pub(crate) type ContactValues<'a> = Vec<(String, Datatype, &'a Map)>;

/// The values of one datatype among a resource's contact values.
pub(crate) fn of_datatype<'c, 'a>(
    found: &'c ContactValues<'a>,
    datatype: Datatype,
) -> impl Iterator<Item = (&'c str, &'a Map)> + 'c {
    found
        .iter()
        .filter(move |(_, d, _)| *d == datatype)
        .map(|(at, _, m)| (at.as_str(), *m))
}

/// The resource's ContactPoints that have a system and a non-empty string value: (pointer
/// of the value, system, value). Another value is the structure check's to report.
pub(crate) fn contact_points<'c, 'a>(
    cx: &'c RuleInput<'a>,
) -> impl Iterator<Item = (String, &'a str, &'a Value)> + 'c {
    of_datatype(cx.contact_values(), Datatype::ContactPoint).filter_map(|(at, point)| {
        let system = point.get("system").and_then(Value::as_str)?;
        let value = point
            .get("value")
            .filter(|v| v.as_str().is_some_and(|s| !s.is_empty()))?;
        Some((format!("{at}/value"), system, value))
    })
}

/// Where an address is, for the US address rules.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum UsAddress {
    /// Its country says US.
    Stated,
    /// It has no country: US formats are assumed, and messages say how to mark it foreign.
    Assumed,
}

/// Whether an Address is to be read as a US address: its `country` is the US (`US`, `USA`,
/// `U.S.A.`, `United States`, `United States of America`, any letter case), or it has none.
/// None for any other country (or a `country` that is not a string: the structure check
/// reports it).
pub(crate) fn us_address(address: &Map) -> Option<UsAddress> {
    let country = match address.get("country") {
        None => return Some(UsAddress::Assumed),
        Some(Value::String(s)) => s,
        Some(_) => return None,
    };
    let letters: String = country
        .chars()
        .filter(|c| !matches!(c, '.' | ' '))
        .flat_map(char::to_uppercase)
        .collect();
    matches!(
        letters.as_str(),
        "US" | "USA" | "UNITEDSTATES" | "UNITEDSTATESOFAMERICA"
    )
    .then_some(UsAddress::Stated)
}

/// The USPS code a `state` value means: the code itself, or the same code in other letter
/// case or with dots (`il`, `D.C.`), or a state's full name (`California`), or a name
/// mistyped by an edit or two (`Ilinois`; names only: two-letter codes are too close to one
/// another to guess).
pub(crate) fn usps_meant(state: &str) -> Option<&'static str> {
    use crate::codes::usps;
    usps::code_meant(state)
        .or_else(|| usps::code_meant(&state.replace('.', "")))
        .or_else(|| {
            if state.chars().count() <= 3 {
                return None;
            }
            let name = crate::rules::nearest(state, usps::names(), 1).pop()?;
            usps::code_meant(&name)
        })
}

/// Whether an address has a `state` that means no US state: in an address without a
/// country, the sign of a foreign address, which address-us-state reports once (with the
/// advice to record the country) for the whole address.
pub(crate) fn foreign_state(address: &Map) -> bool {
    address
        .get("state")
        .and_then(Value::as_str)
        .map(str::trim)
        .is_some_and(|s| !s.is_empty() && usps_meant(s).is_none())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::record as json;

    /// Every accuracy rule speaks Spanish: a failing record of each, checked in both locales.
    #[test]
    fn messages_are_in_the_validator_locale() {
        use crate::rules::testing::validator;
        use crate::{Context, Patient};
        let es = crate::Validator::new(crate::Options {
            locale: Some("es".into()),
            profile: Some(crate::ProfileChoice::BuiltIn("none".into())),
            ..Default::default()
        })
        .expect("the Spanish validator builds");
        let obs = |loinc: &str, value: f64, unit: &str| {
            json!({"resourceType": "Observation", "status": "final",
                   "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
                   "valueQuantity": {"value": value, "system": UCUM, "code": unit}})
        };
        let telecom = |system: &str, value: &str| json!({"resourceType": "Patient", "telecom": [{"system": system, "value": value}]});
        let address = |a: Value| json!({"resourceType": "Patient", "address": [a]});
        let condition = |onset: &str, abatement: &str| {
            json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
                   "onsetDateTime": onset, "abatementDateTime": abatement})
        };
        let component = |loinc: &str, v: f64| {
            json!({"code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
                   "valueQuantity": {"value": v, "system": UCUM, "code": "mm[Hg]"}})
        };
        let born_2000 = Context {
            patient: Some(Patient {
                birth_date: crate::fhir::primitives::parse_date("2000-01-01").ok(),
                gender: None,
            }),
            ..Context::default()
        };
        let none = Context::default();
        let cases = [
            (
                "address-us-state",
                address(json!({"state": "XX", "country": "US"})),
                &none,
            ),
            ("address-us-state", address(json!({"state": "Vic"})), &none),
            ("address-us-state", address(json!({"state": "il"})), &none),
            (
                "address-us-state",
                address(json!({"state": "Californa"})),
                &none,
            ),
            (
                "address-us-zip",
                address(json!({"postalCode": "SW1A"})),
                &none,
            ),
            (
                "address-us-zip",
                address(json!({"postalCode": "2134", "country": "US"})),
                &none,
            ),
            (
                "address-us-zip",
                address(json!({"postalCode": "972011234"})),
                &none,
            ),
            (
                "birth-date-in-future",
                json!({"resourceType": "Patient", "birthDate": "2999-01-01"}),
                &none,
            ),
            (
                "birth-date-too-old",
                json!({"resourceType": "Patient", "birthDate": "1850"}),
                &none,
            ),
            (
                "birth-date-too-old",
                json!({"resourceType": "Patient", "birthDate": "1750-01-01",
                "deceasedDateTime": "1900-01-01"}),
                &none,
            ),
            (
                "date-before-birth",
                condition("1990-01-01", "2010-01-01"),
                &born_2000,
            ),
            (
                "date-in-future",
                json!({"resourceType": "Observation", "status": "final",
                "code": {"text": "Heart rate"}, "effectiveDateTime": "2999-01-01T10:00:00Z"}),
                &none,
            ),
            (
                "date-in-future",
                json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
                "recordedDate": "2999-01-01"}),
                &none,
            ),
            (
                "deceased-before-birth",
                json!({"resourceType": "Patient", "birthDate": "1974-05-02",
                "deceasedDateTime": "1947-05-02"}),
                &none,
            ),
            (
                "diastolic-above-systolic",
                json!({"resourceType": "Observation", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
                "component": [component("8480-6", 80.0), component("8462-4", 120.0)]}),
                &none,
            ),
            (
                "human-name-empty",
                json!({"resourceType": "Patient", "name": [{"use": "official"}]}),
                &none,
            ),
            (
                "issued-before-effective",
                json!({"resourceType": "Observation", "status": "final",
                "code": {"text": "Serum potassium"}, "effectiveDateTime": "2024-05-02T10:00:00Z",
                "issued": "2024-05-01T10:00:00Z"}),
                &none,
            ),
            (
                "onset-after-abatement",
                condition("2024-05-02", "2024-05-01"),
                &none,
            ),
            (
                "onset-after-abatement",
                json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
                "onsetAge": {"value": 40, "system": UCUM, "code": "a"},
                "abatementAge": {"value": 30, "system": UCUM, "code": "a"}}),
                &none,
            ),
            (
                "period-end-before-start",
                json!({"resourceType": "Patient", "name": [{"family": "Chalmers",
                "period": {"start": "2020-01-01", "end": "2019-01-01"}}]}),
                &none,
            ),
            ("telecom-email-format", telecom("email", "jane.doe"), &none),
            (
                "telecom-email-format",
                telecom("email", "jane@example"),
                &none,
            ),
            ("telecom-phone-format", telecom("phone", "555-CALL"), &none),
            ("telecom-phone-format", telecom("sms", "12"), &none),
            ("telecom-phone-format", telecom("pager", "555*1234"), &none),
            ("ucum-invalid", obs("8867-4", 72.0, "bpm"), &none),
            ("ucum-invalid", obs("8867-4", 72.0, "mg/(kg"), &none),
            ("unit-mismatch", obs("8867-4", 72.0, "kg"), &none),
            ("value-implausible", obs("8867-4", 300.0, "/min"), &none),
            ("value-implausible", obs("29463-7", 400.0, "kg"), &none),
            ("value-impossible", obs("8310-5", 98.6, "Cel"), &none),
            ("value-impossible", obs("8867-4", 900.0, "/min"), &none),
            (
                "attachment-size-mismatch",
                json!({"resourceType": "Media", "status": "completed",
                       "content": {"data": "aGk=", "size": 3}}),
                &none,
            ),
        ];
        let mut codes = std::collections::BTreeSet::new();
        for (code, record, context) in cases {
            let first = |v: &crate::Validator| {
                let r = v.validate(&record, context);
                let issue = r.issues.into_iter().find(|i| i.code == code);
                issue.unwrap_or_else(|| panic!("no {code} for {record}"))
            };
            let (english, spanish) = (first(validator()), first(&es));
            assert_eq!(english.path, spanish.path, "{code}");
            assert_eq!(english.suggestions, spanish.suggestions, "{code}");
            assert_ne!(english.message, spanish.message, "{code}");
            assert!(
                !spanish.message.contains('{'),
                "{code}: {}",
                spanish.message
            );
            codes.insert(code);
        }
        let ours: std::collections::BTreeSet<&str> = crate::rules::ALL
            .iter()
            .filter(|r| r.category == crate::Category::Accuracy)
            .map(|r| r.code)
            .collect();
        assert_eq!(codes, ours);
    }

    /// The range table's names of what its codes measure are the English catalogue's.
    #[test]
    fn every_measured_code_has_a_name() {
        let ranges = crate::codes::ranges::Ranges::load().expect("the range table loads");
        let english = crate::messages::Locale::En.catalogue();
        for band in ranges.all() {
            assert_eq!(
                english.render(&measure(&band.loinc)),
                band.what,
                "{}",
                band.loinc
            );
        }
    }

    #[test]
    fn reads_the_country() {
        let us = |c: Value| us_address(json!({"country": c}).as_object().unwrap());
        assert_eq!(us(json!("US")), Some(UsAddress::Stated));
        assert_eq!(us(json!("u.s.a.")), Some(UsAddress::Stated));
        assert_eq!(
            us(json!("United States of America")),
            Some(UsAddress::Stated)
        );
        assert_eq!(us(json!("CAN")), None);
        assert_eq!(us(json!(840)), None);
        assert_eq!(us_address(&Map::new()), Some(UsAddress::Assumed));
    }
}
