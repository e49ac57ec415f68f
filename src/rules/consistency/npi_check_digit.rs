//! # npi-check-digit
//!
//! **What it checks**: a National Provider Identifier (system `http://hl7.org/fhir/sid/us-npi`,
//! in an identifier or a coding) is 10 digits with a valid check digit (Luhn over the 80840
//! prefix and the first nine digits).
//!
//! **Why it matters**: a claim or referral with a mistyped NPI is rejected or routed to the
//! wrong clinician.
//!
//! **Example**: fails: Practitioner.identifier value `1234567890`; passes: `1234567893`.
//!
//! **Authority**: CMS "Requirements for National Provider Identifier (NPI) and NPI Enumerator
//! Check Digit Calculation" (45 CFR 162.406; ISO/IEC 7812 Luhn with prefix 80840).

use crate::codes::checkdigit::{npi, NpiError};
use crate::fhir::coding::NPI;
use crate::fhir::path;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "npi-check-digit",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "value",
    title: "An NPI that is not 10 digits or fails its check digit",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS,
    fn check(_resource, cx, out) {
        for c in cx.ids_of(NPI).chain(cx.codes_of(NPI)) {
            let code = path::escape_token(c.value);
            let text = match npi(c.value) {
                Ok(()) => continue,
                Err(NpiError::Form) => text!("npi-check-digit.form", code),
                Err(NpiError::CheckDigit(_)) => text!("npi-check-digit", code),
            };
            out.push(RULE.issue(cx.location, &c.pointer, cx.messages, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn practitioner(npi: &str) -> serde_json::Value {
        json!({"resourceType": "Practitioner", "identifier": [
            {"system": "http://hospital.example.org/staff", "value": "X-1"},
            {"system": "http://hl7.org/fhir/sid/us-npi", "value": npi}]})
    }

    #[test]
    fn fails_on_a_bad_check_digit_or_length() {
        assert_one(
            practitioner("1234567890"),
            "npi-check-digit",
            "/identifier/1/value",
        );
        assert_one(
            practitioner("12345"),
            "npi-check-digit",
            "/identifier/1/value",
        );
    }

    fn patient(npi: &str) -> serde_json::Value {
        json!({"resourceType": "Patient", "identifier": [
            {"system": "http://hl7.org/fhir/sid/us-npi", "value": npi}]})
    }

    #[test]
    fn checks_a_patient_npi_too() {
        // A patient who is also a clinician may carry an NPI among their identifiers.
        assert_one(
            patient("1234567890"),
            "npi-check-digit",
            "/identifier/0/value",
        );
        assert_clean(patient("1234567893"));
    }

    #[test]
    fn passes_a_valid_npi() {
        assert_clean(practitioner("1234567893"));
    }
}
