//! Shared by the integration tests: the fixtures and their expected issues.
#![allow(dead_code)] // each test binary uses part of it

use std::path::{Path, PathBuf};

use serde_json::Value;

pub fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

pub fn fixtures() -> PathBuf {
    root().join("tests/fixtures")
}

/// (fixture path relative to tests/fixtures, expected (code, path) pairs, sorted).
pub fn expected() -> Vec<(String, Vec<(String, String)>)> {
    let text = std::fs::read_to_string(fixtures().join("expected.json")).expect("expected.json");
    let map: serde_json::Map<String, Value> =
        serde_json::from_str(&text).expect("expected.json parses");
    map.into_iter()
        .filter(|(k, _)| !k.starts_with('_'))
        .map(|(k, v)| {
            let mut pairs: Vec<(String, String)> = v
                .as_array()
                .expect("a list")
                .iter()
                .map(|p| {
                    (
                        p[0].as_str().unwrap().to_string(),
                        p[1].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            pairs.sort();
            (k, pairs)
        })
        .collect()
}

/// The sorted (code, path) pairs of a JSON list of issues.
pub fn pairs(issues: &Value) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = issues
        .as_array()
        .expect("issues is a list")
        .iter()
        .map(|i| {
            (
                i["code"].as_str().unwrap().to_string(),
                i["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    v.sort();
    v
}
