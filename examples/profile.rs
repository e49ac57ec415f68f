//! For profiling under callgrind (instruction counts are repeatable on a shared machine):
//! `cargo build --release --example profile` then
//! `valgrind --tool=callgrind target/release/examples/profile new` (Validator::new alone), or
//! `... profile validate` (every spec example of tools/node_modules/hl7.fhir.r4.examples under
//! 1 MB, validated once as JSON text; `EHRLINT_MAX_BYTES=4000` keeps only those up to that
//! size, as the median record is 2.6 KB and the large ones dominate a count over all;
//! `EHRLINT_ROUNDS=N` repeats them N times), or
//! `... profile 'repeat={"resourceType":"Basic"}'` (one record, a file or JSON text, 1,000
//! times).
use ehrlint::{Context, Options, Validator};

fn main() {
    let what = std::env::args().nth(1).unwrap_or_default();
    let v = Validator::new(Options::default()).expect("validator");
    let ctx = Context::default();
    if let Some(path) = what.strip_prefix("repeat=") {
        // `repeat=FILE`: one record, 1,000 times (the fixed costs of a call show).
        let text = std::fs::read_to_string(path).unwrap_or_else(|_| path.to_string());
        for _ in 0..1000 {
            std::hint::black_box(v.validate_json(&text, &ctx).ok());
        }
        return;
    }
    if what != "validate" {
        return;
    }
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tools/node_modules/hl7.fhir.r4.examples"
    );
    let max_bytes: usize = std::env::var("EHRLINT_MAX_BYTES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let mut texts = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("examples")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    names.sort();
    for path in names {
        if path.extension().is_some_and(|e| e == "json") && !path.ends_with("package.json") {
            if let Ok(text) = std::fs::read_to_string(&path) {
                if text.len() < max_bytes {
                    texts.push(text);
                }
            }
        }
    }
    // `EHRLINT_ROUNDS=N` validates them N times, for a sampling profiler (perf) to see the
    // validation rather than the reading of the files.
    let rounds: usize = std::env::var("EHRLINT_ROUNDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1);
    let mut n = 0;
    for _ in 0..rounds {
        for text in &texts {
            n += std::hint::black_box(v.validate_json(text, &ctx)).map_or(0, |r| r.issues.len());
        }
    }
    println!("{} records, {n} issues", texts.len());
}
