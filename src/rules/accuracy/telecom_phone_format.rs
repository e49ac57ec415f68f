//! # telecom-phone-format
//!
//! **What it checks**: every ContactPoint whose `system` is `phone`, `fax`, `sms` or `pager`
//! (Patient.telecom, a patient's contact's telecom, Practitioner.telecom, an extension's
//! valueContactPoint ...) has a `value` that can be dialled: digits, with the separators
//! people write (spaces, `-`, `.`, `/`, parentheses), a leading `+` or `(+1)` for the
//! country code, and optionally an extension at the end (`ext 12`, `ext. 12`, `x12`, `#12`,
//! `;ext=12`); a `tel:` prefix (RFC 3966) is accepted. It warns when the value has letters or
//! other characters, a `+` that does not start the number, fewer than 3 digits (internal
//! extensions and short numbers have 3 or more) or more than 15 after an international
//! prefix (`+`, `00` or `011`), the most a phone number has. National formats are not
//! checked: `(555) 555-1234`, `+1 555 555 1234`, `555.555.1234 ext 12`, `(03) 5555 6473` and
//! `+44 20 7946 0958` all pass. A warning: a short or unusual number may still be right, and
//! FHIR notes that "notes about use of the contact are sometimes included in the value",
//! though a number with a note in it cannot be dialled or texted automatically.
//!
//! **Why it matters**: a phone number nobody can dial means a critical result, a changed
//! appointment or a pharmacy callback cannot reach the patient; a value such as
//! "(555) silent" or "call mother" is a note typed into the number field.
//!
//! **Example**: fails: `"telecom": [{"system": "phone", "value": "555-CALL"}]`; passes:
//! `{"system": "phone", "value": "(555) 555-1234 ext 12"}`.
//!
//! **Authority**: FHIR R4 ContactPoint (http://hl7.org/fhir/R4/datatypes.html#ContactPoint):
//! the value is "in a form that is meaningful to the designated communication system (i.e.
//! phone number or email address)"; ITU-T Recommendation E.164 (at most 15
//! digits in an international number); RFC 3966 (the `tel:` URI and its `ext` parameter).

use super::contact_points;
use crate::report::{Category, Severity};
use crate::rules::{quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "telecom-phone-format",
    category: Category::Accuracy,
    severity: Severity::Warning,
    issue_type: "value",
    title: "A phone, fax, SMS or pager contact that is not a phone number",
};

const MIN_DIGITS: usize = 3;
/// ITU-T E.164: an international number has at most 15 digits.
const MAX_DIGITS: usize = 15;

/// Characters of the number itself: digits and the separators people write. Unicode hyphens
/// and dashes come with numbers copied from documents.
fn number_char(c: char) -> bool {
    c.is_ascii_digit()
        || c.is_whitespace()
        || matches!(
            c,
            '-' | '.' | '/' | '(' | ')' | '+' | '\u{2010}' | '\u{2011}' | '\u{2013}'
        )
}

/// Whether what follows the number is an extension: a marker, then up to 8 digits.
fn is_extension(rest: &str) -> bool {
    let rest = rest.trim().to_lowercase();
    [";ext=", "extension", "ext.", "ext", "x", "#"]
        .iter()
        .find_map(|marker| rest.strip_prefix(marker))
        .map(|after| after.trim_start_matches([' ', '.', ':', '=']))
        .is_some_and(|d| (1..=8).contains(&d.len()) && d.bytes().all(|b| b.is_ascii_digit()))
}

/// What is wrong with a phone number, if anything.
fn problem(value: &str) -> Option<String> {
    let value = value.trim();
    let value = match value.get(..4) {
        Some(p) if p.eq_ignore_ascii_case("tel:") => &value[4..],
        _ => value,
    };
    let split = value.find(|c| !number_char(c)).unwrap_or(value.len());
    let (number, rest) = value.split_at(split);
    if let Some(c) = rest.chars().next() {
        if !is_extension(rest) {
            return Some(if rest.contains('@') {
                "it looks like an email address (if it is one, set its system to email)".into()
            } else if c.is_alphabetic() {
                "it contains letters".into()
            } else {
                format!("it contains \"{c}\"")
            });
        }
    }
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if let Some(plus) = number.find('+') {
        if number.matches('+').count() > 1 || number[..plus].chars().any(|c| c.is_ascii_digit()) {
            return Some("a + can only come first, before the country code".into());
        }
    }
    let international = if number.contains('+') {
        digits.len()
    } else if digits.starts_with("011") {
        digits.len() - 3
    } else if digits.starts_with("00") {
        digits.len() - 2
    } else {
        digits.len()
    };
    match digits.len() {
        0 => Some("it has no digits".into()),
        n if n < MIN_DIGITS => Some(format!(
            "it has only {n} digit{}",
            if n == 1 { "" } else { "s" }
        )),
        n if international > MAX_DIGITS => Some(format!(
            "it has {n} digits, more than a phone number can have"
        )),
        _ => None,
    }
}

record_rule! {
    types: crate::rules::consistency::ALL_TYPES,
    reads: crate::rules::Reads::CONTACTS,
    fn check(_resource, cx, out) {
        for (at, system, value) in contact_points(cx) {
            let kind = match system {
                "phone" => "a phone",
                "fax" => "a fax",
                "sms" => "an SMS",
                "pager" => "a pager",
                _ => continue,
            };
            let Some(why) = value.as_str().and_then(problem) else { continue };
            out.push(RULE.at(
                cx.location,
                &at,
                format!(
                    "{} is not {kind} number: {why}. Write the full number in digits, such as (555) 555-1234 or +44 20 7946 0958; an extension can follow \"ext\".",
                    quote(value)
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::problem;
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn patient(system: &str, phone: &str) -> serde_json::Value {
        json!({"resourceType": "Patient", "telecom": [
            {"system": "email", "value": "jane.doe@example.org"},
            {"system": system, "value": phone}]})
    }

    #[test]
    fn fails_on_what_cannot_be_dialled() {
        assert_one(
            patient("phone", "555-CALL"),
            "telecom-phone-format",
            "/telecom/1/value",
        );
        assert_one(
            patient("fax", "(555) silent"),
            "telecom-phone-format",
            "/telecom/1/value",
        );
        assert_one(
            json!({"resourceType": "Practitioner", "telecom": [
                {"system": "sms", "value": "12"}]}),
            "telecom-phone-format",
            "/telecom/0/value",
        );
        for bad in [
            "call mother",
            "jane.doe@example.org",
            "555-555-1234 ext",
            "555+555+1234",
            "1-800-FLOWERS",
            "+1 555 555 1234 5678 9012",
            "555*1234",
            "   ",
        ] {
            assert!(problem(bad).is_some(), "{bad}");
        }
    }

    #[test]
    fn passes_real_world_formats() {
        assert_clean(patient("phone", "(555) 555-1234"));
        assert_clean(patient("pager", "2328"));
        for good in [
            "(555) 555-1234",
            "+1 555 555 1234",
            "555.555.1234 ext 12",
            "+44 20 7946 0958",
            "+44 (0)20 7946 0958",
            "(+1) 734-677-7777",
            "+33 (237) 998327",
            "(03) 5555 6473",
            "022-655 2300",
            "030/1234567",
            "0205568263",
            "555-555-1234 x12",
            "555-555-1234 Ext. 12",
            "555-555-1234 #12",
            "tel:+1-201-555-0123;ext=1234",
            "011 44 20 7946 0958",
            "555\u{2013}555\u{2013}1234",
            "911",
        ] {
            assert_eq!(problem(good), None, "{good}");
        }
    }
}
