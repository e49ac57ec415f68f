//! # birth-date-in-future
//!
//! **What it checks**: a Patient's birth date is not after today (partial dates: not wholly
//! after today).
//!
//! **Why it matters**: a future birth date makes every age-based check, dose and growth chart
//! wrong; it is a typo (2052 for 2025) or a wrong field.
//!
//! **Example**: fails: `"birthDate": "2099-01-01"`; passes: `"birthDate": "1974-12-25"`.
//!
//! **Authority**: FHIR R4 Patient.birthDate ("the date of birth for the individual"); ONC
//! USCDI patient demographics. A birth date cannot lie in the future.

use crate::json::Value;

use crate::fhir::clock::show;
use crate::fhir::primitives::day_range;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "birth-date-in-future",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "value",
    title: "A birth date after today",
};

record_rule! {
    types: crate::rules::Types::Only(&["Patient"]),
    reads: crate::rules::Reads { elements: &["birthDate"], anywhere: &[] },
    fn check(resource, cx, out) {
        let Some(text) = resource.get("birthDate").and_then(Value::as_str) else { return };
        let Some((first, _)) = day_range(text) else { return };
        if first > cx.today {
            out.push(RULE.issue(
                cx.location,
                "/birthDate",
                cx.messages,
                text!("birth-date-in-future", date = text, today = show(cx.today)),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    #[test]
    fn fails_in_the_future() {
        assert_one(
            json!({"resourceType": "Patient", "birthDate": "2099-01-01"}),
            "birth-date-in-future",
            "/birthDate",
        );
        assert_one(
            json!({"resourceType": "Patient", "birthDate": "2999"}),
            "birth-date-in-future",
            "/birthDate",
        );
    }

    #[test]
    fn passes_past_dates() {
        assert_clean(json!({"resourceType": "Patient", "birthDate": "1974-12-25"}));
        assert_clean(json!({"resourceType": "Patient", "birthDate": "1974"}));
    }
}
