//! # ndc-format
//!
//! **What it checks**: a National Drug Code (system `http://hl7.org/fhir/sid/ndc`) has one of
//! its forms: 10 digits as 4-4-2, 5-3-2 or 5-4-1, or 11 digits (5-4-2, with or without hyphens),
//! or a product code without its package segment (4-4, 5-3 or 5-4).
//!
//! **Why it matters**: a malformed NDC matches no product: the prescription cannot be filled
//! from it, and pharmacy claims are rejected.
//!
//! **Example**: fails: `777-3105-02` (3-4-2), `2501-813-16` (4-3-2); passes: `0777-3105-02`,
//! `00777310502`, or the product code `0777-3105`.
//!
//! **Authority**: FDA National Drug Code Directory (labeler-product-package segments, and
//! product NDCs of labeler-product); the
//! HIPAA 11-digit 5-4-2 billing form (NCPDP).

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
    fn fails_in_any_resource_type() {
        // A Medication's code, as MedicationDispense and Medication examples carry NDCs.
        let medication = json!({"resourceType": "Medication",
            "code": {"coding": [{"system": "http://hl7.org/fhir/sid/ndc", "code": "2501-813-16"}]}});
        assert_one(medication, "ndc-format", "/code/coding/0/code");
    }

    #[test]
    fn passes_every_form() {
        for ok in [
            "0777-3105-02",
            "12345-678-90",
            "12345-6789-0",
            "00777310502",
            "00777-3105-02",
            "0777-3105",
            "50090-0001",
        ] {
            assert_clean(request(ok));
        }
    }
}
