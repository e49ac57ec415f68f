//! Issue codes are a stable interface (docs/issue-codes.txt): every released code is still
//! reported by a rule (or marked retired), and every rule's code is on the list.

use std::collections::BTreeSet;

#[test]
fn every_released_code_is_still_a_rule_and_every_rule_is_listed() {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/issue-codes.txt"),
    )
    .expect("docs/issue-codes.txt");
    let mut listed = BTreeSet::new();
    let mut retired = BTreeSet::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (code, note) = line.split_once(' ').unwrap_or((line, ""));
        assert!(listed.insert(code), "{code} is listed twice");
        if note.trim_start().starts_with("retired in ") {
            retired.insert(code);
        }
    }
    let rules: BTreeSet<&str> = ehrlint::rules::ALL.iter().map(|m| m.code).collect();
    let gone: Vec<_> = listed
        .difference(&rules)
        .filter(|c| !retired.contains(*c))
        .collect();
    assert!(
        gone.is_empty(),
        "released codes no rule reports any more (a code is never renamed or removed; mark a retired rule \"retired in X.Y.Z\"): {gone:?}"
    );
    let unlisted: Vec<_> = rules.difference(&listed).collect();
    assert!(
        unlisted.is_empty(),
        "new rule codes missing from docs/issue-codes.txt: {unlisted:?}"
    );
    let revived: Vec<_> = retired.intersection(&rules).collect();
    assert!(
        revived.is_empty(),
        "retired codes are never reused: {revived:?}"
    );
}
