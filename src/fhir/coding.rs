//! Codings inside CodeableConcepts: where codes live in a record.

use serde_json::Value;

/// One `Coding` with a code, and the pointer suffix of its `code` (`/code/coding/0/code`).
pub struct CodingRef<'a> {
    pub pointer: String,
    pub system: Option<&'a str>,
    pub code: &'a str,
}

/// The codings that carry a code in the CodeableConcept (or list of them) at `element`.
pub fn codings<'a>(resource: &'a Value, element: &str) -> Vec<CodingRef<'a>> {
    let mut out = Vec::new();
    match resource.get(element) {
        Some(Value::Array(list)) => {
            for (n, cc) in list.iter().enumerate() {
                push_codings(cc, &format!("/{element}/{n}"), &mut out);
            }
        }
        Some(cc) => push_codings(cc, &format!("/{element}"), &mut out),
        None => {}
    }
    out
}

fn push_codings<'a>(cc: &'a Value, base: &str, out: &mut Vec<CodingRef<'a>>) {
    let Some(list) = cc.get("coding").and_then(Value::as_array) else {
        return;
    };
    for (i, coding) in list.iter().enumerate() {
        if let Some(code) = coding.get("code").and_then(Value::as_str) {
            out.push(CodingRef {
                pointer: format!("{base}/coding/{i}/code"),
                system: coding.get("system").and_then(Value::as_str),
                code,
            });
        }
    }
}

pub const ICD10CM: &str = "http://hl7.org/fhir/sid/icd-10-cm";
pub const ICD10PCS: &str = "http://www.cms.gov/Medicare/Coding/ICD10";

/// A `system` + string field pair found anywhere in a resource: a Coding's `code` or an
/// Identifier's `value`, with the pointer suffix of that field.
pub struct SystemValue<'a> {
    pub pointer: String,
    pub system: &'a str,
    pub value: &'a str,
}

/// Every Coding (`system` + `code`) and Identifier (`system` + `value`) in a resource, in
/// document order, not descending into nested resources (they are checked at their own place).
pub fn system_values(resource: &Value) -> (Vec<SystemValue<'_>>, Vec<SystemValue<'_>>) {
    let (mut codes, mut ids) = (Vec::new(), Vec::new());
    walk(resource, &mut String::new(), true, &mut codes, &mut ids);
    (codes, ids)
}

fn walk<'a>(
    value: &'a Value,
    at: &mut String,
    root: bool,
    codes: &mut Vec<SystemValue<'a>>,
    ids: &mut Vec<SystemValue<'a>>,
) {
    match value {
        Value::Object(map) => {
            if let Some(system) = map.get("system").and_then(Value::as_str) {
                for (field, out) in [("code", &mut *codes), ("value", &mut *ids)] {
                    if let Some(v) = map.get(field).and_then(Value::as_str) {
                        out.push(SystemValue {
                            pointer: format!("{at}/{field}"),
                            system,
                            value: v,
                        });
                    }
                }
            }
            for (k, v) in map {
                let nested = k == "contained" || (root && k == "entry") || k == "resource";
                if nested || !(v.is_object() || v.is_array()) {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&crate::fhir::path::escape_token(k));
                walk(v, at, false, codes, ids);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = at.len();
                at.push('/');
                at.push_str(&i.to_string());
                walk(v, at, false, codes, ids);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

pub const LOINC: &str = "http://loinc.org";
pub const SNOMED: &str = "http://snomed.info/sct";
pub const NPI: &str = "http://hl7.org/fhir/sid/us-npi";
pub const NDC: &str = "http://hl7.org/fhir/sid/ndc";
pub const CVX: &str = "http://hl7.org/fhir/sid/cvx";
