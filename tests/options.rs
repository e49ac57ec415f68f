//! Options: rule configuration, added requirements and a default date of service, and a clear
//! error naming the bad key for every kind of mistake.

use ehrlint::{Context, Options, Severity, Validator};
use serde_json::{json, Value};

fn validator(options: Value) -> Result<Validator, String> {
    let options = Options::from_json(options)?;
    Validator::new(options)
}

fn pairs(v: &Validator, record: &Value) -> Vec<(&'static str, String, Severity)> {
    v.validate(record, &Context::default())
        .issues
        .into_iter()
        .map(|i| (i.code, i.path, i.severity))
        .collect()
}

fn heart_rate(value: f64) -> Value {
    json!({"resourceType": "Observation", "status": "final",
           "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
           "valueQuantity": {"value": value, "system": "http://unitsofmeasure.org", "code": "/min"}})
}

#[test]
fn rules_are_disabled_by_code_or_family_and_severities_overridden() {
    let record = heart_rate(300.0);
    let base = validator(json!({"profile": "none"})).unwrap();
    assert_eq!(
        pairs(&base, &record),
        vec![(
            "value-implausible",
            "/valueQuantity/value".into(),
            Severity::Warning
        )]
    );
    let off =
        validator(json!({"profile": "none", "rules": {"disable": ["value-implausible"]}})).unwrap();
    assert!(pairs(&off, &record).is_empty());
    let family = validator(json!({"rules": {"disable": ["accuracy", "completeness"]}})).unwrap();
    assert!(pairs(&family, &record).is_empty());
    let strict = validator(
        json!({"profile": "none", "rules": {"severity": {"value-implausible": "error"}}}),
    )
    .unwrap();
    let report = strict.validate(&record, &Context::default());
    assert_eq!(report.issues[0].severity, Severity::Error);
    assert!(!report.valid, "an overridden severity decides validity");
    // Structure issues can be silenced the same way (they come from the schema layer).
    let lax =
        validator(json!({"profile": "none", "rules": {"disable": ["invalid-value"]}})).unwrap();
    assert!(pairs(&lax, &json!({"resourceType": "Patient", "gender": "mal"})).is_empty());
}

#[test]
fn require_adds_to_the_profile() {
    let v =
        validator(json!({"profile": "none", "require": {"Patient": {"required": ["birthDate"]}}}))
            .unwrap();
    assert_eq!(
        pairs(&v, &json!({"resourceType": "Patient"})),
        vec![("profile-required", "/birthDate".into(), Severity::Error)]
    );
    // On top of the default profile, the default's warnings stay warnings.
    let v = validator(json!({"require": {"Encounter": {"mustSupport": ["reasonCode"]}}})).unwrap();
    let found = pairs(
        &v,
        &json!({"resourceType": "Encounter", "status": "finished",
        "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "AMB"},
        "type": [{"text": "visit"}], "subject": {"reference": "Patient/1"},
        "period": {"start": "2024-05-02"}}),
    );
    assert_eq!(
        found,
        vec![(
            "must-support-missing",
            "/reasonCode".into(),
            Severity::Warning
        )]
    );
}

#[test]
fn as_of_is_the_default_date_of_service() {
    // C78.31 took effect on 2026-10-01 (FY2027).
    let condition = json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
        "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "C78.31"}]}});
    let v = validator(json!({"profile": "none", "asOf": "2025-03-01"})).unwrap();
    let codes: Vec<_> = pairs(&v, &condition).into_iter().map(|p| p.0).collect();
    assert_eq!(codes, vec!["icd10cm-not-valid-on-date"]);
    // A call's own context wins.
    let mut context = Context::default();
    context.as_of = Some(ehrlint::parse_as_of("2026-11-01").unwrap());
    assert!(v.validate(&condition, &context).issues.is_empty());
}

#[test]
fn bad_options_name_the_bad_key() {
    let cases = [
        (json!({"rule": {}}), "unknown field `rule`"),
        (json!({"rules": {"disabel": []}}), "invalid options: rules: unknown field `disabel`"),
        (json!({"bogus": 1}), "invalid options: unknown field `bogus`, expected one of"),
        (json!({"rules": {"disable": ["value-implausable"]}}), "rules.disable: \"value-implausable\" is not a rule code (did you mean value-implausible?)"),
        (json!({"rules": {"severity": {"ucum-invalid": "fatal"}}}), "rules.severity.ucum-invalid: \"fatal\" is not a severity"),
        (json!({"rules": {"severity": {"nope": "error"}}}), "rules.severity: \"nope\" is not a rule code"),
        (json!({"asOf": "2025-02-30"}), "asOf \"2025-02-30\" is not a date"),
        (json!({"require": {"Patient": {"required": ["birthdate"]}}}), "invalid options: require: Patient: birthdate: Patient has no element birthdate (did you mean birthDate?)"),
        (json!({"require": {"Patient": {"required": "birthDate"}}}), "invalid options: require/Patient/required"),
        (json!({"locale": "fr"}), "invalid options: locale: \"fr\" is not supported (use en or es)"),
        (json!({"locale": 3}), "invalid options: locale: invalid type: integer `3`, expected a string"),
        (json!({"rules": {"disable": "ucum-invalid"}}), "invalid options: rules.disable: invalid type: string"),
        (json!({"asOf": ["2025-01-01"]}), "invalid options: asOf: invalid type: sequence"),
    ];
    for (options, want) in cases {
        match validator(options.clone()) {
            Ok(_) => panic!("{options} was accepted"),
            Err(e) => assert!(e.contains(want), "{options}: {e}"),
        }
    }
}

#[test]
fn locale_changes_the_words_not_the_codes_paths_or_suggestions() {
    let record = json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
        "recordedDate": "2025-03-01", "birthDate": "1950",
        "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11"}]},
        "onsetDateTime": "2999-01-01", "abatementDateTime": "1990-01-01"});
    let report = |options: Value| {
        validator(options)
            .unwrap()
            .validate(&record, &Context::default())
    };
    let en = report(json!({}));
    let es = report(json!({"locale": "es"}));
    assert_eq!(
        report(json!({"locale": "es-MX"})),
        es,
        "a region picks its language"
    );
    assert_eq!(report(json!({"locale": "en"})), en);
    assert!(en.issues.len() >= 4, "{:#?}", en.issues);
    assert_eq!(en.issues.len(), es.issues.len());
    for (e, s) in en.issues.iter().zip(&es.issues) {
        assert_eq!(
            (e.code, &e.path, e.severity, &e.suggestions),
            (s.code, &s.path, s.severity, &s.suggestions)
        );
        assert_ne!(e.message, s.message, "{} is not translated", e.code);
        assert!(!s.message.contains('{'), "{}", s.message);
    }
    let billable = es
        .issues
        .iter()
        .find(|i| i.code == "icd10cm-not-billable")
        .unwrap();
    assert!(
        billable
            .message
            .starts_with("E11 es una categoría, no un código facturable"),
        "{}",
        billable.message
    );
}
