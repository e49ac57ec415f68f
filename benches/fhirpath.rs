//! The FHIRPath engine on typical R4 invariants, each compiled once and evaluated 100,000
//! times on the element it applies to in HL7's FHIRPath test inputs (patient-example,
//! observation-example: ../shared/conformance/fhirpath-r4/input): median ns per evaluation
//! over 100 batches of 1,000: the six the engine was compared on with the FHIRPath crates of
//! the Rust registry (CHANGELOG, "invariant"). Run: `cargo bench --bench fhirpath`.

use std::time::Instant;

use ehrlint::fhir::fhirpath::{self, Env, Expr, Item};
use ehrlint::fhir::model::Model;
use ehrlint::json::Value;

fn input(name: &str) -> Value {
    let path = format!(
        "{}/../shared/conformance/fhirpath-r4/input/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    ehrlint::parse(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn main() {
    let model = Model::r4().unwrap_or_else(|e| panic!("{e}"));
    let patient = input("patient-example.json");
    let observation = input("observation-example.json");
    let code_system = input("codesystem-example.json");
    let cases: [(&str, &str, &Value, Option<&str>); 10] = [
        ("ele-1", "hasValue() or (children().count() > id.count())", &patient, Some("name")),
        ("ext-1", "extension.exists() != value.exists()", &patient, None),
        ("pat-1", "contact.all(name.exists() or telecom.exists() or address.exists() or organization.exists())", &patient, None),
        ("obs-6", "dataAbsentReason.empty() or value.empty()", &observation, None),
        ("obs-7", "value.empty() or component.code.where(coding.intersect(%resource.code.coding).exists()).empty()", &observation, None),
        ("dom-2", "contained.contained.empty()", &patient, None),
        ("dom-3", "contained.where((('#'+id in (%resource.descendants().reference | %resource.descendants().as(canonical) | %resource.descendants().as(uri) | %resource.descendants().as(url))) or descendants().where(reference = '#').exists() or descendants().where(as(canonical) = '#').exists() or descendants().where(as(canonical) = '#').exists()).not()).trace('unmatched', id).empty()", &patient, None),
        ("cpt-2", "value.empty() or system.exists()", &patient, Some("telecom")),
        // The name rule of 29 definitional resources (csd-0, vsd-0, spd-0...).
        ("csd-0", "name.exists() implies name.matches('[A-Z]([A-Za-z0-9_]){0,254}')", &code_system, None),
        ("ref-1", "reference.startsWith('#').not() or (reference.substring(1).trace('url') in %rootResource.contained.id.trace('ids'))", &observation, Some("subject")),
    ];
    for (key, text, resource, element) in cases {
        let expr = Expr::compile(text).unwrap_or_else(|e| panic!("{key}: {e}"));
        let mut env = Env::new(&model);
        env.resource = fhirpath::resource(&model, resource);
        env.root = env.resource.clone();
        let root = env.resource.clone().into_iter().collect::<Vec<Item>>();
        // The focus: the resource, or the first value of one of its elements (the values an
        // evaluation gives may borrow from its expression).
        let selector = element.map(|name| Expr::compile(name).unwrap_or_else(|e| panic!("{e}")));
        let focus: Item = match (element, &selector) {
            (Some(name), Some(e)) => {
                let found = e
                    .evaluate(&env, root.clone())
                    .unwrap_or_else(|e| panic!("{e}"));
                found
                    .first()
                    .cloned()
                    .unwrap_or_else(|| panic!("{key}: no {name}"))
            }
            _ => root
                .first()
                .cloned()
                .unwrap_or_else(|| panic!("{key}: no resource")),
        };
        let holds = expr
            .holds(&env, focus.clone())
            .unwrap_or_else(|e| panic!("{key}: {e}"));
        let mut batches = Vec::with_capacity(100);
        for _ in 0..100 {
            let t = Instant::now();
            for _ in 0..1_000 {
                std::hint::black_box(expr.holds(&env, focus.clone()).ok());
            }
            batches.push(t.elapsed().as_nanos() as f64 / 1_000.0);
        }
        batches.sort_by(f64::total_cmp);
        println!(
            "{key}: median {:.0} ns per evaluation (holds: {holds})",
            batches[batches.len() / 2]
        );
    }
}
