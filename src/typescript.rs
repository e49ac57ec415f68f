//! The npm package's TypeScript declarations, written from the Rust types that the JS API
//! reads and returns (ts-rs), so that the two cannot drift apart: pkg-templates/types.d.ts is
//! this module's output, wasm.rs puts it into the package's .d.ts, and tests/typescript.rs
//! fails when the file differs from what the types say (`EHRLINT_WRITE_TYPES=1 cargo test
//! --features typescript --test typescript` writes it again). Only with the `typescript`
//! feature: neither the Wasm nor the CLI carries any of this.

use ts_rs::{Config, TS};

use crate::codes::lookup::CodeMatch;
use crate::config::RuleOptions;
use crate::engine::context::ContextJson;
use crate::engine::input::RecordOutcome;
use crate::engine::options::{LookupOptionsJson, Options};
use crate::limits::Limits;
use crate::profile::{Message, RawConditional, RawProfile, RawResource, RawTest};
use crate::report::{
    Category, Completeness, Issue, OperationOutcome, OutcomeCoding, OutcomeDetails, OutcomeIssue,
    Report, Severity, Tally,
};
use crate::session::Change;

const HEADER: &str = "\
// The types of the JS API, generated from the Rust types they describe (src/typescript.rs).
// Do not edit: change the Rust types, then run
// EHRLINT_WRITE_TYPES=1 cargo test --features typescript --test typescript
";

/// The declarations, in the order a reader meets them: what a call returns, then what it
/// takes.
pub fn declarations() -> String {
    let cfg = Config::new();
    let mut out = String::from(HEADER);
    let mut add = |docs: Option<String>, decl: String| {
        out.push('\n');
        if let Some(docs) = docs {
            out.push_str(docs.trim_start());
            if !docs.ends_with('\n') {
                out.push('\n');
            }
        }
        out.push_str("export ");
        out.push_str(&pretty(&decl));
        out.push('\n');
    };
    macro_rules! types {
        ($($t:ty),* $(,)?) => {
            $( add(<$t>::docs(), <$t>::decl(&cfg)); )*
        };
    }
    types!(
        Severity,
        Category,
        Issue,
        Tally,
        Completeness,
        Report,
        RecordOutcome
    );
    add(
        Some(doc("One line of NDJSON (`validateNdjson`), numbered from 1: its record's outcome. Blank lines are counted but not reported.")),
        "type NdjsonResult = { line: number } & RecordOutcome;".into(),
    );
    types!(
        Change,
        CodeMatch,
        OperationOutcome,
        OutcomeIssue,
        OutcomeDetails,
        OutcomeCoding
    );
    types!(ContextJson);
    add(
        Some(doc(
            "The context of `validateField`: `record` holds the record being edited.",
        )),
        "type FieldContext = Context;".into(),
    );
    types!(LookupOptionsJson, Options, Limits, RuleOptions);
    add(
        Some(doc(
            "Every rule code (docs/rules.md): stable, for `Options.rules`.",
        )),
        rule_codes(),
    );
    add(
        Some(doc(
            "Every key of the FHIR R4 definitions' invariants (`invariant` issues), for `Options.rules`.",
        )),
        invariant_keys(),
    );
    types!(RawProfile, RawResource, RawConditional, RawTest, Message);
    out
}

fn invariant_keys() -> String {
    let keys: Vec<&str> = crate::fhir::model::Model::r4()
        .and_then(|m| crate::fhir::invariants::Invariants::compile(&m).map(|i| i.keys().collect()))
        .unwrap_or_default();
    let mut keys = keys;
    keys.sort_unstable();
    keys.dedup();
    let union: Vec<String> = keys.iter().map(|c| format!("\n  | \"{c}\"")).collect();
    format!("type InvariantKey ={};", union.concat())
}

/// `/** text */`, as ts-rs writes a doc comment.
fn doc(text: &str) -> String {
    format!("/**\n * {text}\n */\n")
}

fn rule_codes() -> String {
    let mut codes: Vec<&str> = crate::rules::ALL.iter().map(|m| m.code).collect();
    codes.sort_unstable();
    let union: Vec<String> = codes.iter().map(|c| format!("\n  | \"{c}\"")).collect();
    format!("type RuleCode ={};", union.concat())
}

/// ts-rs writes each declaration on one line; this puts every member of an object type on
/// its own line, its doc comment above it. Nested objects, generics and literals stay whole.
fn pretty(decl: &str) -> String {
    let mut out = String::new();
    let mut member = String::new();
    // Brackets open inside the current object type, below its own brace.
    let mut depth = 0usize;
    let mut in_object = false;
    let mut chars = decl.chars().peekable();
    while let Some(c) = chars.next() {
        let target = if in_object { &mut member } else { &mut out };
        match c {
            // A string or template literal, copied whole (its braces are text).
            '"' | '`' => {
                target.push(c);
                while let Some(d) = chars.next() {
                    target.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            target.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                target.push(c);
                let mut last = c;
                for d in chars.by_ref() {
                    target.push(d);
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
            }
            '{' if !in_object => {
                in_object = true;
                out.push_str("{\n");
            }
            '}' if in_object && depth == 0 => {
                flush(&mut out, &mut member);
                out.push('}');
                in_object = false;
            }
            ',' if in_object && depth == 0 => flush(&mut out, &mut member),
            '{' | '[' | '(' | '<' if in_object => {
                depth += 1;
                member.push(c);
            }
            '}' | ']' | ')' | '>' if in_object => {
                depth = depth.saturating_sub(1);
                member.push(c);
            }
            _ => target.push(c),
        }
    }
    out
}

/// Writes one member of an object type, indented, and empties it.
fn flush(out: &mut String, member: &mut String) {
    let text = member.trim();
    if !text.is_empty() {
        for line in text.lines() {
            let line = line.trim();
            // A doc comment's inner lines (` * text`, ` */`) keep their one-space lead.
            let lead = if line.starts_with('*') { "   " } else { "  " };
            out.push_str(lead);
            out.push_str(line);
            out.push('\n');
        }
        out.pop();
        out.push_str(";\n");
    }
    member.clear();
}
