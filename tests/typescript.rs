//! The package's TypeScript declarations (pkg-templates/types.d.ts) say what the Rust types
//! say: the file is src/typescript.rs's output. EHRLINT_WRITE_TYPES=1 writes it again.
#![cfg(feature = "typescript")]

use std::path::Path;

#[test]
fn the_declarations_are_what_the_rust_types_say() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pkg-templates/types.d.ts");
    let generated = ehrlint::typescript::declarations();
    if std::env::var_os("EHRLINT_WRITE_TYPES").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "pkg-templates/types.d.ts differs from the Rust types: run \
         EHRLINT_WRITE_TYPES=1 cargo test --features typescript --test typescript"
    );
}

#[test]
fn every_rule_code_is_a_rule_code_type_member() {
    let generated = ehrlint::typescript::declarations();
    for rule in ehrlint::rules::ALL {
        assert!(
            generated.contains(&format!("| \"{}\"", rule.code)),
            "{} missing from RuleCode",
            rule.code
        );
    }
}

/// The member names of `export type NAME = { ... }` in the declarations.
fn members(declarations: &str, name: &str) -> Vec<String> {
    let start = declarations
        .find(&format!("export type {name} = {{\n"))
        .unwrap_or_else(|| panic!("no type {name}"));
    declarations[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.starts_with('}'))
        .filter(|l| l.starts_with("  ") && !l.starts_with("   ") && !l.trim().starts_with("/**"))
        .map(|l| l.trim().split([':', '?']).next().unwrap().to_string())
        .collect()
}

/// The keys an error of a hand-written options reader names as the ones it takes, after the
/// unknown key itself: "unknown field `x`, expected one of `a`, `b`" or "unknown limit `x`:
/// use a, b or c".
fn keys_named(error: &str) -> Vec<String> {
    let quoted: Vec<String> = error
        .split('`')
        .skip(1)
        .step_by(2)
        .skip(1)
        .map(str::to_string)
        .collect();
    if !quoted.is_empty() {
        return quoted;
    }
    let list = error.split("use ").nth(1).unwrap_or_default();
    list.split([',', ' '])
        .filter(|w| !w.is_empty() && *w != "or")
        .map(str::to_string)
        .collect()
}

// Options and Limits are read key by key (for the Wasm's size), not by serde: their declared
// members and the keys their readers take must be the same.
#[test]
fn the_declared_options_are_the_keys_the_readers_take() {
    let declarations = ehrlint::typescript::declarations();
    let mut declared = members(&declarations, "Options");
    let error = ehrlint::Options::from_json(serde_json::json!({"no such key": 1})).unwrap_err();
    let mut taken = keys_named(&error);
    declared.sort();
    taken.sort();
    assert_eq!(declared, taken, "{error}");

    let mut declared = members(&declarations, "Limits");
    let error = ehrlint::Limits::from_json(&serde_json::json!({"no such key": 1})).unwrap_err();
    let mut taken = keys_named(&error);
    declared.sort();
    taken.sort();
    assert_eq!(declared, taken, "{error}");
}
