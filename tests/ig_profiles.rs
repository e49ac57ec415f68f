//! Implementation Guide profiles, as a vendor uses them: US Core 6.1.0 (../shared/ig, its
//! StructureDefinitions as published) loaded from its folder, in Rust and on the command line.
//! A record claiming a US Core profile is checked against what the profile adds to FHIR R4
//! (src/ig/ says what is compiled so far); a claimed profile that is not loaded is noted, never
//! an error.

use std::process::Command;
use std::sync::OnceLock;

use ehrlint::{Context, IgSource, Options, Severity, Validator};
use serde_json::{json, Value};

const US_CORE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/ig/us-core-6.1.0");
const PATIENT: &str = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient";

fn us_core() -> &'static Validator {
    static V: OnceLock<Validator> = OnceLock::new();
    V.get_or_init(|| {
        Validator::new(Options::with_ig(vec![IgSource::Path(US_CORE.into())]))
            .unwrap_or_else(|e| panic!("US Core loads: {e}"))
    })
}

/// (code, path, severity) of every issue.
fn issues(validator: &Validator, record: Value) -> Vec<(&'static str, String, Severity)> {
    validator
        .validate(&record, &Context::default())
        .issues
        .into_iter()
        .map(|i| (i.code, i.path, i.severity))
        .collect()
}

/// US Core's report on a record, and its (code, path) pairs.
fn checked(record: &Value) -> (ehrlint::Report, Vec<(&'static str, String)>) {
    let report = us_core().validate(record, &Context::default());
    let found = report
        .issues
        .iter()
        .map(|i| (i.code, i.path.clone()))
        .collect();
    (report, found)
}

fn us_core_patient() -> Value {
    json!({"resourceType": "Patient", "meta": {"profile": [PATIENT]},
           "identifier": [{"system": "http://hospital.example.org/mrn", "value": "12345"}],
           "name": [{"family": "Chalmers", "given": ["Peter"]}], "gender": "male",
           "birthDate": "1974-12-25", "telecom": [{"system": "phone", "value": "555 0100", "use": "home"}],
           "address": [{"line": ["1 Main St"], "city": "Boston", "state": "MA", "postalCode": "02110"}]})
}

#[test]
fn a_record_that_meets_us_core_patient_passes() {
    assert_eq!(issues(us_core(), us_core_patient()), []);
}

/// An empty must-support element that both US Core Patient and the completeness profile
/// expect is noted once, by the profile the record claims.
#[test]
fn an_empty_must_support_element_is_noted_once() {
    let mut record = us_core_patient();
    record.as_object_mut().map(|p| p.remove("birthDate"));
    assert_eq!(
        issues(us_core(), record),
        [(
            "must-support-missing",
            "/birthDate".to_string(),
            Severity::Information
        )]
    );
}

#[test]
fn a_missing_required_element_is_an_error_naming_the_profile_once() {
    let mut record = us_core_patient();
    record.as_object_mut().map(|p| p.remove("identifier"));
    let report = us_core().validate(&record, &Context::default());
    let found: Vec<_> = report
        .issues
        .iter()
        .map(|i| (i.code, i.path.as_str(), i.severity))
        .collect();
    // The default completeness profile asks for an identifier too: one defect, one issue.
    assert_eq!(
        found,
        [("profile-required", "/identifier", Severity::Error)]
    );
    assert_eq!(
        report.issues[0].message,
        "US Core Patient Profile needs at least one identifier (Patient.identifier, 1..*)."
    );
    assert!(!report.valid);
}

#[test]
fn a_required_element_is_checked_in_each_occurrence() {
    let mut record = us_core_patient();
    record["identifier"] =
        json!([{"system": "http://hospital.example.org/mrn", "value": "1"}, {"value": "2"}]);
    assert_eq!(
        issues(us_core(), record),
        [(
            "profile-required",
            "/identifier/1/system".to_string(),
            Severity::Error
        )]
    );
}

#[test]
fn a_profile_on_a_profile_carries_its_base_profiles_requirements() {
    // US Core Laboratory Result Observation builds on Clinical Result Observation, which
    // requires a category and a subject.
    let record = json!({"resourceType": "Observation",
        "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab"]},
        "status": "final", "code": {"coding": [{"system": "http://loinc.org", "code": "2339-0"}]},
        "effectiveDateTime": "2024-05-01", "valueQuantity": {"value": 5.4, "unit": "mmol/L",
        "system": "http://unitsofmeasure.org", "code": "mmol/L"}});
    let found: Vec<_> = issues(us_core(), record)
        .into_iter()
        .filter(|(_, _, s)| *s == Severity::Error)
        .map(|(c, p, _)| (c, p))
        .collect();
    assert_eq!(
        found,
        [
            ("profile-required", "/category".to_string()),
            ("profile-required", "/subject".to_string())
        ]
    );
}

/// US Core's race extension: a slice of Patient.extension (at most one), and its own
/// definition (ombCategory 0..5 as a Coding, text 1..1; on a Patient, RelatedPerson...),
/// which holds wherever it is used.
#[test]
fn an_extension_is_checked_against_its_definition_and_its_slice() {
    let race = |text: Option<&str>| {
        let mut parts = vec![json!({"url": "ombCategory", "valueCoding": {
            "system": "urn:oid:2.16.840.1.113883.6.238", "code": "2106-3", "display": "White"}})];
        if let Some(text) = text {
            parts.push(json!({"url": "text", "valueString": text}));
        }
        json!({"url": "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race",
               "extension": parts})
    };
    let with = |extensions: Vec<Value>| {
        let mut record = us_core_patient();
        record["extension"] = Value::Array(extensions);
        record
    };
    assert_eq!(issues(us_core(), with(vec![race(Some("White"))])), []);
    let (report, found) = checked(&with(vec![race(None)]));
    assert_eq!(
        found,
        [("profile-required", "/extension/0/extension".into())]
    );
    assert_eq!(
        report.issues[0].message,
        "US Core Race Extension needs extension text (Extension.extension:text, 1..1)."
    );
    let mut wrong_type = race(Some("White"));
    wrong_type["extension"][0] = json!({"url": "ombCategory", "valueString": "White"});
    assert_eq!(
        issues(us_core(), with(vec![wrong_type])),
        [(
            "profile-type",
            "/extension/0/extension/0/valueString".to_string(),
            Severity::Error
        )]
    );
    let mut misplaced = us_core_patient();
    misplaced["name"][0]["extension"] = json!([race(Some("White"))]);
    assert_eq!(
        issues(us_core(), misplaced),
        [(
            "extension-context",
            "/name/0/extension/0".to_string(),
            Severity::Error
        )]
    );
    let twice = with(vec![race(Some("White")), race(Some("White"))]);
    let found = issues(us_core(), twice);
    assert_eq!(
        found,
        [("profile-max", "/extension".to_string(), Severity::Error)]
    );
    // The profile's slicing is open: an extension it does not name is allowed, and noted as
    // one no definition is loaded for.
    let other = json!({"url": "http://example.org/fhir/StructureDefinition/favourite-colour",
                       "valueString": "blue"});
    assert_eq!(
        issues(us_core(), with(vec![race(Some("White")), other])),
        [(
            "extension-unknown",
            "/extension/1/url".to_string(),
            Severity::Information
        )]
    );
}

/// US Core Body Weight builds on US Core Vital Signs, which builds on FHIR R4's own vital
/// signs profiles (loaded with every guide): the vital-signs category slice, the LOINC code
/// slice, and the UCUM units its required binding allows.
#[test]
fn a_vital_sign_is_checked_through_r4s_own_profiles() {
    let weight = |category: &str, unit: &str| {
        json!({"resourceType": "Observation", "id": "w",
            "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-body-weight"]},
            "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                      "code": category}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7"}]},
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2024-05-01T10:00:00Z",
            "valueQuantity": {"value": 70, "unit": unit, "system": "http://unitsofmeasure.org", "code": unit}})
    };
    // FHIR R4's vital signs profile marks `component` must-support on every vital sign: an
    // empty one is noted (information) and counted in the completeness score, never a warning.
    // The value and the data-absent reason, which vs-2 decides between, are not noted.
    let noted = [(
        "must-support-missing",
        "/component".to_string(),
        Severity::Information,
    )];
    assert_eq!(issues(us_core(), weight("vital-signs", "kg")), noted);
    assert_eq!(issues(us_core(), weight("vital-signs", "[lb_av]")), noted);
    let report = us_core().validate(&weight("vital-signs", "kg"), &Context::default());
    assert!(report
        .completeness
        .missing
        .contains(&"/component".to_string()));
    assert!(report.completeness.score < 1.0);
    let (report, found) = checked(&weight("laboratory", "kg"));
    assert_eq!(
        found,
        [
            ("profile-required", "/category".into()),
            ("must-support-missing", "/component".into())
        ]
    );
    assert!(
        report.issues[0]
            .message
            .contains("needs category VSCat (Observation.category:VSCat, 1..1)"),
        "{}",
        report.issues[0].message
    );
    let found = issues(us_core(), weight("vital-signs", "[oz_av]"));
    assert_eq!(
        found[..1],
        [(
            "profile-binding",
            "/valueQuantity/code".to_string(),
            Severity::Error
        )]
    );
    assert_eq!(found[1..], noted);
}

/// US Core Blood Pressure: its systolic and diastolic component slices (by code), each
/// required once; a missing one is reported by its slice, not also as "at least 2 components".
#[test]
fn blood_pressure_needs_each_component_slice() {
    let component = |code: &str, value: f64| {
        json!({"code": {"coding": [{"system": "http://loinc.org", "code": code}]},
               "valueQuantity": {"value": value, "unit": "mm[Hg]",
                                 "system": "http://unitsofmeasure.org", "code": "mm[Hg]"}})
    };
    let bp = |components: Vec<Value>| {
        json!({"resourceType": "Observation",
            "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-blood-pressure"]},
            "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                      "code": "vital-signs"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "85354-9"}]},
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": "2024-05-01T10:00:00Z",
            "component": components})
    };
    let both = bp(vec![component("8480-6", 120.0), component("8462-4", 80.0)]);
    assert_eq!(issues(us_core(), both), []);
    let (report, found) = checked(&bp(vec![component("8480-6", 120.0)]));
    assert_eq!(found, [("profile-required", "/component".into())]);
    assert!(
        report.issues[0].message.contains("component diastolic"),
        "{}",
        report.issues[0].message
    );
    let twice = bp(vec![
        component("8480-6", 120.0),
        component("8480-6", 122.0),
        component("8462-4", 80.0),
    ]);
    let found = issues(us_core(), twice);
    assert_eq!(
        found,
        [("profile-max", "/component".to_string(), Severity::Error)]
    );
}

/// US Core's own invariants: us-core-7 on a Procedure (a completed one says when), us-core-1
/// on each Observation.effective[x] (a dateTime to the day at least).
#[test]
fn a_profile_adds_its_invariants() {
    let procedure = json!({"resourceType": "Procedure",
        "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-procedure"]},
        "status": "completed", "code": {"coding": [{"system": "http://snomed.info/sct", "code": "80146002"}]},
        "subject": {"reference": "Patient/p"}});
    // The errors of a record: (code, invariant key, path).
    let errors = |record: &Value| -> Vec<(&'static str, Option<&'static str>, String)> {
        let report = us_core().validate(record, &Context::default());
        let errors = report
            .issues
            .into_iter()
            .filter(|i| i.severity == Severity::Error);
        errors.map(|i| (i.code, i.invariant, i.path)).collect()
    };
    assert_eq!(
        errors(&procedure),
        [("invariant", Some("us-core-7"), String::new())]
    );
    let mut done = procedure.clone();
    done["performedDateTime"] = json!("2024-05-01");
    let report = us_core().validate(&done, &Context::default());
    assert!(report.valid, "{:?}", report.issues);

    let lab = |effective: &str| {
        json!({"resourceType": "Observation",
            "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab"]},
            "status": "final",
            "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category",
                                      "code": "laboratory"}]}],
            "code": {"coding": [{"system": "http://loinc.org", "code": "2339-0"}]},
            "subject": {"reference": "Patient/p"}, "effectiveDateTime": effective,
            "valueQuantity": {"value": 5.4, "unit": "mmol/L", "system": "http://unitsofmeasure.org",
                              "code": "mmol/L"}})
    };
    assert_eq!(
        errors(&lab("2024-05")),
        [("invariant", Some("us-core-1"), "/effective[x]".to_string())]
    );
    let report = us_core().validate(&lab("2024-05-01"), &Context::default());
    assert!(report.valid, "{:?}", report.issues);
}

#[test]
fn a_claimed_profile_not_loaded_is_information_only() {
    let mut record = us_core_patient();
    record["meta"]["profile"] = json!(["http://example.org/fhir/StructureDefinition/elsewhere"]);
    assert_eq!(
        issues(us_core(), record),
        [(
            "profile-unknown",
            "/meta/profile/0".to_string(),
            Severity::Information
        )]
    );
    // US Core's QuestionnaireResponse profile builds on SDC's, not in the guide.
    let bp = json!({"resourceType": "QuestionnaireResponse",
        "meta": {"profile": ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-questionnaireresponse"]},
        "status": "completed"});
    let report = us_core().validate(&bp, &Context::default());
    let unknown = report.issues.iter().find(|i| i.code == "profile-unknown");
    assert!(
        unknown.is_some_and(|i| i
            .message
            .contains("http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse")),
        "{:?}",
        report.issues
    );
}

#[test]
fn a_guide_that_does_not_load_is_refused_when_the_validator_is_built() {
    let error = Validator::new(Options::with_ig(vec![IgSource::Path(
        "/no/such/guide".into(),
    )]))
    .err()
    .unwrap_or_default();
    assert!(
        error.starts_with("invalid options: ig: /no/such/guide"),
        "{error}"
    );
    let error = Options::from_json(json!({"ig": [42]}))
        .err()
        .unwrap_or_default();
    assert!(
        error.contains("ig[0]: a number is not a package"),
        "{error}"
    );
}

#[test]
fn the_command_line_loads_a_guide_with_ig_and_from_its_config() {
    let dir = std::env::temp_dir().join(format!("ehrlint-ig-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut record = us_core_patient();
    record.as_object_mut().map(|p| p.remove("identifier"));
    let file = dir.join("patient.json");
    std::fs::write(&file, record.to_string()).unwrap();
    // --config names the guide's folder relative to the config file.
    let config = dir.join("options.json");
    let relative = pathdiff(US_CORE, &dir);
    std::fs::write(&config, json!({"ig": [relative]}).to_string()).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ehrlint"))
            .args(["validate", "--format", "json"])
            .args(args)
            .arg(&file)
            .output()
            .unwrap();
        let line: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
        let codes: Vec<(String, String)> = line["issues"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|i| {
                        (
                            i["code"].as_str().unwrap_or("").into(),
                            i["severity"].as_str().unwrap_or("").into(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        (out.status.code(), codes)
    };
    let want = (
        Some(1),
        vec![("profile-required".to_string(), "error".to_string())],
    );
    assert_eq!(run(&["--ig", US_CORE]), want);
    assert_eq!(run(&["--config", config.to_str().unwrap()]), want);
    // US Core is built in: without --ig, the same.
    assert_eq!(run(&[]), want);
    // The guide compiled once by `ehrlint ig pack`, and loaded as it is.
    let pack = dir.join("us-core.pack");
    let packed = Command::new(env!("CARGO_BIN_EXE_ehrlint"))
        .args(["ig", "pack", US_CORE, "-o"])
        .arg(&pack)
        .output()
        .unwrap();
    assert_eq!(
        packed.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&packed.stderr)
    );
    assert_eq!(run(&["--ig", pack.to_str().unwrap()]), want);
    // A claimed profile no guide loaded defines is noted, never an error.
    let mut other = record.clone();
    other["meta"]["profile"] = json!(["http://example.org/StructureDefinition/not-loaded"]);
    std::fs::write(&file, other.to_string()).unwrap();
    let (status, codes) = run(&[]);
    assert_eq!(status, Some(0));
    assert!(
        codes.contains(&("profile-unknown".into(), "information".into())),
        "{codes:?}"
    );
    let not_a_guide = Command::new(env!("CARGO_BIN_EXE_ehrlint"))
        .args(["ig", "pack", "/no/such/guide", "-o"])
        .arg(dir.join("none.pack"))
        .output()
        .unwrap();
    assert_eq!(not_a_guide.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&not_a_guide.stderr).contains("/no/such/guide"));
    let bad = Command::new(env!("CARGO_BIN_EXE_ehrlint"))
        .args(["validate", "--ig", "/no/such/guide"])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("/no/such/guide"));
    std::fs::remove_dir_all(&dir).ok();
}

/// `to` written relative to `from` (both absolute), through `..` as needed.
fn pathdiff(to: &str, from: &std::path::Path) -> String {
    let to = std::path::Path::new(to).canonicalize().unwrap();
    let from = from.canonicalize().unwrap();
    let common = to
        .components()
        .zip(from.components())
        .take_while(|(a, b)| a == b)
        .count();
    let ups = from.components().count() - common;
    let mut out = std::path::PathBuf::new();
    for _ in 0..ups {
        out.push("..");
    }
    for part in to.components().skip(common) {
        out.push(part);
    }
    out.to_string_lossy().into_owned()
}
