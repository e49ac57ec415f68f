//! The command-line tool: formats, exit codes, NDJSON line handling, stdin.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn ehrlint(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_ehrlint"))
        .args(args)
        .current_dir(common::fixtures())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or("").as_bytes()).unwrap();
    drop(input);
    child.wait_with_output().unwrap()
}

fn json_lines(out: &Output) -> Vec<Value> {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn every_fixture_gives_its_expected_issues() {
    for (name, want) in common::expected() {
        let out = ehrlint(&["validate", "--format", "json", &name], None);
        let lines = json_lines(&out);
        assert_eq!(lines.len(), 1, "{name}");
        assert_eq!(lines[0]["source"], name.as_str());
        assert_eq!(common::pairs(&lines[0]["issues"]), want, "{name}");
        let code = out.status.code().unwrap();
        assert_eq!(
            code,
            if lines[0]["valid"] == true { 0 } else { 1 },
            "{name}"
        );
    }
}

#[test]
fn json_lines_name_the_resource() {
    let out = ehrlint(
        &[
            "validate",
            "--format",
            "json",
            "invalid/patient-gender-mal.json",
        ],
        None,
    );
    let line = &json_lines(&out)[0];
    assert_eq!(line["resourceType"], "Patient");
    assert_eq!(line["id"], "p1");
    assert_eq!(line["valid"], false);
}

#[test]
fn ndjson_reports_each_line_and_survives_a_broken_one() {
    // FHIR R4 alone: this test is about batches, not the default profile's warnings.
    let out = ehrlint(
        &[
            "validate",
            "--format",
            "json",
            "--profile",
            "none",
            "batch.ndjson",
        ],
        None,
    );
    let lines = json_lines(&out);
    let sources: Vec<&str> = lines
        .iter()
        .map(|l| l["source"].as_str().unwrap())
        .collect();
    assert_eq!(
        sources,
        [
            "batch.ndjson:1",
            "batch.ndjson:2",
            "batch.ndjson:3",
            "batch.ndjson:5"
        ]
    );
    assert_eq!(lines[0]["valid"], true);
    assert_eq!(
        common::pairs(&lines[1]["issues"]),
        vec![("invalid-value".to_string(), "/gender".to_string())]
    );
    assert!(
        lines[2]["error"]
            .as_str()
            .unwrap()
            .starts_with("not valid JSON"),
        "{}",
        lines[2]
    );
    assert_eq!(lines[3]["valid"], true);
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn stdin_takes_json_and_ndjson() {
    let one = std::fs::read_to_string(common::fixtures().join("valid/patient.json")).unwrap();
    let out = ehrlint(&["validate", "--format", "json", "-"], Some(&one));
    assert_eq!(json_lines(&out).len(), 1);
    assert_eq!(out.status.code(), Some(0));
    let batch = std::fs::read_to_string(common::fixtures().join("batch.ndjson")).unwrap();
    let out = ehrlint(&["validate", "--format", "json", "-"], Some(&batch));
    assert_eq!(json_lines(&out).len(), 4);
    assert_eq!(json_lines(&out)[1]["source"], "<stdin>:2");
}

#[test]
fn text_format_is_for_people() {
    let out = ehrlint(
        &[
            "validate",
            "invalid/patient-birthdate-feb30.json",
            "valid/patient.json",
        ],
        None,
    );
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("invalid/patient-birthdate-feb30.json: Patient/p2: 1 error, 3 warnings"),
        "{text}"
    );
    assert!(text.contains("Patient.birthDate  [invalid-date]  \"1974-02-30\" is not a valid date: February 1974 has 28 days."), "{text}");
    assert!(
        text.contains("valid/patient.json: Patient/pat-1: ok"),
        "{text}"
    );
    assert!(
        text.contains("2 resources checked, 1 with errors."),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn outcome_format_prints_operation_outcomes() {
    let out = ehrlint(
        &[
            "validate",
            "--format",
            "outcome",
            "invalid/encounter-no-class.json",
        ],
        None,
    );
    let outcome = &json_lines(&out)[0];
    assert_eq!(outcome["resourceType"], "OperationOutcome");
    assert_eq!(outcome["issue"][0]["code"], "required");
    assert_eq!(outcome["issue"][0]["expression"][0], "Encounter.class");
}

#[test]
fn usage_errors_and_unreadable_input_exit_2() {
    let out = ehrlint(&["validate", "no-such-file.json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no-such-file.json"));
    let out = ehrlint(
        &["validate", "--as-of", "2024-02-30", "valid/patient.json"],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("February 2024 has 29 days"));
    assert_eq!(
        ehrlint(&["validate", "--format", "xml", "valid/patient.json"], None)
            .status
            .code(),
        Some(2)
    );
    assert_eq!(ehrlint(&["frobnicate"], None).status.code(), Some(2));
    assert_eq!(
        ehrlint(
            &["validate", "--as-of", "2024-05-01", "valid/patient.json"],
            None
        )
        .status
        .code(),
        Some(0)
    );
}

#[test]
fn profile_option_takes_a_file_and_refuses_a_bad_one() {
    let dir = common::root().join("target/tmp");
    std::fs::create_dir_all(&dir).unwrap();
    let good = dir.join("cli-profile.json");
    std::fs::write(
        &good,
        r#"{"id": "clinic", "resources": {"Patient": {"required": ["identifier"]}}}"#,
    )
    .unwrap();
    let out = ehrlint(
        &[
            "validate",
            "--format",
            "json",
            "--profile",
            good.to_str().unwrap(),
            "invalid/patient-gender-mal.json",
        ],
        None,
    );
    let line = &json_lines(&out)[0];
    assert_eq!(
        common::pairs(&line["issues"]),
        vec![
            ("invalid-value".to_string(), "/gender".to_string()),
            ("profile-required".to_string(), "/identifier".to_string())
        ]
    );
    let bad = dir.join("cli-profile-bad.json");
    std::fs::write(
        &bad,
        r#"{"id": "clinic", "resources": {"Patient": {"required": ["birthdate"]}}}"#,
    )
    .unwrap();
    let out = ehrlint(
        &[
            "validate",
            "--profile",
            bad.to_str().unwrap(),
            "valid/patient.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("invalid profile \"clinic\": Patient: birthdate: Patient has no element birthdate (did you mean birthDate?)"),
        "{err}"
    );
}

#[test]
fn config_option_takes_the_options_json() {
    let dir = common::root().join("target/tmp");
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("cli-options.json");
    std::fs::write(
        &config,
        r#"{"profile": "none", "rules": {"severity": {"invalid-value": "warning"}}}"#,
    )
    .unwrap();
    let out = ehrlint(
        &[
            "validate",
            "--format",
            "json",
            "--config",
            config.to_str().unwrap(),
            "invalid/patient-gender-mal.json",
        ],
        None,
    );
    let line = &json_lines(&out)[0];
    assert_eq!(line["valid"], true, "{line}");
    assert_eq!(line["issues"][0]["severity"], "warning");
    assert_eq!(out.status.code(), Some(0));
    std::fs::write(&config, r#"{"rules": {"disable": ["nope"]}}"#).unwrap();
    let out = ehrlint(
        &[
            "validate",
            "--config",
            config.to_str().unwrap(),
            "valid/patient.json",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("rules.disable: \"nope\" is not a rule code"),
        "{err}"
    );
}

#[test]
fn lookup_finds_codes_by_words_and_prefix() {
    let out = ehrlint(
        &[
            "lookup",
            "icd10cm",
            "type 2 diabetes",
            "--limit",
            "2",
            "--as-of",
            "2026-04-01",
        ],
        None,
    );
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.starts_with("E11.9      Type 2 diabetes mellitus without complications\n"),
        "{text}"
    );
    let out = ehrlint(&["lookup", "icd10pcs", "0DTJ4", "--format", "json"], None);
    let found: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        found[0],
        serde_json::json!({"code": "0DTJ4", "billable": false})
    );
    let out = ehrlint(&["lookup", "icd10cm", "zzzz"], None);
    assert_eq!(out.status.code(), Some(1), "nothing found");
    let out = ehrlint(&["lookup", "cpt", "x"], None);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn locale_option_speaks_spanish_with_the_same_codes() {
    let run = |flags: &[&str]| {
        let mut args = vec!["validate", "--format", "json"];
        args.extend_from_slice(flags);
        args.push("invalid/patient-gender-mal.json");
        json_lines(&ehrlint(&args, None))[0]["issues"][0].clone()
    };
    let (en, es) = (run(&[]), run(&["--locale", "es"]));
    assert_eq!(en["code"], es["code"]);
    assert_eq!(en["path"], es["path"]);
    assert_ne!(en["message"], es["message"], "{es}");
    let out = ehrlint(&["validate", "--locale", "fr", "valid/patient.json"], None);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains("--locale: \"fr\" is not supported (use en or es)"),
        "{err}"
    );
}

#[test]
fn ndjson_lines_are_limited_one_by_one_and_the_rest_go_on() {
    let dir = std::env::temp_dir().join(format!("ehrlint-cli-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let long_name = "x".repeat(300);
    let lines = [
        r#"{"resourceType":"Patient","gender":"male"}"#.to_string(),
        String::new(),
        format!(r#"{{"resourceType":"Patient","name":[{{"text":"{long_name}"}}]}}"#),
        r#"{"resourceType":"Patient","gender":"mal"}"#.to_string(),
        format!("{}{}", "[".repeat(70), "]".repeat(70)),
        r#"{"resourceType":"Patient"}"#.to_string(),
    ];
    let size = lines[2].len();
    assert_eq!(size, 347);
    let ndjson = dir.join("batch.ndjson");
    std::fs::write(&ndjson, lines.join("\n")).unwrap();
    let path = ndjson.to_str().unwrap();
    let out = ehrlint(
        &[
            "validate",
            "--format",
            "json",
            "--profile",
            "none",
            "--max-bytes",
            "200",
            path,
        ],
        None,
    );
    let got: Vec<(String, Value, Value)> = json_lines(&out)
        .into_iter()
        .map(|l| {
            (
                l["source"].as_str().unwrap().to_string(),
                l["valid"].clone(),
                l["error"].clone(),
            )
        })
        .collect();
    let src = |n: usize| format!("{path}:{n}");
    assert_eq!(
        got,
        vec![
            (src(1), Value::Bool(true), Value::Null),
            (
                src(3),
                Value::Bool(false),
                Value::from("input is 347 bytes, above the limit of 200 bytes (limits.maxBytes)")
            ),
            (src(4), Value::Bool(false), Value::Null),
            (
                src(5),
                Value::Bool(false),
                Value::from(format!(
                    "nesting deeper than 64 levels at {} (limits.maxDepth)",
                    "/0".repeat(64)
                ))
            ),
            (src(6), Value::Bool(true), Value::Null),
        ]
    );
    assert_eq!(out.status.code(), Some(1));

    // A .json file over the limit is refused by its size, unread, in the text format too.
    let json = dir.join("big.json");
    std::fs::write(&json, &lines[2]).unwrap();
    let out = ehrlint(
        &["validate", "--max-bytes", "200", json.to_str().unwrap()],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with(&format!(
            "{}: not checked: input is 347 bytes, above the limit of 200 bytes (limits.maxBytes)\n",
            json.display()
        )),
        "{text}"
    );
    assert_eq!(out.status.code(), Some(1));
    // Within a raised limit it is checked.
    let out = ehrlint(
        &["validate", "--max-bytes", "347", json.to_str().unwrap()],
        None,
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let out = ehrlint(
        &["validate", "--max-bytes", "0", json.to_str().unwrap()],
        None,
    );
    assert_eq!(out.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_property_given_twice_is_an_error_in_json_ndjson_and_stdin() {
    let dir = std::env::temp_dir().join(format!("ehrlint-cli-duplicates-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let two_types =
        r#"{"resourceType":"Patient","id":"p1","gender":"male","resourceType":"Observation"}"#;
    let twice = r#"{"resourceType":"Patient","active":true,"active":false}"#;
    let json = dir.join("two-types.json");
    std::fs::write(&json, two_types).unwrap();
    let ndjson = dir.join("batch.ndjson");
    std::fs::write(&ndjson, format!("{twice}\n{two_types}\n")).unwrap();
    let pairs = |line: &Value| common::pairs(&line["issues"]);
    let one = |code: &str, path: &str| vec![(code.to_string(), path.to_string())];
    let args = ["validate", "--format", "json", "--profile", "none"];

    let out = ehrlint(&[&args[..], &[json.to_str().unwrap()]].concat(), None);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 1);
    // Checked as the type named first.
    assert_eq!(lines[0]["resourceType"], "Patient");
    assert_eq!(pairs(&lines[0]), one("duplicate-property", "/resourceType"));
    assert_eq!(out.status.code(), Some(1));

    let out = ehrlint(&[&args[..], &[ndjson.to_str().unwrap()]].concat(), None);
    let lines = json_lines(&out);
    assert_eq!(lines.len(), 2);
    assert_eq!(pairs(&lines[0]), one("duplicate-property", "/active"));
    assert_eq!(pairs(&lines[1]), one("duplicate-property", "/resourceType"));
    assert_eq!(out.status.code(), Some(1));

    // Standard input: one document over several lines, then NDJSON.
    let document =
        "{\n  \"resourceType\": \"Patient\",\n  \"active\": true,\n  \"active\": false\n}\n";
    let out = ehrlint(&[&args[..], &["-"]].concat(), Some(document));
    let lines = json_lines(&out);
    assert_eq!(lines[0]["source"], "<stdin>");
    assert_eq!(pairs(&lines[0]), one("duplicate-property", "/active"));
    assert_eq!(out.status.code(), Some(1));
    let out = ehrlint(
        &[&args[..], &["-"]].concat(),
        Some(&format!("{two_types}\n")),
    );
    let lines = json_lines(&out);
    assert_eq!(lines[0]["source"], "<stdin>:1");
    assert_eq!(pairs(&lines[0]), one("duplicate-property", "/resourceType"));

    // The text format names the record by its first type, and says what was checked.
    let out = ehrlint(
        &["validate", "--profile", "none", json.to_str().unwrap()],
        None,
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(": Patient/p1: 1 error, 0 warnings"), "{text}");
    assert!(text.contains("It was checked as Patient"), "{text}");
    std::fs::remove_dir_all(&dir).ok();
}
