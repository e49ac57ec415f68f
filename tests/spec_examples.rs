//! Official examples are valid records: ehrlint must give none of them an error, except for
//! the defects really in them, listed in tests/spec-examples-known.json with the reason each is
//! a defect. The FHIR R4 examples (npm hl7.fhir.r4.examples 4.0.1, pinned with its sha512 in
//! tools/package-lock.json), all 5,306; and the packages of two published Implementation
//! Guides (tools/ig-packages.txt), examples and conformance resources alike. scripts/setup.sh
//! installs both.

/// Defects in the examples themselves, each verified by hand: file (a pattern; a guide's as
/// `package/file`), rule code (an invariant's as `invariant:key`), path (a pattern) and the
/// reason it is a defect. The same list is the "defects in the official examples" section of
/// docs/conformance.md (`node tools/conformance.mjs --write`).
#[derive(serde::Deserialize)]
struct Known {
    file: String,
    code: String,
    path: String,
    reason: String,
}

fn known() -> Vec<Known> {
    let known: Vec<Known> = serde_json::from_str(include_str!("spec-examples-known.json"))
        .expect("tests/spec-examples-known.json reads");
    assert!(
        known.iter().all(|k| !k.reason.is_empty()),
        "every defect has its reason"
    );
    known
}

/// `pattern` with `*` for any text within a name or step, and `**` for any steps.
fn matches(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, tail)) => {
            let Some(rest) = text.strip_prefix(head) else {
                return false;
            };
            let (tail, deep) = match tail.strip_prefix('*') {
                Some(t) => (t, true),
                None => (tail, false),
            };
            (0..=rest.len())
                .filter(|&i| rest.is_char_boundary(i))
                .filter(|&i| deep || !rest[..i].contains('/'))
                .any(|i| matches(tail, &rest[i..]))
        }
    }
}

use ehrlint::{Context, IgSource, Options, Severity, Validator};
use serde_json::Value;

/// An issue's code, and an invariant's key with it: `invariant:obs-6`.
fn id(issue: &ehrlint::Issue) -> String {
    match issue.invariant {
        Some(key) => format!("{}:{key}", issue.code),
        None => issue.code.to_string(),
    }
}

/// Validates each file and returns the failures: a file with an error that is not a known
/// defect, or without a known defect of its own. `name` is what `Known::file` matches.
fn check(
    validator: &Validator,
    files: impl Iterator<Item = (String, std::path::PathBuf)>,
    known: &[Known],
) -> (usize, Vec<String>, Vec<String>) {
    let (mut all, mut types, mut failures) = (0, Vec::new(), Vec::new());
    for (name, path) in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let report = validator.validate_json(&text, &Context::default()).unwrap();
        all += 1;
        let rt = serde_json::from_str::<Value>(&text).unwrap()["resourceType"]
            .as_str()
            .unwrap_or("")
            .to_string();
        types.push(rt);
        let known: Vec<(&str, &str)> = known
            .iter()
            .filter(|k| matches(&k.file, &name))
            .map(|k| (k.code.as_str(), k.path.as_str()))
            .collect();
        let errors: Vec<&ehrlint::Issue> = report
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .collect();
        // Every error is a known defect, and every known defect is found.
        let unknown = errors
            .iter()
            .any(|i| !known.iter().any(|k| k.0 == id(i) && matches(k.1, &i.path)));
        let missed = known
            .iter()
            .any(|k| !errors.iter().any(|i| k.0 == id(i) && matches(k.1, &i.path)));
        if unknown || missed {
            let shown: Vec<String> = errors
                .iter()
                .map(|i| format!("{} {} {}", id(i), i.path, i.message))
                .collect();
            failures.push(format!("{name}: {shown:?}"));
        }
    }
    (all, types, failures)
}

/// The JSON files of a folder, by name, package.json and npm's index files aside.
fn json_files(dir: &str) -> Vec<(String, std::path::PathBuf)> {
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_name()?.to_string_lossy().to_string();
            let skip = !name.ends_with(".json")
                || name == "package.json"
                || name.starts_with('.')
                || name.ends_with(".index.json");
            (!skip).then_some((name, path))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn spec_examples_give_no_errors() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tools/node_modules/hl7.fhir.r4.examples"
    );
    let manifest: Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{dir}/package.json"))
            .expect("FHIR R4 examples missing: run scripts/setup.sh (npm ci in tools/)"),
    )
    .unwrap();
    assert_eq!(manifest["version"], "4.0.1");

    // Some examples are Bundles of the whole specification (StructureDefinitions, value sets),
    // up to 35 MB: above the 10 MB default size limit meant for records.
    let options =
        Options::from_json(serde_json::json!({ "limits": { "maxBytes": 40_000_000 } })).unwrap();
    let validator = Validator::new(options).unwrap();
    let (all, types, failures) = check(&validator, json_files(dir).into_iter(), &known());
    let supported = validator.supported_types();
    assert_eq!(all, 5306, "all examples read");
    assert!(
        types.iter().all(|t| supported.contains(&t.as_str())),
        "every example is of a type ehrlint checks"
    );
    assert!(
        failures.is_empty(),
        "{} examples with errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The packages of two published Implementation Guides (tools/ig-packages.txt: IPS 2.0.0,
/// mCODE 4.0.0): their examples (Bundles, patients, conditions, genomics reports...) and
/// their own conformance resources (StructureDefinitions, ValueSets, CapabilityStatements)
/// are valid FHIR R4, so none gets an error from the core definitions and the default
/// profile, except the known defects (named `package/file` in tests/spec-examples-known.json).
/// Each guide is loaded (mCODE with US Core 6.1.0, which it builds on, and both with HL7's
/// terminology package, whose value sets their bindings name), so the examples are
/// also checked against the profiles they claim, as far as ehrlint compiles them (src/ig/);
/// the test counts the examples whose every claimed profile was loaded and compiled.
#[test]
fn implementation_guide_examples_give_no_errors() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/ig-packages");
    let us_core = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/ig/us-core-6.1.0");
    // HL7's terminology package: the code systems and value sets the guides' bindings name.
    let terminology = format!("{root}/hl7.terminology.r4-7.0.1");
    let known = known();
    // Files per package, as the registry publishes them: (package folder, files at its root,
    // files in example/, the guides it builds on, examples checked against a profile of a
    // guide loaded, examples its IG Publisher found errors in).
    let expected = [
        ("hl7.fhir.uv.ips-2.0.0", 74, 44, &[][..], 44, 0),
        ("hl7.fhir.us.mcode-4.0.0", 171, 179, &[us_core][..], 140, 5),
    ];
    let mut failures = Vec::new();
    for (package, definitions, examples, builds_on, profiled, publisher_flagged) in expected {
        let dir = format!("{root}/{package}/package");
        assert!(
            std::path::Path::new(&dir).is_dir(),
            "{dir} missing: run scripts/setup.sh (it fetches tools/ig-packages.txt)"
        );
        // The guide loaded, with those it builds on: its examples meet its profiles.
        let mut guides: Vec<IgSource> =
            builds_on.iter().map(|g| IgSource::Path(g.into())).collect();
        guides.push(IgSource::Path(dir.clone().into()));
        guides.push(IgSource::Path(terminology.clone().into()));
        let validator = Validator::new(Options::with_ig(guides)).unwrap();
        let claims = |path: &std::path::Path| {
            let text = std::fs::read_to_string(path).unwrap();
            let report = validator.validate_json(&text, &Context::default()).unwrap();
            let value: Value = serde_json::from_str(&text).unwrap();
            value.pointer("/meta/profile").is_some()
                && !report.issues.iter().any(|i| i.code == "profile-unknown")
        };
        let checked = json_files(&format!("{dir}/example"))
            .iter()
            .filter(|(_, path)| claims(path))
            .count();
        assert_eq!(
            checked, profiled,
            "{package}: examples checked against their profiles"
        );
        // The guide's own IG Publisher results (other/validation-summary.json and
        // validation-oo.json): the examples it found error-free get no error here either (as
        // every example, below). Those it found errors in, it found them through a terminology
        // server (tx.fhir.org, unreachable when the package was built; an HGVS expression
        // service), which ehrlint, offline, does not consult: the test names them.
        let read = |file: &str| -> Value {
            serde_json::from_str(&std::fs::read_to_string(format!("{dir}/other/{file}")).unwrap())
                .unwrap()
        };
        let (summary, outcomes) = (read("validation-summary.json"), read("validation-oo.json"));
        let mut flagged = Vec::new();
        for (file, path) in json_files(&format!("{dir}/example")) {
            let text = std::fs::read_to_string(&path).unwrap();
            let value: Value = serde_json::from_str(&text).unwrap();
            let key = format!(
                "{}/{}",
                value["resourceType"].as_str().unwrap_or(""),
                value["id"].as_str().unwrap_or("")
            );
            if summary[&key]["errors"].as_u64().unwrap_or(0) == 0 {
                continue;
            }
            let outcome = outcomes["entry"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|e| e["resource"]["id"] == key.replace('/', "-"));
            let errors = outcome
                .and_then(|e| e["resource"]["issue"].as_array())
                .into_iter()
                .flatten()
                .filter(|i| i["severity"] == "error");
            for issue in errors {
                let said = issue["details"]["text"].as_str().unwrap_or("");
                assert!(
                    said.contains("tx.fhir.org") || said.contains("Human Genome Variation Society"),
                    "{package} {file}: the publisher's error is not a terminology server's: {said}"
                );
            }
            let report = validator.validate_json(&text, &Context::default()).unwrap();
            assert_eq!(report.errors().count(), 0, "{package} {file}");
            flagged.push(key);
        }
        assert_eq!(
            flagged.len(),
            publisher_flagged,
            "{package}: examples the IG Publisher found errors in: {flagged:?}"
        );
        let name = package.rsplit_once('-').map_or(package, |(n, _)| n);
        for (folder, count) in [("", definitions), ("/example", examples)] {
            let files = json_files(&format!("{dir}{folder}"))
                .into_iter()
                .map(|(file, path)| (format!("{name}/{file}"), path));
            let (all, types, mut failed) = check(&validator, files, &known);
            assert_eq!(all, count, "{package}{folder}: files read");
            assert!(
                types
                    .iter()
                    .all(|t| validator.supported_types().contains(&t.as_str())),
                "{package}{folder}: every file is a resource of a type ehrlint checks: {types:?}"
            );
            failures.append(&mut failed);
        }
    }
    assert!(
        failures.is_empty(),
        "{} files with errors:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// IPS 2.0.0 compiled once (`ehrlint::pack_guides`, what `ehrlint ig pack` writes) checks every
/// example of the guide as the guide's own JSON does: the same issues, example by example, so
/// that a page loading the compiled form loses nothing. (The demo page's data/ips-2.0.0.pack
/// also leaves out the licensed codes, tools/gen-packs.sh, which --check keeps up to date.)
#[test]
fn a_compiled_guide_checks_as_its_json_does() {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tools/ig-packages");
    let ips = IgSource::Path(format!("{root}/hl7.fhir.uv.ips-2.0.0/package").into());
    let terminology = IgSource::Path(format!("{root}/hl7.terminology.r4-7.0.1").into());
    let options = ehrlint::PackOptions {
        terminology: vec![terminology.clone()],
        ..Default::default()
    };
    let pack = ehrlint::pack_guides(std::slice::from_ref(&ips), &options).unwrap();
    let from_json = Validator::new(Options::with_ig(vec![ips, terminology])).unwrap();
    let compiled = Validator::new(Options::with_ig(vec![IgSource::Pack(pack)])).unwrap();
    let issues = |v: &Validator, text: &str| -> Vec<(&'static str, String, String)> {
        let report = v.validate_json(text, &Context::default()).unwrap();
        report
            .issues
            .into_iter()
            .map(|i| (i.code, i.path, i.message))
            .collect()
    };
    let dir = format!("{root}/hl7.fhir.uv.ips-2.0.0/package/example");
    let mut checked = 0;
    for (file, path) in json_files(&dir) {
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            issues(&compiled, &text),
            issues(&from_json, &text),
            "{file}"
        );
        checked += 1;
    }
    assert_eq!(checked, 44, "every IPS example");
}
