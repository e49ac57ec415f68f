//! Accuracy rules: is a value malformed or implausible (dates out of order, dates in the
//! future, implausible vitals)?

pub mod birth_date_in_future;
pub mod diastolic_above_systolic;
pub mod period_end_before_start;
pub mod ucum_invalid;
pub mod unit_mismatch;
pub mod value_implausible;
pub mod value_impossible;

use serde_json::Value;

use crate::codes::units;
use crate::rules::Cx;

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
