//! # ndc-format
//!
//! **What it checks**: a National Drug Code (system `http://hl7.org/fhir/sid/ndc`) has one of
//! its forms: 10 digits as 4-4-2, 5-3-2 or 5-4-1, or 11 digits (5-4-2, with or without hyphens).
//!
//! **Why it matters**: a malformed NDC matches no product: the prescription cannot be filled
//! from it, and pharmacy claims are rejected.
//!
//! **Example**: fails: `777-3105-02` (3-4-2); passes: `0777-3105-02`, or `00777310502`.
//!
//! **Authority**: FDA National Drug Code Directory (labeler-product-package segments); the
//! HIPAA 11-digit 5-4-2 billing form (NCPDP).

use super::ALL_TYPES;
use crate::codes::checkdigit::{ndc, Ndc};
use crate::fhir::coding::NDC;
use crate::fhir::path;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "ndc-format",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "An NDC in none of its 10- or 11-digit forms",
};

record_rule! {
    types: ALL_TYPES,
    reads: crate::rules::Reads::CODINGS,
    fn check(_resource, cx, out) {
        for c in super::own_codes(cx, NDC) {
            if ndc(c.value) == Ndc::Invalid {
                let text = text!("ndc-format", code = path::escape_token(c.value));
                out.push(RULE.issue(cx.location, &c.pointer, cx.messages, text));
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    pub(crate) fn request(ndc: &str) -> serde_json::Value {
        json!({"resourceType": "MedicationRequest", "status": "active", "intent": "order", "subject": {"reference": "Patient/1"},
               "medicationCodeableConcept": {"coding": [{"system": "http://hl7.org/fhir/sid/ndc", "code": ndc}]}})
    }

    #[test]
    fn fails_on_a_malformed_ndc() {
        assert_one(
            request("777-3105-02"),
            "ndc-format",
            "/medicationCodeableConcept/coding/0/code",
        );
    }

    #[test]
    fn passes_every_form() {
        for ok in [
            "0777-3105-02",
            "12345-678-90",
            "12345-6789-0",
            "00777310502",
            "00777-3105-02",
        ] {
            assert_clean(request(ok));
        }
    }
}
