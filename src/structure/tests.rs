//! The build-time validators against the schemas they come from and against the `jsonschema`
//! crate's run-time validator: the same errors, so the same issues, as when the schemas were
//! compiled at start-up.

use std::collections::BTreeSet;

use jsonschema::Draft;
use serde_json::{json, Value};

use super::*;
use crate::fhir::primitives;

fn walk<'a>(value: &'a Value, visit: &mut dyn FnMut(&'a Map<String, Value>)) {
    match value {
        Value::Object(map) => {
            visit(map);
            map.values().for_each(|v| walk(v, visit));
        }
        Value::Array(items) => items.iter().for_each(|v| walk(v, visit)),
        _ => {}
    }
}

fn schema() -> Value {
    serde_json::from_str(SCHEMA_TEXT).unwrap()
}

#[test]
fn every_format_of_the_schema_has_its_function() {
    let mut used = BTreeSet::new();
    walk(&schema(), &mut |map| {
        if let Some(f) = map.get("format").and_then(Value::as_str) {
            used.insert(f.to_string());
        }
    });
    let handled: BTreeSet<String> = formats::ALL.iter().map(|f| f.to_string()).collect();
    let known: BTreeSet<String> = primitives::FORMATS.iter().map(|f| f.to_string()).collect();
    assert_eq!(used, handled);
    assert_eq!(handled, known);
}

/// `translate` reads an enum error on a value of another type as a wrong type: exact only while
/// every enum states the `type` all its values have.
#[test]
fn every_enum_has_the_type_of_its_values() {
    let mut enums = 0;
    walk(&schema(), &mut |map| {
        if let Some(values) = map.get("enum").and_then(Value::as_array) {
            enums += 1;
            assert!(values.iter().all(Value::is_string), "{map:?}");
            assert_eq!(map.get("type"), Some(&json!("string")), "{map:?}");
        }
    });
    assert!(enums > 30);
}

#[test]
fn the_profile_schema_s_build_copy_is_the_published_one() {
    fn published_form(value: &Value) -> Value {
        match value {
            Value::Object(map) => Value::Object(
                map.iter()
                    .filter(|(k, _)| *k != "$comment")
                    .map(|(k, v)| {
                        let key = if k == "ehrlintPattern" { "pattern" } else { k };
                        (key.to_string(), published_form(v))
                    })
                    .collect(),
            ),
            Value::Array(items) => Value::Array(items.iter().map(published_form).collect()),
            other => other.clone(),
        }
    }
    let read = |p: &str| -> Value {
        let path = format!("{}/schemas/{p}", env!("CARGO_MANIFEST_DIR"));
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let build = read("build/profile.schema.json");
    assert!(build.to_string().contains("ehrlintPattern"));
    assert_eq!(published_form(&build), read("profile.schema.json"));
}

fn runtime_validator() -> jsonschema::Validator {
    let mut options = jsonschema::options()
        .with_draft(Draft::Draft7)
        .should_validate_formats(true)
        .with_keyword("fhirChoices", choices::factory);
    for format in primitives::FORMATS {
        options = options.with_format(format, move |s: &str| {
            !s.is_empty() && primitives::check_format(format, s).is_ok()
        });
    }
    options.build(&schema()).unwrap()
}

/// (instance path, keyword) of each error; a `type` error that an enum error at the same path
/// implies is left out (the build-time validator does not repeat it).
fn errors<'a>(errors: impl Iterator<Item = jsonschema::ValidationError<'a>>) -> BTreeSet<String> {
    let all: Vec<(String, String)> = errors
        .map(|e| {
            (
                e.instance_path().as_str().to_string(),
                e.kind().keyword().to_string(),
            )
        })
        .collect();
    all.iter()
        .filter(|(path, keyword)| {
            keyword != "type" || !all.iter().any(|(p, k)| p == path && k == "enum")
        })
        .map(|(path, keyword)| format!("{path} {keyword}"))
        .collect()
}

/// Deterministic damage to a record: a value replaced by one of another type or shape, an
/// element dropped, an unknown element added.
fn mutations(record: &Value, count: usize, seed: &mut u64) -> Vec<Value> {
    fn pointers(value: &Value, at: String, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => map
                .iter()
                .for_each(|(k, v)| pointers(v, format!("{at}/{k}"), out)),
            Value::Array(items) => items
                .iter()
                .enumerate()
                .for_each(|(i, v)| pointers(v, format!("{at}/{i}"), out)),
            _ => {}
        }
        if !at.is_empty() && at != "/resourceType" {
            out.push(at);
        }
    }
    let replacements = [
        json!(42),
        json!(""),
        json!(null),
        json!({}),
        json!([]),
        json!(true),
        json!(1.5),
        json!(-5),
        json!("2020-02-30"),
        json!("mal"),
        json!([null]),
        json!({"bogus": 1}),
        json!(["x", 2]),
        json!("  "),
        json!(4_294_967_296_u64),
    ];
    let mut next = |n: usize| {
        *seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (*seed >> 33) as usize % n
    };
    let mut all = Vec::new();
    pointers(record, String::new(), &mut all);
    if all.is_empty() {
        return Vec::new();
    }
    (0..count)
        .map(|_| {
            let mut copy = record.clone();
            let at = &all[next(all.len())];
            let (parent, key) = at.rsplit_once('/').unwrap();
            let choice = next(replacements.len() + 2);
            match copy.pointer_mut(parent).unwrap() {
                Value::Object(map) if choice == replacements.len() => {
                    map.remove(key);
                }
                Value::Object(map) if choice == replacements.len() + 1 => {
                    let value = map[key].clone();
                    map.insert(format!("{key}x"), value);
                }
                _ => {
                    *copy.pointer_mut(at).unwrap() =
                        replacements[choice % replacements.len()].clone()
                }
            }
            copy
        })
        .collect()
}

#[test]
fn the_build_time_validator_finds_what_the_run_time_one_finds() {
    let runtime = runtime_validator();
    let structure = Structure::new().unwrap();
    let mut records = Vec::new();
    for dir in [
        "tests/fixtures/valid",
        "tests/fixtures/invalid",
        "tools/node_modules/hl7.fhir.r4.examples",
    ] {
        let dir = format!("{}/{dir}", env!("CARGO_MANIFEST_DIR"));
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("{dir}: {e} (FHIR R4 examples: run scripts/setup.sh)"));
        for entry in entries {
            let path = entry.unwrap().path();
            if path.extension().is_none_or(|x| x != "json") || path.ends_with("package.json") {
                continue;
            }
            let Ok(record) =
                serde_json::from_str::<Value>(&std::fs::read_to_string(&path).unwrap())
            else {
                continue;
            };
            if record
                .get("resourceType")
                .and_then(Value::as_str)
                .is_some_and(|t| structure.is_supported(t))
            {
                records.push(record);
            }
        }
    }
    assert!(records.len() > 200, "{} records", records.len());
    let mut seed = 2026;
    let damaged: Vec<Value> = records
        .iter()
        .filter(|r| r.to_string().len() < 20_000)
        .flat_map(|r| mutations(r, 8, &mut seed))
        .collect();
    let (mut invalid, mut checked) = (0, 0);
    for record in records.iter().chain(&damaged) {
        let want = errors(runtime.iter_errors(record));
        let got = errors(FhirSchema::iter_errors(record));
        assert_eq!(got, want, "{record}");
        assert_eq!(
            FhirSchema::is_valid(record),
            runtime.is_valid(record),
            "{record}"
        );
        invalid += usize::from(!want.is_empty());
        checked += 1;
    }
    eprintln!("{invalid} of {checked} records invalid");
    assert!(invalid > 1000, "{invalid} of {checked} records invalid");
}

#[test]
fn ehrlint_pattern_matches_as_pattern_does() {
    let build: Value =
        serde_json::from_str(include_str!("../../schemas/build/profile.schema.json")).unwrap();
    let mut patterns = Vec::new();
    walk(&build, &mut |map| {
        if let Some(p) = map.get("ehrlintPattern").and_then(Value::as_str) {
            patterns.push(p.to_string());
        }
    });
    assert_eq!(patterns.len(), 5);
    let (x64, x65) = ("x".repeat(64), "x".repeat(65));
    let samples = [
        "",
        "a",
        "A",
        "en",
        "EN",
        "eng",
        "e1",
        "Patient",
        "patient",
        "P",
        "PatientX",
        "Pat1ent",
        "name",
        "name.family",
        "name.",
        ".name",
        "name..given",
        "value[x]",
        "value[x].code",
        "value[y]",
        "valueQuantity.code",
        "aB9",
        "a-b",
        "a_b",
        "a.b_c-d",
        "-a",
        "1abc",
        "clinic.v2",
        &x64,
        &x65,
        "é",
        "naïve",
        "a\n",
        "a b",
        "Ünïcode",
        "a[x][x]",
        "name[x]given",
    ];
    for pattern in &patterns {
        let runtime = jsonschema::validator_for(&json!({ "pattern": pattern })).unwrap();
        let keyword = pattern::factory(
            &Map::new(),
            &json!(pattern),
            jsonschema::paths::Location::new(),
        )
        .unwrap();
        // And strings drawn from the patterns' alphabet and a little beyond.
        let alphabet: Vec<char> = "aAzZenx019._-[].[x]Ü -".chars().collect();
        let mut seed = 7_u64;
        let drawn: Vec<String> = (0..2000)
            .map(|_| {
                let mut next = |n: u64| {
                    seed = seed
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    (seed >> 33) % n
                };
                let len = next(12) as usize;
                (0..len)
                    .map(|_| alphabet[next(alphabet.len() as u64) as usize])
                    .collect()
            })
            .collect();
        for sample in samples
            .iter()
            .copied()
            .chain(drawn.iter().map(String::as_str))
        {
            let value = json!(sample);
            assert_eq!(
                keyword.is_valid(&value),
                runtime.is_valid(&value),
                "{pattern} {sample:?}"
            );
            if let Err(e) = keyword.validate(&value) {
                let want = runtime.iter_errors(&value).next().unwrap().to_string();
                assert_eq!(e.to_string(), want);
            }
        }
        assert!(keyword.is_valid(&json!(7)), "a constraint on strings only");
    }
}

#[test]
fn choice_forms_are_not_checked_alone() {
    let structure = Structure::new().unwrap();
    assert!(structure.element_local("Observation", "status"));
    assert!(structure.element_local("Observation", "_status"));
    assert!(!structure.element_local("Observation", "valueQuantity"));
    assert!(!structure.element_local("Patient", "deceasedBoolean"));
    assert!(!structure.element_local("Patient", "resourceType"));
    assert!(!structure.element_local("Patient", "nonsense"));
}
