//! The JSON reader alone (`Validator::parse`: the limits and the duplicate-property notes) over
//! every FHIR R4 spec example (tools/node_modules/hl7.fhir.r4.examples): the median time per
//! file and the throughput, over `PARSE_ROUNDS` passes (default 15).
//!
//! Run: `cargo bench --bench parse`. Timings on a shared machine drift by several per cent
//! between runs; for changes smaller than that, count instructions, which do not drift: the
//! difference between `PARSE_ROUNDS=1` and `PARSE_ROUNDS=0` under
//! `valgrind --tool=cachegrind --cache-sim=no` is one pass over every file (the files are read
//! and parsed once before the passes, to keep those that are JSON).

use std::time::Instant;

use ehrlint::{Options, Validator};

fn main() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tools/node_modules/hl7.fhir.r4.examples"
    );
    // The whole-specification Bundles (up to 35 MB) are above the default size limit.
    let options = Options::from_json(serde_json::json!({ "limits": { "maxBytes": 40_000_000 } }))
        .expect("options");
    let validator = Validator::new(options).expect("schemas compile");
    let mut texts = Vec::new();
    for entry in std::fs::read_dir(dir).expect("run scripts/setup.sh first") {
        let path = entry.expect("readable dir").path();
        if let Ok(text) = std::fs::read_to_string(&path) {
            if validator.parse(&text).is_ok() {
                texts.push(text);
            }
        }
    }
    texts.sort();
    let rounds: usize = std::env::var("PARSE_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(15);
    let mut times = vec![Vec::with_capacity(rounds); texts.len()];
    for _ in 0..rounds {
        for (text, times) in texts.iter().zip(&mut times) {
            let t = Instant::now();
            std::hint::black_box(validator.parse(text).ok());
            times.push(t.elapsed().as_secs_f64());
        }
    }
    if rounds == 0 {
        return;
    }
    let median = |mut v: Vec<f64>| {
        v.sort_by(|a, b| a.total_cmp(b));
        v[v.len() / 2]
    };
    let per_file: Vec<f64> = times.into_iter().map(median).collect();
    let total: f64 = per_file.iter().sum();
    let bytes: usize = texts.iter().map(String::len).sum();
    println!(
        "parse: {} files, median {:.2} us per file, {:.0} MB/s over all of them (one core)",
        texts.len(),
        median(per_file.clone()) * 1e6,
        bytes as f64 / total / 1e6
    );
}
