//! # telecom-email-format
//!
//! **What it checks**: every ContactPoint whose `system` is `email` (Patient.telecom, a
//! patient's contact's telecom, Practitioner.telecom, an extension's valueContactPoint ...)
//! has a `value` that can be an email address: exactly one `@`, something before it, a domain
//! name after it (labels of letters, digits and hyphens, joined by dots, at least one dot),
//! and no spaces. A `mailto:` prefix (RFC 6068, the URI form of an address) is accepted and
//! the address after it checked; leading and trailing spaces are ignored (FHIR JSON allows
//! them). A warning, not an error: this is a plausibility test, not RFC 5322's full grammar,
//! which also allows rare forms (a quoted local part with spaces, a domain without a dot) that
//! no mail provider hands out; the person entering the record decides.
//!
//! **Why it matters**: an email address that cannot be delivered to means appointment
//! reminders, portal invitations and results notices never reach the patient, and nobody
//! notices; a value like "second wing admissions" is a note typed into the wrong field.
//!
//! **Example**: fails: `"telecom": [{"system": "email", "value": "jane.doe@example"}]` (no
//! domain); passes: `{"system": "email", "value": "jane.doe@example.org"}` or
//! `"mailto:jane.doe@example.org"`.
//!
//! **Authority**: FHIR R4 ContactPoint (http://hl7.org/fhir/R4/datatypes.html#ContactPoint):
//! the value is "in a form that is meaningful to the designated communication system (i.e.
//! phone number or email address)"; RFC 5322 section 3.4.1 (addr-spec:
//! local-part "@" domain) and RFC 1035 section 2.3.1 (domain name labels).

use super::contact_points;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::{quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "telecom-email-format",
    category: Category::Accuracy,
    severity: Severity::Warning,
    issue_type: "value",
    title: "An email contact that is not an email address",
};

/// What can be wrong with an email address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    NoAt,
    /// More than one address in one contact point, most often.
    SeveralAt,
    Space,
    NothingBeforeAt,
    NoDomain,
}

/// What is wrong with an email address, if anything.
fn problem(value: &str) -> Option<Problem> {
    let value = value.trim();
    let address = match value.get(..7) {
        Some(p) if p.eq_ignore_ascii_case("mailto:") => &value[7..],
        _ => value,
    };
    let mut parts = address.split('@');
    let (Some(local), Some(domain), None) = (parts.next(), parts.next(), parts.next()) else {
        return Some(if address.contains('@') {
            Problem::SeveralAt
        } else {
            Problem::NoAt
        });
    };
    if address.chars().any(char::is_whitespace) {
        return Some(Problem::Space);
    }
    if local.is_empty() {
        return Some(Problem::NothingBeforeAt);
    }
    let labels_ok = domain.split('.').all(|label| {
        !label.is_empty()
            && label.chars().all(|c| c.is_alphanumeric() || c == '-')
            && !label.starts_with('-')
            && !label.ends_with('-')
    });
    if !domain.contains('.') || !labels_ok {
        return Some(Problem::NoDomain);
    }
    None
}

record_rule! {
    reads: crate::rules::Reads::CONTACTS,
    fn check(_resource, cx, out) {
        for (at, system, value) in contact_points(cx) {
            if system != "email" {
                continue;
            }
            let Some(why) = value.as_str().and_then(problem) else { continue };
            let value = quote(value);
            let text = match why {
                Problem::NoAt => text!("telecom-email-format", value),
                Problem::SeveralAt => text!("telecom-email-format.several-at", value),
                Problem::Space => text!("telecom-email-format.space", value),
                Problem::NothingBeforeAt => text!("telecom-email-format.nothing-before-at", value),
                Problem::NoDomain => text!("telecom-email-format.no-domain", value),
            };
            out.push(RULE.issue(cx.location, &at, cx.messages, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn patient(email: &str) -> serde_json::Value {
        json!({"resourceType": "Patient", "telecom": [
            {"system": "phone", "value": "555-555-1234"},
            {"system": "email", "value": email}]})
    }

    #[test]
    fn fails_on_what_cannot_be_an_address() {
        assert_one(
            patient("jane.doe@example"),
            "telecom-email-format",
            "/telecom/1/value",
        );
        assert_one(
            patient("second wing admissions"),
            "telecom-email-format",
            "/telecom/1/value",
        );
        // Wherever a ContactPoint sits: a patient's contact person.
        assert_one(
            json!({"resourceType": "Patient", "contact": [{"telecom": [
                {"system": "email", "value": "mom@example,org"}]}]}),
            "telecom-email-format",
            "/contact/0/telecom/0/value",
        );
        for bad in [
            "jane.doe",
            "@example.org",
            "jane@@example.org",
            "jane@doe@example.org",
            "jane doe@example.org",
            "jane@.example.org",
            "jane@example..org",
            "jane@example.org.",
            "jane@-example.org",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn passes_real_addresses() {
        assert_clean(patient("jane.doe@example.org"));
        assert_clean(patient("mailto:Jane.Doe@Example.ORG"));
        for good in [
            "E.M.vandenbroek@bmc.nl",
            "first.last+tag@mail.example.co.uk",
            "o'brien@example.ie",
            "  jane@example.org ",
            "user@xn--bcher-kva.example",
            "jörg@bücher.de",
        ] {
            assert_eq!(problem(good), None, "{good}");
        }
    }
}
