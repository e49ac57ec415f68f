//! # cvx-format
//!
//! **What it checks**: a CVX vaccine code (system `http://hl7.org/fhir/sid/cvx`) is a number of
//! one to three digits.
//!
//! **Why it matters**: immunization registries (IIS) key doses on CVX: a malformed code means
//! the dose is not recorded and the patient may be vaccinated again.
//!
//! **Example**: fails: Immunization.vaccineCode `COVID`; passes: `208`.
//!
//! **Authority**: CDC CVX code set (HL7 table 0292); CDC IIS HL7 v2.5.1 Implementation Guide.

use crate::codes::checkdigit::cvx;
use crate::fhir::coding::CVX;
use crate::fhir::path;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "cvx-format",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "A CVX vaccine code that is not a 1-3 digit number",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS,
    fn check(_resource, cx, out) {
        for c in super::own_codes(cx, CVX) {
            if !cvx(c.value) {
                let text = text!("cvx-format", code = path::escape_token(c.value));
                out.push(RULE.issue(cx.location, &c.pointer, cx.messages, text));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn immunization(code: &str) -> serde_json::Value {
        json!({"resourceType": "Immunization", "status": "completed", "patient": {"reference": "Patient/1"},
               "occurrenceDateTime": "2024-10-01", "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": code}]}})
    }

    #[test]
    fn fails_on_a_malformed_code() {
        assert_one(
            immunization("COVID"),
            "cvx-format",
            "/vaccineCode/coding/0/code",
        );
    }

    #[test]
    fn passes_a_numeric_code() {
        assert_clean(immunization("208"));
    }
}
