//! The official FHIRPath test suite for FHIR R4 (../shared/conformance/fhirpath-r4, HL7's
//! tests-fhir-r4.xml with the JSON forms of its inputs), run against ehrlint's engine.
//!
//! Every test is counted: passed, failed, or not runnable here, with the reason. A test is not
//! runnable when its input has no JSON form in the suite's copy (SOURCE.txt names them) or when
//! it needs terminology services. The suite fails when fewer than 95 % of the runnable tests
//! pass, and prints every failure by name. `EHRLINT_FHIRPATH_TEST=name` runs one test and
//! prints what the engine gave.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ehrlint::fhir::fhirpath::value::{Decimal, Temporal};
use ehrlint::fhir::fhirpath::{self, Env, Error, Expr, Item};
use ehrlint::fhir::model::Model;
use ehrlint::json::Value;

fn suite_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/fhirpath-r4")
}

/// Tests whose input differs from the JSON form the suite ships: they read an extension
/// (`patient-age`) that observation-example.json does not have, so their expected outputs
/// cannot come from it.
const INPUT_DIFFERS: &[&str] = &[
    "testFHIRPathIsFunction8",
    "testFHIRPathIsFunction9",
    "testFHIRPathIsFunction10",
];

struct Case {
    name: String,
    group: String,
    input: Option<String>,
    expression: String,
    invalid: Option<String>,
    predicate: bool,
    outputs: Vec<(Option<String>, String)>,
}

fn cases() -> Vec<Case> {
    let path = suite_dir().join("tests-fhir-r4.xml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (the shared conformance folder)", path.display()));
    let doc = roxmltree::Document::parse(&text).unwrap_or_else(|e| panic!("the suite: {e}"));
    let mut out = Vec::new();
    for group in doc.descendants().filter(|n| n.has_tag_name("group")) {
        let group_name = group.attribute("name").unwrap_or("").to_string();
        for test in group.children().filter(|n| n.has_tag_name("test")) {
            let Some(expr) = test.children().find(|n| n.has_tag_name("expression")) else {
                continue;
            };
            out.push(Case {
                name: test.attribute("name").unwrap_or("").to_string(),
                group: group_name.clone(),
                input: test.attribute("inputfile").map(str::to_string),
                expression: expr.text().unwrap_or("").to_string(),
                invalid: expr.attribute("invalid").map(str::to_string),
                predicate: test.attribute("predicate") == Some("true"),
                outputs: test
                    .children()
                    .filter(|n| n.has_tag_name("output"))
                    .map(|o| {
                        (
                            o.attribute("type").map(str::to_string),
                            o.text().unwrap_or("").to_string(),
                        )
                    })
                    .collect(),
            });
        }
    }
    out
}

/// An item as (type, text) for comparison with the suite's outputs.
fn shown(item: &Item) -> (String, String) {
    match item {
        Item::Bool(b) => ("boolean".into(), b.to_string()),
        Item::Int(i) => ("integer".into(), i.to_string()),
        Item::Dec(d) => ("decimal".into(), d.to_string()),
        Item::Str(s) => ("string".into(), s.to_string()),
        Item::Temporal(t) => (
            match t.kind {
                fhirpath::value::TemporalKind::Date => "date",
                fhirpath::value::TemporalKind::DateTime => "dateTime",
                fhirpath::value::TemporalKind::Time => "time",
            }
            .into(),
            format!(
                "@{}{t}",
                if t.kind == fhirpath::value::TemporalKind::Time {
                    "T"
                } else {
                    ""
                }
            ),
        ),
        Item::Quantity(q) => ("Quantity".into(), q.to_string()),
        Item::Type(ns, n) => ("TypeInfo".into(), format!("{ns}.{n}")),
        Item::Elem(e) => {
            let text = match e.value {
                Some(Value::String(s)) => s.to_string(),
                Some(v) => v.to_string(),
                None => String::new(),
            };
            let ty = match e.ty {
                "date" | "dateTime" | "instant" | "time" => {
                    let t = if e.ty == "time" { "@T" } else { "@" };
                    return (
                        if e.ty == "instant" {
                            "dateTime".into()
                        } else {
                            e.ty.to_string()
                        },
                        format!("{t}{text}"),
                    );
                }
                "code" | "id" | "uri" | "url" | "canonical" | "markdown" | "oid" | "uuid" => {
                    "string".to_string()
                }
                t => t.to_string(),
            };
            (ty, text)
        }
    }
}

/// Whether one result matches one expected output (numbers by value, dates by value and
/// precision, types where the suite gives one).
fn matches(got: &(String, String), want: &(Option<String>, String)) -> bool {
    let (gt, gv) = got;
    let (wt, wv) = want;
    let wv = wv.trim();
    let numeric = |a: &str, b: &str| match (Decimal::parse(a), Decimal::parse(b)) {
        (Some(x), Some(y)) => x.cmp_value(y) == Some(std::cmp::Ordering::Equal),
        _ => false,
    };
    let temporal = |s: &str| {
        let s = s.trim_start_matches('@');
        match s.strip_prefix('T') {
            Some(t) => Temporal::parse_time(t),
            None if s.contains('T') => Temporal::parse_date_time(s),
            None => Temporal::parse_date(s).or_else(|| Temporal::parse_date_time(s)),
        }
    };
    match wt.as_deref() {
        Some("integer") | Some("decimal") => {
            (gt == "integer" || gt == "decimal") && numeric(gv, wv)
        }
        Some("boolean") => gt == "boolean" && gv == wv,
        Some("string") | Some("code") => gt == "string" && gv == wv,
        Some("date") | Some("dateTime") | Some("time") => match (temporal(gv), temporal(wv)) {
            (Some(a), Some(b)) => {
                a.precision == b.precision && a.compare(&b) == Some(std::cmp::Ordering::Equal)
            }
            _ => gv == wv,
        },
        Some("Quantity") => {
            let split = |s: &str| {
                let (v, u) = s.split_once(' ').unwrap_or((s, ""));
                (v.to_string(), u.trim().trim_matches('\'').to_string())
            };
            let ((a, au), (b, bu)) = (split(gv), split(wv));
            numeric(&a, &b) && au == bu
        }
        _ => {
            // No type given: compare as values of any kind.
            if let (Some(a), Some(b)) = (temporal(gv), temporal(wv)) {
                if wv.starts_with('@') {
                    return a.precision == b.precision
                        && a.compare(&b) == Some(std::cmp::Ordering::Equal);
                }
            }
            if wv.contains('\'') {
                let split = |s: &str| {
                    let (v, u) = s.split_once(' ').unwrap_or((s, ""));
                    (v.to_string(), u.trim().trim_matches('\'').to_string())
                };
                let ((a, au), (b, bu)) = (split(gv), split(wv));
                return numeric(&a, &b) && au == bu;
            }
            gv == wv || numeric(gv, wv)
        }
    }
}

enum Outcome {
    Pass,
    Fail(String),
    NotRunnable(String),
}

fn run(model: &Model, inputs: &BTreeMap<String, Option<Value>>, case: &Case) -> Outcome {
    if INPUT_DIFFERS.contains(&case.name.as_str()) {
        return Outcome::NotRunnable(
            "reads an extension the JSON form of its input does not have".into(),
        );
    }
    let input = match &case.input {
        None => None,
        Some(file) => match inputs.get(file) {
            Some(Some(v)) => Some(v),
            _ => return Outcome::NotRunnable(format!("no JSON form of {file}")),
        },
    };
    let compiled = Expr::compile(&case.expression);
    let expr = match (compiled, &case.invalid) {
        (Err(_), Some(_)) => return Outcome::Pass,
        (Err(e), None) => return Outcome::Fail(format!("refused: {e}")),
        (Ok(e), _) => e,
    };
    let mut env = Env::new(model);
    let focus: Vec<Item> = input
        .and_then(|v| fhirpath::resource(model, v))
        .into_iter()
        .collect();
    env.resource = focus.first().cloned();
    env.root = focus.first().cloned();
    let result = expr.evaluate(&env, focus);
    let items = match (result, &case.invalid) {
        (Err(_), Some(_)) => return Outcome::Pass,
        (Ok(items), Some(kind)) => {
            return Outcome::Fail(format!(
                "should be refused ({kind}), gave {:?}",
                items.iter().map(shown).collect::<Vec<_>>()
            ))
        }
        (Err(e), None) => return Outcome::Fail(format!("error: {e}")),
        (Ok(items), None) => items.to_vec(),
    };
    let items = if case.predicate {
        vec![Item::Bool(!items.is_empty())]
    } else {
        items
    };
    let got: Vec<(String, String)> = items.iter().map(shown).collect();
    let ok = got.len() == case.outputs.len()
        && got.iter().zip(&case.outputs).all(|(g, w)| matches(g, w));
    if ok {
        Outcome::Pass
    } else {
        Outcome::Fail(format!("gave {got:?}, expected {:?}", case.outputs))
    }
}

#[test]
fn the_official_fhirpath_suite_passes() {
    let model = Model::r4().unwrap_or_else(|e| panic!("{e}"));
    let mut inputs = BTreeMap::new();
    let cases = cases();
    for case in &cases {
        if let Some(file) = &case.input {
            inputs.entry(file.clone()).or_insert_with(|| {
                let json = suite_dir()
                    .join("input")
                    .join(file.replace(".xml", ".json"));
                std::fs::read_to_string(json)
                    .ok()
                    .map(|t| ehrlint::parse(&t).unwrap_or_else(|e| panic!("{file}: {e}")))
            });
        }
    }
    // The inputs outlive the evaluations that borrow them.
    let inputs = inputs;
    let only = std::env::var("EHRLINT_FHIRPATH_TEST").ok();
    let (mut pass, mut fail, mut skipped) = (0, Vec::new(), Vec::new());
    for case in &cases {
        if only.as_deref().is_some_and(|o| o != case.name) {
            continue;
        }
        match run(&model, &inputs, case) {
            Outcome::Pass => pass += 1,
            Outcome::Fail(why) => fail.push(format!(
                "{} / {}: {}  ->  {why}",
                case.group, case.name, case.expression
            )),
            Outcome::NotRunnable(why) => skipped.push(format!("{}: {why}", case.name)),
        }
    }
    let runnable = pass + fail.len();
    for f in &fail {
        println!("FAIL {f}");
    }
    println!(
        "FHIRPath suite: {pass} of {runnable} runnable tests pass ({:.1} %); {} not runnable here: {}",
        100.0 * pass as f64 / runnable.max(1) as f64,
        skipped.len(),
        skipped.join("; ")
    );
    if only.is_none() {
        assert!(
            pass * 100 >= runnable * 95,
            "{pass} of {runnable} pass: under 95 %"
        );
    }
    let _ = Error::Syntax(String::new());
}

/// Expressions of any shape are refused or evaluated, never a panic or a stack overflow:
/// IG packages bring their own invariants, and a vendor's may be wrong.
#[test]
fn any_expression_is_refused_or_evaluated() {
    let long = |piece: &str, n: usize, end: &str| format!("{}{end}", piece.repeat(n));
    for text in [
        long("(", 10_000, "1"),
        long("a.", 100_000, "b"),
        long("-", 100_000, "1"),
        long("1 + ", 50_000, "1"),
        long("name.where(", 5_000, ""),
        long("@", 1_000, ""),
        "%".into(),
        "$".into(),
        "'\\u12".into(),
        "`".into(),
        "1 'mg".into(),
        "@T25:00".into(),
        "9223372036854775807 + 1".into(),
        "-9223372036854775807 - 2".into(),
        "(-9223372036854775807 - 1).abs()".into(),
        "@9999-12-31 + 1 year".into(),
        "@0001-01-01 - 1 day".into(),
        "1.0 / 0".into(),
        "10 mod 0".into(),
        "1e400".into(),
        "99999999999999999999999999999999999999.9 * 99999999999999999999.9".into(),
        "'x'.matches('(')".into(),
        "2.power(99999999999)".into(),
        "(1|2|3).aggregate($total + $this, 0)".into(),
    ] {
        let (model, _) = patient();
        if let Ok(expr) = Expr::compile(&text) {
            let _ = expr.evaluate(&Env::new(model), Vec::new());
        }
    }
}

/// A choice element is read by its FHIRPath name whichever of its types the record holds,
/// the 50 types of ElementDefinition's fixed[x] included; a value given only as `_x` (an
/// extension) counts; two forms (a structure error) come in the definition's type order.
#[test]
fn choice_elements_are_found_by_any_of_their_types() {
    let (model, _) = patient();
    let eval = |record: &str, expr: &str| -> Vec<(String, String)> {
        let value = ehrlint::parse(record).unwrap_or_else(|e| panic!("{e}"));
        let resource = fhirpath::resource(model, &value);
        let mut env = Env::new(model);
        env.resource = resource.clone();
        let expr = Expr::compile(expr).unwrap_or_else(|e| panic!("{e}"));
        let items = expr
            .evaluate(&env, resource.into_iter().collect())
            .unwrap_or_else(|e| panic!("{e}"));
        items.iter().map(shown).collect()
    };
    let sd = |element: &str| {
        format!(
            r#"{{"resourceType":"StructureDefinition","differential":{{"element":[{element}]}}}}"#
        )
    };
    // fixedUuid is near the end of the 50 types, fixedBoolean near the start.
    let late =
        sd(r#"{"path":"Patient.id","fixedUuid":"urn:uuid:6f1c3a9e-0d1b-4c1e-9d2a-1b2c3d4e5f60"}"#);
    assert_eq!(
        eval(&late, "differential.element.fixed.exists()"),
        [("boolean".to_string(), "true".to_string())]
    );
    let early = sd(r#"{"path":"Patient.active","fixedBoolean":true}"#);
    assert_eq!(
        eval(&early, "differential.element.fixed"),
        [("boolean".to_string(), "true".to_string())]
    );
    let none = sd(r#"{"path":"Patient.active","min":1,"fixedation":1}"#);
    assert_eq!(
        eval(&none, "differential.element.fixed.empty()"),
        [("boolean".to_string(), "true".to_string())]
    );
    let only_extension = sd(
        r#"{"path":"Patient.active","_fixedBoolean":{"extension":[{"url":"http://example.org/x","valueCode":"a"}]}}"#,
    );
    assert_eq!(
        eval(&only_extension, "differential.element.fixed.exists()"),
        [("boolean".to_string(), "true".to_string())]
    );
    let obs = |members: &str| format!(r#"{{"resourceType":"Observation",{members}}}"#);
    // Two forms: the definition lists Quantity before string.
    let two = obs(r#""valueString":"high","valueQuantity":{"value":5}"#);
    assert_eq!(
        eval(&two, "value.count()"),
        [("integer".to_string(), "2".to_string())]
    );
    assert_eq!(
        eval(&two, "value.first() is Quantity"),
        [("boolean".to_string(), "true".to_string())]
    );
}

/// The model and the suite's patient, read once for the property test's thousands of cases.
fn patient() -> &'static (Model, Value) {
    static ONCE: std::sync::OnceLock<(Model, Value)> = std::sync::OnceLock::new();
    ONCE.get_or_init(|| {
        let model = Model::r4().unwrap_or_else(|e| panic!("{e}"));
        let path = suite_dir().join("input/patient-example.json");
        let record = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{e}"));
        let value = ehrlint::parse(&record).unwrap_or_else(|e| panic!("{e}"));
        (model, value)
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(2_000))]
    #[test]
    fn random_token_soup_never_panics(
        tokens in proptest::collection::vec(proptest::sample::select(vec![
            "name", "given", "Patient", ".", "(", ")", "[", "]", "0", "1", "2.5", "'a'", "=", "!=",
            "<", ">=", "+", "-", "*", "/", "div", "mod", "and", "or", "implies", "|", "&", "~",
            "where(", "select(", "exists(", "first()", "count()", "is", "as", "String", "@2015",
            "@2015-02-04T14:34", "@T10", "4 'mg'", "3 days", "$this", "%resource", "iif(", ",",
            "substring(", "toDecimal()", "lowBoundary(", "repeat(", "children()", "descendants()",
            "resolve()", "extension(", "ofType(", "sort(", "-$this", "{}", "aggregate(", "$total",
            "matches(", "'[a-z]+'", "power(", "round(", "toQuantity(", "'cm'", "birthDate",
            "telecom", "contact", "active", "not()", "empty()", "skip(", "take(", "trace('x')",
        ]), 0..24)
    ) {
        let text = tokens.join(" ");
        let (model, value) = patient();
        if let Ok(expr) = Expr::compile(&text) {
            let mut env = Env::new(model);
            env.resource = fhirpath::resource(model, value);
            let focus: Vec<Item> = env.resource.iter().cloned().collect();
            let _ = expr.evaluate(&env, focus);
        }
    }
}
