//! # address-us-zip
//!
//! **What it checks**: every Address (Patient.address, a patient's contact's address,
//! Practitioner.address, an extension's valueAddress ...) whose `country` is the US (`US`,
//! `USA`, `United States`, any letter case) or absent has, if it has a `postalCode`, a ZIP
//! Code: 5 digits (`12345`) or ZIP+4 (`12345-6789`). Nine digits without the hyphen (or with
//! a space) get a suggestion of the hyphenated form; in an address stated to be in the US,
//! four digits get a suggestion with the leading zero that spreadsheets drop (`2134` ->
//! `02134`). An address without a country is read as a US address, so the warning then also
//! says to record the country if the address is abroad; but when such an address also has a
//! state that is no US state (`Vic`), address-us-state alone reports it, asking for the
//! country: one missing country, one issue. Leading and trailing spaces are ignored. A
//! warning: the address may still reach the patient.
//!
//! **Why it matters**: a ZIP Code that is not one fails USPS address validation, misroutes
//! mail and statements, and breaks the ZIP-based steps of claims (rating areas, locality
//! pricing) and of public health reporting.
//!
//! **Example**: fails: `"address": [{"state": "MA", "postalCode": "0213"}]`; warns with
//! suggestion `97201-1234`: `{"postalCode": "972011234"}`; passes: `{"postalCode": "02134"}`,
//! `{"postalCode": "97201-1234"}`, or `{"postalCode": "3999", "country": "AU"}`.
//!
//! **Authority**: FHIR R4 Address.postalCode (http://hl7.org/fhir/R4/datatypes.html#Address):
//! "A postal code designating a region defined by the postal service"; USPS Publication 28
//! (Postal Addressing Standards): a ZIP Code is 5 digits, a ZIP+4 code 5 digits, a hyphen
//! and 4 digits.

use super::{foreign_state, of_datatype, us_address, UsAddress};
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::{quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "address-us-zip",
    category: Category::Accuracy,
    severity: Severity::Warning,
    issue_type: "value",
    title: "A US address whose postal code is not a ZIP Code",
};

fn digits(s: &str, n: usize) -> bool {
    s.len() == n && s.bytes().all(|b| b.is_ascii_digit())
}

/// `12345` or `12345-6789`.
fn is_zip(code: &str) -> bool {
    match code.split_once('-') {
        None => digits(code, 5),
        Some((zip, plus4)) => digits(zip, 5) && digits(plus4, 4),
    }
}

/// The ZIP Code a malformed value most likely is, for a suggestion.
fn zip_meant(code: &str, us: UsAddress) -> Option<String> {
    let packed: String = code.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    if digits(&packed, 9)
        && code
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
    {
        return Some(format!("{}-{}", &packed[..5], &packed[5..]));
    }
    // A stated US address only: a 4-digit code abroad is likely right as it is.
    if us == UsAddress::Stated && digits(code, 4) {
        return Some(format!("0{code}"));
    }
    None
}

record_rule! {
    reads: crate::rules::Reads::CONTACTS,
    fn check(_resource, cx, out) {
        for (at, address) in of_datatype(cx.contact_values(), crate::fhir::index::Datatype::Address) {
            let Some(us) = us_address(address) else { continue };
            // No country and a foreign state: address-us-state asks for the country.
            if us == UsAddress::Assumed && foreign_state(address) {
                continue;
            }
            let Some(value) = address.get("postalCode") else { continue };
            // Not a string, or empty: the structure check reports it.
            let Some(code) = value.as_str().filter(|s| !s.is_empty()).map(str::trim) else {
                continue;
            };
            if is_zip(code) {
                continue;
            }
            let meant = zip_meant(code, us);
            let value = quote(value);
            let text = match (&meant, us) {
                (Some(zip), _) if code.len() == 4 => {
                    text!("address-us-zip.leading-zero", value, zip)
                }
                (Some(zip), _) => text!("address-us-zip.plus4", zip),
                (None, UsAddress::Stated) => text!("address-us-zip", value),
                (None, UsAddress::Assumed) => text!("address-us-zip.no-country", value),
            };
            let mut issue = RULE.issue(cx.location, &format!("{at}/postalCode"), cx.messages, text);
            issue.suggestions.extend(meant);
            out.push(issue);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_zip;
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    fn patient(zip: &str, country: Option<&str>) -> serde_json::Value {
        let mut address = json!({"city": "Boston", "state": "MA", "postalCode": zip});
        if let Some(c) = country {
            address["country"] = json!(c);
        }
        json!({"resourceType": "Patient", "address": [{"postalCode": "02134"}, address]})
    }

    #[test]
    fn fails_on_what_is_not_a_zip_code() {
        assert_one(
            patient("0213", None),
            "address-us-zip",
            "/address/1/postalCode",
        );
        assert_one(
            patient("SW1A 1AA", Some("US")),
            "address-us-zip",
            "/address/1/postalCode",
        );
        assert_one(
            json!({"resourceType": "Practitioner", "address": [
                {"postalCode": "02134-12", "country": "USA"}]}),
            "address-us-zip",
            "/address/0/postalCode",
        );
        for bad in [
            "1234",
            "123456",
            "12345-",
            "12345-678",
            "1234-56789",
            "ABCDE",
        ] {
            assert!(!is_zip(bad), "{bad}");
        }
    }

    #[test]
    fn suggests_the_zip_code_meant() {
        for (zip, country, meant) in [
            ("972011234", None, "97201-1234"),
            ("97201 1234", Some("US"), "97201-1234"),
            ("2134", Some("US"), "02134"),
        ] {
            let r = report(patient(zip, country));
            assert_eq!(r.issues.len(), 1, "{zip}");
            assert_eq!(r.issues[0].suggestions, [meant], "{zip}");
        }
        // Without a stated country, four digits may well be a foreign postal code.
        assert!(report(patient("3999", None)).issues[0]
            .suggestions
            .is_empty());
    }

    #[test]
    fn leaves_a_foreign_address_without_country_to_address_us_state() {
        assert_one(
            json!({"resourceType": "Patient", "address": [
                {"city": "PleasantVille", "state": "Vic", "postalCode": "3999"}]}),
            "address-us-state",
            "/address/0/state",
        );
    }

    #[test]
    fn passes_zip_codes_and_foreign_addresses() {
        assert_clean(patient("02134", Some("US")));
        assert_clean(patient("97201-1234", None));
        assert_clean(patient(" 02134 ", None));
        assert_clean(patient("1024 RJ", Some("NLD")));
        assert_clean(patient("V2H1Y3", Some("Canada")));
    }
}
