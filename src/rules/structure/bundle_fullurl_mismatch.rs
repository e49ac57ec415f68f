//! # bundle-fullurl-mismatch
//!
//! **What it checks**: when a Bundle entry's fullUrl is a RESTful server URL ending in
//! `<type>/<id>` (`http://example.org/fhir/Patient/123`), the entry's resource is of that type
//! and has that id. Other fullUrls (`urn:uuid:...`, URLs that do not end in a resource type
//! and id) are not compared.
//!
//! **Why it matters**: the fullUrl says where the resource lives on its server. A fullUrl of
//! `Patient/123` on an Observation, or on a Patient whose id is 456, sends every reference to
//! that entry to the wrong record, and a server that stores the Bundle files the resource
//! under the wrong address.
//!
//! **Example**: fails: `{"fullUrl": "http://example.org/fhir/Patient/123", "resource":
//! {"resourceType": "Patient", "id": "456"}}`; passes: the same with `"id": "123"`.
//!
//! **Authority**: FHIR R4 Bundle.entry.fullUrl (http://hl7.org/fhir/R4/bundle-definitions.html#Bundle.entry.fullUrl):
//! "The fullUrl SHALL NOT disagree with the id in the resource ... if the fullUrl does look
//! like a RESTful server URL (e.g. meets the regex), then the 'id' portion of the fullUrl SHALL
//! end with the Resource.id".
//! The HL7 reference validator: "The fullUrl '...' looks like a RESTful server URL, so it must
//! end with the correct type and id".

use crate::json::Value;

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "bundle-fullurl-mismatch",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "invalid",
    title: "A Bundle entry's RESTful fullUrl that names another type or id than its resource",
};

record_rule! {
    types: crate::rules::Types::Only(&["Bundle"]),
    fn check(_resource, cx, out) {
        let entries = cx.entries();
        for (i, entry) in entries.list.iter().enumerate() {
            let (Some(url), Some(r)) = (entry.full_url, entry.disagreeing_url(cx.model)) else {
                continue;
            };
            let quoted = crate::rules::quote(&Value::from(url));
            let named = crate::rules::excerpt(&format!("{}/{}", r.resource_type, r.id));
            let text = match (entry.resource_type, entry.id) {
                (Some(rt), Some(id)) => {
                    let holds = crate::rules::excerpt(&format!("{rt}/{id}"));
                    text!("bundle-fullurl-mismatch", url = quoted, named, holds)
                }
                _ => text!("bundle-fullurl-mismatch.no-id", url = quoted, named),
            };
            out.push(RULE.issue(cx.location, &format!("/entry/{i}/fullUrl"), cx.messages, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn bundle(full_url: &str, resource: serde_json::Value) -> serde_json::Value {
        json!({"resourceType": "Bundle", "type": "collection",
               "entry": [{"fullUrl": full_url, "resource": resource}]})
    }

    #[test]
    fn fails_when_type_or_id_differ() {
        let patient = json!({"resourceType": "Patient", "id": "456"});
        assert_one(
            bundle("http://example.org/fhir/Patient/123", patient.clone()),
            "bundle-fullurl-mismatch",
            "/entry/0/fullUrl",
        );
        assert_one(
            bundle("http://example.org/fhir/Practitioner/456", patient),
            "bundle-fullurl-mismatch",
            "/entry/0/fullUrl",
        );
        assert_one(
            bundle(
                "https://example.org/Patient/123",
                json!({"resourceType": "Patient"}),
            ),
            "bundle-fullurl-mismatch",
            "/entry/0/fullUrl",
        );
    }

    #[test]
    fn passes_matching_and_non_restful_full_urls() {
        let patient = json!({"resourceType": "Patient", "id": "123"});
        assert_clean(bundle(
            "http://example.org/fhir/Patient/123",
            patient.clone(),
        ));
        assert_clean(bundle(
            "urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162",
            patient.clone(),
        ));
        // Not a resource type, so not a RESTful URL.
        assert_clean(bundle(
            "http://example.org/records/Person-123",
            patient.clone(),
        ));
        assert_clean(bundle("urn:ehrlint-demo:Patient/pat-1", patient));
    }

    #[test]
    fn leaves_a_versioned_full_url_to_bundle_fullurl_invalid() {
        assert_one(
            bundle(
                "http://example.org/fhir/Patient/9/_history/1",
                json!({"resourceType": "Patient", "id": "123"}),
            ),
            "bundle-fullurl-invalid",
            "/entry/0/fullUrl",
        );
    }
}
