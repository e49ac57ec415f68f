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

/// What one walk of a resource finds for the rules that read codes, identifiers, contact
/// datatypes and periods: one walk serves them all, as walking a record costs more than most
/// rules.
#[derive(Default)]
pub struct Found<'a> {
    /// Codings with a system and a code (and Quantities' system + code).
    pub codes: Vec<SystemValue<'a>>,
    /// Identifiers with a system and a value.
    pub ids: Vec<SystemValue<'a>>,
    /// Codings (in a `coding` list) with a code but no system: pointer of the code, and code.
    pub unsystemed: Vec<(String, &'a str)>,
    /// ContactPoints, Addresses and HumanNames (`rules::accuracy::contact_values`).
    pub(crate) contacts: crate::rules::accuracy::ContactValues<'a>,
    /// Objects with a string `start` and `end` (Periods): (pointer, start, end).
    pub periods: Vec<(String, &'a str, &'a str)>,
}

/// `pointer` + `suffix`, in one allocation.
fn joined(pointer: &str, suffix: &str) -> String {
    let mut s = String::with_capacity(pointer.len() + suffix.len());
    s.push_str(pointer);
    s.push_str(suffix);
    s
}

/// Every Coding, Identifier, contact datatype and Period in a resource, in document order,
/// not descending into nested resources (they are checked at their own place).
pub fn system_values(resource: &Value) -> Found<'_> {
    let mut found = Found::default();
    let contacts = crate::rules::accuracy::ContactWalk::new(resource);
    crate::fhir::path::objects(resource, &mut |at, key, map| {
        // One pass over the keys, not a map search per key: objects have few keys, and this
        // runs for every object of every record.
        let (mut system, mut code, mut value, mut start, mut end) = (None, None, None, None, None);
        for (k, v) in map {
            match k.as_str() {
                "system" => system = v.as_str(),
                "code" => code = v.as_str(),
                "value" => value = v.as_str(),
                "start" => start = v.as_str(),
                "end" => end = v.as_str(),
                name if contacts.holds(name) => contacts.entry(at, key, k, v, &mut found.contacts),
                _ => {}
            }
        }
        match (system, code) {
            (Some(system), _) => {
                if let Some(v) = code {
                    found.codes.push(SystemValue {
                        pointer: joined(at, "/code"),
                        system,
                        value: v,
                    });
                }
                if let Some(v) = value {
                    found.ids.push(SystemValue {
                        pointer: joined(at, "/value"),
                        system,
                        value: v,
                    });
                }
            }
            // A Coding is an item of a `coding` list.
            (None, Some(v)) if key == "coding" => found.unsystemed.push((joined(at, "/code"), v)),
            _ => {}
        }
        if let (Some(s), Some(e)) = (start, end) {
            found.periods.push((at.to_string(), s, e));
        }
    });
    contacts.finish(&mut found.contacts);
    found
}

pub const LOINC: &str = "http://loinc.org";
pub const SNOMED: &str = "http://snomed.info/sct";
pub const NPI: &str = "http://hl7.org/fhir/sid/us-npi";
pub const NDC: &str = "http://hl7.org/fhir/sid/ndc";
pub const CVX: &str = "http://hl7.org/fhir/sid/cvx";
