//! # address-us-state
//!
//! **What it checks**: every Address (Patient.address, a patient's contact's address,
//! Practitioner.address, an extension's valueAddress ...) whose `country` is the US (`US`,
//! `USA`, `United States`, any letter case) or absent has, if it has a `state`, one of the 62
//! USPS two-letter codes: the states, DC, the territories (PR, GU, VI ...) and the armed
//! forces codes (AA, AE, AP). A state's full name (`California`), even slightly mistyped
//! (`Californa`), or a code in lower case (`ca`) gets a warning suggesting the code (`CA`).
//! An address without a country is read as a US address, so the warning then also says to
//! record the country if the address is abroad (address-us-zip then stays silent on that
//! address: one missing country, one issue). A warning: the address may still reach the
//! patient.
//!
//! **Why it matters**: the state is what mailing, claims, immunization registries and public
//! health reports route on; a value that is not a USPS code fails address validation and
//! state reporting, and US Core binds Address.state to the USPS codes.
//!
//! **Example**: fails: `"address": [{"city": "Springfield", "state": "Springfield"}]`; warns
//! with suggestion `CA`: `{"state": "California"}`; passes: `{"state": "IL", "country": "US"}`, or
//! `{"state": "Vic", "country": "AU"}`.
//!
//! **Authority**: FHIR R4 Address.state (http://hl7.org/fhir/R4/datatypes.html#Address):
//! "Sub-unit of a country with limited sovereignty ... (e.g. US 2 letter state codes)"; US
//! Core Address.state bound (extensible) to the USPS Two Letter Alphabetic Codes value set;
//! USPS Publication 28 (Postal Addressing Standards), Appendix B (two-letter state and
//! possession abbreviations). The code
//! list comes from data/usps-states.tsv (provenance in data/README.md).

use super::{of_datatype, us_address, usps_meant, UsAddress};
use crate::codes::usps;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::{quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "address-us-state",
    category: Category::Accuracy,
    severity: Severity::Warning,
    issue_type: "value",
    title: "A US address whose state is not a USPS state code",
};

record_rule! {
    reads: crate::rules::Reads::CONTACTS,
    fn check(_resource, cx, out) {
        for (at, address) in of_datatype(cx.contact_values(), crate::fhir::index::Datatype::Address) {
            let Some(us) = us_address(address) else { continue };
            let Some(value) = address.get("state") else { continue };
            // Not a string, or empty: the structure check reports it.
            let Some(state) = value.as_str().filter(|s| !s.is_empty()).map(str::trim) else {
                continue;
            };
            if usps::is_code(state) {
                continue;
            }
            let meant = usps_meant(state);
            let value = quote(value);
            let text = match (meant, us) {
                (Some(code), _) if code.eq_ignore_ascii_case(&state.replace('.', "")) => {
                    text!("address-us-state.case", value, code)
                }
                (Some(code), _) => text!(
                    "address-us-state.name",
                    code,
                    name = usps::name_of(code).unwrap_or(state)
                ),
                (None, UsAddress::Stated) => text!("address-us-state", value),
                (None, UsAddress::Assumed) => text!("address-us-state.no-country", value),
            };
            let mut issue = RULE.issue(cx.location, &format!("{at}/state"), cx.messages, text);
            issue.suggestions.extend(meant.map(str::to_string));
            out.push(issue);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    fn patient(state: &str, country: Option<&str>) -> serde_json::Value {
        let mut address = json!({"city": "Springfield", "state": state});
        if let Some(c) = country {
            address["country"] = json!(c);
        }
        json!({"resourceType": "Patient", "address": [{"city": "Boston", "state": "MA"}, address]})
    }

    #[test]
    fn fails_on_what_is_not_a_usps_code() {
        assert_one(
            patient("XX", Some("USA")),
            "address-us-state",
            "/address/1/state",
        );
        assert_one(patient("Vic", None), "address-us-state", "/address/1/state");
        assert_one(
            json!({"resourceType": "Patient", "contact": [{"address":
                {"state": "Calif", "country": "United States"}}]}),
            "address-us-state",
            "/contact/0/address/state",
        );
    }

    #[test]
    fn suggests_the_code_of_a_name_or_lower_case_code() {
        for (state, code) in [
            ("California", "CA"),
            ("il", "IL"),
            ("d.c.", "DC"),
            ("Ilinois", "IL"),
            ("puerto rico", "PR"),
        ] {
            let r = report(patient(state, Some("US")));
            assert_eq!(r.issues.len(), 1, "{state}");
            assert_eq!(r.issues[0].code, "address-us-state");
            assert_eq!(r.issues[0].suggestions, [code], "{state}");
        }
    }

    #[test]
    fn passes_usps_codes_and_foreign_addresses() {
        assert_clean(patient("IL", Some("US")));
        assert_clean(patient("PR", None));
        assert_clean(patient("AE", Some("u.s.a.")));
        assert_clean(patient("Vic", Some("AU")));
        assert_clean(patient("Ontario", Some("Canada")));
    }
}
