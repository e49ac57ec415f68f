//! Input limits (`Options::limits`, docs/limits.md): at each limit the input is checked, one
//! over it is refused whole with an error naming the limit and where; 10,000-deep nesting gets
//! the depth error, not the parser's own.

use ehrlint::{Context, InputError, Limit, Limits, Options, Validator};
use serde_json::{json, Value};

fn with_limits(limits: Value) -> Validator {
    Validator::new(Options::from_json(json!({ "profile": "none", "limits": limits })).unwrap())
        .unwrap()
}

fn error(v: &Validator, text: &str) -> String {
    match v.validate_json(text, &Context::default()) {
        Err(e @ InputError::Limit(_)) => e.to_string(),
        other => panic!("expected a limit error, got {other:?}"),
    }
}

fn passes(v: &Validator, text: &str) {
    let report = v.validate_json(text, &Context::default()).unwrap();
    assert!(report.valid, "{:?}", report.issues);
}

/// A Patient whose `name` list holds `n` names.
fn names(n: usize) -> String {
    let name = r#"{"family":"Chalmers"}"#;
    format!(
        r#"{{"resourceType":"Patient","name":[{}]}}"#,
        vec![name; n].join(",")
    )
}

#[test]
fn the_defaults_are_documented_ones() {
    let d = Limits::default();
    assert_eq!(
        (
            d.max_bytes,
            d.max_depth,
            d.max_array_length,
            d.max_string_length
        ),
        (10_000_000, 64, 100_000, 10_000_000)
    );
    let v = Validator::new(Options::default()).unwrap();
    assert_eq!(v.limits(), &d);
    // Limits given in part keep the other defaults.
    let v = with_limits(json!({ "maxDepth": 10 }));
    assert_eq!(v.limits().max_depth, 10);
    assert_eq!(v.limits().max_bytes, 10_000_000);
}

#[test]
fn size_at_the_limit_passes_one_byte_over_fails() {
    let text = r#"{"resourceType":"Patient","gender":"male"}"#;
    let n = text.len() as u64;
    passes(&with_limits(json!({ "maxBytes": n })), text);
    assert_eq!(
        error(&with_limits(json!({ "maxBytes": n - 1 })), text),
        format!(
            "input is {n} bytes, above the limit of {} bytes (limits.maxBytes)",
            n - 1
        )
    );
}

#[test]
fn the_default_size_limit_is_10_mb() {
    let v = Validator::new(Options::with_profile(ehrlint::ProfileChoice::BuiltIn(
        "none".into(),
    )))
    .unwrap();
    // A Patient padded with spaces to exactly 10,000,000 bytes, then to one more.
    let core = r#"{"resourceType":"Patient"}"#;
    let exact = format!("{core}{}", " ".repeat(10_000_000 - core.len()));
    passes(&v, &exact);
    assert_eq!(
        error(&v, &format!("{exact} ")),
        "input is 10.0 MB (10,000,001 bytes), above the limit of 10 MB (limits.maxBytes)"
    );
    let big = format!("{core}{}", " ".repeat(12_345_678 - core.len()));
    assert_eq!(
        error(&v, &big),
        "input is 12.3 MB (12,345,678 bytes), above the limit of 10 MB (limits.maxBytes)"
    );
}

#[test]
fn depth_at_the_limit_passes_one_level_deeper_fails() {
    // The record is level 1, its `extension` list level 2, the extension in it level 3, and
    // each extension nested in it two more (a list and an object): 3 + 2k levels.
    let nested = |k: usize| {
        let mut value = json!({"url": "http://example.org/x", "valueString": "x"});
        for _ in 0..k {
            value = json!({"url": "http://example.org/x", "extension": [value]});
        }
        json!({"resourceType": "Patient", "extension": [value]}).to_string()
    };
    let v = with_limits(json!({ "maxDepth": 9 }));
    passes(&v, &nested(3));
    assert_eq!(
        error(&v, &nested(4)),
        "nesting deeper than 9 levels at /extension/0/extension/0/extension/0/extension/0/extension (limits.maxDepth)"
    );
}

#[test]
fn ten_thousand_levels_get_the_depth_error_not_the_parsers() {
    let v = Validator::new(Options::default()).unwrap();
    let deep = format!(
        r#"{{"resourceType":"Patient","contained":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    let message = error(&v, &deep);
    let want = format!(
        "nesting deeper than 64 levels at /contained{} (limits.maxDepth)",
        "/0".repeat(63)
    );
    assert_eq!(message, want);
    // Unclosed, too: the limit is met before the end of the text.
    assert_eq!(error(&v, &deep[..deep.len() / 2]), want);
}

#[test]
fn array_length_at_the_limit_passes_one_more_item_fails() {
    let v = with_limits(json!({ "maxArrayLength": 3 }));
    passes(&v, &names(3));
    assert_eq!(
        error(&v, &names(4)),
        "the list at /name has more than 3 items (limits.maxArrayLength)"
    );
    // The default: 100,000.
    let v = with_limits(json!({}));
    passes(&v, &names(100_000));
    assert_eq!(
        error(&v, &names(100_001)),
        "the list at /name has more than 100,000 items (limits.maxArrayLength)"
    );
}

#[test]
fn string_length_at_the_limit_passes_one_more_character_fails() {
    // ("resourceType" is 12 characters: the shortest limit a record can have.)
    let v = with_limits(json!({ "maxStringLength": 12 }));
    // Characters, not bytes: twelve two-byte characters are within a limit of 12.
    passes(
        &v,
        &json!({"resourceType": "Patient", "name": [{"text": "é".repeat(12)}]}).to_string(),
    );
    assert_eq!(
        error(
            &v,
            &json!({"resourceType": "Patient", "name": [{"text": "é".repeat(13)}]}).to_string()
        ),
        "a string of 13 characters at /name/0/text, above the limit of 12 (limits.maxStringLength)"
    );
    // Escapes count as the character they stand for.
    let escaped = "\\u00e9".repeat(12);
    passes(
        &v,
        &format!(r#"{{"resourceType":"Patient","name":[{{"text":"{escaped}"}}]}}"#),
    );
    // Property names are strings too; the path quotes at most 40 characters of one.
    let key = "k".repeat(50);
    assert_eq!(
        error(&v, &format!(r#"{{"resourceType":"Patient","{key}":1}}"#)),
        format!(
            "a property name of 50 characters at /{}…, above the limit of 12 (limits.maxStringLength)",
            "k".repeat(40)
        )
    );
}

#[test]
fn a_limit_error_comes_before_validation_and_names_the_limit() {
    let v = with_limits(json!({ "maxArrayLength": 1 }));
    match v.validate_json(&names(2), &Context::default()) {
        Err(InputError::Limit(e)) => {
            assert_eq!(e.limit, Limit::MaxArrayLength);
            assert_eq!(e.path, "/name");
            assert_eq!(e.max, 1);
        }
        other => panic!("{other:?}"),
    }
    // Not JSON before the limit is reached: the JSON error.
    assert!(matches!(
        v.validate_json("{\"resourceType\":\"Patient\",", &Context::default()),
        Err(InputError::Json { .. })
    ));
}

#[test]
fn values_built_by_the_program_are_checked_by_validate_value() {
    let v = with_limits(json!({ "maxDepth": 3, "maxArrayLength": 2, "maxStringLength": 12 }));
    let ctx = Context::default();
    let ok = json!({"resourceType": "Patient", "name": [{"text": "Amy"}]});
    assert!(v.validate_value(&ok, &ctx).unwrap().valid);
    for (value, want) in [
        (
            json!({"resourceType": "Patient", "name": [{"given": ["a"]}]}),
            "nesting deeper than 3 levels at /name/0/given (limits.maxDepth)",
        ),
        (
            json!({"resourceType": "Patient", "name": [{}, {}, {}]}),
            "the list at /name has more than 2 items (limits.maxArrayLength)",
        ),
        (
            json!({"resourceType": "Patient", "name": [{"text": "Amy Chalmers"}], "id": "a-long-record-id"}),
            "a string of 16 characters at /id, above the limit of 12 (limits.maxStringLength)",
        ),
    ] {
        let e = v.validate_value(&value, &ctx).unwrap_err();
        assert_eq!(e.to_string(), want);
        // The same from text.
        assert_eq!(error(&v, &value.to_string()), want);
    }
}

#[test]
fn bad_limits_are_refused_with_the_key() {
    for (limits, want) in [
        (
            json!({ "maxDepth": 101 }),
            "invalid options: limits.maxDepth: must be at most 100, not 101",
        ),
        (
            json!({ "maxBytes": 0 }),
            "invalid options: limits.maxBytes: must be at least 1",
        ),
    ] {
        let options = Options::from_json(json!({ "limits": limits })).unwrap();
        assert_eq!(Validator::new(options).err().unwrap(), want);
    }
    for (limits, want) in [
        (
            json!({ "maxDepht": 3 }),
            "invalid options: limits: unknown limit `maxDepht`: use maxBytes, maxDepth, maxArrayLength or maxStringLength",
        ),
        (
            json!({ "maxBytes": "10MB" }),
            "invalid options: limits: maxBytes must be a whole number, not \"10MB\"",
        ),
        (
            json!({ "maxBytes": -1 }),
            "invalid options: limits: maxBytes must be a whole number, not -1",
        ),
        (
            json!(10),
            "invalid options: limits: must be an object such as {\"maxBytes\": 20000000}",
        ),
    ] {
        let e = Options::from_json(json!({ "limits": limits })).unwrap_err();
        assert_eq!(e, want);
    }
    // null: the defaults.
    let options = Options::from_json(json!({ "limits": null })).unwrap();
    assert_eq!(options.limits, None);
}

#[test]
fn parse_applies_the_default_limits() {
    let deep = format!("{}{}", "[".repeat(65), "]".repeat(65));
    assert!(matches!(ehrlint::parse(&deep), Err(InputError::Limit(_))));
    let ok = format!("{}{}", "[".repeat(64), "]".repeat(64));
    assert!(ehrlint::parse(&ok).is_ok());
    let tight = Limits {
        max_depth: 2,
        ..Limits::default()
    };
    assert!(ehrlint::parse_with_limits("[[[]]]", &tight).is_err());
    assert!(ehrlint::parse_with_limits("[[]]", &tight).is_ok());
}
