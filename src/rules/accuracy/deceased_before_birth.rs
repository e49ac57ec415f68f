//! # deceased-before-birth
//!
//! **What it checks**: a Patient's date of death (deceasedDateTime) is not before their birth
//! date. Partial dates compare by what they may mean (`1974` is not before `1974-05-02`), and a
//! time of death with its time zone is compared with the birth date's whole day in every time
//! zone, so only a death that cannot be on or after the birth is reported.
//!
//! **Why it matters**: a death before birth is a swapped or mistyped date; it corrupts the
//! age at death on death reporting and mortality statistics, and every age computed from the
//! birth date is suspect until it is fixed.
//!
//! **Example**: fails: `"birthDate": "1974-05-02", "deceasedDateTime": "1947-05-02"`; passes:
//! `"birthDate": "1974-05-02", "deceasedDateTime": "2015-02-14T13:42:00+10:00"`, or
//! `"birthDate": "1974-05-02", "deceasedDateTime": "1974"`.
//!
//! **Authority**: FHIR R4 Patient.birthDate ("the date of birth for the individual") and
//! Patient.deceased[x] ("indicates if the individual is deceased or not")
//! (http://hl7.org/fhir/R4/patient.html): a person dies after being born.

use crate::json::Value;

use crate::fhir::primitives::surely_before;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "deceased-before-birth",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "value",
    title: "A date of death before the birth date",
};

record_rule! {
    types: crate::rules::Types::Only(&["Patient"]),
    reads: crate::rules::Reads { elements: &["birthDate", "deceased[x]"], anywhere: &[] },
    fn check(resource, cx, out) {
        let (Some(birth), Some(death)) = (
            resource.get("birthDate").and_then(Value::as_str),
            resource.get("deceasedDateTime").and_then(Value::as_str),
        ) else {
            return;
        };
        if surely_before(death, birth) {
            out.push(RULE.issue(
                cx.location,
                "/deceasedDateTime",
                cx.messages,
                text!("deceased-before-birth", death, birth),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn patient(birth: &str, death: &str) -> serde_json::Value {
        json!({"resourceType": "Patient", "birthDate": birth, "deceasedDateTime": death})
    }

    #[test]
    fn fails_a_death_before_birth() {
        let code = "deceased-before-birth";
        assert_one(
            patient("1974-05-02", "1947-05-02"),
            code,
            "/deceasedDateTime",
        );
        assert_one(patient("1974-05-02", "1974-04"), code, "/deceasedDateTime");
        assert_one(
            patient("2024-05-02", "2024-04-30T12:00:00Z"),
            code,
            "/deceasedDateTime",
        );
    }

    #[test]
    fn passes_when_the_death_may_follow_the_birth() {
        assert_clean(patient("1974-05-02", "2015-02-14T13:42:00+10:00"));
        // Partial: the death may be any day of 1974, some after 2 May.
        assert_clean(patient("1974-05-02", "1974"));
        // 23:30 in Chicago on 1 May is 2 May in most of the world.
        assert_clean(patient("2024-05-02", "2024-05-01T23:30:00-05:00"));
        // Stillbirth: born and deceased the same day.
        assert_clean(patient("2024-05-02", "2024-05-02"));
    }
}
