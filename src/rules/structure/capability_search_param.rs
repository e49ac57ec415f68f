//! # capability-search-param
//!
//! **What it checks**: a search parameter a CapabilityStatement lists for a resource
//! (`rest.resource.searchParam`) whose `definition` is a core R4 SearchParameter has that
//! parameter's type, and the resource is one the core parameter is defined on.
//!
//! **Why it matters**: clients read a server's CapabilityStatement to build their queries. A
//! parameter declared as a `date` search where its definition is a `token` one, or on a
//! resource its definition does not cover, tells them to send searches the server cannot
//! run as defined.
//!
//! **Example**: fails: `AllergyIntolerance` with `{"name": "clinical-status", "definition":
//! "http://hl7.org/fhir/SearchParameter/AllergyIntolerance-clinical-status", "type": "date"}`;
//! passes: the same with `"type": "token"`.
//!
//! **Authority**: FHIR R4 CapabilityStatement.rest.resource.searchParam
//! (http://hl7.org/fhir/R4/capabilitystatement-definitions.html#CapabilityStatement.rest.resource.searchParam.type):
//! "The type of value a search parameter refers to, and how the content is interpreted" (of the
//! definition it names); the HL7 reference validator: "Type mismatch - SearchParameter '…' type
//! is token, but type here is date".

use crate::json::Value;

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "capability-search-param",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "business-rule",
    title: "A CapabilityStatement search parameter of another type or resource than its core definition",
};

record_rule! {
    types: crate::rules::Types::Only(&["CapabilityStatement"]),
    fn check(resource, cx, out) {
        let rests = resource.get("rest").and_then(Value::as_array);
        for (i, rest) in rests.into_iter().flatten().enumerate() {
            let resources = rest.get("resource").and_then(Value::as_array);
            for (j, entry) in resources.into_iter().flatten().enumerate() {
                let resource_type = entry.get("type").and_then(Value::as_str);
                let params = entry.get("searchParam").and_then(Value::as_array);
                for (k, param) in params.into_iter().flatten().enumerate() {
                    let Some(url) = param.get("definition").and_then(Value::as_str) else {
                        continue;
                    };
                    let Some(core) = cx.model.search_param(url) else { continue };
                    let at = format!("/rest/{i}/resource/{j}/searchParam/{k}");
                    let core_type = core.ty;
                    let url = crate::rules::excerpt(url);
                    if let Some(ty) = param.get("type").and_then(Value::as_str) {
                        if ty != core_type {
                            let ty = crate::rules::excerpt(ty);
                            let message = text!("capability-search-param", url, ty, core_type);
                            let path = format!("{at}/type");
                            out.push(RULE.issue(cx.location, &path, cx.messages, message));
                        }
                    }
                    let bases = &core.bases;
                    if let Some(base) = resource_type.filter(|t| !core.covers(cx.model, t)) {
                        let allowed = bases.join(", ");
                        let base = crate::rules::excerpt(base);
                        let message = text!("capability-search-param.base", url, base, allowed);
                        let path = format!("{at}/definition");
                        out.push(RULE.issue(cx.location, &path, cx.messages, message));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, issues};
    use serde_json::json;

    fn capability(resource_type: &str, definition: &str, ty: &str) -> serde_json::Value {
        json!({"resourceType": "CapabilityStatement", "status": "draft",
            "date": "2024-01-01", "kind": "requirements", "fhirVersion": "4.0.1",
            "description": "What the server supports",
            "format": ["json"], "rest": [{"mode": "server", "resource": [{"type": resource_type,
                "searchParam": [
                    {"name": "_id", "definition": "http://hl7.org/fhir/SearchParameter/Resource-id",
                        "type": "token"},
                    {"name": "p", "definition": definition, "type": ty}]}]}]})
    }

    const STATUS: &str = "http://hl7.org/fhir/SearchParameter/AllergyIntolerance-clinical-status";

    #[test]
    fn fails_on_another_type_or_resource_than_the_definition() {
        let at = "/rest/0/resource/0/searchParam/1";
        assert_eq!(
            issues(capability("AllergyIntolerance", STATUS, "date")),
            vec![("capability-search-param", format!("{at}/type"))]
        );
        assert_eq!(
            issues(capability("Condition", STATUS, "token")),
            vec![("capability-search-param", format!("{at}/definition"))]
        );
    }

    #[test]
    fn passes_what_the_definition_says() {
        assert_clean(capability(
            "AllergyIntolerance",
            &format!("{STATUS}|4.0.1"),
            "token",
        ));
        assert_clean(capability(
            "AllergyIntolerance",
            "http://example.org/SearchParameter/own",
            "date",
        ));
        // A parameter shared by several resource types.
        let code = "http://hl7.org/fhir/SearchParameter/clinical-code";
        assert_clean(capability("Condition", code, "token"));
        // Defined on Resource or DomainResource: on every resource type derived from it.
        let id = "http://hl7.org/fhir/SearchParameter/Resource-id";
        assert_clean(capability("Patient", id, "token"));
        let text = "http://hl7.org/fhir/SearchParameter/DomainResource-text";
        assert_clean(capability("Observation", text, "string"));
        assert_eq!(
            issues(capability("Binary", text, "string")),
            vec![(
                "capability-search-param",
                "/rest/0/resource/0/searchParam/1/definition".to_string()
            )]
        );
    }
}
