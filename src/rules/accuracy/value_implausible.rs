//! # value-implausible
//!
//! **What it checks**: a vital sign's or common lab's value, converted into the unit of its
//! bounds, lies within what is clinically plausible for the patient's age (wider than normal
//! ranges: a heart rate of 180 or a potassium of 6.5 is abnormal but plausible, and silent).
//! A possible but implausible value is a warning asking to confirm it; an impossible one is
//! value-impossible's error instead. Bounds and sources: data/plausible-ranges.tsv and
//! data/README.md.
//!
//! **Why it matters**: a heart rate of 300 or a weight of 400 kg is possible only in rare
//! cases; more often it is a slip (an extra digit, the wrong field) worth a second look before
//! the record is saved.
//!
//! **Example**: fails: a heart rate (8867-4) of 300 `/min` (warning); passes: 180 `/min`.
//!
//! **Authority**: age-specific vital-sign references (PALS/ACLS), CDC growth charts, laboratory
//! critical-value lists; sources per code in data/README.md.

use crate::report::{Category, Severity};
use crate::rules::accuracy::{out_of_range, range_checks};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "value-implausible",
    category: Category::Accuracy,
    severity: Severity::Warning,
    issue_type: "value",
    title: "A vital sign or lab value that is possible but implausible",
};

record_rule! {
    types: crate::rules::Types::Only(&["Observation"]),
    reads: crate::rules::Reads::MEASUREMENTS,
    fn check(resource, cx, out) {
        for (m, j) in range_checks(resource, cx) {
            let (lo, hi) = j.implausible;
            // Impossible values are value-impossible's (one defect, one issue).
            if (lo..=hi).contains(&j.value) || !(j.impossible.0..=j.impossible.1).contains(&j.value) {
                continue;
            }
            out.push(out_of_range(&RULE, &m, &j, (lo, hi), cx));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    fn heart_rate(value: f64) -> serde_json::Value {
        json!({"resourceType": "Observation", "status": "final",
               "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
               "valueQuantity": {"value": value, "system": "http://unitsofmeasure.org", "code": "/min"}})
    }

    #[test]
    fn warns_on_an_implausible_heart_rate() {
        assert_one(
            heart_rate(300.0),
            "value-implausible",
            "/valueQuantity/value",
        );
        assert!(report(heart_rate(300.0)).valid);
    }

    #[test]
    fn passes_abnormal_but_plausible_values() {
        assert_clean(heart_rate(180.0));
        assert_clean(heart_rate(38.0));
    }
}
