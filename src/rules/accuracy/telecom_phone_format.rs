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
use crate::messages::{text, Text};
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

/// What can be wrong with a phone number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Problem {
    /// An email address under a phone system.
    Email,
    Letters,
    /// A character that has no place in a phone number.
    Character(char),
    /// A `+` other than before the country code.
    Plus,
    NoDigits,
    /// Fewer digits than any number has.
    FewDigits(usize),
    /// More digits after the international prefix than E.164 allows.
    TooManyDigits(usize),
}

/// What is wrong with a phone number, if anything.
fn problem(value: &str) -> Option<Problem> {
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
                Problem::Email
            } else if c.is_alphabetic() {
                Problem::Letters
            } else {
                Problem::Character(c)
            });
        }
    }
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    if let Some(plus) = number.find('+') {
        if number.matches('+').count() > 1 || number[..plus].chars().any(|c| c.is_ascii_digit()) {
            return Some(Problem::Plus);
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
        0 => Some(Problem::NoDigits),
        n if n < MIN_DIGITS => Some(Problem::FewDigits(n)),
        n if international > MAX_DIGITS => Some(Problem::TooManyDigits(n)),
        _ => None,
    }
}

/// The kind of number a ContactPoint system calls for ("a phone"), for the message; None for
/// the systems that are no phone numbers.
fn kind(system: &str) -> Option<Text> {
    Some(match system {
        "phone" => text!("telecom-phone-format.kind.phone"),
        "fax" => text!("telecom-phone-format.kind.fax"),
        "sms" => text!("telecom-phone-format.kind.sms"),
        "pager" => text!("telecom-phone-format.kind.pager"),
        _ => return None,
    })
}

record_rule! {
    reads: crate::rules::Reads::CONTACTS,
    fn check(_resource, cx, out) {
        for (at, system, value) in contact_points(cx) {
            let Some(kind) = kind(system) else { continue };
            let Some(why) = value.as_str().and_then(problem) else { continue };
            let kind = cx.messages.render(&kind);
            let value = quote(value);
            let text = match why {
                Problem::Letters => text!("telecom-phone-format", value, kind),
                Problem::Email => text!("telecom-phone-format.email", value, kind),
                Problem::Character(symbol) => {
                    text!("telecom-phone-format.character", value, kind, symbol)
                }
                Problem::Plus => text!("telecom-phone-format.plus", value, kind),
                Problem::NoDigits => text!("telecom-phone-format.no-digits", value, kind),
                Problem::FewDigits(1) => text!("telecom-phone-format.one-digit", value, kind),
                Problem::FewDigits(count) => {
                    text!("telecom-phone-format.few-digits", value, kind, count)
                }
                Problem::TooManyDigits(count) => {
                    text!("telecom-phone-format.too-many-digits", value, kind, count)
                }
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
