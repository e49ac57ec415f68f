//! # loinc-check-digit
//!
//! **What it checks**: a LOINC code (system `http://loinc.org`) has LOINC's form, digits, a
//! hyphen and a check digit (`8867-4`; answer and part codes carry an `LA`/`LP`/`LL`/`LG`
//! prefix, whose form alone is checked), and a plain code's check digit is right.
//!
//! **Why it matters**: a mistyped LOINC code files the result under another test, or under
//! none: a heart rate stored as something else is lost to charts, alerts and quality measures.
//!
//! **Example**: fails: Observation.code `8876-4` (transposed digits); passes: `8867-4`.
//!
//! **Authority**: LOINC Users' Guide, "Calculating the mod 10 check digit"; ehrlint ships no
//! LOINC content, only this public algorithm.

use crate::codes::checkdigit::{loinc, LoincError};
use crate::fhir::coding::LOINC;
use crate::fhir::path;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "loinc-check-digit",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "A LOINC code with a wrong check digit or not in LOINC's form",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS,
    fn check(_resource, cx, out) {
        for c in super::own_codes(cx, LOINC) {
            // Answer, part, list and group codes (LA6576-8) have their own numbering: only
            // their form is checked, not the check digit.
            if let Some(rest) = ["LA", "LP", "LL", "LG"]
                .iter()
                .find_map(|p| c.value.strip_prefix(p))
            {
                if loinc(rest) != Err(LoincError::Form) {
                    continue;
                }
            }
            let code = crate::rules::excerpt(&path::escape_token(c.value));
            let text = match loinc(c.value) {
                Ok(()) => continue,
                Err(LoincError::Form) => text!("loinc-check-digit.form", code),
                // No suggestion: a wrong check digit usually means a mistyped number, and
                // "fixing" the digit would give a different, wrong code.
                Err(LoincError::CheckDigit(_)) => text!("loinc-check-digit", code),
            };
            out.push(RULE.issue(cx.location, &c.pointer, cx.messages, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn observation(code: &str) -> serde_json::Value {
        json!({"resourceType": "Observation", "status": "final",
               "code": {"coding": [{"system": "http://loinc.org", "code": code}]},
               "valueCodeableConcept": {"coding": [{"system": "http://loinc.org", "code": "LA6576-8"}]}})
    }

    #[test]
    fn fails_on_transposed_digits_and_bad_form() {
        assert_one(
            observation("8876-4"),
            "loinc-check-digit",
            "/code/coding/0/code",
        );
        assert_one(
            observation("heart rate"),
            "loinc-check-digit",
            "/code/coding/0/code",
        );
    }

    #[test]
    fn passes_good_codes_and_answer_codes() {
        assert_clean(observation("8867-4"));
    }
}
