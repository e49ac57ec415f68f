//! The value sets a guide's bindings name, expanded once, when the guide is compiled: from the
//! ValueSets and CodeSystems loaded (the guide's own, and HL7's terminology package,
//! `hl7.terminology.r4`, when it is loaded too), else from R4's own value sets (the model).
//! A value set is expanded only when it can be enumerated: its includes list their codes, or
//! name a whole code system loaded with all of its concepts, or other value sets that can be.
//! One that filters a code system or needs one that is not loaded (SNOMED CT, LOINC, a VSAC
//! value set) is not expanded, and its binding is not checked: never guessed at.

use std::collections::HashMap;
use std::sync::Arc;

use crate::fhir::conformance::CodeSet;
use crate::fhir::model::Model;
use crate::json::{Map, Value};

/// The terminology resources loaded, and what has been expanded of them.
#[derive(Default)]
pub(super) struct Terminology {
    value_sets: HashMap<String, Map>,
    code_systems: HashMap<String, Map>,
    /// By url: the expansion, or None for a value set that cannot be enumerated (or is being
    /// expanded: one that includes itself is not).
    expanded: HashMap<String, Option<Arc<CodeSet>>>,
}

/// The most codes one expansion holds: a value set larger than this (a whole v3 code system
/// of thousands) is still checked, but one of a size no binding needs is refused.
const MAX_CODES: usize = 100_000;

impl Terminology {
    /// Keeps a ValueSet or CodeSystem (others are passed over).
    pub(super) fn add(&mut self, resource: Map) {
        let url = match resource.get("url").and_then(Value::as_str) {
            Some(url) => url.to_string(),
            None => return,
        };
        match resource.get("resourceType").and_then(Value::as_str) {
            Some("ValueSet") => {
                self.value_sets.insert(url, resource);
            }
            Some("CodeSystem") => {
                self.code_systems.insert(url, resource);
            }
            _ => {}
        }
    }

    /// The codes of the value set at `canonical` (`url` or `url|version`; the version is
    /// not told apart), or None where it cannot be enumerated.
    pub(super) fn expand(&mut self, canonical: &str, model: &Model) -> Option<Arc<CodeSet>> {
        let url = canonical.split('|').next().unwrap_or(canonical);
        if let Some(done) = self.expanded.get(url) {
            return done.clone();
        }
        self.expanded.insert(url.to_string(), None);
        let set = self.compute(url, model).map(Arc::new);
        self.expanded.insert(url.to_string(), set.clone());
        set
    }

    fn compute(&mut self, url: &str, model: &Model) -> Option<CodeSet> {
        let Some(vs) = self.value_sets.get(url) else {
            let core = model.value_set(url).filter(|v| v.enumerable)?;
            let mut set = CodeSet::named(url, url);
            for (system, code) in core.codes() {
                set.insert(system, code);
            }
            return Some(set);
        };
        let text = |key: &str| vs.get(key).and_then(Value::as_str);
        let name = text("title")
            .or_else(|| text("name"))
            .unwrap_or(url)
            .to_string();
        let compose = vs.get("compose").cloned();
        let expansion = vs.get("expansion").cloned();
        let mut set = CodeSet::named(url, &name);
        let composed = compose.is_some_and(|c| self.compose(&c, model, &mut set).is_some());
        if composed {
            return Some(set);
        }
        // The publisher's own expansion, where it lists every code.
        let expansion = expansion?;
        let mut set = CodeSet::named(url, &name);
        contains(expansion.get("contains")?, &mut set)?;
        let total = expansion.get("total").and_then(Value::as_u64);
        (total.is_none_or(|t| t as usize == set.len())).then_some(set)
    }

    /// Adds what `compose` includes, less what it excludes. None where it cannot be
    /// enumerated.
    fn compose(&mut self, compose: &Value, model: &Model, set: &mut CodeSet) -> Option<()> {
        for include in compose.get("include")?.as_array()? {
            let part = self.part(include, model)?;
            set.extend(&part);
            if set.len() > MAX_CODES {
                return None;
            }
        }
        let excludes = compose.get("exclude").and_then(Value::as_array);
        for exclude in excludes.into_iter().flatten() {
            let part = self.part(exclude, model)?;
            set.remove_all(&part);
        }
        Some(())
    }

    /// The codes of one include (or exclude): its concepts, or its whole code system, within
    /// the value sets it names.
    fn part(&mut self, include: &Value, model: &Model) -> Option<CodeSet> {
        if include.get("filter").is_some() {
            return None;
        }
        let system = include.get("system").and_then(Value::as_str);
        let mut from_system = None;
        if let Some(system) = system {
            let mut part = CodeSet::named(system, system);
            match include.get("concept").and_then(Value::as_array) {
                Some(concepts) => {
                    for c in concepts {
                        part.insert(system, c.get("code")?.as_str()?);
                    }
                }
                None => {
                    let cs = self.code_systems.get(system)?;
                    // A fragment, an example or a code system whose content is elsewhere
                    // does not list every code.
                    if cs.get("content").and_then(Value::as_str) != Some("complete") {
                        return None;
                    }
                    concepts(system, cs.get("concept")?, &mut part)?;
                }
            }
            from_system = Some(part);
        }
        let mut within: Option<CodeSet> = None;
        let named = include.get("valueSet").and_then(Value::as_array);
        for url in named.into_iter().flatten() {
            let other = self.expand(url.as_str()?, model)?;
            within = Some(match within {
                None => (*other).clone(),
                Some(mut so_far) => {
                    so_far.retain_in(&other);
                    so_far
                }
            });
        }
        match (from_system, within) {
            (Some(mut part), Some(within)) => {
                part.retain_in(&within);
                Some(part)
            }
            (Some(part), None) => Some(part),
            (None, Some(within)) => Some(within),
            (None, None) => None,
        }
    }
}

/// A code system's concepts, and those nested below them.
fn concepts(system: &str, list: &Value, set: &mut CodeSet) -> Option<()> {
    for c in list.as_array()? {
        set.insert(system, c.get("code")?.as_str()?);
        if let Some(below) = c.get("concept") {
            concepts(system, below, set)?;
        }
        if set.len() > MAX_CODES {
            return None;
        }
    }
    Some(())
}

/// An expansion's `contains`, and those nested below them (abstract entries are headings,
/// not codes).
fn contains(list: &Value, set: &mut CodeSet) -> Option<()> {
    for c in list.as_array()? {
        let is_abstract = c.get("abstract").and_then(Value::as_bool) == Some(true);
        if let (Some(system), Some(code), false) = (
            c.get("system").and_then(Value::as_str),
            c.get("code").and_then(Value::as_str),
            is_abstract,
        ) {
            set.insert(system, code);
        }
        if let Some(below) = c.get("contains") {
            contains(below, set)?;
        }
    }
    Some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn resource(json: serde_json::Value) -> Map {
        match Value::from(json) {
            Value::Object(map) => map,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn expands_concepts_whole_systems_and_value_sets_within_others() {
        let model = Model::r4().unwrap_or_else(|e| panic!("{e}"));
        let mut t = Terminology::default();
        t.add(resource(serde_json::json!({"resourceType": "CodeSystem",
            "url": "http://example.org/cs", "content": "complete",
            "concept": [{"code": "a", "concept": [{"code": "a1"}]}, {"code": "b"}]})));
        t.add(resource(serde_json::json!({"resourceType": "CodeSystem",
            "url": "http://example.org/partial", "content": "fragment",
            "concept": [{"code": "x"}]})));
        t.add(resource(serde_json::json!({"resourceType": "ValueSet",
            "url": "http://example.org/vs", "title": "Example Codes",
            "compose": {"include": [{"system": "http://example.org/cs"},
                                    {"system": "http://example.org/other", "concept": [{"code": "z"}]}],
                        "exclude": [{"system": "http://example.org/cs", "concept": [{"code": "b"}]}]}})));
        t.add(resource(serde_json::json!({"resourceType": "ValueSet",
            "url": "http://example.org/union",
            "compose": {"include": [{"valueSet": ["http://example.org/vs"]},
                                    {"valueSet": ["http://hl7.org/fhir/ValueSet/administrative-gender"]}]}})));
        t.add(resource(serde_json::json!({"resourceType": "ValueSet",
            "url": "http://example.org/fragment",
            "compose": {"include": [{"system": "http://example.org/partial"}]}})));
        t.add(resource(serde_json::json!({"resourceType": "ValueSet",
            "url": "http://example.org/filtered",
            "compose": {"include": [{"system": "http://loinc.org",
                                     "filter": [{"property": "CLASS", "op": "=", "value": "x"}]}]}})));
        let vs = t.expand("http://example.org/vs|1.0", &model);
        let vs = vs.unwrap_or_else(|| panic!("not expanded"));
        assert_eq!(vs.name, "Example Codes");
        assert!(vs.contains(Some("http://example.org/cs"), "a1"));
        assert!(!vs.contains(Some("http://example.org/cs"), "b"));
        assert!(vs.contains(None, "z"));
        assert!(vs.has_system("http://example.org/cs"));
        let union = t.expand("http://example.org/union", &model);
        let union = union.unwrap_or_else(|| panic!("not expanded"));
        assert!(union.contains(Some("http://hl7.org/fhir/administrative-gender"), "female"));
        assert!(union.contains(Some("http://example.org/other"), "z"));
        assert!(t.expand("http://example.org/fragment", &model).is_none());
        assert!(t.expand("http://example.org/filtered", &model).is_none());
        assert!(t.expand("http://example.org/not-loaded", &model).is_none());
    }
}
