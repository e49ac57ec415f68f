//! Real cases from the CMS Medicare Code Editor tables and the CDC code lists in
//! ../shared/data, picked by reading the tables (the first code with each property), not typed
//! in: each must make its rule fire, on the right element, in a realistic Bundle.

use std::path::PathBuf;

use ehrlint::{Context, Options, ProfileChoice, Report, Validator};
use serde_json::{json, Value};

fn shared(file: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/data")
        .join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// MCE rows: (code, start, end, flags).
fn mce(file: &str) -> Vec<(String, String, String, String)> {
    shared(file)
        .lines()
        .skip(1)
        .map(|l| {
            let c: Vec<&str> = l.split('\t').collect();
            let g = |i: usize| c.get(i).copied().unwrap_or("").to_string();
            (g(0), g(1), g(2), g(3))
        })
        .collect()
}

/// The first code whose row still in force (FY2026 table, no end) carries `flag`.
fn first_with_flag(rows: &[(String, String, String, String)], flag: &str) -> String {
    rows.iter()
        .find(|(_, _, end, flags)| end.is_empty() && flags.split(',').any(|f| f == flag))
        .map(|r| r.0.clone())
        .unwrap_or_else(|| panic!("no code with {flag}"))
}

fn dotted(code: &str) -> String {
    if code.len() > 3 {
        format!("{}.{}", &code[..3], &code[3..])
    } else {
        code.to_string()
    }
}

/// Patient born `birth` with `gender`; a Condition coded `code` recorded on `date`; an
/// Encounter on `date` with that Condition as its principal diagnosis.
fn bundle(code: &str, birth: &str, gender: &str, date: &str) -> Value {
    json!({"resourceType": "Bundle", "type": "collection", "entry": [
        {"fullUrl": "urn:uuid:2c1b7c52-6d8e-4f5a-9b3c-1e2d3f4a5b6c", "resource": {"resourceType": "Patient", "birthDate": birth, "gender": gender}},
        {"fullUrl": "urn:uuid:7e1f0a3b-2c4d-4e5f-8a9b-0c1d2e3f4a5b", "resource": {"resourceType": "Condition",
            "subject": {"reference": "urn:uuid:2c1b7c52-6d8e-4f5a-9b3c-1e2d3f4a5b6c"}, "recordedDate": date,
            "code": {"coding": [{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": dotted(code)}]}}},
        {"resource": {"resourceType": "Encounter", "status": "finished",
            "class": {"system": "http://terminology.hl7.org/CodeSystem/v3-ActCode", "code": "IMP"},
            "subject": {"reference": "urn:uuid:2c1b7c52-6d8e-4f5a-9b3c-1e2d3f4a5b6c"}, "period": {"start": date},
            "diagnosis": [{"condition": {"reference": "urn:uuid:7e1f0a3b-2c4d-4e5f-8a9b-0c1d2e3f4a5b"}, "rank": 1}]}}]})
}

fn issues(r: &Report) -> Vec<(&str, &str)> {
    r.issues.iter().map(|i| (i.code, i.path.as_str())).collect()
}

const CODE_PATH: &str = "/entry/1/resource/code/coding/0/code";
const PRINCIPAL_PATH: &str = "/entry/2/resource/diagnosis/0/condition";

#[test]
fn real_cases_from_the_cms_tables() {
    // FHIR R4 alone: these cases are about the code edits, not completeness.
    let v = Validator::new(Options::with_profile(ProfileChoice::BuiltIn("none".into()))).unwrap();
    let check = |record: Value| v.validate(&record, &Context::default());
    let dx = mce("mce/msdrg120_mce_i10dx.tsv");
    let dx26 = mce("mce/mce_v43.1_i10dx.tsv");
    let mut cases = 0;

    // 1-4. Age edits: a code of each age group, for a patient outside it.
    for (flag, birth) in [
        ("maternity", "1950-01-01"),
        ("newborn", "1980-01-01"),
        ("pediatric", "1990-01-01"),
        ("adult", "2020-01-01"),
    ] {
        let code = first_with_flag(&dx26, flag);
        let r = check(bundle(&code, birth, "female", "2025-03-01"));
        assert!(
            issues(&r).contains(&("mce-age-conflict", CODE_PATH)),
            "{flag} {code}: {:?}",
            issues(&r)
        );
        cases += 1;
    }
    // 5-7. Principal-diagnosis edits.
    for (flag, rule) in [
        ("manifestation", "principal-manifestation"),
        ("unacceptable", "principal-unacceptable"),
        ("ecodepdx", "principal-external-cause"),
    ] {
        let code = first_with_flag(&dx26, flag);
        let r = check(bundle(&code, "1970-01-01", "female", "2025-03-01"));
        assert!(
            issues(&r).contains(&(rule, PRINCIPAL_PATH)),
            "{flag} {code}: {:?}",
            issues(&r)
        );
        cases += 1;
    }
    // 8. A header from CDC's list, as the billing diagnosis: an error.
    let header = shared("icd10cm/icd10cm_2026apr_headers.txt")
        .lines()
        .find(|h| h.len() == 3)
        .unwrap()
        .to_string();
    let r = check(bundle(&header, "1970-01-01", "female", "2026-04-01"));
    assert_eq!(
        issues(&r),
        vec![("icd10cm-not-billable", CODE_PATH)],
        "{header}"
    );
    assert!(!r.valid);
    cases += 1;
    // 9. A code deleted in FY2025 (last valid 2024-09-30, not split into subcodes).
    // Codes whose every row ended 2024-09-30, and that no code below them outlives.
    let mut last_end: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for (c, _, end, _) in &dx {
        let e = if end.is_empty() {
            "99999999"
        } else {
            end.as_str()
        };
        let slot = last_end.entry(c.as_str()).or_insert(e);
        *slot = (*slot).max(e);
    }
    let deleted = last_end
        .iter()
        .filter(|(_, e)| **e == "20240930")
        .map(|(c, _)| *c)
        .find(|c| {
            last_end
                .range(*c..)
                .skip(1)
                .take_while(|(o, _)| o.starts_with(*c))
                .all(|(_, e)| *e <= "20240930")
        })
        .unwrap()
        .to_string();
    let r = check(bundle(&deleted, "1970-01-01", "female", "2025-01-15"));
    assert!(
        issues(&r).contains(&("icd10cm-not-valid-on-date", CODE_PATH)),
        "{deleted}: {:?}",
        issues(&r)
    );
    assert!(
        check(bundle(&deleted, "1970-01-01", "female", "2024-01-15"))
            .issues
            .iter()
            .all(|i| i.code != "icd10cm-not-valid-on-date")
    );
    cases += 1;
    // 10. A code new in FY2026: not valid before 2025-10-01, valid after.
    let new = dx
        .iter()
        .find(|(_, start, _, _)| start == "20251001")
        .map(|r| r.0.clone())
        .unwrap();
    let r = check(bundle(&new, "1970-01-01", "female", "2025-06-01"));
    assert!(
        issues(&r).contains(&("icd10cm-not-valid-on-date", CODE_PATH)),
        "{new}: {:?}",
        issues(&r)
    );
    assert!(check(bundle(&new, "1970-01-01", "female", "2025-11-01"))
        .issues
        .iter()
        .all(|i| i.code != "icd10cm-not-valid-on-date"));
    cases += 1;
    // 11. The retired sex edit: the first male-only code of FY2024, for a female patient.
    let male = dx
        .iter()
        .find(|(_, _, end, flags)| end == "20240930" && flags.split(',').any(|f| f == "male"))
        .map(|r| r.0.clone())
        .unwrap();
    let r = check(bundle(&male, "1950-01-01", "female", "2025-03-01"));
    assert!(
        issues(&r).contains(&("mce-sex-conflict", CODE_PATH)),
        "{male}: {:?}",
        issues(&r)
    );
    cases += 1;
    // 12. An ICD-10-PCS code deleted in FY2025, performed after.
    let pcs = mce("mce/msdrg120_mce_i10sg.tsv");
    let mut pcs_end: std::collections::BTreeMap<&str, &str> = std::collections::BTreeMap::new();
    for (c, _, end, _) in &pcs {
        let e = if end.is_empty() {
            "99999999"
        } else {
            end.as_str()
        };
        let slot = pcs_end.entry(c.as_str()).or_insert(e);
        *slot = (*slot).max(e);
    }
    let gone = pcs_end
        .iter()
        .find(|(_, e)| **e == "20240930")
        .map(|(c, _)| c.to_string())
        .unwrap();
    let procedure = json!({"resourceType": "Procedure", "status": "completed", "subject": {"reference": "Patient/1"},
        "performedDateTime": "2025-02-01", "code": {"coding": [{"system": "http://www.cms.gov/Medicare/Coding/ICD10", "code": gone}]}});
    assert_eq!(
        issues(&check(procedure)),
        vec![("icd10pcs-not-valid-on-date", "/code/coding/0/code")],
        "{gone}"
    );
    cases += 1;

    assert_eq!(cases, 12);
}
