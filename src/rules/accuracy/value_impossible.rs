//! # value-impossible
//!
//! **What it checks**: a vital sign's or common lab's value, converted into the unit of its
//! bounds (98.6 `[degF]` is 37 `Cel`; 70 `[in_i]` is 177.8 `cm`; 5.5 `mmol/L` of glucose is
//! 99 `mg/dL`), lies within what a living patient can have, for the patient's age where age
//! matters (a 180 kg three-year-old is not possible). When the value would be plausible in a
//! unit often confused with the one given, the message says so: 98.6 `Cel` "looks like
//! [degF]". Bounds and their sources: data/plausible-ranges.tsv and data/README.md. With no
//! known age, the widest bounds over all ages apply.
//!
//! **Why it matters**: an impossible value is a typo or a wrong unit, and it flows into
//! dosing, early-warning scores and growth charts; catching it while the value is typed costs
//! a second, finding it later costs a chart review.
//!
//! **Example**: fails: a body temperature (LOINC 8310-5) of 98.6 `Cel`; a body weight
//! (29463-7) of 180 `kg` for a patient born three years before; passes: 37 `Cel`, 98.6
//! `[degF]`, 18 `kg` for the three-year-old.
//!
//! **Authority**: physiological limits in the clinical literature and record registries, and
//! the MIMIC-III benchmark outlier ranges (cross-checked in tests); sources per code in
//! data/README.md. FHIR R4 vital signs profile for the codes and units.

use crate::report::{Category, Severity};
use crate::rules::accuracy::{out_of_range, range_checks};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "value-impossible",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "value",
    title: "A vital sign or lab value no living patient can have",
};

record_rule! {
    types: crate::rules::Types::Only(&["Observation"]),
    reads: crate::rules::Reads::MEASUREMENTS,
    fn check(resource, cx, out) {
        for (m, j) in range_checks(resource, cx) {
            let (lo, hi) = j.impossible;
            if (lo..=hi).contains(&j.value) {
                continue;
            }
            out.push(out_of_range(&RULE, &m, &j, (lo, hi), cx));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report, validator};
    use crate::{Context, Patient};
    use serde_json::json;

    fn obs(loinc: &str, value: f64, unit: &str) -> serde_json::Value {
        json!({"resourceType": "Observation", "status": "final",
               "code": {"coding": [{"system": "http://loinc.org", "code": loinc}]},
               "effectiveDateTime": "2024-05-02",
               "valueQuantity": {"value": value, "system": "http://unitsofmeasure.org", "code": unit}})
    }

    #[test]
    fn fails_on_fahrenheit_given_as_celsius_with_the_hint() {
        assert_one(
            obs("8310-5", 98.6, "Cel"),
            "value-impossible",
            "/valueQuantity/value",
        );
        let r = report(obs("8310-5", 98.6, "Cel"));
        // The suggestion is the UCUM code; the message writes units as people do.
        assert_eq!(r.issues[0].suggestions, vec!["[degF]"]);
        assert!(
            r.issues[0]
                .message
                .contains("98.6 °C is not a possible body temperature: in a living patient it lies between 10 and 47 °C. It looks like °F: 98.6 °F is 37 °C."),
            "{}",
            r.issues[0].message
        );
    }

    #[test]
    fn passes_values_in_any_unit_of_the_right_kind() {
        assert_clean(obs("8310-5", 37.0, "Cel"));
        assert_clean(obs("8310-5", 98.6, "[degF]"));
        assert_clean(obs("8302-2", 70.0, "[in_i]"));
        assert_clean(obs("2339-0", 5.5, "mmol/L"));
    }

    #[test]
    fn judges_weight_by_age() {
        let three = Context {
            patient: Some(Patient {
                birth_date: crate::fhir::primitives::parse_date("2021-01-15").ok(),
                gender: None,
            }),
            ..Context::default()
        };
        let r = validator().validate(&obs("29463-7", 180.0, "kg"), &three);
        let found: Vec<_> = r.issues.iter().map(|i| (i.code, i.path.as_str())).collect();
        assert_eq!(found, vec![("value-impossible", "/valueQuantity/value")]);
        assert!(validator()
            .validate(&obs("29463-7", 18.0, "kg"), &three)
            .issues
            .is_empty());
        // An adult of 180 kg is possible, and with no known age so is the toddler's value.
        let adult = Context {
            patient: Some(Patient {
                birth_date: crate::fhir::primitives::parse_date("1970").ok(),
                gender: None,
            }),
            ..Context::default()
        };
        assert!(validator()
            .validate(&obs("29463-7", 180.0, "kg"), &adult)
            .issues
            .is_empty());
        assert_clean(obs("29463-7", 180.0, "kg"));
    }

    #[test]
    fn a_comparator_is_a_bound_not_a_value() {
        let mut o = obs("2339-0", 0.0, "mg/dL");
        o["valueQuantity"]["value"] = json!(-1);
        assert_one(o.clone(), "value-impossible", "/valueQuantity/value");
        o["valueQuantity"]["comparator"] = json!("<");
        assert_clean(o);
    }
}
