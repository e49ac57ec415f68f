//! # bundle-fullurl-duplicate
//!
//! **What it checks**: no two entries of a Bundle have the same fullUrl, unless their
//! resources have different `meta.versionId` (two versions of one resource). History Bundles
//! are exempt: they list the versions of resources by design.
//!
//! **Why it matters**: a reference to that fullUrl cannot tell which entry it means, and a
//! server storing the Bundle overwrites one entry with the other.
//!
//! **Example**: fails: two entries with `"fullUrl": "urn:uuid:a76d9bbf-..."`; passes: the same
//! fullUrl with `meta.versionId` 1 and 2, or two different fullUrls.
//!
//! **Authority**: FHIR R4 invariant bdl-7 on Bundle (http://hl7.org/fhir/R4/bundle.html#invs):
//! "FullUrl must be unique in a bundle, or else entries with the same fullUrl must have
//! different meta.versionId (except in history bundles)".

use std::collections::HashMap;

use crate::json::Value;

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "bundle-fullurl-duplicate",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "invariant",
    title: "Two Bundle entries with the same fullUrl (and the same version)",
};

record_rule! {
    types: crate::rules::Types::Only(&["Bundle"]),
    fn check(resource, cx, out) {
        if resource.get("type").and_then(Value::as_str) == Some("history") {
            return;
        }
        let entries = cx.entries();
        // bdl-7 compares `fullUrl & resource.meta.versionId`: the first entry of each pair.
        let mut first: HashMap<(&str, Option<&str>), usize> = HashMap::new();
        for (i, entry) in entries.list.iter().enumerate() {
            let Some(url) = entry.full_url else {
                continue;
            };
            match first.get(&(url, entry.version)) {
                None => {
                    first.insert((url, entry.version), i);
                }
                Some(&earlier) => {
                    let url = crate::rules::quote(&Value::from(url));
                    let earlier = format!("/entry/{earlier}");
                    out.push(RULE.issue(
                        cx.location,
                        &format!("/entry/{i}/fullUrl"),
                        cx.messages,
                        text!("bundle-fullurl-duplicate", url, earlier),
                    ));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    const URL: &str = "urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162";

    fn bundle(kind: &str, v1: Option<&str>, v2: Option<&str>) -> serde_json::Value {
        let patient = |v: Option<&str>| match v {
            Some(v) => json!({"resourceType": "Patient", "meta": {"versionId": v}}),
            None => json!({"resourceType": "Patient"}),
        };
        let mut b = json!({"resourceType": "Bundle", "type": kind, "entry": [
            {"fullUrl": "http://example.org/fhir/Patient/1", "resource": {"resourceType": "Patient", "id": "1"}},
            {"fullUrl": URL, "resource": patient(v1)},
            {"fullUrl": URL, "resource": patient(v2)}]});
        // A history says what each entry did (bdl-3, bdl-4).
        if kind == "history" {
            for e in b["entry"].as_array_mut().into_iter().flatten() {
                e["request"] = json!({"method": "PUT", "url": "Patient/1"});
                e["response"] = json!({"status": "200"});
            }
        }
        b
    }

    #[test]
    fn fails_on_the_same_full_url_twice() {
        assert_one(
            bundle("collection", None, None),
            "bundle-fullurl-duplicate",
            "/entry/2/fullUrl",
        );
        assert_one(
            bundle("collection", Some("1"), Some("1")),
            "bundle-fullurl-duplicate",
            "/entry/2/fullUrl",
        );
    }

    #[test]
    fn passes_versions_and_history() {
        assert_clean(bundle("collection", Some("1"), Some("2")));
        assert_clean(bundle("collection", None, Some("2")));
        assert_clean(bundle("history", None, None));
    }
}
