//! Input that is not a record gets a clear error, never a panic; odd values anywhere get issues.

use ehrlint::{Context, InputError, Options, Validator};
use serde_json::{json, Value};

fn validator() -> Validator {
    Validator::new(Options::default()).unwrap()
}

#[test]
fn not_json_not_object_no_resource_type_are_input_errors() {
    let v = validator();
    let ctx = Context::default();
    assert!(matches!(
        v.validate_json("{bad", &ctx),
        Err(InputError::Json { line: 1, .. })
    ));
    assert!(matches!(
        v.validate_json("", &ctx),
        Err(InputError::Json { .. })
    ));
    assert_eq!(
        v.validate_json("[1]", &ctx),
        Err(InputError::NotAnObject { found: "an array" })
    );
    assert_eq!(
        v.validate_json("42", &ctx),
        Err(InputError::NotAnObject { found: "a number" })
    );
    assert_eq!(
        v.validate_json(r#"{"id":"1"}"#, &ctx),
        Err(InputError::NoResourceType)
    );
    assert_eq!(
        v.validate_json(r#"{"resourceType":7}"#, &ctx),
        Err(InputError::NoResourceType)
    );
    let message = v.validate_json("{bad", &ctx).unwrap_err().to_string();
    assert!(
        message.starts_with("not valid JSON at line 1, column 2"),
        "{message}"
    );
}

#[test]
fn deep_nesting_is_refused_not_overflowed() {
    let v = validator();
    let deep = format!(
        "{{\"resourceType\":\"Patient\",\"a\":{}{}}}",
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let err = v.validate_json(&deep, &Context::default()).unwrap_err();
    // The input limit (64 levels), met long before the parser's own (128).
    assert!(
        err.to_string()
            .starts_with("nesting deeper than 64 levels at /a/0/0/"),
        "{err}"
    );
}

#[test]
fn huge_string_is_checked_without_trouble() {
    let v = validator();
    let big = json!({"resourceType": "Patient", "name": [{"text": "x".repeat(50 * 1024 * 1024)}], "gender": "mal"});
    let report = v.validate(&big, &Context::default());
    let errors: Vec<_> = report.errors().map(|i| (i.code, i.path.as_str())).collect();
    // FHIR strings are at most 1 MB: the 50 MB text is one issue, found by its length alone.
    assert_eq!(
        errors,
        vec![
            ("invalid-value", "/gender"),
            ("string-too-long", "/name/0/text")
        ]
    );
    // Messages never echo more than a short excerpt of a value.
    let huge_bad = json!({"resourceType": "Patient", "gender": "x".repeat(1_000_000)});
    let report = v.validate(&huge_bad, &Context::default());
    assert!(
        report.issues[0].message.len() < 300,
        "{}",
        report.issues[0].message.len()
    );
}

/// Megabyte values where "did you mean" suggestions are computed (the resource type, a
/// property name, a state, a code, an ICD-10-CM code) get their one issue. The suggestions
/// skip candidates too far in length, so these take milliseconds, not minutes.
#[test]
fn huge_values_where_suggestions_are_made_get_one_issue() {
    let v = validator();
    // A megabyte: strings longer than 1 MiB are string-too-long before any suggestion.
    let huge = |s: &str| s.repeat(1_000_000 / s.len());
    let cases = [
        (
            json!({"resourceType": huge("Patient")}),
            "unknown-resource-type",
            "/resourceType",
        ),
        (
            json!({"resourceType": "Patient", (huge("gender")): "male"}),
            "unknown-property",
            "",
        ),
        (
            json!({"resourceType": "Patient", "gender": huge("male")}),
            "invalid-value",
            "/gender",
        ),
        (
            json!({"resourceType": "Patient", "address": [{"state": huge("CA"), "country": "US"}]}),
            "address-us-state",
            "/address/0/state",
        ),
        (
            json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"},
                "recordedDate": "2024-01-01",
                "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": huge("E11")}]}}),
            "icd10cm-unknown",
            "/code/coding/0/code",
        ),
    ];
    for (record, code, path) in cases {
        let report = v.validate(&record, &Context::default());
        let found: Vec<_> = report
            .issues
            .iter()
            .filter(|i| i.code == code)
            .map(|i| i.path.as_str())
            .collect();
        let path = if path.is_empty() {
            format!("/{}", huge("gender"))
        } else {
            path.to_string()
        };
        assert_eq!(found, vec![path.as_str()], "{code}");
    }
}

#[test]
fn non_resources_passed_as_values_get_one_error() {
    let v = validator();
    for (value, code, path) in [
        (json!([1, 2]), "wrong-type", ""),
        (json!({"id": "1"}), "resource-type-missing", "/resourceType"),
        (json!({"resourceType": 5}), "wrong-type", "/resourceType"),
    ] {
        let r = v.validate(&value, &Context::default());
        let got: Vec<(&str, &str)> = r.issues.iter().map(|i| (i.code, i.path.as_str())).collect();
        assert_eq!(got, vec![(code, path)], "{value}");
        assert!(!r.valid);
    }
}

/// Every value of a realistic record replaced, in turn, by every JSON type: one issue at most
/// per replaced value, always at or below the replaced path, never a panic. The Patient
/// record has the contact details (telecom, address, names) the Bundle lacks.
#[test]
fn wrong_types_anywhere_give_local_issues() {
    replace_every_value("bundle-encounter.json", 300);
    replace_every_value("patient.json", 250);
}

fn replace_every_value(fixture: &str, at_least: usize) {
    let v = validator();
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/valid/{fixture}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let base: Value = serde_json::from_str(&text).unwrap();
    let mut pointers = Vec::new();
    collect_pointers(&base, String::new(), &mut pointers);
    let replacements = [
        json!(null),
        json!(true),
        json!(-1.5),
        json!(""),
        json!("x y"),
        json!([]),
        json!({}),
        json!([{}]),
        json!({"z": 1}),
    ];
    let mut checked = 0;
    for pointer in &pointers {
        if pointer.is_empty() || pointer.ends_with("/resourceType") {
            continue;
        }
        for replacement in &replacements {
            let mut record = base.clone();
            *record.pointer_mut(pointer).unwrap() = replacement.clone();
            let report = v.validate(&record, &Context::default());
            for issue in &report.issues {
                assert!(
                    issue.path.starts_with(pointer.as_str())
                        || pointer.starts_with(issue.path.as_str()),
                    "{pointer} = {replacement}: issue at {} ({})",
                    issue.path,
                    issue.code
                );
            }
            let at_or_below = report
                .issues
                .iter()
                .filter(|i| i.path.starts_with(pointer.as_str()))
                .filter(|i| i.severity == ehrlint::Severity::Error)
                .count();
            assert!(
                at_or_below <= 2,
                "{pointer} = {replacement}: {:#?}",
                report.issues
            );
            checked += 1;
        }
    }
    assert!(checked > at_least, "{fixture}: {checked}");
}

fn collect_pointers(value: &Value, here: String, out: &mut Vec<String>) {
    out.push(here.clone());
    match value {
        Value::Object(map) => map
            .iter()
            .for_each(|(k, v)| collect_pointers(v, format!("{here}/{k}"), out)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .for_each(|(i, v)| collect_pointers(v, format!("{here}/{i}"), out)),
        _ => {}
    }
}

#[test]
fn a_byte_order_mark_is_ignored() {
    let v = validator();
    let report = v
        .validate_json(
            "\u{feff}{\"resourceType\":\"Patient\",\"gender\":\"male\"}",
            &Context::default(),
        )
        .unwrap();
    assert!(report.valid);
}

#[test]
fn ndjson_lines_are_each_checked_and_a_bad_line_is_reported_for_itself() {
    let v = validator();
    let text = "{\"resourceType\":\"Patient\",\"id\":\"a\",\"gender\":\"mal\"}\n\n[1]\n{oops\r\n{\"resourceType\":\"Basic\",\"id\":\"b\",\"code\":{\"text\":\"x\"}}";
    let lines = v
        .validate_ndjson(text.as_bytes(), &Context::default())
        .unwrap();
    let numbers: Vec<usize> = lines.iter().map(|(n, _)| *n).collect();
    assert_eq!(
        numbers,
        [1, 3, 4, 5],
        "blank line 2 is counted, not reported"
    );
    let (_, patient) = &lines[0];
    assert_eq!(patient.resource_type.as_deref(), Some("Patient"));
    assert_eq!(patient.id.as_deref(), Some("a"));
    assert!(patient
        .result
        .as_ref()
        .is_ok_and(|r| r.issues.iter().any(|i| i.path == "/gender")));
    assert!(matches!(
        lines[1].1.result,
        Err(InputError::NotAnObject { .. })
    ));
    assert!(matches!(lines[2].1.result, Err(InputError::Json { .. })));
    assert!(lines[3].1.valid(), "the line after bad ones is checked");
    // The JSON form names the line; the OperationOutcome of a bad line is one fatal issue.
    assert_eq!(lines[2].1.to_json(("line", Value::from(4)))["line"], 4);
    assert_eq!(lines[2].1.to_operation_outcome().issue[0].severity, "fatal");
}

/// The (code, path) pairs of a report.
fn pairs(report: &ehrlint::Report) -> Vec<(&'static str, &str)> {
    report
        .issues
        .iter()
        .map(|i| (i.code, i.path.as_str()))
        .collect()
}

#[test]
fn a_property_given_twice_is_an_error_in_every_way_text_comes_in() {
    let v = Validator::new(Options::with_profile(ehrlint::ProfileChoice::BuiltIn(
        "none".into(),
    )))
    .unwrap();
    let ctx = Context::default();
    // Read as a Patient (the type named first), whichever type a reader that keeps the last
    // value would see: `gender` is a Patient's, and no Observation element is missing.
    let two_types = r#"{"resourceType":"Patient","gender":"male","resourceType":"Observation"}"#;
    let twice = r#"{"resourceType":"Patient","active":true,"active":false}"#;
    let want_types = vec![("duplicate-property", "/resourceType")];
    let want_twice = vec![("duplicate-property", "/active")];

    let report = v.validate_json(two_types, &ctx).unwrap();
    assert_eq!(pairs(&report), want_types);
    assert!(!report.valid);
    assert_eq!(pairs(&v.validate_json(twice, &ctx).unwrap()), want_twice);

    let checked = v.check_text(Ok(two_types), &ctx);
    assert_eq!(checked.resource_type.as_deref(), Some("Patient"));
    assert!(!checked.valid());
    assert_eq!(pairs(checked.result.as_ref().unwrap()), want_types);

    let ndjson = format!("{twice}\n{{\"resourceType\":\"Patient\"}}\n{two_types}\n");
    let lines = v.validate_ndjson(ndjson.as_bytes(), &ctx).unwrap();
    let got: Vec<(usize, Vec<(&str, &str)>)> = lines
        .iter()
        .map(|(n, c)| (*n, pairs(c.result.as_ref().unwrap())))
        .collect();
    assert_eq!(got, vec![(1, want_twice), (2, vec![]), (3, want_types)]);
    assert_eq!(
        lines[2].1.to_json(("line", Value::from(3)))["resourceType"],
        "Patient"
    );

    // A parsed value holds the first of each, so that `validate` of it cannot see another
    // type either; it has nothing left to report.
    let value = v.parse(two_types).unwrap();
    assert_eq!(value, json!({"resourceType": "Patient", "gender": "male"}));
    assert!(v.validate(&value, &ctx).valid);
}

/// An object of many members: its duplicates are found through a set of its names rather
/// than by comparing each name with all before it, so that such input is read in time in
/// proportion to its size (20,000 members here: a check of every pair would be 200 million
/// comparisons), and the first copy is kept as in a small object.
#[test]
fn a_duplicate_among_many_members_is_found_and_the_first_kept() {
    let v = validator();
    let members: Vec<String> = (0..20_000).map(|i| format!("\"x{i}\":{i}")).collect();
    let text = format!(
        r#"{{"resourceType":"Basic","code":{{"text":"t"}},"extension":[{{"url":"http://example.org/a","valueString":"first"}}],{},"extension":[],"x7":-1}}"#,
        members.join(",")
    );
    let value = v.parse(&text).unwrap();
    let object = value.as_object().unwrap();
    assert_eq!(object.len(), 20_003);
    assert_eq!(value["x7"], json!(7));
    assert_eq!(value["extension"][0]["valueString"], json!("first"));
    let report = v.validate_json(&text, &Context::default()).unwrap();
    let duplicates: Vec<&str> = report
        .issues
        .iter()
        .filter(|i| i.code == "duplicate-property")
        .map(|i| i.path.as_str())
        .collect();
    assert_eq!(duplicates, ["/extension", "/x7"]);
    assert!(report
        .issues
        .iter()
        .any(|i| i.code == "unknown-property" && i.path == "/x19999"));
}
