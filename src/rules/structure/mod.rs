//! Structure rules: is the record well-formed FHIR R4? Most are found by the structure walk
//! (`fhir::walk`) and worded here (`rules::findings` hands each finding to its rule); the
//! Bundle rules (`bundle_*`) are record rules that read a Bundle's entries and links.

// One module per file of this folder, one rule each (build.rs `write_rule_registry`).
include!(concat!(env!("OUT_DIR"), "/rules-structure.rs"));

use crate::json::Value;

/// Each filter of a ValueSet's `compose` (its includes, then its excludes), with the include
/// or exclude it belongs to and the filter's JSON Pointer: what the ValueSet filter rules read.
pub(crate) fn compose_filters(resource: &Value) -> Vec<(String, &Value, &Value)> {
    let mut out = Vec::new();
    let Some(compose) = resource.get("compose") else {
        return out;
    };
    for part in ["include", "exclude"] {
        let sets = compose.get(part).and_then(Value::as_array);
        for (i, set) in sets.into_iter().flatten().enumerate() {
            let filters = set.get("filter").and_then(Value::as_array);
            for (j, filter) in filters.into_iter().flatten().enumerate() {
                out.push((format!("/compose/{part}/{i}/filter/{j}"), set, filter));
            }
        }
    }
    out
}
