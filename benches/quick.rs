//! Quick native figures: `new Validator()` time and per-resource validation time over the
//! FHIR R4 spec examples, every type (tools/node_modules/hl7.fhir.r4.examples).
//! Run: `cargo bench --bench quick`; `EHRLINT_BENCH_MAX_BYTES=200000 EHRLINT_BENCH_ROUNDS=20
//! cargo bench --bench quick` is a shorter run.

use std::time::Instant;

use ehrlint::codes::Codes;
use ehrlint::{Context, LookupOptions, Options, Validator};

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[v.len() / 2]
}

fn main() {
    let mut starts = Vec::new();
    for _ in 0..20 {
        let t = Instant::now();
        let v = Validator::new(Options::default()).expect("schemas compile");
        starts.push(t.elapsed().as_secs_f64() * 1e3);
        drop(v);
    }
    println!("new Validator(): median {:.2} ms over 20", median(starts));

    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tools/node_modules/hl7.fhir.r4.examples"
    );
    // The spec's whole-specification Bundles (up to 35 MB) are above the 10 MB default size
    // limit meant for records: raised so that they are validated, as before the limits.
    let options = Options::from_json(serde_json::json!({ "limits": { "maxBytes": 40_000_000 } }))
        .expect("options");
    let validator = Validator::new(options).expect("schemas compile");
    // The same without the definitions' invariants (FHIRPath), side by side: what they cost.
    let without = Validator::new(
        Options::from_json(serde_json::json!({ "limits": { "maxBytes": 40_000_000 },
            "rules": { "disable": ["invariant"] } }))
        .expect("options"),
    )
    .expect("schemas compile");
    let supported: Vec<&str> = validator.supported_types();
    // `EHRLINT_BENCH_MAX_BYTES=N` leaves out the examples above N bytes (the spec's largest
    // Bundles take most of a run), and `EHRLINT_BENCH_ROUNDS` sets the rounds per record.
    let env_number = |name: &str| std::env::var(name).ok().and_then(|s| s.parse().ok());
    let max_bytes: usize = env_number("EHRLINT_BENCH_MAX_BYTES").unwrap_or(usize::MAX);
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).expect("run scripts/setup.sh first") {
        let path = entry.expect("readable dir").path();
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        if text.len() > max_bytes {
            continue;
        }
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&text) else {
            continue;
        };
        if value
            .get("resourceType")
            .and_then(|r| r.as_str())
            .is_some_and(|r| supported.contains(&r))
        {
            // The record's own parsed form: a serde_json value would be read into it at every
            // call.
            texts.push((text, ehrlint::json::Value::from(value)));
        }
    }
    let bytes: Vec<usize> = texts.iter().map(|(t, _)| t.len()).collect();
    let ctx = Context::default();
    // Warm up: compile every type's schema once.
    for (text, _) in &texts {
        std::hint::black_box(validator.validate_json(text, &ctx).ok());
    }
    let rounds = env_number("EHRLINT_BENCH_ROUNDS").unwrap_or(50);
    let (mut json_us, mut value_us, mut bare_us) = (Vec::new(), Vec::new(), Vec::new());
    let mut total_json = 0.0;
    for (text, value) in &texts {
        let (mut a, mut b, mut c) = (Vec::new(), Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            std::hint::black_box(validator.validate_json(text, &ctx).ok());
            a.push(t.elapsed().as_secs_f64() * 1e6);
            let t = Instant::now();
            std::hint::black_box(validator.validate(value, &ctx));
            b.push(t.elapsed().as_secs_f64() * 1e6);
            let t = Instant::now();
            std::hint::black_box(without.validate_json(text, &ctx).ok());
            c.push(t.elapsed().as_secs_f64() * 1e6);
        }
        let m = median(a);
        total_json += m;
        json_us.push(m);
        value_us.push(median(b));
        bare_us.push(median(c));
    }
    let total_bytes: usize = bytes.iter().sum();
    println!(
        "{} spec examples of the supported types: median size {:.1} KB, mean {:.1} KB",
        texts.len(),
        median(bytes.iter().map(|&b| b as f64).collect()) / 1024.0,
        total_bytes as f64 / texts.len() as f64 / 1024.0
    );
    println!(
        "validate_json (parse + validate): median {:.2} us per resource",
        median(json_us.clone())
    );
    println!(
        "validate (parsed value):          median {:.2} us per resource",
        median(value_us)
    );
    let ratio: Vec<f64> = json_us.iter().zip(&bare_us).map(|(a, b)| a / b).collect();
    println!(
        "validate_json without invariants: median {:.2} us per resource (with them: {:.2}x, median over resources)",
        median(bare_us),
        median(ratio)
    );
    println!(
        "throughput over all of them:      {:.0} MB/s (validate_json, one core)",
        total_bytes as f64 / total_json
    );

    // US Core: the spec examples of the types a US Core profile covers, each claiming that
    // profile and validated with US Core 6.1.0 loaded, against the same record validated
    // against R4 alone (and the default profile), side by side (issue 21's target: 1.5x).
    let us_core_dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/ig/us-core-6.1.0");
    let us_core = Validator::new(Options::with_ig(vec![ehrlint::IgSource::Path(
        us_core_dir.into(),
    )]))
    .expect("US Core loads");
    let profile_of = |rt: &str| -> Option<&str> {
        Some(match rt {
            "AllergyIntolerance" => "us-core-allergyintolerance",
            "CarePlan" => "us-core-careplan",
            "CareTeam" => "us-core-careteam",
            "Condition" => "us-core-condition-problems-health-concerns",
            "Coverage" => "us-core-coverage",
            "DiagnosticReport" => "us-core-diagnosticreport-note",
            "DocumentReference" => "us-core-documentreference",
            "Encounter" => "us-core-encounter",
            "Goal" => "us-core-goal",
            "Immunization" => "us-core-immunization",
            "Location" => "us-core-location",
            "Medication" => "us-core-medication",
            "MedicationDispense" => "us-core-medicationdispense",
            "MedicationRequest" => "us-core-medicationrequest",
            "Observation" => "us-core-observation-clinical-result",
            "Organization" => "us-core-organization",
            "Patient" => "us-core-patient",
            "Practitioner" => "us-core-practitioner",
            "PractitionerRole" => "us-core-practitionerrole",
            "Procedure" => "us-core-procedure",
            "Provenance" => "us-core-provenance",
            "RelatedPerson" => "us-core-relatedperson",
            "ServiceRequest" => "us-core-servicerequest",
            "Specimen" => "us-core-specimen",
            _ => return None,
        })
    };
    let mut claimed = Vec::new();
    for (_, value) in &texts {
        let rt = value
            .get("resourceType")
            .and_then(|r| r.as_str())
            .unwrap_or("");
        let Some(profile) = profile_of(rt) else {
            continue;
        };
        let mut record = value.clone();
        let url = format!("http://hl7.org/fhir/us/core/StructureDefinition/{profile}");
        if let Some(map) = record.as_object_mut() {
            let mut meta = ehrlint::json::Map::new();
            meta.insert(
                "profile",
                ehrlint::json::Value::Array(vec![url.as_str().into()]),
            );
            map.insert("meta", ehrlint::json::Value::Object(meta));
        }
        claimed.push((value.clone(), record));
    }
    let (mut r4_us, mut us_core_us, mut ratios) = (Vec::new(), Vec::new(), Vec::new());
    for (plain, record) in &claimed {
        let (mut a, mut b) = (Vec::new(), Vec::new());
        for _ in 0..rounds {
            let t = Instant::now();
            std::hint::black_box(validator.validate(plain, &ctx));
            a.push(t.elapsed().as_secs_f64() * 1e6);
            let t = Instant::now();
            std::hint::black_box(us_core.validate(record, &ctx));
            b.push(t.elapsed().as_secs_f64() * 1e6);
        }
        let (a, b) = (median(a), median(b));
        r4_us.push(a);
        us_core_us.push(b);
        ratios.push(b / a);
    }
    println!(
        "US Core: {} examples claiming a US Core profile: median {:.2} us with US Core loaded, {:.2} us against R4 alone ({:.2}x, median over resources)",
        claimed.len(),
        median(us_core_us),
        median(r4_us),
        median(ratios)
    );

    // ICD-10 lookups: the status of every ICD-10-CM code on one day (an FST walk each).
    let codes = Codes::load().expect("tables load");
    let all = codes.icd10cm.valid_on(20_260_401);
    let mut per = Vec::new();
    for _ in 0..5 {
        let t = Instant::now();
        for c in &all {
            std::hint::black_box(codes.icd10cm.status(c, 20_260_401, 20_260_401));
        }
        per.push(t.elapsed().as_secs_f64() * 1e9 / all.len() as f64);
    }
    let t = Instant::now();
    let n = 2_000;
    for c in all.iter().take(n) {
        let wrong = format!("{}Q", &c[..c.len().min(6)]);
        std::hint::black_box(codes.icd10cm.nearest(&wrong, 20_260_401, 20_260_401, 5));
    }
    println!(
        "ICD-10-CM status lookup: median {:.0} ns per code over {} codes; nearest-code suggestions: {:.1} us each",
        median(per),
        all.len(),
        t.elapsed().as_secs_f64() * 1e6 / n as f64
    );

    // Entry-time checks: one field, and one edit in a session, on common fields.
    let ctx = Context::default();
    let mut record_ctx = Context::default();
    record_ctx.record = Some(
        serde_json::json!({"resourceType": "Observation", "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
        "subject": {"reference": "Patient/1"}, "effectiveDateTime": "2024-05-02",
        "valueQuantity": {"value": 72, "system": "http://unitsofmeasure.org", "code": "/min"}})
        .into(),
    );
    for (label, rt, path, value, context) in [
        (
            "Patient.birthDate",
            "Patient",
            "Patient.birthDate",
            serde_json::json!("1974-12-25"),
            &ctx,
        ),
        (
            "Patient.gender",
            "Patient",
            "Patient.gender",
            serde_json::json!("female"),
            &ctx,
        ),
        (
            "Observation.valueQuantity.value (with record)",
            "Observation",
            "Observation.valueQuantity.value",
            serde_json::json!(88),
            &record_ctx,
        ),
    ] {
        let mut times = Vec::new();
        for _ in 0..200 {
            let t = Instant::now();
            std::hint::black_box(
                validator
                    .validate_field(rt, path, value.clone().into(), context)
                    .ok(),
            );
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
        println!("validate_field {label:<46} median {:.1} us", median(times));
    }
    let patient: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/valid/patient.json"
        ))
        .expect("fixture"),
    )
    .expect("fixture parses");
    let mut times = Vec::new();
    for _ in 0..200 {
        let t = Instant::now();
        std::hint::black_box(validator.validate(&patient, &ctx));
        times.push(t.elapsed().as_secs_f64() * 1e6);
    }
    println!(
        "validate, the same Patient whole (for comparison)          median {:.1} us",
        median(times)
    );
    let mut session = validator
        .session("Patient", Some(patient.into()), Context::default())
        .expect("session");
    for (label, path, values) in [
        (
            "Patient.birthDate",
            "Patient.birthDate",
            ["1974-12-25", "1974-12-26"],
        ),
        (
            "Patient.telecom[0].value",
            "Patient.telecom[0].value",
            ["(03) 5555 6473", "(03) 5555 6474"],
        ),
    ] {
        let mut times = Vec::new();
        for i in 0..200 {
            let v = ehrlint::json::Value::from(values[i % 2]);
            let t = Instant::now();
            std::hint::black_box(session.set(path, Some(v)).ok());
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
        println!("session.set {label:<49} median {:.1} us", median(times));
    }

    // Code lookup as a coder types: a 3-character code prefix, 3 letters of a word, words.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/icd10cm-descriptions.tsv"
    ))
    .expect("descriptions");
    validator
        .load_descriptions(text)
        .expect("descriptions load");
    let day = ehrlint::parse_as_of("2026-04-01").ok();
    let t = Instant::now();
    std::hint::black_box(
        validator
            .lookup("icd10cm", "dia", &LookupOptions::new(Some(20), day))
            .ok(),
    );
    let first = t.elapsed().as_secs_f64() * 1e3;
    for (label, query) in [
        ("code prefix \"E11\"", "E11"),
        ("3 letters \"dia\"", "dia"),
        ("words \"type 2 diabetes\"", "type 2 diabetes"),
        ("words \"fracture femur\"", "fracture femur"),
    ] {
        let mut times = Vec::new();
        for _ in 0..50 {
            let t = Instant::now();
            std::hint::black_box(
                validator
                    .lookup("icd10cm", query, &LookupOptions::new(Some(20), day))
                    .ok(),
            );
            times.push(t.elapsed().as_secs_f64() * 1e6);
        }
        println!(
            "lookup {label:<28} median {:.1} us (20 results)",
            median(times)
        );
    }
    println!("lookup word index, built on the first word query: {first:.0} ms");
}
