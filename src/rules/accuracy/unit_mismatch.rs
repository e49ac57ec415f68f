//! # unit-mismatch
//!
//! **What it checks**: the unit of a vital sign's or common lab's value can measure what its
//! LOINC code measures: a heart rate is a rate (`/min`), a body weight a mass (`kg`, `g`,
//! `[lb_av]`), a glucose a mass or molar concentration (`mg/dL`, `mmol/L`). Codes checked:
//! those of data/plausible-ranges.tsv (heart and respiratory rate, temperature, systolic and
//! diastolic pressure, height, weight, BMI, oxygen saturation, head circumference, glucose,
//! hemoglobin, potassium, sodium, creatinine).
//!
//! **Why it matters**: a weight recorded in /min or a temperature in coulombs (`C` is UCUM's
//! coulomb; Celsius is `Cel`) cannot be converted, charted or checked, and usually means the
//! value went into the wrong field.
//!
//! **Example**: fails: a heart rate (LOINC 8867-4) with `"valueQuantity": {"value": 72,
//! "system": "http://unitsofmeasure.org", "code": "kg"}`; passes: the same with `"code":
//! "/min"`.
//!
//! **Authority**: UCUM 2.2 dimensional analysis (https://ucum.org/ucum); LOINC's property
//! axis (a code measures one kind of quantity, e.g. NRat, Mass, Temp); FHIR R4 vital signs
//! profile, which fixes each vital sign's UCUM unit.

use crate::codes::units;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::accuracy::{measure, measurements};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "unit-mismatch",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "value",
    title: "A unit that cannot measure what the code measures",
};

record_rule! {
    types: crate::rules::Types::Only(&["Observation"]),
    reads: crate::rules::Reads::MEASUREMENTS,
    fn check(resource, cx, out) {
        let ranges = &cx.codes.ranges;
        for m in measurements(resource, ranges) {
            let Some(unit) = m.unit else { continue };
            let Some(&band) = ranges.bands(m.loinc, None).first() else { continue };
            // A unit that is not UCUM at all is ucum-invalid's to report.
            if units::analyze(unit).is_none()
                || units::commensurable(unit, &band.unit, band.molar_mass)
            {
                continue;
            }
            let measure = cx.messages.render(&measure(m.loinc));
            let mut issue = RULE.issue(
                cx.location,
                &format!("{}/code", m.at),
                cx.messages,
                text!(
                    "unit-mismatch",
                    unit = units::display(unit),
                    measure,
                    loinc = m.loinc,
                    expected = units::display(&band.unit)
                ),
            );
            issue.suggestions.push(band.unit.clone());
            out.push(issue);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn heart_rate(code: &str) -> serde_json::Value {
        json!({"resourceType": "Observation", "status": "final",
               "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
               "valueQuantity": {"value": 72, "system": "http://unitsofmeasure.org", "code": code}})
    }

    #[test]
    fn fails_on_kg_for_a_heart_rate() {
        assert_one(heart_rate("kg"), "unit-mismatch", "/valueQuantity/code");
    }

    #[test]
    fn fails_on_coulomb_for_a_temperature_in_a_component() {
        assert_one(
            json!({"resourceType": "Observation", "status": "final", "code": {"text": "Vitals"},
                   "component": [{"code": {"coding": [{"system": "http://loinc.org", "code": "8310-5"}]},
                                  "valueQuantity": {"value": 37, "system": "http://unitsofmeasure.org", "code": "C"}}]}),
            "unit-mismatch",
            "/component/0/valueQuantity/code",
        );
    }

    #[test]
    fn passes_commensurable_units() {
        assert_clean(heart_rate("/min"));
        assert_clean(heart_rate("{beats}/min"));
        // Molar glucose against mass bounds: converted through the molar mass.
        assert_clean(json!({"resourceType": "Observation", "status": "final",
            "code": {"coding": [{"system": "http://loinc.org", "code": "2339-0"}]},
            "valueQuantity": {"value": 5.5, "system": "http://unitsofmeasure.org", "code": "mmol/L"}}));
    }
}
