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

/// What one walk of a resource finds.
#[derive(Default)]
pub struct Found<'a> {
    /// Codings with a system and a code (and Quantities' system + code).
    pub codes: Vec<SystemValue<'a>>,
    /// Identifiers with a system and a value.
    pub ids: Vec<SystemValue<'a>>,
    /// Codings (in a `coding` list) with a code but no system: pointer of the code, and code.
    pub unsystemed: Vec<(String, &'a str)>,
}

/// Every Coding and Identifier in a resource, in document order, not descending into nested
/// resources (they are checked at their own place).
pub fn system_values(resource: &Value) -> Found<'_> {
    let mut found = Found::default();
    crate::fhir::path::objects(resource, &mut |at, key, map| {
        let code = map.get("code").and_then(Value::as_str);
        match (map.get("system").and_then(Value::as_str), code) {
            (Some(system), _) => {
                if let Some(v) = code {
                    found.codes.push(SystemValue {
                        pointer: format!("{at}/code"),
                        system,
                        value: v,
                    });
                }
                if let Some(v) = map.get("value").and_then(Value::as_str) {
                    found.ids.push(SystemValue {
                        pointer: format!("{at}/value"),
                        system,
                        value: v,
                    });
                }
            }
            // A Coding is an item of a `coding` list.
            (None, Some(v)) if key == "coding" => found.unsystemed.push((format!("{at}/code"), v)),
            _ => {}
        }
    });
    found
}

pub const LOINC: &str = "http://loinc.org";
pub const SNOMED: &str = "http://snomed.info/sct";
pub const NPI: &str = "http://hl7.org/fhir/sid/us-npi";
pub const NDC: &str = "http://hl7.org/fhir/sid/ndc";
pub const CVX: &str = "http://hl7.org/fhir/sid/cvx";
