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
