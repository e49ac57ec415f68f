//! # ndc-ambiguous
//!
//! **What it checks**: a 10-digit NDC is written with its hyphens. Without them it cannot be
//! turned into the 11-digit billing form: the zero may belong to any of the three segments.
//!
//! **Why it matters**: `0777310502` may be 0777-3105-02 or 07773-105-02: two products. Billing
//! the wrong 11-digit form bills the wrong drug. A warning: the code may still be right.
//!
//! **Example**: warns: `0777310502`; passes: `0777-3105-02` (suggests `00777310502`).
//!
//! **Authority**: FDA NDC Directory; HIPAA/NCPDP 11-digit 5-4-2 conversion rules.

use crate::codes::checkdigit::{ndc, Ndc};
use crate::fhir::coding::NDC;
use crate::fhir::path;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "ndc-ambiguous",
    category: Category::Consistency,
    severity: Severity::Warning,
    issue_type: "code-invalid",
    title: "A 10-digit NDC without hyphens, which has no single 11-digit form",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS,
    fn check(_resource, cx, out) {
        for c in super::own_codes(cx, NDC) {
            if ndc(c.value) == Ndc::Ambiguous {
                let text = text!("ndc-ambiguous", code = path::escape_token(c.value));
                out.push(RULE.issue(cx.location, &c.pointer, cx.messages, text));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::ndc_format::tests::request;
    use crate::rules::testing::{assert_clean, assert_one, report};

    #[test]
    fn warns_on_ten_digits_without_hyphens() {
        assert_one(
            request("0777310502"),
            "ndc-ambiguous",
            "/medicationCodeableConcept/coding/0/code",
        );
        assert!(report(request("0777310502")).valid);
    }

    #[test]
    fn passes_hyphenated_and_eleven_digits() {
        assert_clean(request("0777-3105-02"));
        assert_clean(request("00777310502"));
    }
}
