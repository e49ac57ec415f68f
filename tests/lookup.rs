//! Code lookup for entry: by code prefix and by words, valid on the day asked, working (by
//! prefix) before the descriptions are loaded.

use ehrlint::{parse_as_of, LookupOptions, Options, Validator};

fn codes(found: &[ehrlint::codes::lookup::CodeMatch]) -> Vec<&str> {
    found.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn finds_codes_by_prefix_and_by_words() {
    let v = Validator::new(Options::default()).unwrap();
    let day = Some(parse_as_of("2026-04-01").unwrap());
    // Before the descriptions: prefixes work, words find nothing.
    let e11 = v
        .lookup("icd10cm", "e11.6", &LookupOptions::new(Some(3), day))
        .unwrap();
    assert_eq!(codes(&e11), ["E11.6", "E11.610", "E11.618"]);
    assert!(!e11[0].billable, "E11.6 is a subcategory");
    assert!(e11[1].billable && e11[1].display.is_none());
    assert!(v
        .lookup(
            "icd10cm",
            "type 2 diabetes",
            &LookupOptions::new(Some(5), day)
        )
        .unwrap()
        .is_empty());

    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/icd10cm-descriptions.tsv"
    ))
    .unwrap();
    v.load_descriptions(text).unwrap();
    let found = v
        .lookup(
            "icd10cm",
            "type 2 diabetes",
            &LookupOptions::new(Some(3), day),
        )
        .unwrap();
    assert_eq!(found[0].code, "E11.9");
    assert_eq!(
        found[0].display.as_deref(),
        Some("Type 2 diabetes mellitus without complications")
    );
    assert!(found.iter().all(|f| f.billable
        && f.display
            .as_deref()
            .unwrap()
            .to_lowercase()
            .contains("type 2 diabetes")));
    // Word prefixes, any order, any case.
    let found = v
        .lookup(
            "icd10cm",
            "DIAB TYPE 2 hyperglyc",
            &LookupOptions::new(Some(5), day),
        )
        .unwrap();
    // E11.65 "... with hyperglycemia", and E11.00 "... hyperglycemic-hyperosmolar coma".
    assert_eq!(codes(&found), ["E11.65", "E11.00"]);
    assert_eq!(
        v.lookup("icd10cm", "hypertension", &LookupOptions::new(Some(1), day))
            .unwrap()[0]
            .code,
        "I10"
    );
    // The system by URI; a limit is kept.
    assert_eq!(
        v.lookup(
            "http://hl7.org/fhir/sid/icd-10-cm",
            "dia",
            &LookupOptions::new(Some(7), day)
        )
        .unwrap()
        .len(),
        7
    );
    // ICD-10-PCS by prefix.
    let pcs = v
        .lookup("icd10pcs", "0DTJ4", &LookupOptions::new(Some(5), day))
        .unwrap();
    assert_eq!(codes(&pcs), ["0DTJ4", "0DTJ4ZG", "0DTJ4ZZ"]);
    assert!(v
        .lookup("snomed", "x", &LookupOptions::new(Some(5), day))
        .unwrap_err()
        .contains("unknown code system"));
}

#[test]
fn offers_only_codes_valid_on_the_day() {
    let v = Validator::new(Options::default()).unwrap();
    // C78.31 took effect on 2026-10-01 (FY2027).
    let before = v
        .lookup(
            "icd10cm",
            "C78.3",
            &LookupOptions::new(Some(10), Some(parse_as_of("2025-03-01").unwrap())),
        )
        .unwrap();
    assert!(!codes(&before).contains(&"C78.31"), "{before:?}");
    let after = v
        .lookup(
            "icd10cm",
            "C78.3",
            &LookupOptions::new(Some(10), Some(parse_as_of("2026-11-01").unwrap())),
        )
        .unwrap();
    assert!(codes(&after).contains(&"C78.31"), "{after:?}");
}

#[test]
fn odd_queries_find_nothing_without_trouble() {
    let v = Validator::new(Options::default()).unwrap();
    for q in [
        "",
        "   ",
        "!!!",
        "E11.9.9",
        &"x".repeat(10_000),
        "\u{0}",
        "😀",
    ] {
        assert!(
            v.lookup("icd10cm", q, &LookupOptions::new(Some(5), None))
                .unwrap()
                .is_empty(),
            "{q:?}"
        );
    }
    assert!(v
        .lookup("icd10cm", "E11", &LookupOptions::new(Some(0), None))
        .unwrap()
        .is_empty());
}

#[test]
fn lookup_options_have_one_default_and_one_cap_for_every_binding() {
    let v = Validator::new(Options::default()).unwrap();
    let day = Some(parse_as_of("2026-04-01").unwrap());
    // E1 has far more than 20 codes below it; the default answers 20.
    let default = v
        .lookup("icd10cm", "E1", &LookupOptions::new(None, day))
        .unwrap();
    assert_eq!(default.len(), LookupOptions::DEFAULT_LIMIT);
    // A limit above the cap is cut to it: ICD-10-CM has tens of thousands of injury codes.
    let capped = v
        .lookup("icd10cm", "S", &LookupOptions::new(Some(50_000), day))
        .unwrap();
    assert_eq!(capped.len(), LookupOptions::MAX_LIMIT);
    // The JS form: limit and asOf, unknown keys refused, null for the defaults.
    let options =
        LookupOptions::from_json(serde_json::json!({"limit": 3, "asOf": "2026-04-01"})).unwrap();
    assert_eq!(options, LookupOptions::new(Some(3), day));
    assert_eq!(
        LookupOptions::from_json(serde_json::Value::Null).unwrap(),
        LookupOptions::default()
    );
    let typo = LookupOptions::from_json(serde_json::json!({"limt": 3})).unwrap_err();
    assert!(typo.contains("limt"), "{typo}");
    let bad_date = LookupOptions::from_json(serde_json::json!({"asOf": "2026-13-01"})).unwrap_err();
    assert!(bad_date.starts_with("lookup options: "), "{bad_date}");
}
