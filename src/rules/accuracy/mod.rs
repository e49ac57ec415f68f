//! Accuracy rules: is a value malformed or implausible (dates out of order, dates in the
//! future, contact details that cannot be used, implausible vitals)?

pub mod address_us_state;
pub mod address_us_zip;
pub mod birth_date_in_future;
pub mod human_name_empty;
pub mod period_end_before_start;
pub mod telecom_email_format;
pub mod telecom_phone_format;

use std::fmt::Write as _;

use serde_json::{Map, Value};

use crate::fhir::path;

/// The resource types (of those ehrlint checks) whose own elements `telecom`, `address` and
/// `name` hold a ContactPoint, an Address and a HumanName: Patient (with Patient.contact) and
/// Practitioner. In FHIR R4 every object under `telecom` is a ContactPoint and every object
/// under `address` an Address (the other `address` elements are strings); `name` holds a
/// HumanName in the person resources only (MedicinalProduct.name, for one, is not).
const PERSON_TYPES: &[&str] = &["Patient", "Practitioner"];

/// Every value of one datatype in a resource, with its pointer suffix: the objects under
/// `element` in the person resources, and under `extension_value`
/// (`valueContactPoint`, ...) in any resource. Elsewhere `element` is not a FHIR element:
/// the structure check reports it, and the rules stay silent (no cascade).
pub(crate) fn datatype_values<'a>(
    resource: &'a Value,
    element: &str,
    extension_value: &str,
) -> Vec<(String, &'a Map<String, Value>)> {
    let person = resource
        .get("resourceType")
        .and_then(Value::as_str)
        .is_some_and(|rt| PERSON_TYPES.contains(&rt));
    if person {
        elements_named(resource, &[element, extension_value])
    } else {
        elements_named(resource, &[extension_value])
    }
}

/// Every object held by one of the element `names` anywhere in a resource, with its pointer
/// suffix. Does not descend into nested resources (`contained`, a Bundle's entries): the
/// engine checks them at their own place. Only values of the right shape count (see
/// `single`): a list where one object belongs, or the reverse, is the structure check's to
/// report, and judging what is inside would be a cascade.
fn elements_named<'a>(
    resource: &'a Value,
    names: &[&str],
) -> Vec<(String, &'a Map<String, Value>)> {
    let mut found = Vec::new();
    walk(resource, names, &mut String::new(), "", &mut found);
    found
}

/// Whether `element` inside an object held by `container` holds one value rather than a
/// list. In Patient and Practitioner, `name`, `telecom` and `address` are lists, except a
/// Patient.contact's `name` and `address`; an extension's value is always one.
fn single(element: &str, container: &str) -> bool {
    element.starts_with("value") || (container == "contact" && element != "telecom")
}

/// `container`: the element holding `value` (for a list item, the list's element); "" at the
/// root of the resource.
fn walk<'a>(
    value: &'a Value,
    names: &[&str],
    at: &mut String,
    container: &str,
    found: &mut Vec<(String, &'a Map<String, Value>)>,
) {
    match value {
        Value::Object(map) => {
            let root = at.is_empty();
            for (k, v) in map {
                let nested = k == "contained" || (root && k == "entry") || k == "resource";
                if nested || !(v.is_object() || v.is_array()) {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&path::escape_token(k));
                if names.contains(&k.as_str()) {
                    match v {
                        Value::Object(m) if single(k, container) => found.push((at.clone(), m)),
                        Value::Array(items) if !single(k, container) => {
                            for (i, item) in items.iter().enumerate() {
                                if let Value::Object(m) = item {
                                    found.push((format!("{at}/{i}"), m));
                                }
                            }
                        }
                        _ => {}
                    }
                }
                walk(v, names, at, k, found);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = at.len();
                let _ = write!(at, "/{i}");
                walk(v, names, at, container, found);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Where an address is, for the US address rules.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum UsAddress {
    /// Its country says US.
    Stated,
    /// It has no country: US formats are assumed, and messages say how to mark it foreign.
    Assumed,
}

/// Whether an Address is to be read as a US address: its `country` is the US (`US`, `USA`,
/// `U.S.A.`, `United States`, `United States of America`, any letter case), or it has none.
/// None for any other country (or a `country` that is not a string: the structure check
/// reports it).
pub(crate) fn us_address(address: &Map<String, Value>) -> Option<UsAddress> {
    let country = match address.get("country") {
        None => return Some(UsAddress::Assumed),
        Some(Value::String(s)) => s,
        Some(_) => return None,
    };
    let letters: String = country
        .chars()
        .filter(|c| !matches!(c, '.' | ' '))
        .flat_map(char::to_uppercase)
        .collect();
    matches!(
        letters.as_str(),
        "US" | "USA" | "UNITEDSTATES" | "UNITEDSTATESOFAMERICA"
    )
    .then_some(UsAddress::Stated)
}

/// The USPS code a `state` value means: the code itself, or the same code in other letter
/// case or with dots (`il`, `D.C.`), or a state's full name (`California`), or a name
/// mistyped by an edit or two (`Ilinois`; names only: two-letter codes are too close to one
/// another to guess).
pub(crate) fn usps_meant(state: &str) -> Option<&'static str> {
    use crate::codes::usps;
    usps::code_meant(state)
        .or_else(|| usps::code_meant(&state.replace('.', "")))
        .or_else(|| {
            if state.chars().count() <= 3 {
                return None;
            }
            let name = crate::rules::nearest(state, usps::names(), 1).pop()?;
            usps::code_meant(&name)
        })
}

/// Whether an address has a `state` that means no US state: in an address without a
/// country, the sign of a foreign address, which address-us-state reports once (with the
/// advice to record the country) for the whole address.
pub(crate) fn foreign_state(address: &Map<String, Value>) -> bool {
    address
        .get("state")
        .and_then(Value::as_str)
        .map(str::trim)
        .is_some_and(|s| !s.is_empty() && usps_meant(s).is_none())
}

/// The sentence US address messages end with when the address has no country.
pub(crate) fn foreign_hint(us: UsAddress) -> &'static str {
    match us {
        UsAddress::Stated => "",
        UsAddress::Assumed => {
            " The address has no country, so it was read as a US address; if it is outside the US, record its country."
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn finds_elements_by_name_but_not_in_nested_resources() {
        let r = json!({"resourceType": "Patient",
            "telecom": [{"system": "phone"}, "not an object", {"system": "email"}],
            "contact": [{"telecom": [{"system": "fax"}]}],
            "extension": [{"url": "x", "valueContactPoint": {"system": "sms"}}],
            "contained": [{"resourceType": "Patient", "telecom": [{"system": "pager"}]}]});
        let mut found: Vec<String> = datatype_values(&r, "telecom", "valueContactPoint")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        found.sort();
        assert_eq!(
            found,
            [
                "/contact/0/telecom/0",
                "/extension/0/valueContactPoint",
                "/telecom/0",
                "/telecom/2"
            ]
        );
    }

    #[test]
    fn takes_only_values_of_the_right_shape() {
        let r = json!({"resourceType": "Patient",
            "name": {"family": "a list belongs here"},
            "address": [{"city": "A"}],
            "contact": [
                {"name": {"text": "one"}, "address": [{"city": "a list"}], "telecom": [{}]},
                {"name": [{"text": "a list"}], "address": {"city": "B"}, "telecom": {}}],
            "extension": [{"url": "x", "valueHumanName": [{"text": "a list"}]}]});
        let paths = |element: &str, value: &str| -> Vec<String> {
            let mut p: Vec<String> = datatype_values(&r, element, value)
                .into_iter()
                .map(|(p, _)| p)
                .collect();
            p.sort();
            p
        };
        assert_eq!(paths("name", "valueHumanName"), ["/contact/0/name"]);
        assert_eq!(
            paths("address", "valueAddress"),
            ["/address/0", "/contact/1/address"]
        );
        assert_eq!(
            paths("telecom", "valueContactPoint"),
            ["/contact/0/telecom/0"]
        );
    }

    #[test]
    fn finds_only_extension_values_outside_the_person_resources() {
        let r = json!({"resourceType": "Observation",
            "telecom": [{"system": "phone"}],
            "extension": [{"url": "x", "valueContactPoint": {"system": "sms"}}]});
        let found: Vec<String> = datatype_values(&r, "telecom", "valueContactPoint")
            .into_iter()
            .map(|(p, _)| p)
            .collect();
        assert_eq!(found, ["/extension/0/valueContactPoint"]);
    }

    #[test]
    fn reads_the_country() {
        let us = |c: Value| us_address(json!({"country": c}).as_object().unwrap());
        assert_eq!(us(json!("US")), Some(UsAddress::Stated));
        assert_eq!(us(json!("u.s.a.")), Some(UsAddress::Stated));
        assert_eq!(
            us(json!("United States of America")),
            Some(UsAddress::Stated)
        );
        assert_eq!(us(json!("CAN")), None);
        assert_eq!(us(json!(840)), None);
        assert_eq!(us_address(&Map::new()), Some(UsAddress::Assumed));
    }
}
