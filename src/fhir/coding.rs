//! Codings inside CodeableConcepts: where codes live in a record.

use crate::json::{Map, Value};

use super::index::{Datatype, Index};

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

/// What the record rules read of a resource's codes, identifiers, contact datatypes and
/// periods, taken from the walk's index (`fhir::index`) by datatype: a Coding is a Coding
/// wherever the definitions put one, in any resource type.
#[derive(Default)]
pub struct IndexViews<'a> {
    /// Codings with a system and a code, and Quantities' system + code (a UCUM unit).
    pub codes: Vec<SystemValue<'a>>,
    /// Identifiers with a system and a value.
    pub ids: Vec<SystemValue<'a>>,
    /// Codings with a code but no system: pointer of the code, and code.
    pub unsystemed: Vec<(String, &'a str)>,
    /// ContactPoints, Addresses and HumanNames: (pointer, datatype, object).
    pub contacts: Vec<(String, Datatype, &'a Map)>,
    /// Periods with a string `start` and `end`: (pointer, start, end).
    pub periods: Vec<(String, &'a str, &'a str)>,
}

/// `pointer` + `suffix`, in one allocation.
fn joined(pointer: &str, suffix: &str) -> String {
    let mut s = String::with_capacity(pointer.len() + suffix.len());
    s.push_str(pointer);
    s.push_str(suffix);
    s
}

impl<'a> IndexViews<'a> {
    /// Sorts the index's values into what the rules read, in document order.
    pub fn from_index(index: &Index<'a>) -> Self {
        let mut found = IndexViews::default();
        for entry in &index.entries {
            let Some(object) = entry.object() else {
                continue;
            };
            let text = |key: &str| object.get(key).and_then(Value::as_str);
            match entry.datatype {
                Datatype::Coding | Datatype::Quantity => match (text("system"), text("code")) {
                    (Some(system), Some(code)) => found.codes.push(SystemValue {
                        pointer: joined(&entry.pointer, "/code"),
                        system,
                        value: code,
                    }),
                    (None, Some(code)) if entry.datatype == Datatype::Coding => found
                        .unsystemed
                        .push((joined(&entry.pointer, "/code"), code)),
                    _ => {}
                },
                Datatype::Identifier => {
                    if let (Some(system), Some(value)) = (text("system"), text("value")) {
                        found.ids.push(SystemValue {
                            pointer: joined(&entry.pointer, "/value"),
                            system,
                            value,
                        });
                    }
                }
                Datatype::ContactPoint | Datatype::Address | Datatype::HumanName => found
                    .contacts
                    .push((entry.pointer.clone(), entry.datatype, object)),
                Datatype::Period => {
                    if let (Some(start), Some(end)) = (text("start"), text("end")) {
                        found.periods.push((entry.pointer.clone(), start, end));
                    }
                }
                _ => {}
            }
        }
        found
    }
}

pub const LOINC: &str = "http://loinc.org";
pub const SNOMED: &str = "http://snomed.info/sct";
pub const NPI: &str = "http://hl7.org/fhir/sid/us-npi";
pub const NDC: &str = "http://hl7.org/fhir/sid/ndc";
pub const CVX: &str = "http://hl7.org/fhir/sid/cvx";
