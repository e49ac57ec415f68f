//! Criterion benchmarks of the core, natively: building a validator, validating JSON text and
//! parsed values of a few representative FHIR R4 spec examples, and the entry-time calls
//! (validate_field, session set). `cargo bench --bench core` (about a minute and a half);
//! scripts/bench.sh collects the medians into benches/results.md.
//!
//! The spec examples come from the npm package hl7.fhir.r4.examples (scripts/setup.sh installs
//! it under tools/node_modules).

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use ehrlint::{Context, Options, Validator};
use serde_json::{json, Value};

/// A fixed date of service, so that date-dependent rules give the same answers every run.
const AS_OF: &str = "2026-04-01";

/// (label, spec example file): a small Patient, the largest Observation of the set, a Condition,
/// an Encounter, and a Bundle whose references and entries raise 42 issues.
const INPUTS: [(&str, &str); 5] = [
    ("patient_small", "Patient-example.json"),
    ("observation_big", "Observation-10minute-apgar-score.json"),
    ("condition", "Condition-f201.json"),
    ("encounter", "Encounter-f001.json"),
    ("bundle_many_issues", "Bundle-bundle-references.json"),
];

fn example(file: &str) -> String {
    let path = format!(
        "{}/tools/node_modules/hl7.fhir.r4.examples/{file}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (run scripts/setup.sh first)"));
    // Minified, as the JS benchmarks and the CLI's NDJSON carry records.
    let value: Value = serde_json::from_str(&text).expect("spec example parses");
    value.to_string()
}

fn options() -> Options {
    let mut options = Options::default();
    options.as_of = Some(AS_OF.to_string());
    options
}

fn context() -> Context {
    let mut context = Context::default();
    context.as_of = Some(ehrlint::parse_as_of(AS_OF).expect("a date"));
    context
}

fn validator_new(c: &mut Criterion) {
    c.bench_function("validator_new", |b| {
        b.iter(|| Validator::new(black_box(options())).expect("validator builds"))
    });
}

fn validate(c: &mut Criterion) {
    let validator = Validator::new(options()).expect("validator builds");
    let ctx = context();
    // Ids name the spec example (`validate_json/patient_small/Patient-example.json`), so the
    // report can set them beside the Wasm figures of the same records.
    let inputs: Vec<(BenchmarkId, String, ehrlint::json::Value)> = INPUTS
        .iter()
        .map(|(label, file)| {
            let text = example(file);
            // The record's own parsed form, as `Validator::parse` gives it.
            let value = serde_json::from_str(&text).expect("parses");
            (BenchmarkId::new(*label, file), text, value)
        })
        .collect();

    let mut group = c.benchmark_group("validate_json");
    for (id, text, _) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(id.clone(), text, |b, text| {
            b.iter(|| {
                validator
                    .validate_json(black_box(text), &ctx)
                    .expect("a resource")
            })
        });
    }
    group.finish();

    let mut group = c.benchmark_group("validate");
    for (id, text, value) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_with_input(id.clone(), value, |b, value| {
            b.iter(|| validator.validate(black_box(value), &ctx))
        });
    }
    group.finish();
}

fn entry_time(c: &mut Criterion) {
    let validator = Validator::new(options()).expect("validator builds");
    let ctx = context();
    let observation: Value =
        serde_json::from_str(&example("Observation-heart-rate.json")).expect("parses");
    let mut with_record = context();
    with_record.record = Some((&observation).into());

    let mut group = c.benchmark_group("validate_field");
    let fields: [(&str, &str, &str, Value, &Context); 3] = [
        (
            "patient_birth_date",
            "Patient",
            "Patient.birthDate",
            json!("1974-12-25"),
            &ctx,
        ),
        (
            "patient_gender",
            "Patient",
            "Patient.gender",
            json!("female"),
            &ctx,
        ),
        (
            "observation_value_with_record",
            "Observation",
            "Observation.valueQuantity.value",
            json!(88),
            &with_record,
        ),
    ];
    for (label, resource_type, path, value, context) in fields {
        let value = ehrlint::json::Value::from(value);
        group.bench_function(label, |b| {
            b.iter(|| {
                validator
                    .validate_field(resource_type, path, black_box(value.clone()), context)
                    .expect("a known field")
            })
        });
    }
    group.finish();

    let patient: Value = serde_json::from_str(&example("Patient-example.json")).expect("parses");
    let mut group = c.benchmark_group("session_set");
    let edits: [(&str, &str, Value, &str, [Value; 2]); 3] = [
        (
            "patient_birth_date",
            "Patient",
            patient.clone(),
            "Patient.birthDate",
            [json!("1974-12-25"), json!("1974-12-26")],
        ),
        (
            "patient_telecom_value",
            "Patient",
            patient,
            "Patient.telecom[0].value",
            [json!("(03) 5555 6473"), json!("(03) 5555 6474")],
        ),
        (
            "observation_value",
            "Observation",
            observation,
            "Observation.valueQuantity.value",
            [json!(44), json!(45)],
        ),
    ];
    for (label, resource_type, record, path, values) in edits {
        let values = values.map(ehrlint::json::Value::from);
        let mut session = validator
            .session(resource_type, Some(record.into()), context())
            .expect("session starts");
        let mut i = 0usize;
        group.bench_function(label, |b| {
            b.iter(|| {
                // Alternate two values so every set is a real change.
                i += 1;
                session
                    .set(path, Some(black_box(values[i % 2].clone())))
                    .expect("a known path")
            })
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Short runs: 17 benchmarks in about a minute and a half, enough for stable medians here.
    config = Criterion::default()
        .sample_size(30)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = validator_new, validate, entry_time
}
criterion_main!(benches);
