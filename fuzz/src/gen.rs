//! Structured inputs for the fuzz targets: fuzzer bytes decoded (with `arbitrary`) into
//! FHIR-shaped JSON, paths and lookups, so that mutations explore records the rules actually
//! read instead of JSON syntax errors. Words come from fuzz/fhir.dict (element names of the
//! FHIR schema, resource types, code systems and codes), the same dictionary libFuzzer uses.
//!
//! Each input type prints, as its `Debug` form, the case's JSON (fuzz/src/cases.rs): that is
//! what scripts/fuzz.sh saves as a regression fixture when an input crashes
//! (RUST_LIBFUZZER_DEBUG_PATH, `cargo fuzz fmt`).

use std::fmt;
use std::sync::OnceLock;

use arbitrary::{Arbitrary, Result, Unstructured};
use serde_json::{Map, Number, Value};

use crate::cases::{Edit, FieldCase, LookupCase, ValueCase};

/// How deep generated values nest (objects and lists), below the resource.
const MAX_DEPTH: usize = 6;
/// Most members of a generated object, items of a list, mutations and edits.
const MAX_WIDTH: u32 = 8;

/// fuzz/fhir.dict's entries, by label.
struct Dict {
    element: Vec<String>,
    types: Vec<String>,
    system: Vec<String>,
    code: Vec<String>,
    value: Vec<String>,
}

fn dict() -> &'static Dict {
    static D: OnceLock<Dict> = OnceLock::new();
    D.get_or_init(|| {
        let mut d = Dict {
            element: Vec::new(),
            types: Vec::new(),
            system: Vec::new(),
            code: Vec::new(),
            value: Vec::new(),
        };
        for line in include_str!("../fhir.dict").lines() {
            let Some((label, quoted)) = line.split_once('=') else {
                continue;
            };
            let Some(inner) = quoted.strip_prefix('"').and_then(|q| q.strip_suffix('"')) else {
                continue;
            };
            let bytes = unescape(inner);
            // Every labelled entry but `token` is a JSON string literal.
            let Ok(text) = serde_json::from_slice::<String>(&bytes) else {
                continue;
            };
            match label {
                "element" => d.element.push(text),
                "type" => d.types.push(text),
                "system" => d.system.push(text),
                "code" => d.code.push(text),
                "value" => d.value.push(text),
                _ => {}
            }
        }
        assert!(
            !d.element.is_empty() && !d.types.is_empty() && !d.code.is_empty(),
            "fuzz/fhir.dict lost its entries"
        );
        d
    })
}

/// A libFuzzer dictionary value: `\\`, `\"` and `\xNN` escapes.
fn unescape(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    let b = s.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'\\' && i + 1 < b.len() {
            if b[i + 1] == b'x' && i + 3 < b.len() {
                if let Ok(n) = u8::from_str_radix(&s[i + 2..i + 4], 16) {
                    out.push(n);
                    i += 4;
                    continue;
                }
            }
            out.push(b[i + 1]);
            i += 2;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn pick<'s>(u: &mut Unstructured<'_>, list: &'s [String]) -> Result<&'s str> {
    Ok(u.choose(list)?.as_str())
}

fn pick_str(u: &mut Unstructured<'_>, list: &[&'static str]) -> Result<&'static str> {
    Ok(*u.choose(list)?)
}

/// Records to start from: the test fixtures and the FHIR spec examples in fuzz/seeds/records/.
fn bases() -> &'static [Value] {
    static B: OnceLock<Vec<Value>> = OnceLock::new();
    B.get_or_init(|| {
        [
            include_str!("../../tests/fixtures/valid/patient.json"),
            include_str!("../../tests/fixtures/valid/observation-heart-rate.json"),
            include_str!("../../tests/fixtures/valid/bundle-encounter.json"),
            include_str!("../../tests/fixtures/invalid/bundle-entry-errors.json"),
            include_str!("../../tests/fixtures/invalid/encounter-bundle-codes.json"),
            include_str!("../../tests/fixtures/invalid/medication-request-no-medication.json"),
            include_str!("../seeds/records/AllergyIntolerance-example.json"),
            include_str!("../seeds/records/Bundle-10bb101f-a121-4264-a920-67be9cb82c74.json"),
            include_str!("../seeds/records/Bundle-bundle-transaction.json"),
            include_str!("../seeds/records/Condition-example.json"),
            include_str!("../seeds/records/Condition-example2.json"),
            include_str!("../seeds/records/Encounter-example.json"),
            include_str!("../seeds/records/Immunization-example.json"),
            include_str!("../seeds/records/MedicationRequest-medrx0302.json"),
            include_str!("../seeds/records/Observation-blood-pressure.json"),
            include_str!("../seeds/records/Observation-bmi.json"),
            include_str!("../seeds/records/Observation-example.json"),
            include_str!("../seeds/records/Observation-vitals-panel.json"),
            include_str!("../seeds/records/Patient-example.json"),
            include_str!("../seeds/records/Practitioner-example.json"),
            include_str!("../seeds/records/Procedure-example.json"),
        ]
        .iter()
        .map(|text| serde_json::from_str(text).expect("a seed record parses"))
        .collect()
    })
}

/// A string the rules may read: a dictionary word, a date built from parts, or anything.
fn string(u: &mut Unstructured<'_>) -> Result<String> {
    let d = dict();
    Ok(match u.int_in_range(0..=9u8)? {
        0 | 1 => pick(u, &d.value)?.to_string(),
        2 | 3 => pick(u, &d.code)?.to_string(),
        4 => pick(u, &d.system)?.to_string(),
        5 => {
            // A date or dateTime with parts in and out of range.
            let y: u16 = u.int_in_range(0..=10_000)?;
            let m: u8 = u.int_in_range(0..=13)?;
            let day: u8 = u.int_in_range(0..=32)?;
            match u.int_in_range(0..=3u8)? {
                0 => format!("{y:04}"),
                1 => format!("{y:04}-{m:02}"),
                2 => format!("{y:04}-{m:02}-{day:02}"),
                _ => {
                    let h: u8 = u.int_in_range(0..=25)?;
                    let min: u8 = u.int_in_range(0..=61)?;
                    let tz = pick_str(u, &["Z", "+05:00", "-14:00", "+15:00", ""])?.to_string();
                    format!("{y:04}-{m:02}-{day:02}T{h:02}:{min:02}:00{tz}")
                }
            }
        }
        6 => {
            // A dictionary word with something around it.
            let word = pick(u, &d.code)?.to_string();
            let extra = String::arbitrary(u)?;
            if bool::arbitrary(u)? {
                format!("{extra}{word}")
            } else {
                format!("{word}{extra}")
            }
        }
        _ => String::arbitrary(u)?,
    })
}

fn number(u: &mut Unstructured<'_>) -> Result<Value> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => Value::from(u.int_in_range(-10..=1000i64)?),
        1 => Value::from(i64::arbitrary(u)?),
        2 => Value::from(u64::arbitrary(u)?),
        3 => {
            // A decimal with a few digits, as records carry (98.6, 0.5).
            let n: i32 = u.int_in_range(-100_000..=100_000)?;
            let scale: i32 = u.int_in_range(0..=4)?;
            Number::from_f64(f64::from(n) / 10f64.powi(scale)).map_or(Value::Null, Value::Number)
        }
        _ => Number::from_f64(f64::arbitrary(u)?).map_or(Value::from(0), Value::Number),
    })
}

fn key(u: &mut Unstructured<'_>) -> Result<String> {
    let d = dict();
    Ok(match u.int_in_range(0..=15u8)? {
        0 => String::arbitrary(u)?,
        1 => format!("zz{}", u32::arbitrary(u)?),
        2 => "resourceType".to_string(),
        _ => pick(u, &d.element)?.to_string(),
    })
}

/// A FHIR datatype: Coding, CodeableConcept, Quantity, Period, Reference, Identifier,
/// ContactPoint, HumanName, Address, Extension.
fn datatype(u: &mut Unstructured<'_>, depth: usize) -> Result<Value> {
    let d = dict();
    let mut o = Map::new();
    let coding = |u: &mut Unstructured<'_>| -> Result<Value> {
        let mut c = Map::new();
        if u.ratio(7, 8)? {
            c.insert("system".into(), Value::String(pick(u, &d.system)?.into()));
        }
        if u.ratio(7, 8)? {
            c.insert("code".into(), Value::String(string(u)?));
        }
        if u.ratio(1, 4)? {
            c.insert("display".into(), Value::String(string(u)?));
        }
        Ok(Value::Object(c))
    };
    match u.int_in_range(0..=9u8)? {
        0 => return coding(u),
        1 => {
            let n = u.int_in_range(0..=3)?;
            let codings = (0..n).map(|_| coding(u)).collect::<Result<Vec<_>>>()?;
            o.insert("coding".into(), Value::Array(codings));
            if u.ratio(1, 4)? {
                o.insert("text".into(), Value::String(string(u)?));
            }
        }
        2 => {
            o.insert("value".into(), number(u)?);
            if u.ratio(3, 4)? {
                o.insert(
                    "system".into(),
                    Value::String("http://unitsofmeasure.org".into()),
                );
            }
            o.insert("code".into(), Value::String(string(u)?));
            if u.ratio(1, 2)? {
                o.insert("unit".into(), Value::String(string(u)?));
            }
            if u.ratio(1, 8)? {
                o.insert("comparator".into(), Value::String(string(u)?));
            }
        }
        3 => {
            for k in ["start", "end"] {
                if u.ratio(3, 4)? {
                    o.insert(k.into(), Value::String(string(u)?));
                }
            }
        }
        4 => {
            o.insert("reference".into(), Value::String(string(u)?));
            if u.ratio(1, 4)? {
                o.insert("display".into(), Value::String(string(u)?));
            }
        }
        5 => {
            o.insert("system".into(), Value::String(pick(u, &d.system)?.into()));
            o.insert("value".into(), Value::String(string(u)?));
        }
        6 => {
            let system = pick_str(u, &["phone", "email", "fax", "sms", "url"])?;
            o.insert("system".into(), Value::String(system.to_string()));
            o.insert("value".into(), Value::String(string(u)?));
        }
        7 => {
            o.insert("family".into(), Value::String(string(u)?));
            o.insert(
                "given".into(),
                Value::Array(vec![Value::String(string(u)?)]),
            );
        }
        8 => {
            for k in ["line", "city", "state", "postalCode", "country"] {
                if u.ratio(2, 3)? {
                    let s = Value::String(string(u)?);
                    o.insert(
                        k.into(),
                        if k == "line" {
                            Value::Array(vec![s])
                        } else {
                            s
                        },
                    );
                }
            }
        }
        _ => {
            o.insert("url".into(), Value::String(string(u)?));
            let k = format!(
                "value{}",
                pick_str(
                    u,
                    &[
                        "String",
                        "Code",
                        "DateTime",
                        "Quantity",
                        "CodeableConcept",
                        "Boolean"
                    ]
                )?
            );
            o.insert(k, value(u, depth + 1)?);
        }
    }
    Ok(Value::Object(o))
}

/// Any JSON value, FHIR-flavoured, nesting at most MAX_DEPTH below `depth`.
pub fn value(u: &mut Unstructured<'_>, depth: usize) -> Result<Value> {
    let top = if depth >= MAX_DEPTH { 4 } else { 9 };
    Ok(match u.int_in_range(0..=top)? {
        0 => Value::Null,
        1 => Value::Bool(bool::arbitrary(u)?),
        2 => number(u)?,
        3 | 4 => Value::String(string(u)?),
        5 => datatype(u, depth)?,
        6 => {
            let n = u.int_in_range(0..=MAX_WIDTH)?;
            Value::Array((0..n).map(|_| value(u, depth + 1)).collect::<Result<_>>()?)
        }
        7 => resource(u, depth + 1)?,
        _ => object(u, depth + 1)?,
    })
}

fn object(u: &mut Unstructured<'_>, depth: usize) -> Result<Value> {
    let n = u.int_in_range(0..=MAX_WIDTH)?;
    let mut o = Map::new();
    for _ in 0..n {
        let k = key(u)?;
        let v = value(u, depth)?;
        o.insert(k, v);
    }
    Ok(Value::Object(o))
}

/// A resource: a resourceType (supported, unsupported, misspelt, or anything) and members;
/// a Bundle gets entries, and any resource may contain others.
pub fn resource(u: &mut Unstructured<'_>, depth: usize) -> Result<Value> {
    let d = dict();
    let mut o = Map::new();
    let rt = if u.ratio(15, 16)? {
        pick(u, &d.types)?.to_string()
    } else {
        String::arbitrary(u)?
    };
    o.insert("resourceType".into(), Value::String(rt.clone()));
    if u.ratio(1, 2)? {
        o.insert("id".into(), Value::String(string(u)?));
    }
    let n = u.int_in_range(0..=MAX_WIDTH)?;
    for _ in 0..n {
        let k = key(u)?;
        let v = value(u, depth)?;
        o.insert(k, v);
    }
    if depth < MAX_DEPTH {
        if rt == "Bundle" || u.ratio(1, 16)? {
            let n = u.int_in_range(0..=4)?;
            let mut entries = Vec::new();
            for _ in 0..n {
                let mut e = Map::new();
                if u.ratio(1, 2)? {
                    e.insert("fullUrl".into(), Value::String(string(u)?));
                }
                e.insert("resource".into(), resource(u, depth + 2)?);
                entries.push(Value::Object(e));
            }
            o.insert("entry".into(), Value::Array(entries));
        }
        if u.ratio(1, 16)? {
            let c = resource(u, depth + 1)?;
            o.insert("contained".into(), Value::Array(vec![c]));
        }
    }
    Ok(Value::Object(o))
}

/// Every container (object or list) in a value, as JSON Pointers.
fn containers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            out.push(at.clone());
            for (k, child) in m {
                let k = k.replace('~', "~0").replace('/', "~1");
                containers(child, format!("{at}/{k}"), out);
            }
        }
        Value::Array(items) => {
            out.push(at.clone());
            for (i, child) in items.iter().enumerate() {
                containers(child, format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

/// A seed record with a few changes: members added, replaced or removed, list items
/// duplicated or dropped, anywhere in it.
fn mutated_base(u: &mut Unstructured<'_>) -> Result<Value> {
    let mut record = u.choose(bases())?.clone();
    let n = u.int_in_range(0..=MAX_WIDTH)?;
    for _ in 0..n {
        let mut places = Vec::new();
        containers(&record, String::new(), &mut places);
        let at = u.choose(&places)?.clone();
        let Some(target) = record.pointer_mut(&at) else {
            continue;
        };
        match target {
            Value::Object(m) => {
                let keys: Vec<String> = m.keys().cloned().collect();
                match u.int_in_range(0..=2u8)? {
                    0 if !keys.is_empty() => {
                        let k = u.choose(&keys)?.clone();
                        m.remove(&k);
                    }
                    1 if !keys.is_empty() => {
                        let k = u.choose(&keys)?.clone();
                        m.insert(k, value(u, 3)?);
                    }
                    _ => {
                        let k = key(u)?;
                        m.insert(k, value(u, 3)?);
                    }
                }
            }
            Value::Array(items) => match u.int_in_range(0..=2u8)? {
                0 if !items.is_empty() => {
                    let i = u.choose_index(items.len())?;
                    items.remove(i);
                }
                1 if !items.is_empty() => {
                    let i = u.choose_index(items.len())?;
                    let copy = items[i].clone();
                    items.push(copy);
                }
                _ => items.push(value(u, 3)?),
            },
            _ => {}
        }
    }
    Ok(record)
}

/// The JS API's context object: asOf, patient, record, each maybe.
fn context(u: &mut Unstructured<'_>, record: bool) -> Result<Option<Value>> {
    if u.ratio(1, 2)? {
        return Ok(None);
    }
    let mut c = Map::new();
    if u.ratio(1, 2)? {
        c.insert("asOf".into(), Value::String(string(u)?));
    }
    if u.ratio(1, 2)? {
        let mut p = Map::new();
        if u.ratio(3, 4)? {
            p.insert("birthDate".into(), Value::String(string(u)?));
        }
        if u.ratio(3, 4)? {
            let g = pick_str(u, &["male", "female", "other", "unknown", "mal"])?;
            p.insert("gender".into(), Value::String(g.to_string()));
        }
        c.insert("patient".into(), Value::Object(p));
    }
    if record && u.ratio(1, 2)? {
        let r = if u.ratio(1, 2)? {
            mutated_base(u)?
        } else {
            resource(u, 1)?
        };
        c.insert("record".into(), r);
    }
    Ok(Some(Value::Object(c)))
}

/// An element path: FHIRPath-like (`Patient.name[0].family`, `name.family`), a JSON Pointer
/// (`/name/0/family`), or anything.
fn path(u: &mut Unstructured<'_>, resource_type: &str) -> Result<String> {
    let d = dict();
    let n = u.int_in_range(1..=4)?;
    let mut steps = Vec::new();
    for _ in 0..n {
        let name = pick(u, &d.element)?.trim_start_matches('_').to_string();
        let index = match u.int_in_range(0..=7u8)? {
            0 => format!("[{}]", u.int_in_range(0..=3u8)?),
            1 => pick_str(u, &["[x]", "[]", "[-1]", "[99999999999999999999]", "[0"])?.to_string(),
            _ => String::new(),
        };
        steps.push((name, index));
    }
    Ok(match u.int_in_range(0..=5u8)? {
        0 | 1 => {
            let dotted: Vec<String> = steps.iter().map(|(n, i)| format!("{n}{i}")).collect();
            format!("{resource_type}.{}", dotted.join("."))
        }
        2 => steps
            .iter()
            .map(|(n, i)| format!("{n}{i}"))
            .collect::<Vec<_>>()
            .join("."),
        3 | 4 => {
            let mut p = String::new();
            for (name, index) in &steps {
                p.push('/');
                p.push_str(name);
                if !index.is_empty() {
                    p.push_str(&format!("/{}", u.int_in_range(0..=2u8)?));
                }
            }
            p
        }
        _ => String::arbitrary(u)?,
    })
}

/// Input of the `validate_value` target.
pub struct ValueInput(pub ValueCase);

impl<'a> Arbitrary<'a> for ValueInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let record = match u.int_in_range(0..=15u8)? {
            0..=6 => mutated_base(u)?,
            7..=14 => resource(u, 0)?,
            _ => value(u, 0)?,
        };
        let context = context(u, false)?;
        let rt = record
            .get("resourceType")
            .and_then(Value::as_str)
            .unwrap_or("Patient")
            .to_string();
        let mut edits = Vec::new();
        if u.ratio(1, 3)? {
            for _ in 0..u.int_in_range(1..=4)? {
                let p = path(u, &rt)?;
                let v = if u.ratio(1, 5)? {
                    None
                } else {
                    Some(value(u, 2)?.into())
                };
                edits.push(Edit { path: p, value: v });
            }
        }
        Ok(ValueInput(ValueCase {
            record: record.into(),
            context,
            edits,
        }))
    }
}

/// Input of the `validate_field` target.
pub struct FieldInput(pub FieldCase);

impl<'a> Arbitrary<'a> for FieldInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let d = dict();
        let resource_type = if u.ratio(7, 8)? {
            pick(u, &d.types)?.to_string()
        } else {
            String::arbitrary(u)?
        };
        let path = path(u, &resource_type)?;
        let value = value(u, 1)?;
        let context = context(u, true)?;
        Ok(FieldInput(FieldCase {
            resource_type,
            path,
            value: value.into(),
            context,
        }))
    }
}

/// Which lookup system a case names.
#[derive(Arbitrary)]
enum SystemName {
    Icd10cm,
    Icd10pcs,
    Icd10cmUri,
    Icd10pcsUri,
    Spelt(String),
}

/// What a lookup's text is.
#[derive(Arbitrary)]
enum Typed {
    /// A dictionary code, maybe cut short (a prefix being typed), in any case.
    Code {
        index: u16,
        keep: u8,
        lower: bool,
    },
    /// Words, as a description search.
    Words(Vec<WordChoice>),
    Anything(String),
}

#[derive(Arbitrary)]
enum WordChoice {
    Known(u8),
    Other(String),
}

const WORDS: &[&str] = &[
    "type",
    "2",
    "diab",
    "diabetes",
    "mellitus",
    "without",
    "complications",
    "hypertension",
    "fracture",
    "of",
    "femur",
    "initial",
    "encounter",
    "pregnancy",
    "weeks",
    "gestation",
    "newborn",
    "pain",
    "chest",
    "acute",
    "chronic",
    "kidney",
    "disease",
    "stage",
    "unspecified",
];

/// Input of the `lookup` target.
pub struct LookupInput(pub LookupCase);

impl<'a> Arbitrary<'a> for LookupInput {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let d = dict();
        let system = match SystemName::arbitrary(u)? {
            SystemName::Icd10cm => "icd10cm".to_string(),
            SystemName::Icd10pcs => "icd10pcs".to_string(),
            SystemName::Icd10cmUri => "http://hl7.org/fhir/sid/icd-10-cm".to_string(),
            SystemName::Icd10pcsUri => "http://www.cms.gov/Medicare/Coding/ICD10".to_string(),
            SystemName::Spelt(s) => s,
        };
        let typed = |u: &mut Unstructured<'a>| -> Result<String> {
            Ok(match Typed::arbitrary(u)? {
                Typed::Code { index, keep, lower } => {
                    let code = &d.code[usize::from(index) % d.code.len()];
                    let cut: String = code.chars().take(usize::from(keep % 9)).collect();
                    if lower {
                        cut.to_lowercase()
                    } else {
                        cut
                    }
                }
                Typed::Words(words) => words
                    .into_iter()
                    .map(|w| match w {
                        WordChoice::Known(i) => WORDS[usize::from(i) % WORDS.len()].to_string(),
                        WordChoice::Other(s) => s,
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
                Typed::Anything(s) => s,
            })
        };
        let text = typed(u)?;
        let other = typed(u)?;
        let limit = usize::from(u8::arbitrary(u)?);
        let as_of = if u.ratio(1, 2)? {
            Some(string(u)?)
        } else {
            None
        };
        let first = u32::arbitrary(u)?;
        let last = u32::arbitrary(u)?;
        // Finite, so that the case is JSON.
        let number = Some(f64::arbitrary(u)?)
            .filter(|n| n.is_finite())
            .unwrap_or_default();
        Ok(LookupInput(LookupCase {
            system,
            text,
            limit,
            as_of,
            other,
            first,
            last,
            number,
        }))
    }
}

/// The case as JSON: what a regression fixture holds.
fn show(f: &mut fmt::Formatter<'_>, case: &impl serde::Serialize) -> fmt::Result {
    match serde_json::to_string_pretty(case) {
        Ok(text) => f.write_str(&text),
        Err(e) => write!(f, "(not JSON: {e})"),
    }
}

impl fmt::Debug for ValueInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        show(f, &self.0)
    }
}

impl fmt::Debug for FieldInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        show(f, &self.0)
    }
}

impl fmt::Debug for LookupInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        show(f, &self.0)
    }
}
