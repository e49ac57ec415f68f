//! Every input saved in tests/fuzz-regressions/<target>/ runs through the same code as the
//! fuzz target of that name (fuzz/src/cases.rs), natively, in plain `cargo test`: a crash the
//! fuzzer once found stays fixed without cargo fuzz installed.
//!
//! The `validate_json` and `options` targets take raw bytes, so their fixtures are the
//! crashing input itself. The structured targets (`validate_value`, `validate_field`,
//! `lookup`) save the decoded case as JSON (scripts/fuzz.sh writes it), which stays readable
//! and survives changes to how fuzz/src/gen.rs decodes bytes. See docs/fuzzing.md.

#[path = "../fuzz/src/cases.rs"]
mod cases;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

const TARGETS: &[&str] = &[
    "validate_json",
    "validate_value",
    "validate_field",
    "options",
    "lookup",
];

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions")
}

fn run(target: &str, bytes: &[u8]) {
    let case = || -> serde_json::Value {
        serde_json::from_slice(bytes).expect("a structured target's fixture is its case as JSON")
    };
    match target {
        "validate_json" => cases::validate_json(bytes),
        "options" => cases::options(bytes),
        "validate_value" => {
            cases::validate_value(&serde_json::from_value(case()).expect("a validate_value case"))
        }
        "validate_field" => {
            cases::validate_field(&serde_json::from_value(case()).expect("a validate_field case"))
        }
        "lookup" => cases::lookup(&serde_json::from_value(case()).expect("a lookup case")),
        other => panic!("tests/fuzz-regressions/{other}: no such fuzz target"),
    }
}

/// Every fixture of a target; a `README.md` beside them is not one.
fn fixtures(target: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir().join(target)) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .map(|e| e.expect("a readable directory entry").path())
        .filter(|p| p.is_file() && p.extension().is_none_or(|e| e != "md"))
        .collect();
    files.sort();
    files
}

fn check(target: &str) {
    let mut failed = Vec::new();
    for file in fixtures(target) {
        let bytes = std::fs::read(&file).expect("a readable fixture");
        if catch_unwind(AssertUnwindSafe(|| run(target, &bytes))).is_err() {
            failed.push(file.display().to_string());
        }
    }
    assert!(
        failed.is_empty(),
        "{target}: these saved inputs fail again (the panics are printed above):\n{}",
        failed.join("\n")
    );
}

#[test]
fn only_known_targets_have_fixtures() {
    for entry in std::fs::read_dir(dir()).expect("tests/fuzz-regressions exists") {
        let path = entry.expect("a readable directory entry").path();
        if path.is_dir() {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
            assert!(
                TARGETS.contains(&name),
                "{}: no such fuzz target",
                path.display()
            );
        }
    }
}

#[test]
fn validate_json_regressions() {
    check("validate_json");
}

#[test]
fn validate_value_regressions() {
    check("validate_value");
}

#[test]
fn validate_field_regressions() {
    check("validate_field");
}

#[test]
fn options_regressions() {
    check("options");
}

#[test]
fn lookup_regressions() {
    check("lookup");
}
