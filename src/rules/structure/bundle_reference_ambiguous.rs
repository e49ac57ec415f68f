//! # bundle-reference-ambiguous
//!
//! **What it checks**: a reference inside a Bundle entry, resolved as FHIR R4 says (see
//! bundle-reference-unresolved), matches at most one entry. Two entries with one fullUrl and
//! different `meta.versionId` are two versions of a resource: a reference to one of them needs
//! the version (`Observation/1/_history/2`). Entries that share a fullUrl and version are
//! reported once, as bundle-fullurl-duplicate; history Bundles, which list versions by design,
//! are not checked.
//!
//! **Why it matters**: a reader that follows the reference picks one of the entries, and not
//! necessarily the one the author meant: a report may show last week's result.
//!
//! **Example**: fails: a Composition section entry `Observation/1` in a document holding
//! `http://example.org/fhir/Observation/1` in versions 1 and 2; passes:
//! `Observation/1/_history/2`.
//!
//! **Authority**: FHIR R4 Resolving references in Bundles (http://hl7.org/fhir/R4/bundle.html#references)
//! and the HL7 reference validator: "Found 2 matches for 'Observation/1' in the bundle",
//! "Multiple matches in bundle for reference Observation/1".

use crate::json::Value;

use crate::fhir::bundle::{references, Target};
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::{quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "bundle-reference-ambiguous",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "invalid",
    title: "A reference inside a Bundle that matches more than one entry",
};

record_rule! {
    types: crate::rules::Types::Only(&["Bundle"]),
    fn check(resource, cx, out) {
        if resource.get("type").and_then(Value::as_str) == Some("history") {
            return;
        }
        let entries = cx.entries();
        // Most Bundles give each entry its own fullUrl and id: then nothing can be ambiguous,
        // and the references of a large Bundle need not be read.
        if !entries.may_be_ambiguous() {
            return;
        }
        for (i, entry) in entries.list.iter().enumerate() {
            let Some(r) = entry.resource else {
                continue;
            };
            for (at, reference) in references(r) {
                let Target::Many(matches) = entries.resolve(reference, entry.full_url) else {
                    continue;
                };
                if entries.same_identity(&matches) {
                    continue;
                }
                let count = matches.len();
                let at_entries = matches
                    .iter()
                    .map(|m| format!("/entry/{m}"))
                    .collect::<Vec<_>>()
                    .join(", ");
                out.push(RULE.issue(
                    cx.location,
                    &format!("/entry/{i}/resource{at}"),
                    cx.messages,
                    text!(
                        "bundle-reference-ambiguous",
                        reference = quote(&Value::from(reference)),
                        count,
                        entries = crate::rules::excerpt(&at_entries)
                    ),
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, issues};
    use serde_json::json;

    fn bundle(kind: &str, reference: &str, versions: [&str; 2]) -> serde_json::Value {
        let observation = |v: &str| {
            json!({"fullUrl": "http://example.org/fhir/Observation/o",
                   "resource": {"resourceType": "Observation", "id": "o", "meta": {"versionId": v},
                                "status": "final", "code": {"text": "x"}}})
        };
        let mut b = json!({"resourceType": "Bundle", "type": kind, "entry": [
            {"fullUrl": "http://example.org/fhir/List/l",
             "resource": {"resourceType": "List", "id": "l", "status": "current", "mode": "working",
                          "entry": [{"item": {"reference": reference}}]}},
            observation(versions[0]), observation(versions[1])]});
        // Transactions and histories say what each entry does (bdl-3, bdl-4).
        for e in b["entry"].as_array_mut().into_iter().flatten() {
            if kind != "collection" {
                e["request"] = json!({"method": "PUT", "url": "Observation/o"});
            }
            if kind == "history" {
                e["response"] = json!({"status": "200"});
            }
        }
        b
    }

    #[test]
    fn fails_on_a_reference_to_two_versions() {
        assert_one(
            bundle("collection", "Observation/o", ["1", "2"]),
            "bundle-reference-ambiguous",
            "/entry/0/resource/entry/0/item/reference",
        );
        assert_one(
            bundle(
                "transaction",
                "http://example.org/fhir/Observation/o",
                ["1", "2"],
            ),
            "bundle-reference-ambiguous",
            "/entry/0/resource/entry/0/item/reference",
        );
    }

    #[test]
    fn passes_a_versioned_reference_and_history() {
        assert_clean(bundle("collection", "Observation/o/_history/2", ["1", "2"]));
        assert_clean(bundle("history", "Observation/o", ["1", "2"]));
    }

    #[test]
    fn a_duplicate_full_url_is_reported_once() {
        assert_eq!(
            issues(bundle("collection", "Observation/o", ["1", "1"])),
            vec![("bundle-fullurl-duplicate", "/entry/2/fullUrl".to_string())]
        );
    }
}
