//! # search-composite-components
//!
//! **What it checks**: a SearchParameter of type `composite` defines two or more components
//! (`component`).
//!
//! **Why it matters**: a composite parameter searches on a combination of values (a code and
//! its value, as `code-value-quantity` does); with fewer than two components there is nothing
//! to combine, and a server cannot say what the parameter searches on.
//!
//! **Example**: fails: `"type": "composite"` with one component or none; passes: two
//! components, each with its `definition` and `expression`.
//!
//! **Authority**: FHIR R4 SearchParameter.component (http://hl7.org/fhir/R4/searchparameter.html):
//! "Used to define the parts of a composite search parameter"; composite search
//! (http://hl7.org/fhir/R4/search.html#composite) combines two or more values; the HL7
//! reference validator: "When the SearchParameter has a type of 'composite', then the
//! SearchParameter must define two or more components".

use crate::json::Value;

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "search-composite-components",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "business-rule",
    title: "A composite SearchParameter with fewer than two components",
};

record_rule! {
    types: crate::rules::Types::Only(&["SearchParameter"]),
    fn check(resource, cx, out) {
        if resource.get("type").and_then(Value::as_str) != Some("composite") {
            return;
        }
        let components = resource.get("component");
        let count = components.and_then(Value::as_array).map_or(0, Vec::len);
        if count >= 2 {
            return;
        }
        let path = if components.is_some() { "/component" } else { "/type" };
        out.push(RULE.issue(
            cx.location,
            path,
            cx.messages,
            text!("search-composite-components", count),
        ));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, issues};
    use serde_json::json;

    fn search(components: usize) -> serde_json::Value {
        let component: Vec<_> = (0..components)
            .map(|i| {
                json!({"definition": format!("http://example.org/SearchParameter/p{i}"),
                "expression": "code"})
            })
            .collect();
        let mut sp = json!({"resourceType": "SearchParameter", "url": "http://example.org/sp",
            "name": "CodeValue", "status": "active", "description": "x", "code": "code-value",
            "base": ["Observation"], "type": "composite", "expression": "Observation"});
        if components > 0 {
            sp["component"] = json!(component);
        }
        sp
    }

    #[test]
    fn fails_with_fewer_than_two_components() {
        assert_eq!(
            issues(search(1)),
            vec![("search-composite-components", "/component".to_string())]
        );
        assert_eq!(
            issues(search(0)),
            vec![("search-composite-components", "/type".to_string())]
        );
    }

    #[test]
    fn passes_two_components_and_other_types() {
        assert_clean(search(2));
        let mut token = search(0);
        token["type"] = json!("token");
        assert_clean(token);
    }
}
