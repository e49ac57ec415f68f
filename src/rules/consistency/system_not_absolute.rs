//! # system-not-absolute
//!
//! **What it checks**: the `system` of a Coding, Quantity or Identifier, and the code systems a
//! ValueSet includes or excludes, is an absolute URI: a scheme and a colon (`http://loinc.org`),
//! or `urn:uuid:` with a lowercase UUID, or `urn:oid:` with an OID. Not a local reference
//! (`#cs1`), not a name (`LOINC`, `loinc.org`). When the text names a code system ehrlint knows,
//! its URI is suggested.
//!
//! **Why it matters**: the system is how another computer knows which code system a code comes
//! from. `LOINC` or `#cs1` identifies nothing outside the sender: the receiver cannot look the
//! code up, so it drops it or guesses, and the record says less than the clinician recorded.
//!
//! **Example**: fails: `{"system": "LOINC", "code": "8867-4"}` (suggests `http://loinc.org`),
//! `{"system": "urn:uuid:6A2EE390-978E-42C6-8F88-C17DFF3BD8A3"}` (upper case); passes:
//! `{"system": "http://loinc.org", "code": "8867-4"}`, `urn:oid:2.16.840.1.113883.6.1`.
//!
//! **Authority**: FHIR R4 Coding.system, Quantity.system and Identifier.system (uri: "an
//! absolute URI"; "The URI may be an OID (urn:oid:...) or a UUID (urn:uuid:...)"); FHIR R4
//! datatypes, uri ("UUIDs SHALL be lower case"); RFC 3986 (absolute URI: scheme ":" ...).

use crate::json::Value;

use super::{system_name, SYSTEM_NAMES};
use crate::fhir::facts;
use crate::fhir::index::Datatype;
use crate::fhir::path;
use crate::fhir::primitives::check_format;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "system-not-absolute",
    category: Category::Consistency,
    severity: Severity::Error,
    issue_type: "value",
    title: "A code or identifier system that is not an absolute URI",
};

record_rule! {
    reads: crate::rules::Reads::SYSTEMS,
    fn check(resource, cx, out) {
        let index = cx.index();
        let datatypes = [Datatype::Coding, Datatype::Quantity, Datatype::Identifier];
        // Pointers are made only for the systems that fail: most pass.
        let of_datatypes = index
            .entries
            .iter()
            .filter(|e| datatypes.contains(&e.datatype))
            .filter_map(|e| Some((e, e.text("system")?)))
            .filter(|(_, system)| !absolute(system))
            .map(|(e, system)| (format!("{}/system", e.pointer), system));
        let rt = resource
            .get("resourceType")
            .and_then(Value::as_str)
            .unwrap_or("");
        let stated = facts::system_elements(rt)
            .flat_map(|dotted| path::values_at(resource, dotted))
            .filter_map(|(pointer, v)| Some((pointer, v.as_str()?)))
            .filter(|(_, system)| !absolute(system));
        for (pointer, system) in of_datatypes.chain(stated) {
            let shown = crate::rules::excerpt(&path::escape_token(system));
            let meant = known_system(system);
            let text = match meant {
                Some(uri) => text!(
                    "system-not-absolute.known",
                    system = shown,
                    name = system_name(uri),
                    uri
                ),
                None => text!("system-not-absolute", system = shown),
            };
            let mut issue = RULE.issue(cx.location, &pointer, cx.messages, text);
            issue.suggestions = meant.into_iter().map(str::to_string).collect();
            out.push(issue);
        }
    }
}

/// An absolute URI (RFC 3986: a scheme, a colon, and more), with a well-formed UUID or OID
/// after `urn:uuid:` and `urn:oid:`.
fn absolute(system: &str) -> bool {
    if let Some(uuid) = system.strip_prefix("urn:uuid:") {
        return check_format("fhir-uuid", system).is_ok() && !uuid.is_empty();
    }
    if system.starts_with("urn:oid:") {
        return check_format("fhir-oid", system).is_ok();
    }
    let Some((scheme, rest)) = system.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        && !rest.is_empty()
}

/// The URI of a known code system that `text` names (`LOINC`, `loinc.org`, `SNOMED CT`,
/// `ICD-10-CM`), ignoring case, spaces, dots and hyphens.
fn known_system(text: &str) -> Option<&'static str> {
    let squash = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .flat_map(|c| c.to_lowercase())
            .collect()
    };
    let wanted = squash(text);
    let wanted = wanted.strip_suffix("org").unwrap_or(&wanted);
    SYSTEM_NAMES
        .iter()
        .find(|(_, name)| {
            let name = squash(name);
            name == wanted || (name == "snomedct" && wanted == "snomed")
        })
        .map(|(uri, _)| *uri)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    fn observation(system: &str) -> serde_json::Value {
        json!({"resourceType": "Observation", "status": "final",
               "code": {"coding": [{"system": system, "code": "8867-4"}]}})
    }

    #[test]
    fn fails_on_names_and_local_references() {
        assert_one(
            observation("LOINC"),
            "system-not-absolute",
            "/code/coding/0/system",
        );
        let r = report(observation("loinc.org"));
        assert_eq!(r.issues[0].suggestions, ["http://loinc.org"]);
        assert_one(
            observation("#cs1"),
            "system-not-absolute",
            "/code/coding/0/system",
        );
        assert_one(
            observation("urn:uuid:6A2EE390-978E-42C6-8F88-C17DFF3BD8A3"),
            "system-not-absolute",
            "/code/coding/0/system",
        );
    }

    #[test]
    fn fails_on_identifiers_and_value_set_includes() {
        let patient = json!({"resourceType": "Patient",
            "identifier": [{"system": "MRN", "value": "12345"}]});
        assert_one(patient, "system-not-absolute", "/identifier/0/system");
        let vs = json!({"resourceType": "ValueSet", "status": "active",
            "compose": {"include": [{"system": "#c1"}]}});
        assert_one(vs, "system-not-absolute", "/compose/include/0/system");
    }

    #[test]
    fn passes_absolute_uris_uuids_and_oids() {
        assert_clean(observation("http://loinc.org"));
        assert_clean(observation("urn:oid:2.16.840.1.113883.6.1"));
        assert_clean(observation("urn:uuid:6a2ee390-978e-42c6-8f88-c17dff3bd8a3"));
        assert_clean(observation("urn:iso:std:iso:11073:10101"));
    }
}
