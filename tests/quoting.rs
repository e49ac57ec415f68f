//! Issue messages never echo more than a short excerpt of the offending value: a record's text
//! can be a patient's data, and a message is shown, logged and sent where the record is not.
//! Every string of the fixtures is replaced in turn by a 10,000-character value; no message
//! quotes more than 60 characters of it (the rules' `quote` cap, with an ellipsis).

mod common;

use ehrlint::{Context, Options, Validator};
use serde_json::Value;

/// Every path to a string in `value`, as a list of steps.
fn strings(value: &Value, at: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    match value {
        Value::String(_) => out.push(at.clone()),
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                at.push(Step::Index(i));
                strings(item, at, out);
                at.pop();
            }
        }
        Value::Object(map) => {
            for (k, item) in map {
                at.push(Step::Key(k.clone()));
                strings(item, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

#[derive(Clone)]
enum Step {
    Key(String),
    Index(usize),
}

fn at_mut<'a>(value: &'a mut Value, path: &[Step]) -> &'a mut Value {
    path.iter().fold(value, |v, step| match step {
        Step::Key(k) => &mut v[k.as_str()],
        Step::Index(i) => &mut v[*i],
    })
}

/// The longest run of `unit` repeated in `text`, in characters.
fn longest_run(text: &str, unit: &str) -> usize {
    let mut best = 0;
    for start in text.match_indices(unit).map(|(i, _)| i) {
        let run = text.as_bytes()[start..]
            .chunks(unit.len())
            .take_while(|c| *c == unit.as_bytes())
            .count();
        best = best.max(run * unit.len());
    }
    best
}

#[test]
fn messages_quote_at_most_60_characters_of_a_long_value() {
    let validator = Validator::new(Options::default()).unwrap();
    let ctx = Context::default();
    let (mut checked, mut failures) = (0, std::collections::BTreeSet::new());
    for (name, _) in common::expected() {
        let text = std::fs::read_to_string(common::fixtures().join(&name)).unwrap();
        let record: Value = serde_json::from_str(&text).unwrap();
        let mut paths = Vec::new();
        strings(&record, &mut Vec::new(), &mut paths);
        for path in paths {
            // resourceType stays, so that the record is still checked as what it is.
            if matches!(path.last(), Some(Step::Key(k)) if k == "resourceType") {
                continue;
            }
            for long in [
                "Zq".repeat(5_000),
                format!("2024-01-01{}", "7".repeat(9_990)),
            ] {
                let mut changed = record.clone();
                *at_mut(&mut changed, &path) = Value::String(long.clone());
                let report = validator.validate(&changed, &ctx);
                for issue in &report.issues {
                    let unit = if long.starts_with('Z') { "Zq" } else { "7" };
                    let run = longest_run(&issue.message, unit);
                    if run > 60 || issue.message.chars().count() > 600 {
                        let start: String = issue.message.chars().take(100).collect();
                        failures.insert(format!(
                            "{}: quotes {run} characters of a 10,000-character value, as in {name} at {}: {start}…",
                            issue.code, issue.path
                        ));
                    }
                }
                checked += 1;
            }
        }
    }
    assert!(checked > 200, "{checked} values replaced");
    assert!(
        failures.is_empty(),
        "{}",
        failures.into_iter().collect::<Vec<_>>().join("\n")
    );
}
