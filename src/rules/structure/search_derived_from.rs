//! # search-derived-from
//!
//! **What it checks**: a SearchParameter that derives from a core R4 SearchParameter
//! (`derivedFrom`) keeps that parameter's type, and is defined only on resource types the core
//! parameter is defined on (`base`).
//!
//! **Why it matters**: a derived parameter narrows or documents the one it derives from; a
//! server treats it as that parameter. Another type (a `string` search where the core one is a
//! `token`) or a base the core parameter does not have makes a definition no server can honour
//! as declared, and clients build wrong queries from it.
//!
//! **Example**: fails: `"derivedFrom": "http://hl7.org/fhir/SearchParameter/Organization-name"`
//! with `"type": "token"` or `"base": ["Patient"]`; passes: `"type": "string"`,
//! `"base": ["Organization"]`.
//!
//! **Authority**: FHIR R4 SearchParameter.derivedFrom (http://hl7.org/fhir/R4/searchparameter.html):
//! "Where this search parameter is originally defined. If a derivedFrom is provided, then the
//! details in the search parameter must be consistent with the definition from which it is
//! defined"; the HL7 reference validator: "The type … is different to the type … in the
//! derivedFrom SearchParameter", "The resource type … is not listed as a base in the
//! SearchParameter this is derived from".

use crate::json::Value;

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "search-derived-from",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "business-rule",
    title: "A SearchParameter of another type or base than the core one it derives from",
};

record_rule! {
    types: crate::rules::Types::Only(&["SearchParameter"]),
    fn check(resource, cx, out) {
        let Some(url) = resource.get("derivedFrom").and_then(Value::as_str) else { return };
        let Some(core) = cx.model.search_param(url) else { return };
        let core_type = core.ty;
        let url = crate::rules::excerpt(url);
        if let Some(ty) = resource.get("type").and_then(Value::as_str) {
            if ty != core_type {
                let ty = crate::rules::excerpt(ty);
                let message = text!("search-derived-from", url, ty, core_type);
                out.push(RULE.issue(cx.location, "/type", cx.messages, message));
            }
        }
        let bases = &core.bases;
        let listed = resource.get("base").and_then(Value::as_array);
        for (i, base) in listed.into_iter().flatten().enumerate() {
            let Some(base) = base.as_str() else { continue };
            if core.covers(cx.model, base) {
                continue;
            }
            let allowed = bases.join(", ");
            let base = crate::rules::excerpt(base);
            let message = text!("search-derived-from.base", url, base, allowed);
            out.push(RULE.issue(cx.location, &format!("/base/{i}"), cx.messages, message));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, issues};
    use serde_json::json;

    fn derived(from: &str, ty: &str, base: &[&str]) -> serde_json::Value {
        json!({"resourceType": "SearchParameter", "url": "http://example.org/sp",
            "name": "OrgName", "status": "active", "description": "x", "code": "name",
            "derivedFrom": from, "base": base, "type": ty,
            "expression": "Organization.name"})
    }

    const NAME: &str = "http://hl7.org/fhir/SearchParameter/Organization-name";

    #[test]
    fn fails_on_another_type_or_base_than_the_core_parameter() {
        assert_eq!(
            issues(derived(NAME, "token", &["Organization"])),
            vec![("search-derived-from", "/type".to_string())]
        );
        assert_eq!(
            issues(derived(
                &format!("{NAME}|4.0.1"),
                "string",
                &["Organization", "Patient"]
            )),
            vec![("search-derived-from", "/base/1".to_string())]
        );
    }

    #[test]
    fn passes_the_core_type_and_bases() {
        assert_clean(derived(NAME, "string", &["Organization"]));
        // A parameter shared by several resource types.
        let code = "http://hl7.org/fhir/SearchParameter/clinical-code";
        assert_clean(derived(code, "token", &["Condition", "Observation"]));
        // Defined on Resource: on every resource type.
        let id = "http://hl7.org/fhir/SearchParameter/Resource-id";
        assert_clean(derived(id, "token", &["Patient", "Resource"]));
        // Not a core parameter: nothing to compare with.
        assert_clean(derived(
            "http://example.org/SearchParameter/x",
            "token",
            &["Patient"],
        ));
    }
}
