//! The built-in code tables match their sources in ../shared/data (see data/README.md): the
//! row counts, and two independent sources agreeing with each other.

use std::collections::BTreeSet;
use std::path::PathBuf;

use ehrlint::codes::{CodeStatus, Codes};

fn shared(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the sources sit in ../shared/data beside the repository)",
            path.display()
        )
    })
}

fn first_column(file: &str, skip: usize) -> BTreeSet<String> {
    shared(file)
        .lines()
        .skip(skip)
        .filter_map(|l| l.split('\t').next())
        .filter(|c| !c.is_empty())
        .map(str::to_string)
        .collect()
}

const APRIL_2026: u32 = 20_260_401;

#[test]
fn icd10cm_matches_cms_and_cdc() {
    let codes = Codes::load().unwrap();
    let cms = first_column("mce/msdrg120_mce_i10dx.tsv", 1);
    assert_eq!(codes.icd10cm.len(), cms.len());
    assert_eq!(codes.icd10cm.len(), 75_909);
    // CMS's validity windows give exactly CDC's FY2026 (April) billable list on 2026-04-01.
    let cdc: BTreeSet<String> = first_column("icd10cm/icd10cm_2026apr_billable.tsv", 0);
    assert_eq!(cdc.len(), 74_719);
    let valid: BTreeSet<String> = codes.icd10cm.valid_on(APRIL_2026).into_iter().collect();
    assert_eq!(valid, cdc);
    // And every CDC header is a header on that day.
    let headers = first_column("icd10cm/icd10cm_2026apr_headers.txt", 0);
    assert_eq!(headers.len(), 23_467);
    for h in &headers {
        assert_eq!(
            codes.icd10cm.status(h, APRIL_2026, APRIL_2026),
            CodeStatus::Header,
            "{h}"
        );
    }
}

#[test]
fn icd10pcs_matches_cms() {
    let codes = Codes::load().unwrap();
    assert_eq!(
        codes.icd10pcs.len(),
        first_column("mce/msdrg120_mce_i10sg.tsv", 1).len()
    );
    assert_eq!(codes.icd10pcs.len(), 82_508);
    let listed = first_column("icd10pcs/icd10pcs_2026apr_valid_codes.txt", 0);
    assert_eq!(listed.len(), 79_193);
    let valid: BTreeSet<String> = codes.icd10pcs.valid_on(APRIL_2026).into_iter().collect();
    assert_eq!(valid, listed);
}

#[test]
fn excludes1_keeps_every_source_pair() {
    let source = shared("icd10cm/icd10cm_2026apr_excludes1_pairs.tsv");
    assert_eq!(source.lines().count(), 5_572);
    let table = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/icd10cm-excludes1.tsv"
    ))
    .unwrap();
    let pairs = table.lines().filter(|l| !l.starts_with('#')).count();
    // Duplicates collapse once dots and "-" are dropped (E10.- and E10 are one subtree).
    assert_eq!(pairs, 5_179);
}

#[test]
fn descriptions_are_cdc_s_billable_list() {
    let cdc = shared("icd10cm/icd10cm_2026apr_billable.tsv");
    let ours = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/data/icd10cm-descriptions.tsv"
    ))
    .unwrap();
    let mut a: Vec<&str> = cdc.lines().collect();
    a.sort_unstable();
    let b: Vec<&str> = ours.lines().collect();
    assert_eq!(b.len(), 74_719);
    assert_eq!(a, b);
}
