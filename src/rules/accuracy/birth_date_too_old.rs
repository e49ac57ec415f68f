//! # birth-date-too-old
//!
//! **What it checks**: a Patient's birth date makes them no older than 124 years today, or, for
//! a patient whose date of death is recorded, no older than 124 at death. A partial birth date
//! is reported only when even its latest day is too old (`1901` is 124 until 2025-12-31). A
//! patient marked deceased without a date of death is not judged: a historic record may
//! rightly hold a birth date long ago.
//!
//! **Why it matters**: an impossible age is a mistyped year (1895 for 1985) or a placeholder
//! birth date (1800-01-01, 1900-01-01) standing in for "unknown"; either way every age-based
//! check, dose, screening reminder and risk score computed from it is wrong, and claims are
//! rejected by the payer's age edit. An unknown birth date is better left out (with the
//! data-absent-reason extension) than invented.
//!
//! **Example**: fails: `"birthDate": "1850-01-01"` on a living patient; passes:
//! `"birthDate": "1974-12-25"`, or `"birthDate": "1850-03-01", "deceasedDateTime": "1920-06-01"`.
//!
//! **Authority**: FHIR R4 Patient.birthDate and Patient.deceased[x]
//! (http://hl7.org/fhir/R4/patient.html); CMS Medicare Code Editor (MCE), edit "Age conflict":
//! the MCE accepts patient ages 0 to 124 years only, an age outside that range is invalid. The
//! oldest verified human lived 122 years.

use crate::json::Value;

use crate::codes::mce::age;
use crate::fhir::clock::{show, Day};
use crate::fhir::primitives::{parse_date, Moment, PartialDate};
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "birth-date-too-old",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "value",
    title: "A birth date more than 124 years back",
};

/// The oldest age the CMS Medicare Code Editor accepts.
const MAX_AGE: i64 = 124;

/// The youngest age a (possibly partial) birth date allows on `on`, when that is over 124.
fn too_old(birth: &PartialDate, on: Day) -> Option<i64> {
    let age = age(birth.days().1, on);
    (age > MAX_AGE).then_some(age)
}

record_rule! {
    types: crate::rules::Types::Only(&["Patient"]),
    reads: crate::rules::Reads { elements: &["birthDate", "deceased[x]"], anywhere: &[] },
    fn check(resource, cx, out) {
        let Some(text) = resource.get("birthDate").and_then(Value::as_str) else { return };
        let Ok(birth) = parse_date(text) else { return };
        // A partial date gives the youngest age it allows.
        let exact = birth.day.is_some();
        let died = resource.get("deceasedDateTime");
        let message = match died {
            Some(died) => {
                // Judged at death: the earliest day the date of death may mean.
                let Some(d) = died.as_str() else { return };
                let Some(death) = Moment::parse(d) else { return };
                let Some(age) = too_old(&birth, death.days.0) else { return };
                if exact {
                    text!("birth-date-too-old.death", date = text, death = d, age)
                } else {
                    text!("birth-date-too-old.death-at-least", date = text, death = d, age)
                }
            }
            // Deceased, date unknown: the age at death cannot be judged.
            None if resource.get("deceasedBoolean") == Some(&Value::Bool(true)) => return,
            None => {
                let Some(age) = too_old(&birth, cx.today) else { return };
                let today = show(cx.today);
                if exact {
                    text!("birth-date-too-old", date = text, age, today)
                } else {
                    text!("birth-date-too-old.at-least", date = text, age, today)
                }
            }
        };
        out.push(RULE.issue(cx.location, "/birthDate", cx.messages, message));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    #[test]
    fn partial_dates_count_their_latest_day() {
        let birth = |s: &str| parse_date(s).unwrap();
        assert_eq!(too_old(&birth("1900"), 20_250_101), None);
        assert_eq!(too_old(&birth("1900"), 20_251_231), Some(125));
        assert_eq!(too_old(&birth("1900-06"), 20_250_630), Some(125));
        assert_eq!(too_old(&birth("1900-06"), 20_250_629), None);
        assert_eq!(too_old(&birth("1900-06-15"), 20_250_615), Some(125));
        assert_eq!(too_old(&birth("1900-06-15"), 20_250_614), None);
        // Born on 29 February: 125 on 1 March of a common year.
        assert_eq!(too_old(&birth("1904-02-29"), 20_290_228), None);
        assert_eq!(too_old(&birth("1904-02-29"), 20_290_301), Some(125));
    }

    #[test]
    fn fails_an_impossible_age() {
        let patient = json!({"resourceType": "Patient", "birthDate": "1850-01-01"});
        assert_one(patient, "birth-date-too-old", "/birthDate");
        let patient = json!({"resourceType": "Patient", "birthDate": "1850"});
        assert_one(patient, "birth-date-too-old", "/birthDate");
        let dead = json!({"resourceType": "Patient", "birthDate": "1700-01-01",
                          "deceasedDateTime": "1850-05-02T10:00:00Z"});
        assert_one(dead, "birth-date-too-old", "/birthDate");
    }

    #[test]
    fn passes_real_ages_and_historic_records() {
        assert_clean(json!({"resourceType": "Patient", "birthDate": "1974-12-25"}));
        assert_clean(json!({"resourceType": "Patient", "birthDate": "1850-03-01",
                            "deceasedDateTime": "1920-06-01"}));
        assert_clean(json!({"resourceType": "Patient", "birthDate": "1850-03-01",
                            "deceasedBoolean": true}));
    }
}
