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
    // `code<TAB>excluded excluded ...`: one pair per excluded code or range.
    let pairs: usize = table
        .lines()
        .filter(|l| !l.starts_with('#'))
        .map(|l| l.split_once('\t').unwrap().1.split(' ').count())
        .sum();
    // Duplicates collapse once dots and "-" are dropped (E10.- and E10 are one subtree).
    assert_eq!(pairs, 5_179);
    assert_eq!(Codes::load().unwrap().excludes1.len(), 5_179);
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

/// Every adult value that MIMIC-III's curated ranges accept as valid is possible in
/// data/plausible-ranges.tsv: an error from value-impossible never contradicts them.
#[test]
fn plausible_ranges_never_call_impossible_what_mimic_accepts() {
    let codes = Codes::load().unwrap();
    let mimic: std::collections::HashMap<String, (f64, f64)> =
        shared("ranges/mimic3-benchmarks_variable_ranges.csv")
            .lines()
            .skip(1)
            .filter_map(|l| {
                let c: Vec<&str> = l.split(',').collect();
                Some((c[0].to_string(), (c[3].parse().ok()?, c[5].parse().ok()?)))
            })
            .collect();
    let names = [
        ("8867-4", "Heart rate"),
        ("9279-1", "Respiratory rate"),
        ("8310-5", "Temperature"),
        ("8480-6", "Systolic blood pressure"),
        ("8462-4", "Diastolic blood pressure"),
        ("8302-2", "Height"),
        ("29463-7", "Weight"),
        ("59408-5", "Oxygen saturation"),
        ("2708-6", "Oxygen saturation"),
        ("2339-0", "Glucose"),
        ("718-7", "Hemoglobin"),
        ("2823-3", "Potassium"),
        ("2951-2", "Sodium"),
        ("2160-0", "Creatinine"),
    ];
    for (loinc, name) in names {
        let (valid_low, valid_high) = mimic[name];
        let adult = codes.ranges.bands(loinc, Some((40.0, 40.0)));
        assert_eq!(adult.len(), 1, "{loinc}: one adult band");
        let (lo, hi) = adult[0].impossible;
        assert!(
            hi >= valid_high,
            "{loinc}: impossible above {hi}, MIMIC valid to {valid_high}"
        );
        // MIMIC gives 0 where it sets no lower bound.
        assert!(
            valid_low == 0.0 || lo <= valid_low,
            "{loinc}: impossible below {lo}, MIMIC valid from {valid_low}"
        );
    }
    // Every code of the table is covered by the check or is one MIMIC has no range for.
    for band in codes.ranges.all() {
        assert!(
            names.iter().any(|(l, _)| *l == band.loinc)
                || ["39156-5", "9843-4"].contains(&band.loinc.as_str()),
            "{} is not cross-checked",
            band.loinc
        );
    }
}
