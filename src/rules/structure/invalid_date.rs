//! # invalid-date
//!
//! **What it checks**: `date`, `dateTime`, `instant` and `time` values are written as FHIR
//! requires and name a day that exists: 2020-02-30 and 1974-13 fail, partial dates 1974 and
//! 1974-05 pass, a time of day needs a time zone.
//!
//! **Why it matters**: an impossible birth date or a time without a zone makes ages, dosing
//! intervals and the order of events wrong or incomputable.
//!
//! **Example**: fails: `{"resourceType": "Patient", "birthDate": "1974-02-30"}`; passes:
//! `{"resourceType": "Patient", "birthDate": "1974-02"}`.
//!
//! **Authority**: FHIR R4 primitive types `date`, `dateTime`, `instant`, `time`
//! (http://hl7.org/fhir/R4/datatypes.html#date): "Dates SHALL be valid dates".

use crate::json::Value;

use crate::fhir::path::Location;
use crate::fhir::primitives::Reason;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "invalid-date",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "value",
    title: "A date or time that is malformed or does not exist",
};

/// `"1974-02-30" is not a valid date: February 1974 has 28 days.`, the reason in the same
/// locale.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    type_name: &str,
    value: &Value,
    reason: &Reason,
) -> Issue {
    // The type in words ("date and time"), not its FHIR name (dateTime).
    let kind = match type_name {
        "dateTime" => text!("invalid-date.kind.date-time"),
        "instant" => text!("invalid-date.kind.instant"),
        "time" => text!("invalid-date.kind.time"),
        _ => text!("invalid-date.kind.date"),
    };
    let text = text!(
        "invalid-date",
        value = quote(value),
        type_name = messages.render(&kind),
        reason = messages.render(reason)
    );
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use crate::{Context, Options, ProfileChoice, Validator};
    use serde_json::json;

    #[test]
    fn fails_on_day_that_does_not_exist() {
        assert_one(
            json!({"resourceType": "Patient", "birthDate": "1974-02-30"}),
            "invalid-date",
            "/birthDate",
        );
        let r = report(json!({"resourceType": "Patient", "birthDate": "1974-02-30"}));
        assert_eq!(
            r.issues[0].message,
            "\"1974-02-30\" is not a valid date: February 1974 has 28 days."
        );
    }

    #[test]
    fn says_it_and_its_reason_in_the_validators_locale() {
        let mut options = Options::with_profile(ProfileChoice::BuiltIn("none".into()));
        options.locale = Some("es".into());
        let v = Validator::new(options).expect("built-in schemas compile");
        let r = v.validate(
            &json!({"resourceType": "Patient", "birthDate": "1974-02-30"}),
            &Context::default(),
        );
        assert_eq!(
            (r.issues[0].code, r.issues[0].message.as_str()),
            (
                "invalid-date",
                "\"1974-02-30\" no es válido como fecha: febrero de 1974 tiene 28 días."
            )
        );
    }

    #[test]
    fn fails_on_time_without_zone() {
        assert_one(
            json!({"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "effectiveDateTime": "2020-01-01T10:00:00"}),
            "invalid-date",
            "/effectiveDateTime",
        );
    }

    #[test]
    fn passes_partial_and_full_dates() {
        assert_clean(json!({"resourceType": "Patient", "birthDate": "1974"}));
        assert_clean(json!({"resourceType": "Patient", "birthDate": "2024-02-29"}));
        assert_clean(
            json!({"resourceType": "Patient", "deceasedDateTime": "2020-03-01T10:00:00+01:00"}),
        );
    }
}
