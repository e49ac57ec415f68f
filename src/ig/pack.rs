//! The compiled form of guides: their profiles as the validator checks them, written once
//! (`ehrlint ig pack`) so that a page loads a guide without shipping, parsing or compiling its
//! JSON. Every build reads it; US Core 6.1.0's is built in (data/us-core-6.1.0.pack).
//!
//! Layout: [`MAGIC`], the format's version (one byte), then the profiles in postcard, each
//! sorted by url so that a guide packed twice is the same bytes.

use serde::{Deserialize, Serialize};

use super::Registry;
use crate::fhir::conformance::{shared, Profile};

const MAGIC: &[u8] = b"ehrlint-pack";

/// The version of the layout below [`MAGIC`]: a pack written by a build with another one is
/// refused with a clear error, never misread.
const FORMAT: u8 = 1;

/// What a pack holds.
#[derive(Serialize, Deserialize)]
struct Body {
    profiles: Vec<Profile>,
    datatypes: Vec<Profile>,
    /// Profiles loaded but not compiled, with the base they need.
    not_compiled: Vec<(String, String)>,
}

/// The compiled form of `registry`.
#[cfg(feature = "ig-json")]
pub fn write(registry: &Registry) -> Result<Vec<u8>, String> {
    let sorted = |map: &std::collections::HashMap<String, Profile>| {
        let mut list: Vec<Profile> = map.values().cloned().collect();
        list.sort_by(|a, b| a.url.cmp(&b.url));
        list
    };
    let mut not_compiled: Vec<(String, String)> = registry
        .not_compiled
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    not_compiled.sort();
    let body = Body {
        profiles: sorted(&registry.profiles),
        datatypes: sorted(&registry.datatypes),
        not_compiled,
    };
    let mut out = MAGIC.to_vec();
    out.push(FORMAT);
    shared(|| postcard::to_extend(&body, out))
        .map_err(|e| format!("the compiled guides could not be written: {e}"))
}

/// Whether the file at `path` is a compiled guide (it starts as one).
#[cfg(not(target_arch = "wasm32"))]
pub fn is_pack(path: &std::path::Path) -> bool {
    use std::io::Read;
    let mut start = [0u8; MAGIC.len()];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut start))
        .is_ok_and(|()| start == MAGIC)
}

/// Reads a pack. Err says why it is not one this build reads; no input makes it panic.
pub fn read(bytes: &[u8]) -> Result<Registry, String> {
    let Some(rest) = bytes.strip_prefix(MAGIC) else {
        return Err("not a compiled guide (`ehrlint ig pack` writes them)".into());
    };
    let Some((&format, rest)) = rest.split_first() else {
        return Err("a compiled guide cut short".into());
    };
    if format != FORMAT {
        return Err(format!(
            "a compiled guide in format {format}, and this version of ehrlint reads format {FORMAT}: write it again with its `ehrlint ig pack`"
        ));
    }
    let body: Body = shared(|| postcard::from_bytes(rest))
        .map_err(|e| format!("a compiled guide that does not read: {e}"))?;
    let by_url = |list: Vec<Profile>| list.into_iter().map(|p| (p.url.clone(), p)).collect();
    Ok(Registry {
        profiles: by_url(body.profiles),
        datatypes: by_url(body.datatypes),
        not_compiled: body.not_compiled.into_iter().collect(),
    })
}

/// Code systems whose content ehrlint never ships (their licences): a pack built into
/// ehrlint leaves their codes out ([`leave_out_licensed`]).
#[cfg(feature = "ig-json")]
const LICENSED: [&str; 3] = [
    "http://loinc.org",
    "http://snomed.info/sct",
    "http://www.ama-assn.org/go/cpt",
];

/// Leaves out of `registry` every code of a licensed code system but those `kept` names
/// (`system|code`): a binding to a value set holding one is not checked, a fixed or pattern
/// value holding one is not either, nor a slicing told apart by one; each is listed with its
/// profile as left out. Never a partial value set, which would make valid codes errors.
#[cfg(feature = "ig-json")]
pub fn leave_out_licensed(registry: &mut Registry, kept: &std::collections::HashSet<String>) {
    use crate::fhir::conformance::{Constraint, Expect};
    let licensed = |system: &str, code: &str| {
        LICENSED.contains(&system) && !kept.contains(&format!("{system}|{code}"))
    };
    let in_value = |value: &crate::json::Value| {
        let mut found = false;
        crate::fhir::conformance::each_coding(value, &mut |system, code| {
            found |= licensed(system, code);
        });
        found
    };
    fn visit(
        list: &mut [Constraint],
        left_out: &mut Vec<String>,
        in_set: &dyn Fn(&crate::fhir::conformance::CodeSet) -> bool,
        in_value: &dyn Fn(&crate::json::Value) -> bool,
    ) {
        const WHY: &str = "a code ehrlint does not ship (LOINC, SNOMED CT, CPT)";
        for c in list {
            if c.binding.as_ref().is_some_and(|b| in_set(&b.set)) {
                c.binding = None;
                left_out.push(format!("{} (binding: {WHY})", c.path));
            }
            if c.value.as_ref().is_some_and(|v| in_value(&v.value)) {
                c.value = None;
                left_out.push(format!("{} (value: {WHY})", c.path));
            }
            let told_apart = |s: &Constraint| {
                s.tests.iter().any(|t| match &t.expect {
                    Expect::Value(r) => in_value(&r.value),
                    Expect::InSet(set) => in_set(set),
                    _ => false,
                })
            };
            if let Some(slicing) = c.slicing.as_mut() {
                if slicing.slices.iter().any(told_apart) {
                    c.slicing = None;
                    left_out.push(format!("{} (slicing: {WHY})", c.path));
                } else {
                    visit(&mut slicing.slices, left_out, in_set, in_value);
                }
            }
            visit(&mut c.children, left_out, in_set, in_value);
        }
    }
    let in_set = |set: &crate::fhir::conformance::CodeSet| set.any(&licensed);
    for p in registry
        .profiles
        .values_mut()
        .chain(registry.datatypes.values_mut())
    {
        visit(&mut p.elements, &mut p.left_out, &in_set, &in_value);
    }
}

#[cfg(all(test, feature = "ig-json"))]
mod tests {
    use super::*;
    use crate::ig::testing::us_core as us_core_json;

    /// A profile as far as the check reads it, for comparing.
    fn shape(p: &Profile) -> impl PartialEq + std::fmt::Debug + '_ {
        let keys: Vec<(&str, &str, &str)> = p
            .invariants
            .iter()
            .map(|i| (i.key, i.pointer.as_str(), i.expression.as_str()))
            .collect();
        (
            &p.title,
            &p.resource_type,
            &p.elements,
            &p.left_out,
            &p.extension,
            keys,
        )
    }

    #[test]
    fn a_pack_reads_back_as_the_profiles_it_was_written_from() {
        let compiled = us_core_json();
        let bytes = write(&compiled).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            write(&compiled).ok(),
            Some(bytes.clone()),
            "the same bytes each time"
        );
        let read = read(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(read.profiles.len(), compiled.profiles.len());
        assert_eq!(read.datatypes.len(), compiled.datatypes.len());
        assert_eq!(read.not_compiled, compiled.not_compiled);
        for (url, p) in compiled.profiles.iter().chain(&compiled.datatypes) {
            let back = read.profiles.get(url).or_else(|| read.datatypes.get(url));
            assert_eq!(back.map(shape), Some(shape(p)), "{url}");
        }
        // A value set several elements share is read once, and shared again.
        let sets = |r: &Registry| {
            let mut n = std::collections::HashSet::new();
            fn visit(
                list: &[crate::fhir::conformance::Constraint],
                n: &mut std::collections::HashSet<usize>,
            ) {
                for c in list {
                    if let Some(b) = &c.binding {
                        n.insert(std::sync::Arc::as_ptr(&b.set) as usize);
                    }
                    visit(&c.children, n);
                    for s in c.slicing.iter().flat_map(|s| &s.slices) {
                        visit(std::slice::from_ref(s), n);
                    }
                }
            }
            r.profiles.values().for_each(|p| visit(&p.elements, &mut n));
            n.len()
        };
        assert!(
            sets(&read) <= sets(&compiled),
            "{} {}",
            sets(&read),
            sets(&compiled)
        );
    }

    #[test]
    fn what_is_not_a_pack_is_refused_never_misread() {
        let bytes = write(&us_core_json()).unwrap_or_else(|e| panic!("{e}"));
        assert!(read(b"{\"resourceType\": \"Patient\"}")
            .is_err_and(|e| e.contains("not a compiled guide")));
        let mut other = bytes.clone();
        other[MAGIC.len()] = FORMAT + 1;
        assert!(read(&other).is_err_and(|e| e.contains("ehrlint ig pack")));
        // Cut anywhere, or with a byte changed, it reads or it is refused: it never panics.
        for cut in (0..bytes.len()).step_by(97) {
            assert!(read(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        for at in (MAGIC.len() + 1..bytes.len()).step_by(89) {
            let mut changed = bytes.clone();
            changed[at] ^= 0x5a;
            let _ = read(&changed);
        }
    }

    #[test]
    fn elements_nested_without_end_are_refused() {
        use crate::fhir::conformance::Constraint;
        let mut deep = Constraint::base("a", false, "X.a".into(), 0, None);
        for _ in 0..200 {
            let mut up = Constraint::base("a", false, "X.a".into(), 0, None);
            up.children.push(deep);
            deep = up;
        }
        let profile = Profile {
            url: "http://example.org/deep".into(),
            version: None,
            title: "Deep".into(),
            resource_type: "Basic".into(),
            elements: vec![deep],
            left_out: Vec::new(),
            extension: None,
            invariants: Vec::new(),
        };
        let mut registry = Registry::default();
        registry.profiles.insert(profile.url.clone(), profile);
        let bytes = write(&registry).unwrap_or_else(|e| panic!("{e}"));
        assert!(read(&bytes).is_err_and(|e| e.contains("does not read")));
    }

    #[test]
    fn the_built_in_us_core_has_every_profile_and_no_licensed_code_but_those_shipped() {
        let built_in = Registry::built_in().unwrap_or_else(|e| panic!("{e}"));
        let us_core = built_in
            .profiles
            .keys()
            .filter(|u| u.starts_with("http://hl7.org/fhir/us/core/"))
            .count();
        assert_eq!(
            us_core, 48,
            "US Core's profiles but QuestionnaireResponse (on SDC's)"
        );
        assert!(built_in
            .profiles
            .contains_key("http://hl7.org/fhir/StructureDefinition/bp"));
        // LOINC codes: only those data/plausible-ranges.tsv (keys only) and the panels give.
        let ranges = include_str!("../../data/plausible-ranges.tsv");
        let shipped: std::collections::HashSet<&str> = ranges
            .lines()
            .filter(|l| !l.starts_with('#'))
            .skip(1)
            .filter_map(|l| l.split('\t').next())
            .chain(["85353-1", "85354-9"])
            .collect();
        let mut found = Vec::new();
        let mut note = |system: &str, code: &str| {
            let licensed = LICENSED.contains(&system);
            if licensed && !(system == "http://loinc.org" && shipped.contains(code)) {
                found.push(format!("{system}|{code}"));
            }
        };
        fn visit(list: &[crate::fhir::conformance::Constraint], note: &mut dyn FnMut(&str, &str)) {
            for c in list {
                if let Some(b) = &c.binding {
                    b.set.any(&|s, c| {
                        // any() takes a Fn: the codes are gathered through a RefCell.
                        FOUND.with(|f| f.borrow_mut().push((s.to_string(), c.to_string())));
                        false
                    });
                }
                if let Some(v) = &c.value {
                    crate::fhir::conformance::each_coding(&v.value, note);
                }
                visit(&c.children, note);
                for s in c.slicing.iter().flat_map(|s| &s.slices) {
                    visit(std::slice::from_ref(s), note);
                }
            }
        }
        thread_local! {
            static FOUND: std::cell::RefCell<Vec<(String, String)>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        for p in built_in
            .profiles
            .values()
            .chain(built_in.datatypes.values())
        {
            visit(&p.elements, &mut note);
        }
        for (s, c) in FOUND.with(|f| f.take()) {
            note(&s, &c);
        }
        assert_eq!(found, Vec::<String>::new());
        // What needed another is listed as left out, never guessed at.
        let smoking = &built_in.profiles
            ["http://hl7.org/fhir/us/core/StructureDefinition/us-core-smokingstatus"];
        assert!(
            smoking
                .left_out
                .iter()
                .any(|l| l.starts_with("Observation.code") && l.contains("does not ship")),
            "{:?}",
            smoking.left_out
        );
    }
}
