//! Properties of validation over generated records (proptest): it never panics, whatever the
//! value; `validate`, `validate_value` and `validate_json` of the same record give the same
//! report; and an unknown property added to a valid record, at its root or in any object
//! below, adds exactly one issue, `unknown-property` at that key, and changes nothing else.
//!
//! The fuzz targets (fuzz/, scripts/fuzz.sh) explore the same ground for far longer; these run
//! in every `cargo test`, in a few seconds.

mod common;

use ehrlint::{Context, Issue, Options, Report, Validator};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::{json, Map, Value};

fn validator() -> &'static Validator {
    static V: std::sync::OnceLock<Validator> = std::sync::OnceLock::new();
    V.get_or_init(|| Validator::new(Options::default()).unwrap())
}

/// Element names the rules read, and the keys of the datatypes they read inside.
const KEYS: &[&str] = &[
    "id",
    "meta",
    "text",
    "extension",
    "modifierExtension",
    "identifier",
    "active",
    "name",
    "telecom",
    "gender",
    "birthDate",
    "_birthDate",
    "deceasedBoolean",
    "deceasedDateTime",
    "address",
    "contact",
    "status",
    "category",
    "code",
    "subject",
    "encounter",
    "effectiveDateTime",
    "effectivePeriod",
    "issued",
    "valueQuantity",
    "valueString",
    "valueInteger",
    "valueCodeableConcept",
    "dataAbsentReason",
    "component",
    "referenceRange",
    "onsetDateTime",
    "abatementDateTime",
    "recordedDate",
    "clinicalStatus",
    "verificationStatus",
    "class",
    "type",
    "period",
    "diagnosis",
    "reasonCode",
    "performedDateTime",
    "medicationCodeableConcept",
    "authoredOn",
    "requester",
    "dosageInstruction",
    "vaccineCode",
    "occurrenceDateTime",
    "primarySource",
    "statusReason",
    "criticality",
    "reaction",
    "entry",
    "resource",
    "fullUrl",
    "contained",
    "coding",
    "system",
    "version",
    "display",
    "value",
    "unit",
    "comparator",
    "start",
    "end",
    "reference",
    "family",
    "given",
    "line",
    "city",
    "state",
    "postalCode",
    "country",
    "use",
    "url",
    "low",
    "high",
];

/// Strings the rules read: codes, systems, units, dates, and some that are wrong.
const WORDS: &[&str] = &[
    "http://loinc.org",
    "http://snomed.info/sct",
    "http://unitsofmeasure.org",
    "http://hl7.org/fhir/sid/icd-10-cm",
    "http://www.cms.gov/Medicare/Coding/ICD10",
    "http://hl7.org/fhir/sid/us-npi",
    "http://hl7.org/fhir/sid/ndc",
    "http://hl7.org/fhir/sid/cvx",
    "8867-4",
    "8480-6",
    "8462-4",
    "29463-7",
    "8310-5",
    "8310-4",
    "E11.9",
    "E11",
    "I10.0",
    "O80",
    "0DTJ4ZZ",
    "38341003",
    "1234567893",
    "1122334499",
    "0002-1433-80",
    "207",
    "/min",
    "mm[Hg]",
    "mmHg",
    "kg",
    "Cel",
    "[degF]",
    "mg/",
    "final",
    "registered",
    "entered-in-error",
    "active",
    "resolved",
    "male",
    "female",
    "mal",
    "phone",
    "email",
    "a@b",
    "(555) 555-1234",
    "CA",
    "Californa",
    "9021",
    "Patient/1",
    "#p1",
    "1974-12-25",
    "2099-01-01",
    "1974-02-30",
    "2024-05",
    "2024-05-02T10:00:00Z",
    "2024-05-02T25:00:00Z",
    "",
    " ",
];

const TYPES: &[&str] = &[
    "Patient",
    "Practitioner",
    "Encounter",
    "Condition",
    "Observation",
    "Procedure",
    "MedicationRequest",
    "AllergyIntolerance",
    "Immunization",
    "Bundle",
    "Claim",
    "Patinet",
    "",
];

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::sample::select(KEYS).prop_map(str::to_string),
        1 => "[a-zA-Z_][a-zA-Z0-9_]{0,10}",
        1 => Just("resourceType".to_string()),
    ]
}

/// Numbers as records carry them (72, 98.6, -3), and any integer.
fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        (-1000i64..100_000).prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        (-1_000_000i32..1_000_000, 0i32..4)
            .prop_map(|(n, scale)| json!(f64::from(n) / 10f64.powi(scale))),
    ]
}

fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        1 => Just(Value::Null),
        1 => any::<bool>().prop_map(Value::Bool),
        2 => number(),
        4 => prop::sample::select(WORDS).prop_map(Value::from),
        2 => "\\PC{0,16}".prop_map(Value::String),
    ]
}

/// Any JSON value with FHIR element names for keys, four levels deep at most.
fn json_value() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(key(), inner, 0..6)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A valid fixture (tests/fixtures/valid/).
fn valid_fixtures() -> &'static [(String, Value)] {
    static F: std::sync::OnceLock<Vec<(String, Value)>> = std::sync::OnceLock::new();
    F.get_or_init(|| {
        let dir = common::fixtures().join("valid");
        let mut files: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        assert!(!files.is_empty(), "no fixtures in {}", dir.display());
        files
            .into_iter()
            .map(|p| {
                let text = std::fs::read_to_string(&p).unwrap();
                let name = p.file_name().unwrap().to_string_lossy().into_owned();
                (name, serde_json::from_str(&text).unwrap())
            })
            .collect()
    })
}

/// A record to validate: a resource of any type with generated members, a valid fixture with
/// generated members added or replaced, or any JSON value at all.
fn record() -> impl Strategy<Value = Value> {
    let resource = (
        prop::sample::select(TYPES),
        prop::collection::btree_map(key(), json_value(), 0..8),
    )
        .prop_map(|(rt, members)| {
            let mut o: Map<String, Value> = members.into_iter().collect();
            o.insert("resourceType".into(), Value::from(rt));
            Value::Object(o)
        });
    let changed_fixture = (
        any::<Index>(),
        prop::collection::vec((key(), json_value()), 0..4),
    )
        .prop_map(|(i, changes)| {
            let fixtures = valid_fixtures();
            let mut v = fixtures[i.index(fixtures.len())].1.clone();
            let o = v.as_object_mut().unwrap();
            for (k, val) in changes {
                if k != "resourceType" {
                    o.insert(k, val);
                }
            }
            v
        });
    prop_oneof![4 => resource, 4 => changed_fixture, 1 => json_value()]
}

/// What holds of every report.
fn check_report(report: &Report) {
    assert_eq!(report.valid, report.errors().next().is_none());
    for issue in &report.issues {
        assert!(ehrlint::rules::meta(issue.code).is_some(), "{}", issue.code);
        assert!(
            issue.path.is_empty() || issue.path.starts_with('/'),
            "{:?}",
            issue.path
        );
    }
    let score = report.completeness.score;
    assert!((0.0..=1.0).contains(&score), "score {score}");
}

/// Every object in a value, as JSON Pointers ("" for the root).
fn objects(v: &Value, at: &str, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            out.push(at.to_string());
            for (k, child) in m {
                let token = k.replace('~', "~0").replace('/', "~1");
                objects(child, &format!("{at}/{token}"), out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                objects(child, &format!("{at}/{i}"), out);
            }
        }
        _ => {}
    }
}

fn sorted(issues: &[Issue]) -> Vec<String> {
    let mut v: Vec<String> = issues
        .iter()
        .map(|i| serde_json::to_string(i).unwrap())
        .collect();
    v.sort();
    v
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn validation_never_panics(value in record()) {
        let v = validator();
        let context = Context::default();
        check_report(&v.validate(&value, &context));
        let text = serde_json::to_string(&value).unwrap();
        if let Ok(report) = v.validate_json(&text, &context) {
            check_report(&report);
        }
        // Pretty-printed, and as one NDJSON line among others.
        let _ = v.validate_json(&serde_json::to_string_pretty(&value).unwrap(), &context);
        for line in format!("{text}\n{{}}\n\n{text}\n").lines() {
            let _ = v.validate_json(line, &context);
        }
    }

    #[test]
    fn validate_validate_value_and_validate_json_give_the_same_report(value in record()) {
        let v = validator();
        let context = Context::default();
        let from_value = v.validate(&value, &context);
        // The entry point that checks the limits first: these values are within them.
        prop_assert_eq!(&v.validate_value(&value, &context).unwrap(), &from_value);
        let text = serde_json::to_string(&value).unwrap();
        match (ehrlint::check_input(&value), v.validate_json(&text, &context)) {
            // Every field of every issue (code, path, expression, severity, message,
            // suggestions), in the same order, and the completeness.
            (Ok(()), Ok(from_text)) => prop_assert_eq!(from_value, from_text),
            (Ok(()), Err(e)) => prop_assert!(false, "validate_json refused a resource: {}", e),
            (Err(_), Ok(_)) => prop_assert!(false, "validate_json took a non-resource"),
            (Err(_), Err(_)) => prop_assert!(!from_value.valid),
        }
    }

    #[test]
    fn an_unknown_property_adds_exactly_one_issue(
        fixture in any::<Index>(),
        place in any::<Index>(),
        suffix in "[A-Za-z0-9]{0,8}",
        value in json_value(),
    ) {
        let v = validator();
        let context = Context::default();
        let fixtures = valid_fixtures();
        let (name, record) = &fixtures[fixture.index(fixtures.len())];
        let before = v.validate(record, &context);
        let mut places = Vec::new();
        objects(record, "", &mut places);
        let at = places[place.index(places.len())].clone();
        let key = format!("zzUnknown{suffix}");
        let mut changed = record.clone();
        changed
            .pointer_mut(&at)
            .unwrap()
            .as_object_mut()
            .unwrap()
            .insert(key.clone(), value.clone());
        let after = v.validate(&changed, &context);

        let added: Vec<&Issue> = after.issues.iter().filter(|i| !before.issues.contains(i)).collect();
        prop_assert_eq!(
            added.len(), 1,
            "{} with {}/{} = {}: added {:?}", name, at, key, value, added
        );
        prop_assert_eq!(added[0].code, "unknown-property");
        prop_assert_eq!(&added[0].path, &format!("{at}/{key}"));
        // The rest is unchanged: the same issues but the new one, the same completeness.
        let mut rest = after.issues.clone();
        rest.retain(|i| i != added[0]);
        prop_assert_eq!(sorted(&rest), sorted(&before.issues), "{} at {}", name, at);
        prop_assert_eq!(&after.completeness, &before.completeness);
    }
}

/// The records the property above starts from are valid: an issue there would be counted as
/// already present and hide what the property checks.
#[test]
fn the_valid_fixtures_are_valid() {
    for (name, record) in valid_fixtures() {
        let report = validator().validate(record, &Context::default());
        assert!(report.issues.is_empty(), "{name}: {:?}", report.issues);
    }
}
