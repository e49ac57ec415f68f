//! # bundle-link-duplicate
//!
//! **What it checks**: a Bundle has at most one link of each of the relations `self`,
//! `first`, `previous`, `next` and `last`. The second and later ones are reported.
//!
//! **Why it matters**: these links say where a page of results came from and where the
//! neighbouring pages are; with two `next` links a client cannot tell which page to fetch, and
//! paging through a search skips or repeats results.
//!
//! **Example**: fails: `"link": [{"relation": "self", "url": "..."}, {"relation": "self",
//! "url": "..."}]`; passes: one `self` and one `next`.
//!
//! **Authority**: FHIR R4 search paging (http://hl7.org/fhir/R4/http.html#paging) and the HL7
//! reference validator: "The link relationship type 'self' can only occur once".

use crate::json::Value;

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "bundle-link-duplicate",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "invalid",
    title: "A Bundle link relation (self, first, previous, next, last) given twice",
};

/// The relations that name one page each.
const ONCE: [&str; 5] = ["self", "first", "previous", "next", "last"];

record_rule! {
    types: crate::rules::Types::Only(&["Bundle"]),
    fn check(resource, cx, out) {
        let links = resource.get("link").and_then(Value::as_array);
        let mut seen: Vec<&str> = Vec::new();
        for (i, link) in links.into_iter().flatten().enumerate() {
            let Some(relation) = link.get("relation").and_then(Value::as_str) else {
                continue;
            };
            if !ONCE.contains(&relation) {
                continue;
            }
            if seen.contains(&relation) {
                out.push(RULE.issue(
                    cx.location,
                    &format!("/link/{i}/relation"),
                    cx.messages,
                    text!("bundle-link-duplicate", relation),
                ));
            } else {
                seen.push(relation);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, issues};
    use serde_json::json;

    fn bundle(relations: &[&str]) -> serde_json::Value {
        let link: Vec<_> = relations
            .iter()
            .map(|r| json!({"relation": r, "url": "http://example.org/fhir/Patient?name=x"}))
            .collect();
        json!({"resourceType": "Bundle", "type": "searchset", "link": link})
    }

    #[test]
    fn fails_on_each_repeated_relation() {
        assert_eq!(
            issues(bundle(&["self", "self", "first", "first", "first"])),
            vec![
                ("bundle-link-duplicate", "/link/1/relation".to_string()),
                ("bundle-link-duplicate", "/link/3/relation".to_string()),
                ("bundle-link-duplicate", "/link/4/relation".to_string()),
            ]
        );
    }

    #[test]
    fn passes_one_of_each_and_other_relations_repeated() {
        assert_clean(bundle(&["self", "first", "previous", "next", "last"]));
        assert_clean(bundle(&["alternate", "alternate", "self"]));
    }
}
