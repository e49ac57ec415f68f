//! Code lookup for entry: by code prefix and by words, valid on the day asked, working (by
//! prefix) before the descriptions are loaded.

use ehrlint::{parse_as_of, Options, Validator};

fn codes(found: &[ehrlint::codes::lookup::Found]) -> Vec<&str> {
    found.iter().map(|f| f.code.as_str()).collect()
}

#[test]
fn finds_codes_by_prefix_and_by_words() {
    let v = Validator::new(Options::default()).unwrap();
    let day = Some(parse_as_of("2026-04-01").unwrap());
    // Before the descriptions: prefixes work, words find nothing.
    let e11 = v.lookup("icd10cm", "e11.6", 3, day).unwrap();
    assert_eq!(codes(&e11), ["E11.6", "E11.610", "E11.618"]);
    assert!(!e11[0].billable, "E11.6 is a subcategory");
    assert!(e11[1].billable && e11[1].display.is_none());
    assert!(v
        .lookup("icd10cm", "type 2 diabetes", 5, day)
        .unwrap()
        .is_empty());

    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/icd10cm-descriptions.tsv"
    ))
    .unwrap();
    v.load_descriptions(text).unwrap();
    let found = v.lookup("icd10cm", "type 2 diabetes", 3, day).unwrap();
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
        .lookup("icd10cm", "DIAB TYPE 2 hyperglyc", 5, day)
        .unwrap();
    // E11.65 "... with hyperglycemia", and E11.00 "... hyperglycemic-hyperosmolar coma".
    assert_eq!(codes(&found), ["E11.65", "E11.00"]);
    assert_eq!(
        v.lookup("icd10cm", "hypertension", 1, day).unwrap()[0].code,
        "I10"
    );
    // The system by URI; a limit is kept.
    assert_eq!(
        v.lookup("http://hl7.org/fhir/sid/icd-10-cm", "dia", 7, day)
            .unwrap()
            .len(),
        7
    );
    // ICD-10-PCS by prefix.
    let pcs = v.lookup("icd10pcs", "0DTJ4", 5, day).unwrap();
    assert_eq!(codes(&pcs), ["0DTJ4", "0DTJ4ZG", "0DTJ4ZZ"]);
    assert!(v
        .lookup("snomed", "x", 5, day)
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
            10,
            Some(parse_as_of("2025-03-01").unwrap()),
        )
        .unwrap();
    assert!(!codes(&before).contains(&"C78.31"), "{before:?}");
    let after = v
        .lookup(
            "icd10cm",
            "C78.3",
            10,
            Some(parse_as_of("2026-11-01").unwrap()),
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
        assert!(v.lookup("icd10cm", q, 5, None).unwrap().is_empty(), "{q:?}");
    }
    assert!(v.lookup("icd10cm", "E11", 0, None).unwrap().is_empty());
}
