//! What each fuzz target does with one input, once decoded: the calls into ehrlint and the
//! checks on what comes back. A panic here is a finding.
//!
//! Shared by the fuzz targets (fuzz/fuzz_targets/) and by `cargo test`'s
//! tests/fuzz_regressions.rs, which runs every saved crash input through these same functions
//! natively, so a regression is caught without cargo fuzz. It needs only ehrlint, serde and
//! serde_json (the main crate's own dependencies); decoding fuzzer bytes into the structured
//! cases below is fuzz/src/gen.rs's job.
#![allow(dead_code)] // each user runs part of it

use std::sync::OnceLock;

use ehrlint::codes::{checkdigit, units, usps, Codes};
use ehrlint::{Context, InputError, Limits, Options, ProfileChoice, Report, Validator};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The validator every target but `options` uses: default options, as the CLI and the JS API
/// start with.
pub fn validator() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| Validator::new(Options::default()).expect("the default validator builds"))
}

/// A validator with the ICD-10-CM descriptions loaded, for word lookups.
fn described() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        let v = Validator::new(Options::default()).expect("the default validator builds");
        v.load_descriptions(include_str!("../../data/icd10cm-descriptions.tsv").to_string())
            .expect("the shipped descriptions load");
        v
    })
}

fn codes() -> &'static Codes {
    static C: OnceLock<Codes> = OnceLock::new();
    C.get_or_init(|| Codes::load().expect("the built-in code tables load"))
}

/// What holds of every report, whatever the input.
pub fn check_report(report: &Report) {
    assert_eq!(
        report.valid,
        report.errors().next().is_none(),
        "valid must mean no errors"
    );
    for issue in &report.issues {
        assert!(
            ehrlint::rules::meta(issue.code).is_some(),
            "issue code {:?} is not a documented rule code",
            issue.code
        );
        assert!(
            issue.path.is_empty() || issue.path.starts_with('/'),
            "issue path {:?} is not a JSON Pointer",
            issue.path
        );
        assert!(!issue.message.is_empty(), "{} has no message", issue.code);
    }
    let score = report.completeness.score;
    assert!(
        score.is_finite() && (0.0..=1.0).contains(&score),
        "completeness score {score} is not between 0 and 1"
    );
    // The forms every caller gets: JSON (JS API, CLI --format json) and OperationOutcome.
    serde_json::to_string(report).expect("a report serializes");
    let outcome = report.to_operation_outcome();
    assert_eq!(outcome.resource_type, "OperationOutcome");
    assert!(
        !outcome.issue.is_empty(),
        "an OperationOutcome has at least one issue"
    );
}

/// Limits small enough for fuzzed input to meet them all the time.
const SMALL: Limits = Limits {
    max_bytes: 4096,
    max_depth: 6,
    max_array_length: 4,
    max_string_length: 24,
};

/// JSON as written, duplicate keys kept (serde_json's `Value` keeps the last): what the
/// limits apply to. Strings and property names by their length in characters.
enum Raw {
    Scalar,
    Str(usize),
    Array(Vec<Raw>),
    Object(Vec<(usize, Raw)>),
}

impl<'de> Deserialize<'de> for Raw {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Raw, D::Error> {
        struct RawVisitor;
        impl<'de> serde::de::Visitor<'de> for RawVisitor {
            type Value = Raw;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, _: bool) -> Result<Raw, E> {
                Ok(Raw::Scalar)
            }
            fn visit_i64<E>(self, _: i64) -> Result<Raw, E> {
                Ok(Raw::Scalar)
            }
            fn visit_u64<E>(self, _: u64) -> Result<Raw, E> {
                Ok(Raw::Scalar)
            }
            fn visit_f64<E>(self, _: f64) -> Result<Raw, E> {
                Ok(Raw::Scalar)
            }
            fn visit_unit<E>(self) -> Result<Raw, E> {
                Ok(Raw::Scalar)
            }
            fn visit_str<E>(self, s: &str) -> Result<Raw, E> {
                Ok(Raw::Str(s.chars().count()))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Raw, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element()? {
                    items.push(item);
                }
                Ok(Raw::Array(items))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Raw, A::Error> {
                let mut members = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    members.push((key.chars().count(), map.next_value()?));
                }
                Ok(Raw::Object(members))
            }
        }
        d.deserialize_any(RawVisitor)
    }
}

impl Raw {
    /// Is anything in it over the limits, as docs/limits.md states them: a container at
    /// `depth` (the input itself 0) deeper than `maxDepth` allows, a list longer than
    /// `maxArrayLength`, a string or property name longer than `maxStringLength`?
    fn over(&self, limits: &Limits, depth: u64) -> bool {
        let long = |chars: usize| chars as u64 > limits.max_string_length;
        match self {
            Raw::Scalar => false,
            Raw::Str(chars) => long(*chars),
            Raw::Array(items) => {
                depth >= limits.max_depth
                    || items.len() as u64 > limits.max_array_length
                    || items.iter().any(|i| i.over(limits, depth + 1))
            }
            Raw::Object(members) => {
                depth >= limits.max_depth
                    || members
                        .iter()
                        .any(|(key, v)| long(*key) || v.over(limits, depth + 1))
            }
        }
    }
}

/// JSON as the HL7 reference validator reads it, and ehrlint's reader too: serde_json's
/// `Value`, except that a property given twice keeps its first value (serde_json keeps the
/// last).
struct FirstWins(Value);

impl<'de> Deserialize<'de> for FirstWins {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<FirstWins, D::Error> {
        struct FirstVisitor;
        impl<'de> serde::de::Visitor<'de> for FirstVisitor {
            type Value = FirstWins;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E>(self, v: bool) -> Result<FirstWins, E> {
                Ok(FirstWins(Value::Bool(v)))
            }
            fn visit_i64<E>(self, v: i64) -> Result<FirstWins, E> {
                Ok(FirstWins(Value::from(v)))
            }
            fn visit_u64<E>(self, v: u64) -> Result<FirstWins, E> {
                Ok(FirstWins(Value::from(v)))
            }
            fn visit_f64<E>(self, v: f64) -> Result<FirstWins, E> {
                Ok(FirstWins(
                    serde_json::Number::from_f64(v).map_or(Value::Null, Value::Number),
                ))
            }
            fn visit_unit<E>(self) -> Result<FirstWins, E> {
                Ok(FirstWins(Value::Null))
            }
            fn visit_str<E>(self, s: &str) -> Result<FirstWins, E> {
                Ok(FirstWins(Value::String(s.to_string())))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                mut seq: A,
            ) -> Result<FirstWins, A::Error> {
                let mut items = Vec::new();
                while let Some(FirstWins(item)) = seq.next_element()? {
                    items.push(item);
                }
                Ok(FirstWins(Value::Array(items)))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<FirstWins, A::Error> {
                let mut members = serde_json::Map::new();
                while let Some(key) = map.next_key::<String>()? {
                    let FirstWins(value) = map.next_value()?;
                    members.entry(key).or_insert(value);
                }
                Ok(FirstWins(Value::Object(members)))
            }
        }
        d.deserialize_any(FirstVisitor)
    }
}

/// The JSON reader with limits (`parse_with_limits`, a visitor of ehrlint's own) against
/// a plain reader that keeps the first of duplicate keys (`FirstWins`) and a reference check
/// of the limits on the text as written (duplicate keys included: a string over the limit
/// counts even when it is a later duplicate, ignored): the same value when within the limits,
/// a limit error only for input over one, the same syntax error otherwise.
pub fn parse_agrees(text: &str, limits: &Limits) {
    let ours = ehrlint::parse_with_limits(text, limits);
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let theirs = serde_json::from_str::<FirstWins>(body).map(|FirstWins(v)| v);
    let over = || {
        body.len() as u64 > limits.max_bytes
            || serde_json::from_str::<Raw>(body).is_ok_and(|raw| raw.over(limits, 0))
    };
    match (ours, theirs) {
        (Ok(a), Ok(b)) => {
            assert_eq!(
                a, b,
                "parse_with_limits built another value than serde_json, first duplicates kept"
            );
            assert!(!over(), "parse_with_limits took text over its limits");
            assert_eq!(
                limits.check_value(&ehrlint::json::Value::from(&b)),
                Ok(()),
                "check_value refuses what parse took"
            );
        }
        (Ok(_), Err(e)) => panic!("parse_with_limits took text serde_json refuses: {e}"),
        (Err(InputError::Limit(_)), Ok(_)) => {
            assert!(over(), "parse_with_limits refused text within its limits")
        }
        // A limit met before the syntax error.
        (Err(InputError::Limit(_)), Err(_)) => {}
        (
            Err(InputError::Json {
                line,
                column,
                message,
            }),
            Err(e),
        ) => {
            assert_eq!((line, column), (e.line(), e.column()), "{message} / {e}");
            assert!(e.to_string().starts_with(&message), "{message} / {e}");
        }
        (Err(e), Ok(_)) => panic!("parse_with_limits refused JSON serde_json reads: {e}"),
        (Err(e), Err(_)) => panic!("parse_with_limits gave {e:?}"),
    }
}

/// `validate_json` target: any bytes as JSON text, through `Validator::validate_json` (the JS
/// API's validateJson, the CLI's `check_text`) and through `parse`, `check_input` and
/// `validate`, which must agree but for the properties the text gives twice
/// (`duplicate-property`, which only text can show); the JSON reader with the default limits
/// and with small ones against serde_json's; then, when the text has several lines, each line
/// alone, as the CLI reads an NDJSON file. Bytes that are not UTF-8 go in with U+FFFD in their
/// place, as a JavaScript string would carry them.
pub fn validate_json(bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    let v = validator();
    let context = Context::default();
    let api = v.validate_json(&text, &context);
    let parsed = ehrlint::parse(&text);
    let value = parsed.as_ref().ok();
    let parse_then_validate = parsed.clone().and_then(|value| {
        ehrlint::check_input(&value)?;
        Ok(v.validate(&value, &context))
    });
    match (&api, &parse_then_validate) {
        (Ok(a), Ok(b)) => {
            let (duplicates, rest): (Vec<_>, Vec<_>) = a
                .issues
                .iter()
                .cloned()
                .partition(|i| i.code == "duplicate-property");
            assert_eq!(rest, b.issues, "validate_json and parse+validate disagree");
            assert_eq!(a.completeness, b.completeness);
            assert_eq!(a.valid, b.valid && duplicates.is_empty());
            for d in &duplicates {
                // At the property as the parsed value holds it (its first occurrence).
                assert!(
                    value.and_then(|v| v.pointer(&d.path)).is_some(),
                    "duplicate-property at {}, which the parsed value does not have",
                    d.path
                );
            }
        }
        _ => assert_eq!(
            api, parse_then_validate,
            "validate_json and parse+validate disagree"
        ),
    }
    if let Ok(report) = &api {
        check_report(report);
    }
    parse_agrees(&text, &Limits::default());
    parse_agrees(&text, &SMALL);
    if text.contains('\n') {
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            if let Ok(report) = v.validate_json(line, &context) {
                check_report(&report);
            }
        }
    }
}

/// A parsed record with the call's context and editing-session steps.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueCase {
    /// Any JSON value; mostly resource-shaped.
    pub record: ehrlint::json::Value,
    /// The JS API's context object (`{"asOf", "patient", "record"}`), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
    /// Edits applied in a session started on the record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edits: Vec<Edit>,
}

/// `set(path, value)`: value None removes.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Edit {
    pub path: String,
    pub value: Option<ehrlint::json::Value>,
}

/// The context of a case: from its JSON form, as the JS API reads it; a malformed one is an
/// error there, and the default here.
fn context_of(json: Option<&Value>) -> Context {
    json.and_then(|c| Context::from_json(c).ok())
        .unwrap_or_default()
}

/// `validate_value` target: `Validator::validate` on the record; the same issues from
/// `validate_json` on its serialization; then a session on it, whose report after every
/// accepted edit equals a full validation of the record as it then is.
pub fn validate_value(case: &ValueCase) {
    let v = validator();
    let context = context_of(case.context.as_ref());
    let report = v.validate(&case.record, &context);
    check_report(&report);
    // The checked entry point: within the default limits (the generated records are), the
    // same report.
    match v.validate_value(&case.record, &context) {
        Ok(checked) => assert_eq!(checked, report, "validate_value and validate disagree"),
        Err(e) => assert!(
            v.limits().check_value(&case.record).is_err(),
            "validate_value refused a record within the limits: {e}"
        ),
    }
    let text = serde_json::to_string(&case.record).expect("a value serializes");
    match (
        ehrlint::check_input(&case.record),
        v.validate_json(&text, &context),
    ) {
        (Ok(()), Ok(from_text)) => assert_eq!(
            report, from_text,
            "validate and validate_json of its serialization disagree"
        ),
        (Ok(()), Err(e)) => {
            // A built value can be over the limits that text is read with.
            assert!(
                matches!(e, InputError::Limit(_)),
                "validate_json refused a serialized resource: {e}"
            )
        }
        (Err(_), Ok(_)) => panic!("validate_json accepted what check_input refuses"),
        (Err(_), Err(_)) => {}
    }
    if case.edits.is_empty() {
        return;
    }
    let resource_type = case
        .record
        .get("resourceType")
        .and_then(ehrlint::json::Value::as_str)
        .unwrap_or("Patient");
    let Ok(mut session) = v.session(resource_type, Some(case.record.clone()), context.clone())
    else {
        return;
    };
    check_report(session.report());
    for edit in &case.edits {
        let before = session.report().clone();
        match session.set(&edit.path, edit.value.clone()) {
            Ok(change) => {
                let full = v.validate(session.resource(), &context);
                assert_eq!(
                    session.report(),
                    &full,
                    "session after set({:?}) differs from a full validation",
                    edit.path
                );
                assert_eq!(
                    change.issues, full.issues,
                    "the change's issues are not all"
                );
                check_report(&full);
            }
            Err(_) => assert_eq!(
                session.report(),
                &before,
                "a refused edit changed the report"
            ),
        }
    }
}

/// `validate_field(resourceType, path, value, context)`.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct FieldCase {
    pub resource_type: String,
    pub path: String,
    pub value: ehrlint::json::Value,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub context: Option<Value>,
}

/// `validate_field` target.
pub fn validate_field(case: &FieldCase) {
    let context = context_of(case.context.as_ref());
    if let Ok(issues) = validator().validate_field(
        &case.resource_type,
        &case.path,
        case.value.clone(),
        &context,
    ) {
        for issue in &issues {
            assert!(ehrlint::rules::meta(issue.code).is_some(), "{}", issue.code);
            assert!(
                issue.path.is_empty() || issue.path.starts_with('/'),
                "issue path {:?} is not a JSON Pointer",
                issue.path
            );
        }
    }
}

/// Records validated by every validator the `options` target builds: what its profile and
/// rule options act on.
fn sample_records() -> &'static [Value] {
    static R: OnceLock<Vec<Value>> = OnceLock::new();
    R.get_or_init(|| {
        vec![
            json!({"resourceType": "Patient", "gender": "mal", "birthDate": "2099-01-01",
                "name": [{"family": "Chalmers"}], "telecom": [{"system": "email", "value": "x"}]}),
            json!({"resourceType": "Observation", "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
                "valueQuantity": {"value": 700, "system": "http://unitsofmeasure.org", "code": "/min"}}),
            json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
                "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}]},
                "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11"}]}}),
            json!({"resourceType": "Bundle", "type": "collection", "entry": [
                {"resource": {"resourceType": "Encounter", "status": "finished"}},
                {"resource": {"resourceType": "Immunization", "status": "not-done"}}]}),
        ]
    })
}

/// `options` target: bytes as the options JSON (what the JS constructor and the CLI's
/// --config take), through `Options::from_json` and `Validator::new`; the same JSON as a
/// profile document (the CLI's --profile file); each validator built then checks a few
/// records, as values and as text (within its limits, the same report).
pub fn options(bytes: &[u8]) {
    let Ok(value) = ehrlint::parse(&String::from_utf8_lossy(bytes)) else {
        return;
    };
    let value = Value::from(value);
    let as_options = Options::from_json(value.clone());
    let as_profile = match &value {
        Value::String(name) => Options::with_profile(ProfileChoice::BuiltIn(name.clone())),
        _ => Options::with_profile(ProfileChoice::Custom(value)),
    };
    for options in as_options.into_iter().chain([as_profile]) {
        let Ok(v) = Validator::new(options) else {
            continue;
        };
        for record in sample_records() {
            let report = v.validate(record, &Context::default());
            check_report(&report);
            // The same record as text, within the validator's limits or refused by one.
            let text = serde_json::to_string(record).expect("a value serializes");
            match v.validate_json(&text, &Context::default()) {
                Ok(from_text) => {
                    assert_eq!(from_text, report, "validate_json and validate disagree")
                }
                Err(e) => assert!(matches!(e, InputError::Limit(_)), "{e}"),
            }
        }
    }
}

/// Code lookups and the code tables behind the rules.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct LookupCase {
    /// `icd10cm`, `icd10pcs`, a system URI, or anything.
    pub system: String,
    /// What is being typed: a code prefix, words, or anything.
    pub text: String,
    pub limit: usize,
    /// The date of service, YYYY-MM-DD (refused ones are ignored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub as_of: Option<String>,
    /// A second code, for the Excludes1 pairs and unit conversions.
    #[serde(default)]
    pub other: String,
    /// Days (YYYYMMDD) for the code tables' validity windows.
    #[serde(default)]
    pub first: u32,
    #[serde(default)]
    pub last: u32,
    /// A measured value and an age range, for unit conversion and plausibility bands.
    #[serde(default)]
    pub number: f64,
}

/// `lookup` target: `Validator::lookup` (with the descriptions loaded, so word searches run),
/// then every public code-table function on the same text, as typed and normalized.
pub fn lookup(case: &LookupCase) {
    let as_of = case
        .as_of
        .as_deref()
        .and_then(|s| ehrlint::parse_as_of(s).ok());
    // Any limit, even above the cap: the core caps it.
    let options = ehrlint::LookupOptions::new(Some(case.limit), as_of);
    let limit = options.limit();
    if let Ok(found) = described().lookup(&case.system, &case.text, &options) {
        assert!(found.len() <= limit, "lookup gave more than {limit}");
        for f in &found {
            assert!(!f.code.is_empty(), "lookup found an empty code");
        }
    }

    let codes = codes();
    let (first, last) = (case.first.min(case.last), case.first.max(case.last));
    for table in [&codes.icd10cm, &codes.icd10pcs] {
        // They take any text, as typed (not only normalized codes).
        table.display(&case.text);
        table.status(&case.text, first, last);
        table.exists(&case.text);
        table.children(&case.text, first, last, 5);
        table.nearest(&case.text, first, last, 5);
        let Some(code) = table.normalize(&case.text) else {
            continue;
        };
        table.display(&code);
        table.status(&code, first, last);
        table.exists(&code);
        table.children(&code, first, last, 5);
        table.nearest(&code, first, last, 5);
        codes.icd10cm_label(&code);
        if let Some(other) = table.normalize(&case.other) {
            codes.excludes1.excludes(&code, &other);
        }
    }
    let _ = checkdigit::loinc(&case.text);
    let _ = checkdigit::npi(&case.text);
    let _ = checkdigit::sctid_concept(&case.text);
    let _ = checkdigit::ndc(&case.text);
    let _ = checkdigit::cvx(&case.text);
    let _ = usps::is_code(&case.text);
    let _ = usps::code_meant(&case.text);
    let _ = usps::name_of(&case.text);
    let _ = units::analyze(&case.text);
    let _ = units::problem(&case.text);
    let molar_mass = (case.number.is_finite() && case.number > 0.0).then_some(case.number);
    let _ = units::convert(case.number, &case.text, &case.other, molar_mass);
    let _ = units::commensurable(&case.text, &case.other, molar_mass);
    let age = (case.number.is_finite()).then_some((case.number, case.number + 1.0));
    let bands = codes.ranges.bands(&case.text, age);
    let _ = ehrlint::codes::ranges::widest(&bands);
    let _ = codes.ranges.knows(&case.text);
    let _ = codes.ages.range(&case.text, first);
    let _ = ehrlint::fhir::primitives::parse_date(&case.text);
}
