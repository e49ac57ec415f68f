//! The rule registry (`ehrlint::rules::ALL`, written by build.rs from the rule files) against
//! everything else that names rules, in one place: the released codes of docs/issue-codes.txt,
//! the message catalogues of every locale, and the rules reference (docs/rules.md and README's
//! table, written by tools/gen-rules-doc.mjs).

use std::collections::{BTreeMap, BTreeSet};

use ehrlint::messages::Locale;
use ehrlint::rules::ALL;

fn read(path: &str) -> String {
    std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn codes() -> BTreeSet<&'static str> {
    ALL.iter().map(|m| m.code).collect()
}

#[test]
fn every_released_code_is_still_a_rule_and_every_rule_is_listed() {
    // Issue codes are a stable interface: every released code is still reported by a rule (or
    // marked retired), and every rule's code is on the list.
    let text = read("docs/issue-codes.txt");
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
    let rules = codes();
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

#[test]
fn every_rule_has_messages_in_every_locale_and_every_message_names_a_rule() {
    let rules = codes();
    for locale in Locale::ALL {
        let mut by_rule: BTreeMap<&str, usize> = BTreeMap::new();
        for key in locale.catalogue().keys() {
            let prefix = key.split('.').next().unwrap_or_default();
            // `reason.*`: the reasons a value is malformed, shared by the structure rules.
            if prefix == "reason" {
                continue;
            }
            assert!(
                rules.contains(prefix),
                "messages/{}.json: {key}: {prefix} is not a rule code",
                locale.tag()
            );
            *by_rule.entry(prefix).or_default() += 1;
        }
        let silent: Vec<_> = rules.iter().filter(|c| !by_rule.contains_key(*c)).collect();
        assert!(
            silent.is_empty(),
            "rules with no message in messages/{}.json: {silent:?}",
            locale.tag()
        );
    }
}

#[test]
fn the_rules_reference_has_a_section_for_every_rule_and_no_other() {
    let rules = codes();
    let doc = read("docs/rules.md");
    let sections: BTreeSet<&str> = doc
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .filter(|h| {
            h.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
        .collect();
    assert_eq!(
        sections, rules,
        "docs/rules.md is stale: run node tools/gen-rules-doc.mjs"
    );
    let readme = read("README.md");
    let table: BTreeSet<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("| [`"))
        .filter_map(|l| l.split('`').next())
        .collect();
    assert_eq!(
        table, rules,
        "README's rules table is stale: run node tools/gen-rules-doc.mjs"
    );
}

#[test]
fn every_rule_meta_is_complete_and_its_code_kebab_case() {
    let mut seen = BTreeSet::new();
    for m in ALL {
        assert!(seen.insert(m.code), "duplicate code {}", m.code);
        assert!(
            m.code
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
            "{} is not kebab-case",
            m.code
        );
        assert!(!m.title.is_empty(), "{} has no title", m.code);
        assert!(!m.issue_type.is_empty(), "{} has no issue type", m.code);
    }
}
