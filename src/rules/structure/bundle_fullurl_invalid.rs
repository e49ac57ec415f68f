//! # bundle-fullurl-invalid
//!
//! **What it checks**: every `Bundle.entry.fullUrl` is an absolute URL
//! (`http://example.org/fhir/Patient/123`), a `urn:uuid:` followed by a lowercase UUID, or a
//! `urn:oid:` followed by an OID; and it names a resource, not one version of it (no
//! `/_history/`). A fullUrl that is empty or holds spaces is reported by empty-value or
//! invalid-format instead.
//!
//! **Why it matters**: the fullUrl is the entry's identity: references inside the Bundle are
//! resolved against it, and a receiving server uses it to link the entries. `Patient/1` or a
//! bare UUID identifies nothing outside the sender's system, so the references to that entry
//! cannot be followed.
//!
//! **Example**: fails: `"fullUrl": "Patient/1"`, `"fullUrl": "urn:uuid:A76D9BBF-..."`;
//! passes: `"fullUrl": "http://example.org/fhir/Patient/1"`,
//! `"fullUrl": "urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162"`.
//!
//! **Authority**: FHIR R4 Bundle.entry.fullUrl (http://hl7.org/fhir/R4/bundle-definitions.html#Bundle.entry.fullUrl):
//! "The Absolute URL for the resource ... if the fullUrl is not a urn:uuid, the URL shall be
//! version-independent"; the uuid and oid types (http://hl7.org/fhir/R4/datatypes.html#uuid)
//! for their forms; invariant bdl-8: "fullUrl cannot be a version specific reference". The HL7
//! reference validator: "The fullUrl must be an absolute URL (not 'Patient/1')".

use crate::json::Value;

use crate::fhir::bundle::{full_url_problem, FullUrlProblem};
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "bundle-fullurl-invalid",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "invalid",
    title: "A Bundle entry's fullUrl that is not an absolute URL, urn:uuid or urn:oid",
};

record_rule! {
    types: crate::rules::Types::Only(&["Bundle"]),
    fn check(resource, cx, out) {
        let entries = resource.get("entry").and_then(Value::as_array);
        for (i, entry) in entries.into_iter().flatten().enumerate() {
            let Some(url) = entry.get("fullUrl").and_then(Value::as_str) else {
                continue;
            };
            let Some(problem) = full_url_problem(url) else {
                continue;
            };
            let url = crate::rules::quote(&Value::from(url));
            let text = match problem {
                FullUrlProblem::Relative => text!("bundle-fullurl-invalid", url),
                FullUrlProblem::Uuid => text!("bundle-fullurl-invalid.uuid", url),
                FullUrlProblem::Oid => text!("bundle-fullurl-invalid.oid", url),
                FullUrlProblem::Versioned => text!("bundle-fullurl-invalid.versioned", url),
            };
            out.push(RULE.issue(cx.location, &format!("/entry/{i}/fullUrl"), cx.messages, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn bundle(full_url: &str) -> serde_json::Value {
        json!({"resourceType": "Bundle", "type": "collection", "entry": [
            {"fullUrl": "http://example.org/fhir/Patient/1",
             "resource": {"resourceType": "Patient", "id": "1"}},
            {"fullUrl": full_url, "resource": {"resourceType": "Patient", "id": "2"}}]})
    }

    #[test]
    fn fails_on_a_relative_or_malformed_full_url() {
        for url in [
            "Patient/2",
            "a76d9bbf-f293-4fb7-ad4c-2851cac77162",
            "urn:uuid:A76D9BBF-F293-4FB7-AD4C-2851CAC77162",
            "urn:oid:3.2",
            "http://example.org/fhir/Patient/2/_history/1",
        ] {
            assert_one(bundle(url), "bundle-fullurl-invalid", "/entry/1/fullUrl");
        }
    }

    #[test]
    fn passes_absolute_urls_uuids_and_oids() {
        for url in [
            "http://example.org/fhir/Patient/2",
            "urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162",
            "urn:oid:2.16.840.1.113883.19.5",
        ] {
            assert_clean(bundle(url));
        }
    }

    #[test]
    fn leaves_spaces_to_invalid_format() {
        assert_one(bundle("Patient 2"), "invalid-format", "/entry/1/fullUrl");
    }

    #[test]
    fn points_into_a_nested_bundle() {
        let outer = json!({"resourceType": "Bundle", "type": "collection", "entry": [
            {"fullUrl": "urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162", "resource": bundle("Patient/2")}]});
        assert_one(
            outer,
            "bundle-fullurl-invalid",
            "/entry/0/resource/entry/1/fullUrl",
        );
    }
}
