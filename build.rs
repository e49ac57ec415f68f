//! Writes the FHIR R4 model in binary form for the library to decode at start-up
//! (`Model::r4`): data/fhir-r4-model.json, the reviewed source, is decoded and checked by
//! src/fhir/model.rs's own code, compiled here as well, and the finished `Model` is written
//! with postcard to OUT_DIR/fhir-r4-model.postcard. Parsing 333 KB of JSON and copying the
//! inherited elements was most of `Validator::new`; decoding the binary form is a fraction.
//!
//! It also writes the rule registry from the rule files themselves (`write_rule_registry`), so
//! that a new rule is one file in its family's folder and nothing else in Rust.

#[allow(dead_code, unused_imports)]
#[path = "src/fhir/model.rs"]
mod model;

/// model.rs reads the binary form through its parent module: none exists yet here.
#[allow(dead_code)]
const MODEL_BINARY: &[u8] = &[];

fn main() {
    println!("cargo:rerun-if-changed=data/fhir-r4-model.json");
    println!("cargo:rerun-if-changed=src/fhir/model.rs");
    println!("cargo:rerun-if-changed=build.rs");
    let text = std::fs::read_to_string("data/fhir-r4-model.json")
        .unwrap_or_else(|e| fail(&format!("data/fhir-r4-model.json: {e}")));
    // Decoded strings borrow the text for the life of the model, as in the library.
    let text: &'static str = Box::leak(text.into_boxed_str());
    let model = model::Model::from_json(text).unwrap_or_else(|e| fail(&e));
    // A build without the `invariants` feature evaluates none (src/fhir/invariants.rs,
    // `EVALUATED`): the model's list of their keys is enough for its options.
    if !evaluates_invariants() {
        model::WRITE_INVARIANTS.store(false, std::sync::atomic::Ordering::Relaxed);
    }
    let bytes = postcard::to_allocvec(&model)
        .unwrap_or_else(|e| fail(&format!("the FHIR model does not encode: {e}")));
    let out =
        std::path::Path::new(&std::env::var("OUT_DIR").unwrap_or_else(|e| fail(&e.to_string())))
            .join("fhir-r4-model.postcard");
    std::fs::write(&out, bytes).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
    write_catalogues(&out.with_file_name(""));
    write_rule_registry(out.with_file_name(""));
}

/// Whether the library is built with the `invariants` feature.
fn evaluates_invariants() -> bool {
    std::env::var_os("CARGO_FEATURE_INVARIANTS").is_some()
}

/// The message catalogues as the library includes them (src/messages.rs): as written, but
/// without the invariants' messages in a build that never shows them (it evaluates no
/// invariant: src/fhir/invariants.rs, `EVALUATED`).
fn write_catalogues(dir: &std::path::Path) {
    let lean = !evaluates_invariants();
    for tag in ["en", "es"] {
        let source = format!("messages/{tag}.json");
        println!("cargo:rerun-if-changed={source}");
        let text =
            std::fs::read_to_string(&source).unwrap_or_else(|e| fail(&format!("{source}: {e}")));
        let text = if lean {
            let mut all: serde_json::Map<String, serde_json::Value> =
                serde_json::from_str(&text).unwrap_or_else(|e| fail(&format!("{source}: {e}")));
            all.retain(|key, _| key != "invariant" && !key.starts_with("invariant."));
            serde_json::to_string(&all).unwrap_or_else(|e| fail(&format!("{source}: {e}")))
        } else {
            text
        };
        let out = dir.join(format!("messages-{tag}.json"));
        std::fs::write(&out, text).unwrap_or_else(|e| fail(&format!("{}: {e}", out.display())));
    }
}

/// The rule families, each a folder of src/rules/, in the order of the rules reference.
const FAMILIES: [(&str, &str); 4] = [
    ("structure", "Structure"),
    ("completeness", "Completeness"),
    ("accuracy", "Accuracy"),
    ("consistency", "Consistency"),
];

/// One file of src/rules/FAMILY/ is one rule: the module of that name, whose `RULE` has the
/// file's name as its code (`date_in_future.rs`: `date-in-future`) and its folder's category.
/// A file that uses `record_rule!` is also run by the engine on every record. Writes, in
/// OUT_DIR, `rules-FAMILY.rs` (the family's module declarations, included by its mod.rs) and
/// `rules-registry.rs` (`ALL` and `RECORD_RULES`, included by src/rules/mod.rs), both sorted by
/// family, then code.
fn write_rule_registry(out: std::path::PathBuf) {
    let root = std::path::PathBuf::from(
        std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|e| fail(&e.to_string())),
    );
    let (mut all, mut record) = (String::new(), String::new());
    for (family, category) in FAMILIES {
        let dir = root.join("src/rules").join(family);
        println!("cargo:rerun-if-changed={}", dir.display());
        let mut files: Vec<std::path::PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| fail(&format!("{}: {e}", dir.display())))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "rs") && !p.ends_with("mod.rs"))
            .collect();
        files.sort();
        let mut modules = String::new();
        for file in files {
            println!("cargo:rerun-if-changed={}", file.display());
            let name = file
                .file_stem()
                .and_then(|s| s.to_str())
                .filter(|s| {
                    s.bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
                })
                .unwrap_or_else(|| {
                    fail(&format!(
                        "{}: a rule file is named in snake_case",
                        file.display()
                    ))
                });
            let source = std::fs::read_to_string(&file)
                .unwrap_or_else(|e| fail(&format!("{}: {e}", file.display())));
            let code = name.replace('_', "-");
            let expect = [
                "pub static RULE: RuleMeta".to_string(),
                format!("code: \"{code}\""),
                format!("category: Category::{category}"),
            ];
            if let Some(missing) = expect.iter().find(|e| !source.contains(e.as_str())) {
                fail(&format!(
                    "{}: a rule file declares `pub static RULE: RuleMeta` with the file's name as its code and its folder's category; `{missing}` is missing",
                    file.display()
                ));
            }
            modules.push_str(&format!(
                "#[path = {:?}]\npub mod {name};\n",
                file.display().to_string()
            ));
            all.push_str(&format!("    &{family}::{name}::RULE,\n"));
            if source.contains("record_rule!") {
                record.push_str(&format!("    &{family}::{name}::Check,\n"));
            }
        }
        let path = out.join(format!("rules-{family}.rs"));
        std::fs::write(&path, modules)
            .unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    }
    let registry = format!(
        "/// Every rule, by family (in the order of the rules reference), then code.\n\
         pub static ALL: &[&RuleMeta] = &[\n{all}];\n\n\
         /// The record rules, run on every resource of their types, in the order of `ALL`.\n\
         pub static RECORD_RULES: &[&dyn Rule] = &[\n{record}];\n"
    );
    let path = out.join("rules-registry.rs");
    std::fs::write(&path, registry).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
}

fn fail(message: &str) -> ! {
    eprintln!("build.rs: {message}");
    std::process::exit(1);
}
