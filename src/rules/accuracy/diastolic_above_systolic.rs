//! # diastolic-above-systolic
//!
//! **What it checks**: in a blood pressure Observation (the panel 85354-9, or any Observation
//! with systolic 8480-6 and diastolic 8462-4 components), the diastolic pressure is not above
//! the systolic one, after converting both to mm[Hg].
//!
//! **Why it matters**: diastolic pressure is the lowest pressure of the cardiac cycle, so it
//! cannot exceed the systolic; a reading like 80/120 is the two numbers swapped, and it
//! corrupts hypertension staging and early-warning scores.
//!
//! **Example**: fails: components systolic 80 `mm[Hg]` and diastolic 120 `mm[Hg]`; passes:
//! systolic 120, diastolic 80.
//!
//! **Authority**: definition of systolic and diastolic blood pressure (AHA); FHIR R4 vital signs
//! blood pressure profile (http://hl7.org/fhir/R4/bp.html) for the codes.

use crate::codes::units;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::accuracy::{measurements, show_number};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "diastolic-above-systolic",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "invariant",
    title: "A diastolic blood pressure above the systolic",
};

const SYSTOLIC: &str = "8480-6";
const DIASTOLIC: &str = "8462-4";

record_rule! {
    types: crate::rules::Types::Only(&["Observation"]),
    reads: crate::rules::Reads::MEASUREMENTS,
    fn check(resource, cx, out) {
        let found = measurements(resource, &cx.codes.ranges);
        let in_mmhg = |loinc: &str| {
            found.iter().filter(|m| m.loinc == loinc && !m.bounded).find_map(|m| {
                let v = units::convert(m.value, m.unit?, "mm[Hg]", None)?;
                Some((m, v))
            })
        };
        let (Some((_, s)), Some((dia, d))) = (in_mmhg(SYSTOLIC), in_mmhg(DIASTOLIC)) else {
            return;
        };
        if d > s {
            out.push(RULE.issue(
                cx.location,
                &format!("{}/value", dia.at),
                cx.messages,
                text!(
                    "diastolic-above-systolic",
                    diastolic = show_number(d),
                    systolic = show_number(s)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn bp(systolic: f64, diastolic: f64) -> serde_json::Value {
        let part = |loinc: &str, v: f64| {
            json!({
            "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
            "valueQuantity": {"value": v, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}})
        };
        json!({"resourceType": "Observation", "status": "final",
               "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
               "component": [part("8480-6", systolic), part("8462-4", diastolic)]})
    }

    #[test]
    fn fails_when_swapped() {
        assert_one(
            bp(80.0, 120.0),
            "diastolic-above-systolic",
            "/component/1/valueQuantity/value",
        );
    }

    #[test]
    fn passes_a_normal_reading() {
        assert_clean(bp(120.0, 80.0));
        assert_clean(bp(120.0, 120.0));
    }
}
