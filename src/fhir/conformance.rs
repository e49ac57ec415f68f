//! Implementation Guide profiles as the validator checks them: a StructureDefinition's
//! constraints on a resource type compiled into a tree of the elements it constrains (the
//! cardinality it narrows, its fixed and pattern values), and the check of a resource against
//! one. src/ig/ builds them from a package's StructureDefinitions; this module knows nothing
//! of packages. The R4 walk has already checked what the base type requires: a profile's
//! check reports only what the profile adds.

use std::collections::{HashMap, HashSet};
use std::fmt::Write;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::json::{Map, Value};

/// A profile, compiled. It serializes to the compiled form `ehrlint ig pack` writes
/// (src/ig/pack.rs): value sets shared by several elements written once ([`shared_set`]).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Profile {
    /// Its canonical URL, without a version.
    pub url: String,
    pub version: Option<String>,
    /// What people call it: the definition's title, else its name ("US Core Patient Profile").
    pub title: String,
    /// The resource type it constrains.
    pub resource_type: String,
    /// The constrained elements directly below the resource, each with its own below it.
    pub elements: Vec<Constraint>,
    /// The ids of the definition's elements not compiled (a slice of a slice, a slicing
    /// whose discriminator is not resolved, the resource's own constraints): what the check
    /// does not cover.
    pub left_out: Vec<String>,
    /// For an extension's definition: where it may be used.
    pub extension: Option<ExtensionUse>,
    /// Its own invariants (and those of the profiles it builds on), each as an expression on
    /// the resource.
    #[serde(with = "shared_invariants")]
    pub invariants: Vec<Arc<ProfileInvariant>>,
}

/// An invariant a profile adds (`us-core-2`), made an expression on the resource: an
/// element's as `path.all(expression)`, so that it holds on each occurrence.
#[derive(Debug)]
pub struct ProfileInvariant {
    /// Interned: issues name it as they name R4's own ([`intern`]).
    pub key: &'static str,
    pub error: bool,
    pub human: String,
    /// Where an issue about it sits: the element's JSON Pointer below the resource
    /// (`/effective[x]`), or the resource's.
    pub pointer: String,
    /// The expression as compiled (`effective.all(...)`): what a pack keeps of it.
    pub expression: String,
    pub expr: crate::fhir::fhirpath::Expr,
}

/// One `&'static str` per distinct invariant key a guide has brought, kept for the life of the
/// program: a report names an invariant by a static key, and a guide's keys are few (US
/// Core's are 21), so loading guides again does not grow it.
pub fn intern(key: &str) -> &'static str {
    use std::sync::{Mutex, OnceLock};
    static KEYS: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
    let keys = KEYS.get_or_init(|| Mutex::new(HashSet::new()));
    let mut keys = match keys.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    };
    if let Some(known) = keys.get(key) {
        return known;
    }
    let leaked: &'static str = Box::leak(key.to_string().into_boxed_str());
    keys.insert(leaked);
    leaked
}

/// Where an extension's definition allows it, and how.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ExtensionUse {
    /// The elements it may extend (`Patient`, `Observation.component`, `Element` for any).
    pub contexts: Vec<String>,
    /// A modifier extension (in `modifierExtension`).
    pub modifier: bool,
}

/// What a profile says of one element, and of the elements below it; or of one slice of an
/// element (`slice_name`), whose occurrences are those that pass its `tests`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Constraint {
    /// The JSON name; a choice element's base name (`value` for `value[x]`).
    pub name: String,
    pub choice: bool,
    /// The element's id as the definitions write it (`Patient.identifier.system`,
    /// `Observation.category:Laboratory`).
    pub path: String,
    pub min: u32,
    /// None: unbounded.
    pub max: Option<u32>,
    /// The cardinality of the element the profile constrains (the base type's, or the base
    /// profile's): only a narrower one is the profile's to report.
    pub base_min: u32,
    pub base_max: Option<u32>,
    /// A fixed or pattern value each occurrence must have.
    pub value: Option<Required>,
    /// The value set its codes come from, where it could be expanded.
    pub binding: Option<Binding>,
    /// The types a choice is narrowed to (`dateTime`, `Period`); empty: the base's.
    pub types: Vec<String>,
    /// The profiles its type names (an extension slice's definition).
    pub profiles: Vec<String>,
    pub must_support: bool,
    /// Whether an invariant decides when it is present (its definition's `condition`, as a
    /// vital sign's value and data-absent reason): its must-support is not judged alone.
    pub conditional: bool,
    /// The element's slices, where the profile slices it.
    pub slicing: Option<Slicing>,
    /// A slice's name (`race` of `Patient.extension:race`).
    pub slice_name: Option<String>,
    /// What an occurrence of the element shows to be one of this slice: every test passes.
    pub tests: Vec<Test>,
    #[serde(deserialize_with = "wire::nested")]
    pub children: Vec<Constraint>,
}

/// How an element's occurrences are told apart (its discriminators), and what each slice
/// requires of those that are one of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Slicing {
    /// As the definition gives them: (`value`, `url`), (`pattern`, `$this`)...
    pub discriminators: Vec<(String, String)>,
    /// Closed: every occurrence is one of the slices.
    pub closed: bool,
    #[serde(deserialize_with = "wire::nested")]
    pub slices: Vec<Constraint>,
}

/// One discriminator of a slicing, as a slice resolves it: what an occurrence holds at `path`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Test {
    pub path: Vec<Step>,
    pub expect: Expect,
}

/// A step of a discriminator's path.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Step {
    /// An element, by its JSON name (a choice by its base name).
    Member(String),
    /// `extension('url')`: the extensions with that url.
    Extension(String),
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Expect {
    /// Some value at the path is this value (`value` discriminators on a fixed value) or has
    /// what this pattern gives (`pattern`).
    Value(Required),
    /// Something is, or nothing is, at the path.
    Exists(bool),
    /// A resource of this type is at the path.
    ResourceType(String),
    /// A code of this value set is at the path (a slice told apart by its required binding).
    InSet(#[serde(with = "shared_set")] Arc<CodeSet>),
}

/// A binding the profile gives an element, with its value set expanded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Binding {
    pub strength: Strength,
    #[serde(with = "shared_set")]
    pub set: Arc<CodeSet>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Strength {
    /// The code is one of the value set's.
    Required,
    /// One of the value set's where one fits: a code of the value set's own code system
    /// that is not in it is suspect.
    Extensible,
    /// As extensible, but only a recommendation.
    Preferred,
}

/// The codes of a value set, by code system.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CodeSet {
    pub url: String,
    /// What people call it: its title, else its name, else its url.
    pub name: String,
    #[serde(with = "sorted_codes")]
    codes: HashMap<String, HashSet<String>>,
}

impl CodeSet {
    pub fn named(url: &str, name: &str) -> Self {
        CodeSet {
            url: url.to_string(),
            name: name.to_string(),
            codes: HashMap::new(),
        }
    }

    pub fn insert(&mut self, system: &str, code: &str) {
        self.codes
            .entry(system.to_string())
            .or_default()
            .insert(code.to_string());
    }

    pub fn extend(&mut self, other: &CodeSet) {
        for (system, codes) in &other.codes {
            self.codes
                .entry(system.clone())
                .or_default()
                .extend(codes.iter().cloned());
        }
    }

    /// Keeps only the codes `other` has too.
    pub fn retain_in(&mut self, other: &CodeSet) {
        for (system, codes) in self.codes.iter_mut() {
            codes.retain(|c| other.contains(Some(system), c));
        }
        self.codes.retain(|_, codes| !codes.is_empty());
    }

    pub fn remove_all(&mut self, other: &CodeSet) {
        for (system, codes) in self.codes.iter_mut() {
            codes.retain(|c| !other.contains(Some(system), c));
        }
    }

    pub fn len(&self) -> usize {
        self.codes.values().map(HashSet::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether `code` is in it: from `system`, or from any system when none is given (a
    /// `code` element).
    pub fn contains(&self, system: Option<&str>, code: &str) -> bool {
        match system {
            Some(system) => self.codes.get(system).is_some_and(|c| c.contains(code)),
            None => self.codes.values().any(|c| c.contains(code)),
        }
    }

    /// Whether any of its codes is one that `f` (system, code) picks.
    pub fn any(&self, f: &dyn Fn(&str, &str) -> bool) -> bool {
        self.codes
            .iter()
            .any(|(system, codes)| codes.iter().any(|c| f(system, c)))
    }

    /// Whether it takes codes from `system`.
    pub fn has_system(&self, system: &str) -> bool {
        self.codes.contains_key(system)
    }
}

/// `fixed[x]` (the value exactly) or `pattern[x]` (at least what it gives).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Required {
    pub exact: bool,
    /// The JSON type suffix of the definition's key (`CodeableConcept` of
    /// `patternCodeableConcept`): for a choice, which of its forms the value takes.
    pub type_suffix: String,
    #[serde(with = "json_text")]
    pub value: Value,
}

impl Constraint {
    /// An element as its base defines it (`min..max`), before the profile says anything of it.
    pub fn base(name: &str, choice: bool, path: String, min: u32, max: Option<u32>) -> Self {
        Constraint {
            name: name.to_string(),
            choice,
            path,
            min,
            max,
            base_min: min,
            base_max: max,
            value: None,
            binding: None,
            types: Vec::new(),
            profiles: Vec::new(),
            must_support: false,
            conditional: false,
            slicing: None,
            slice_name: None,
            tests: Vec::new(),
            children: Vec::new(),
        }
    }

    /// Whether the profile narrows the base's cardinality from below, and from above.
    pub fn raises_min(&self) -> bool {
        self.min > self.base_min
    }

    pub fn lowers_max(&self) -> bool {
        match (self.max, self.base_max) {
            (Some(max), Some(base)) => max < base,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// `1..*`, `0..1`.
    pub fn cardinality(&self) -> String {
        match self.max {
            Some(max) => format!("{}..{max}", self.min),
            None => format!("{}..*", self.min),
        }
    }
}

/// What breaks a profile, where.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach<'p> {
    /// The JSON Pointer of the element below the resource; a missing one's is where it would
    /// be, with `[x]` for a choice (`/effective[x]`).
    pub pointer: String,
    pub constraint: &'p Constraint,
    pub kind: BreachKind,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BreachKind {
    /// Fewer occurrences than the profile's minimum (the record has `count`); for a slice,
    /// fewer that are one of it.
    TooFew { count: usize },
    /// More than its maximum.
    TooMany { count: usize },
    /// An occurrence without the profile's fixed or pattern value.
    Value,
    /// A choice given as a type the profile does not allow.
    Type,
    /// An occurrence of a closed slicing that is none of its slices.
    Unsliced,
    /// A code outside the element's value set (`found`, as `system|code`): for a required
    /// binding, no code of the occurrence is in it; for an extensible or preferred one, a
    /// code of the value set's own code system is not.
    Code { found: String },
    /// A must-support element (or slice) that is empty, where the element above it is there.
    MustSupport,
}

/// Every way `resource` (an object of the profile's type) breaks `profile`, in the order of
/// the profile's elements.
pub fn check<'p>(profile: &'p Profile, resource: &Map) -> Vec<Breach<'p>> {
    let mut out = Vec::new();
    visit(&profile.elements, resource, &mut String::new(), &mut out);
    // A code judged against two bindings (a Quantity's, and its `code`'s) is reported once,
    // where it is: at the most specific pointer. A code the profile fixes, and which is not
    // the fixed one, is reported so, not again by a binding above it or at it.
    let coded: Vec<(String, bool)> = out
        .iter()
        .filter_map(|b| match b.kind {
            BreachKind::Code { .. } => Some((b.pointer.clone(), false)),
            BreachKind::Value => Some((b.pointer.clone(), true)),
            _ => None,
        })
        .collect();
    if coded.len() > 1 {
        let under = |p: &str, q: &str| q.strip_prefix(p).is_some_and(|rest| rest.starts_with('/'));
        let above = |p: &str| {
            coded
                .iter()
                .any(|(q, fixed)| under(p, q) || (*fixed && q == p))
        };
        out.retain(|b| !matches!(b.kind, BreachKind::Code { .. }) || !above(&b.pointer));
    }
    out
}

/// `pointer`: the object's JSON Pointer, grown and cut back as the visit goes down, so that a
/// record that meets the profile costs no string per element.
fn visit<'p>(
    constraints: &'p [Constraint],
    object: &Map,
    pointer: &mut String,
    out: &mut Vec<Breach<'p>>,
) {
    for c in constraints {
        let found = occurrences(c, object);
        let count = found.iter().map(|o| o.values.len()).sum::<usize>();
        let parent = pointer.len();
        // Where the element is, or would be.
        let at_element = |pointer: &mut String| {
            pointer.push('/');
            pointer.push_str(&crate::fhir::path::escape_token(&c.name));
            if c.choice {
                pointer.push_str("[x]");
            }
        };
        // Where a required slice is missing too, its breach says what is missing more
        // precisely: the element's own is not reported beside it.
        let too_few = count < c.min as usize && c.raises_min();
        let element_missing = too_few.then_some(out.len());
        if too_few {
            at_element(pointer);
            out.push(breach(pointer, c, BreachKind::TooFew { count }));
            pointer.truncate(parent);
        }
        let mut tally = vec![0usize; c.slicing.as_ref().map_or(0, |s| s.slices.len())];
        for o in &found {
            pointer.push('/');
            pointer.push_str(&crate::fhir::path::escape_token(o.key));
            if c.lowers_max() && c.max.is_some_and(|max| count > max as usize) {
                out.push(breach(pointer, c, BreachKind::TooMany { count }));
            }
            let type_suffix = o.key.get(c.name.len()..).unwrap_or_default();
            if c.choice && !c.types.is_empty() && !allows(&c.types, type_suffix) {
                out.push(breach(pointer, c, BreachKind::Type));
            }
            let at = pointer.len();
            for (i, value) in o.values.iter().enumerate() {
                if o.array {
                    // Writing to a String cannot fail.
                    let _ = write!(pointer, "/{i}");
                }
                occurrence(c, type_suffix, value, pointer, out);
                if let Some(slicing) = &c.slicing {
                    let slice = slicing.slices.iter().position(|s| s.is_one(value));
                    match (slice, slicing.slices.get(slice.unwrap_or(0))) {
                        (Some(k), Some(s)) => {
                            if let Some(n) = tally.get_mut(k) {
                                *n += 1;
                            }
                            occurrence(s, type_suffix, value, pointer, out);
                        }
                        _ if slicing.closed && !value.is_null() => {
                            out.push(breach(pointer, c, BreachKind::Unsliced));
                        }
                        _ => {}
                    }
                }
                pointer.truncate(at);
            }
            pointer.truncate(parent);
        }
        let slices = c.slicing.iter().flat_map(|s| &s.slices);
        let mut sliced_missing = false;
        for (s, &count) in slices.zip(&tally) {
            sliced_missing |= count < s.min as usize;
            let kind = if count < s.min as usize {
                BreachKind::TooFew { count }
            } else if s.max.is_some_and(|max| count > max as usize) {
                BreachKind::TooMany { count }
            } else {
                continue;
            };
            at_element(pointer);
            out.push(breach(pointer, s, kind));
            pointer.truncate(parent);
        }
        if let (Some(at), true) = (element_missing, sliced_missing) {
            out.remove(at);
        }
        // Must-support: an element (or slice) the profile does not require, left empty; a
        // slice only where its element is not already reported empty.
        if counts_element(c) && count == 0 {
            at_element(pointer);
            out.push(breach(pointer, c, BreachKind::MustSupport));
            pointer.truncate(parent);
        }
        let slices = c.slicing.iter().flat_map(|s| &s.slices);
        for (s, &n) in slices.zip(&tally) {
            if counts_slice(c, s, count) && n == 0 {
                at_element(pointer);
                out.push(breach(pointer, s, BreachKind::MustSupport));
                pointer.truncate(parent);
            }
        }
    }
}

/// Whether a must-support element is counted: one the profile does not require, and whose
/// presence no invariant decides.
fn counts_element(c: &Constraint) -> bool {
    c.must_support && c.min == 0 && !c.conditional
}

/// Whether a must-support slice `s` of `c` is counted, where `c` has `count` occurrences:
/// not when `c` itself is empty and reported so (must-support, or required).
fn counts_slice(c: &Constraint, s: &Constraint, count: usize) -> bool {
    s.must_support && s.min == 0 && !(count == 0 && (c.must_support || c.min > 0))
}

/// How many of a profile's must-support elements a record fills: each element (or slice)
/// counted once for each occurrence of the element above it, as [`check`] reports the empty
/// ones (`BreachKind::MustSupport`).
pub fn must_support_total(profile: &Profile, resource: &Map) -> usize {
    fn total(constraints: &[Constraint], object: &Map) -> usize {
        let mut n = 0;
        for c in constraints {
            let found = occurrences(c, object);
            let count = found.iter().map(|o| o.values.len()).sum::<usize>();
            let slices = c.slicing.iter().flat_map(|s| &s.slices);
            n += usize::from(counts_element(c))
                + slices.filter(|s| counts_slice(c, s, count)).count();
            for value in found.iter().flat_map(|o| &o.values) {
                let Some(child) = value.as_object() else {
                    continue;
                };
                n += total(&c.children, child);
                let mut slices = c.slicing.iter().flat_map(|s| &s.slices);
                if let Some(slice) = slices.find(|s| s.is_one(value)) {
                    n += total(&slice.children, child);
                }
            }
        }
        n
    }
    total(&profile.elements, resource)
}

fn breach<'p>(pointer: &str, constraint: &'p Constraint, kind: BreachKind) -> Breach<'p> {
    Breach {
        pointer: pointer.to_string(),
        constraint,
        kind,
    }
}

/// One occurrence of `c` (of a slice: one that is of it) at `pointer`: its value, then what
/// the profile says below it.
fn occurrence<'p>(
    c: &'p Constraint,
    type_suffix: &str,
    value: &Value,
    pointer: &mut String,
    out: &mut Vec<Breach<'p>>,
) {
    let holds_value = c.value.as_ref().is_none_or(|required| {
        let right_form = !c.choice || type_suffix == required.type_suffix;
        right_form && holds(required, value)
    });
    if !holds_value {
        out.push(breach(pointer, c, BreachKind::Value));
        return;
    }
    if let Some(found) = c.binding.as_ref().and_then(|b| off_binding(b, value)) {
        out.push(breach(pointer, c, BreachKind::Code { found }));
    }
    if let Some(child) = value.as_object() {
        visit(&c.children, child, pointer, out);
    }
}

/// The codes of an occurrence, as (system, code): a `code` element's value; a Coding's or a
/// Quantity's; each of a CodeableConcept's codings.
fn codes(value: &Value) -> Vec<(Option<&str>, &str)> {
    fn coded(v: &Value) -> Option<(Option<&str>, &str)> {
        let code = v.get("code")?.as_str()?;
        Some((v.get("system").and_then(Value::as_str), code))
    }
    match value {
        Value::String(code) => vec![(None, code.as_str())],
        Value::Object(object) => match object.get("coding").and_then(Value::as_array) {
            Some(list) => list.iter().filter_map(coded).collect(),
            None => coded(value).into_iter().collect(),
        },
        _ => Vec::new(),
    }
}

/// Every coding (an object with `system` and `code`) in `value`, at any depth.
pub fn each_coding(value: &Value, f: &mut dyn FnMut(&str, &str)) {
    match value {
        Value::Object(object) => {
            let system = object.get("system").and_then(Value::as_str);
            if let (Some(system), Some(code)) = (system, object.get("code").and_then(Value::as_str))
            {
                f(system, code);
            }
            for v in object.values() {
                each_coding(v, f);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| each_coding(v, f)),
        _ => {}
    }
}

/// Where an occurrence breaks its binding, the code to name (`system|code`). An occurrence
/// without a code (a CodeableConcept with text only) is not judged.
fn off_binding(binding: &Binding, value: &Value) -> Option<String> {
    let codes = codes(value);
    if codes.iter().any(|(s, c)| binding.set.contains(*s, c)) {
        return None;
    }
    let shown = |(system, code): &(Option<&str>, &str)| match system {
        Some(system) => format!("{system}|{code}"),
        None => code.to_string(),
    };
    match binding.strength {
        Strength::Required => codes.first().map(shown),
        Strength::Extensible | Strength::Preferred => codes
            .iter()
            .find(|(s, _)| s.is_some_and(|s| binding.set.has_system(s)))
            .map(shown),
    }
}

/// Every extension object of a resource (in `extension` or `modifierExtension`, at any depth,
/// not within the resources it holds), with its JSON Pointer below `object` and whether it
/// is a modifier extension.
pub fn extensions<'v>(
    object: &'v Map,
    pointer: &mut String,
    out: &mut Vec<(String, bool, &'v Map)>,
) {
    for (key, value) in object.iter() {
        let at = pointer.len();
        pointer.push('/');
        pointer.push_str(&crate::fhir::path::escape_token(key));
        let listed = matches!(key, "extension" | "modifierExtension");
        let items = match value {
            Value::Array(items) => Some(items.as_slice()),
            _ => None,
        };
        match (items, value) {
            (Some(items), _) => {
                for (i, item) in items.iter().enumerate() {
                    let Some(child) = item.as_object() else {
                        continue;
                    };
                    let here = pointer.len();
                    // Writing to a String cannot fail.
                    let _ = write!(pointer, "/{i}");
                    if listed {
                        out.push((pointer.clone(), key == "modifierExtension", child));
                    }
                    if !child.contains_key("resourceType") {
                        extensions(child, pointer, out);
                    }
                    pointer.truncate(here);
                }
            }
            (None, Value::Object(child)) if !child.contains_key("resourceType") => {
                extensions(child, pointer, out);
            }
            _ => {}
        }
        pointer.truncate(at);
    }
}

/// Whether a choice's JSON type suffix (`Quantity` of `valueQuantity`) is one of `types`
/// (`Quantity`, `dateTime`).
fn allows(types: &[String], suffix: &str) -> bool {
    types
        .iter()
        .any(|t| crate::fhir::model::is_type_suffix(suffix, t))
}

impl Constraint {
    /// Whether an occurrence of the sliced element is one of this slice.
    fn is_one(&self, value: &Value) -> bool {
        !value.is_null()
            && self.tests.iter().all(|test| {
                let mut found = Vec::new();
                values_at(value, &test.path, &mut found);
                match &test.expect {
                    Expect::Value(required) => found.iter().any(|v| holds(required, v)),
                    Expect::Exists(exists) => found.is_empty() != *exists,
                    Expect::ResourceType(t) => found
                        .iter()
                        .any(|v| v.get("resourceType").and_then(Value::as_str) == Some(t)),
                    Expect::InSet(set) => found
                        .iter()
                        .any(|v| codes(v).iter().any(|(s, c)| set.contains(*s, c))),
                }
            })
    }
}

/// The values at `path` below `value`, as FHIRPath collects them: arrays are walked item by
/// item, a choice is found under any of its typed names.
pub fn values_at<'v>(value: &'v Value, path: &[Step], out: &mut Vec<&'v Value>) {
    let Some((step, rest)) = path.split_first() else {
        match value {
            Value::Array(items) => out.extend(items),
            other => out.push(other),
        }
        return;
    };
    match value {
        Value::Array(items) => {
            for item in items {
                values_at(item, path, out);
            }
        }
        Value::Object(object) => match step {
            Step::Member(name) => match object.get(name) {
                Some(v) => values_at(v, rest, out),
                None => {
                    for (key, v) in object.iter() {
                        let typed = key.strip_prefix(name.as_str()).is_some_and(|suffix| {
                            suffix.starts_with(|c: char| c.is_ascii_uppercase())
                        });
                        if typed {
                            values_at(v, rest, out);
                        }
                    }
                }
            },
            Step::Extension(url) => {
                let extensions = object.get("extension").and_then(Value::as_array);
                for e in extensions.into_iter().flatten() {
                    if e.get("url").and_then(Value::as_str) == Some(url) {
                        values_at(e, rest, out);
                    }
                }
            }
        },
        _ => {}
    }
}

/// The occurrences of one element in an object: under its JSON name (or each of a choice's
/// names), the values of an array one by one. A primitive given only by its `_name` form (an
/// extension saying why it is absent) counts as there, without a value to compare.
struct Occurrences<'v> {
    key: &'v str,
    array: bool,
    values: Vec<&'v Value>,
}

fn occurrences<'v>(c: &Constraint, object: &'v Map) -> Vec<Occurrences<'v>> {
    // What a `_name` form without its value stands for: nothing to compare.
    static ABSENT: Value = Value::Null;
    let mut found = Vec::new();
    for (key, value) in object.iter() {
        let (underscored, name) = match key.strip_prefix('_') {
            Some(rest) => (true, rest),
            None => (false, key),
        };
        let matches = if c.choice {
            name.strip_prefix(c.name.as_str())
                .is_some_and(|rest| rest.starts_with(|ch: char| ch.is_ascii_uppercase()))
        } else {
            name == c.name
        };
        if !matches || (underscored && object.contains_key(name)) {
            // A `_name` beside its value is counted with the value.
            continue;
        }
        let (array, values) = match value {
            Value::Array(items) if underscored => (true, vec![&ABSENT; items.len()]),
            _ if underscored => (false, vec![&ABSENT]),
            Value::Array(items) => (true, items.iter().collect()),
            other => (false, vec![other]),
        };
        found.push(Occurrences {
            key: name,
            array,
            values,
        });
    }
    found
}

/// Whether `value` has the fixed value exactly, or at least what the pattern gives.
fn holds(required: &Required, value: &Value) -> bool {
    if value.is_null() {
        // A `_name` form standing in for a missing value: nothing to compare.
        return true;
    }
    if required.exact {
        value == &required.value
    } else {
        contains(value, &required.value)
    }
}

/// FHIR's pattern matching: every member the pattern gives is in the value with what it
/// holds (recursively), and each item of a pattern's array matches some item of the value's.
fn contains(value: &Value, pattern: &Value) -> bool {
    match (value, pattern) {
        (Value::Object(v), Value::Object(p)) => p
            .iter()
            .all(|(key, want)| v.get(key).is_some_and(|have| contains(have, want))),
        (Value::Array(v), Value::Array(p)) => p
            .iter()
            .all(|want| v.iter().any(|have| contains(have, want))),
        _ => value == pattern,
    }
}

/// The compiled form's encoding of what serde does not write as is. Value sets and invariants
/// that several elements or profiles share (a Quantity's UCUM set, the vital signs' `vs-*`)
/// are written once per pack: the first time in full, then by number. A pack is written and
/// read within [`shared`], which starts and ends the numbering.
mod wire {
    use std::cell::RefCell;
    use std::collections::HashMap;
    use std::sync::Arc;

    /// Elements nest no deeper than this in a pack: a guide's go some ten levels down, and
    /// reading one recurses.
    const MAX_NESTING: usize = 64;

    thread_local! {
        static NESTING: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
        /// The numbers given: value sets', and invariants', each counted apart.
        static WRITTEN: RefCell<(HashMap<usize, u32>, HashMap<usize, u32>)> =
            RefCell::new(Default::default());
        static READ_SETS: RefCell<Vec<Arc<super::CodeSet>>> = const { RefCell::new(Vec::new()) };
        static READ_INVARIANTS: RefCell<Vec<Option<Arc<super::ProfileInvariant>>>> =
            const { RefCell::new(Vec::new()) };
    }

    fn reset() {
        NESTING.with(|n| n.set(0));
        WRITTEN.with(|w| {
            let mut w = w.borrow_mut();
            w.0.clear();
            w.1.clear();
        });
        READ_SETS.with(|r| r.borrow_mut().clear());
        READ_INVARIANTS.with(|r| r.borrow_mut().clear());
    }

    /// Runs `f` (one pack's writing or reading) with fresh numbering.
    pub fn shared<R>(f: impl FnOnce() -> R) -> R {
        reset();
        let out = f();
        reset();
        out
    }

    /// An element's children, or a slicing's slices, read within [`MAX_NESTING`].
    pub fn nested<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<super::Constraint>, D::Error> {
        use serde::de::{Deserialize, Error};
        let depth = NESTING.with(|n| n.get()) + 1;
        if depth > MAX_NESTING {
            return Err(D::Error::custom(format!(
                "elements nested deeper than {MAX_NESTING} levels"
            )));
        }
        NESTING.with(|n| n.set(depth));
        let read = Vec::deserialize(d);
        NESTING.with(|n| n.set(depth - 1));
        read
    }

    /// The number of the value set (or, `invariant`, the invariant) at `address`, and
    /// whether this is its first time.
    pub fn number(invariant: bool, address: usize) -> (u32, bool) {
        WRITTEN.with(|w| {
            let mut all = w.borrow_mut();
            let w = if invariant { &mut all.1 } else { &mut all.0 };
            let next = w.len() as u32;
            match w.get(&address) {
                Some(n) => (*n, false),
                None => {
                    w.insert(address, next);
                    (next, true)
                }
            }
        })
    }

    /// The value numbered `n` in `table`: `first` (the value written there in full) when it
    /// is the next number, else the one read before. `what` names it in errors.
    fn read<T: Clone + 'static>(
        table: &'static std::thread::LocalKey<RefCell<Vec<T>>>,
        what: &str,
        n: u32,
        first: Option<T>,
    ) -> Result<T, String> {
        table.with(|r| {
            let mut r = r.borrow_mut();
            match first {
                Some(value) if n as usize == r.len() => {
                    r.push(value.clone());
                    Ok(value)
                }
                None => r
                    .get(n as usize)
                    .cloned()
                    .ok_or_else(|| format!("{what} {n} not yet read")),
                Some(_) => Err(format!("{what} {n} out of order")),
            }
        })
    }

    pub fn read_set(n: u32, first: Option<super::CodeSet>) -> Result<Arc<super::CodeSet>, String> {
        read(&READ_SETS, "value set", n, first.map(Arc::new))
    }

    /// As [`read_set`]; None for an invariant this build does not evaluate.
    pub fn read_invariant(
        n: u32,
        first: Option<Option<super::ProfileInvariant>>,
    ) -> Result<Option<Arc<super::ProfileInvariant>>, String> {
        read(
            &READ_INVARIANTS,
            "invariant",
            n,
            first.map(|i| i.map(Arc::new)),
        )
    }
}

pub use wire::shared;

/// An `Arc<CodeSet>`: its number, and the set itself the first time.
mod shared_set {
    use super::{wire, CodeSet};
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};
    use std::sync::Arc;

    pub fn serialize<S: Serializer>(set: &Arc<CodeSet>, s: S) -> Result<S::Ok, S::Error> {
        let (n, first) = wire::number(false, Arc::as_ptr(set) as usize);
        (n, first.then_some(&**set)).serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<CodeSet>, D::Error> {
        let (n, first) = <(u32, Option<CodeSet>)>::deserialize(d)?;
        wire::read_set(n, first).map_err(D::Error::custom)
    }
}

/// A profile's invariants, each written once as its key, severity, words, place and
/// expression; compiled again when read, by a build that evaluates invariants (others drop
/// them, as they do R4's).
mod shared_invariants {
    use super::{intern, wire, ProfileInvariant};
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};
    use std::sync::Arc;

    #[derive(Serialize, Deserialize)]
    struct Written<'a> {
        key: &'a str,
        error: bool,
        human: &'a str,
        pointer: &'a str,
        expression: &'a str,
    }

    pub fn serialize<S: Serializer>(
        list: &[Arc<ProfileInvariant>],
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let items: Vec<(u32, Option<Written<'_>>)> = list
            .iter()
            .map(|inv| {
                let (n, first) = wire::number(true, Arc::as_ptr(inv) as usize);
                let written = Written {
                    key: inv.key,
                    error: inv.error,
                    human: &inv.human,
                    pointer: &inv.pointer,
                    expression: &inv.expression,
                };
                (n, first.then_some(written))
            })
            .collect();
        items.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Vec<Arc<ProfileInvariant>>, D::Error> {
        let items = <Vec<(u32, Option<Written<'de>>)>>::deserialize(d)?;
        let mut out = Vec::new();
        for (n, written) in items {
            let first = match written {
                None => None,
                Some(_) if !crate::fhir::invariants::EVALUATED => Some(None),
                Some(w) => {
                    let expr = crate::fhir::fhirpath::Expr::compile(w.expression)
                        .map_err(|e| D::Error::custom(format!("invariant {}: {e}", w.key)))?;
                    Some(Some(ProfileInvariant {
                        key: intern(w.key),
                        error: w.error,
                        human: w.human.to_string(),
                        pointer: w.pointer.to_string(),
                        expression: w.expression.to_string(),
                        expr,
                    }))
                }
            };
            if let Some(inv) = wire::read_invariant(n, first).map_err(D::Error::custom)? {
                out.push(inv);
            }
        }
        Ok(out)
    }
}

/// A value set's codes, by system, in order: a pack written twice is the same bytes.
mod sorted_codes {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};
    use std::collections::{HashMap, HashSet};

    pub fn serialize<S: Serializer>(
        codes: &HashMap<String, HashSet<String>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        let mut systems: Vec<(&String, Vec<&String>)> = codes
            .iter()
            .map(|(system, codes)| {
                let mut codes: Vec<&String> = codes.iter().collect();
                codes.sort();
                (system, codes)
            })
            .collect();
        systems.sort();
        systems.serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<HashMap<String, HashSet<String>>, D::Error> {
        let systems = <Vec<(String, Vec<String>)>>::deserialize(d)?;
        Ok(systems
            .into_iter()
            .map(|(system, codes)| (system, codes.into_iter().collect()))
            .collect())
    }
}

/// A fixed or pattern value as its JSON text: the compiled form's encoding (postcard) cannot
/// carry a value whose shape it does not know.
mod json_text {
    use crate::json::Value;
    use serde::{de::Error, Deserialize, Deserializer, Serialize, Serializer};

    pub fn serialize<S: Serializer>(value: &Value, s: S) -> Result<S::Ok, S::Error> {
        value.to_string().serialize(s)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        let text = <&'de str>::deserialize(d)?;
        // serde_json refuses nesting deeper than 128 levels: a pack's value cannot overflow.
        serde_json::from_str(text).map_err(|e| D::Error::custom(format!("a fixed value: {e}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constraint(name: &str, min: u32, max: Option<u32>) -> Constraint {
        let mut c = Constraint::base(name, false, format!("Patient.{name}"), 0, None);
        (c.min, c.max) = (min, max);
        c
    }

    fn object(text: &str) -> Map {
        match crate::parse(text) {
            Ok(Value::Object(map)) => map,
            other => panic!("{other:?}"),
        }
    }

    fn profile(elements: Vec<Constraint>) -> Profile {
        Profile {
            url: "http://example.org/p".into(),
            version: None,
            title: "P".into(),
            resource_type: "Patient".into(),
            elements,
            left_out: Vec::new(),
            extension: None,
            invariants: Vec::new(),
        }
    }

    fn found(p: &Profile, text: &str) -> Vec<(String, BreachKind)> {
        check(p, &object(text))
            .into_iter()
            .map(|b| (b.pointer, b.kind))
            .collect()
    }

    #[test]
    fn reports_a_raised_minimum_and_a_lowered_maximum() {
        let p = profile(vec![
            constraint("identifier", 1, None),
            constraint("name", 0, Some(1)),
        ]);
        assert_eq!(
            found(&p, r#"{"resourceType":"Patient","name":[{},{}]}"#),
            [
                ("/identifier".to_string(), BreachKind::TooFew { count: 0 }),
                ("/name".to_string(), BreachKind::TooMany { count: 2 }),
            ]
        );
        assert_eq!(found(&p, r#"{"identifier":[{}],"name":[{}]}"#), []);
    }

    #[test]
    fn a_value_absent_with_a_reason_counts() {
        let p = profile(vec![constraint("gender", 1, Some(1))]);
        assert_eq!(found(&p, r#"{"_gender":{"extension":[]}}"#), []);
        assert_eq!(
            found(&p, r#"{}"#),
            [("/gender".to_string(), BreachKind::TooFew { count: 0 })]
        );
    }

    #[test]
    fn checks_below_each_occurrence() {
        let mut identifier = constraint("identifier", 0, None);
        identifier.children.push(constraint("system", 1, Some(1)));
        let p = profile(vec![identifier]);
        assert_eq!(
            found(&p, r#"{"identifier":[{"system":"a"},{"value":"1"}]}"#),
            [(
                "/identifier/1/system".to_string(),
                BreachKind::TooFew { count: 0 }
            )]
        );
    }

    #[test]
    fn a_pattern_is_contained_and_a_fixed_value_equal() {
        let mut code = constraint("code", 0, Some(1));
        code.value = Some(Required {
            exact: false,
            type_suffix: "CodeableConcept".into(),
            value: crate::parse(r#"{"coding":[{"system":"http://loinc.org","code":"85354-9"}]}"#)
                .unwrap_or_default(),
        });
        let mut status = constraint("status", 0, Some(1));
        status.value = Some(Required {
            exact: true,
            type_suffix: "Code".into(),
            value: Value::from("final"),
        });
        let p = profile(vec![code, status]);
        let good = r#"{"code":{"coding":[{"system":"x","code":"1"},{"system":"http://loinc.org","code":"85354-9","display":"BP"}]},"status":"final"}"#;
        assert_eq!(found(&p, good), []);
        let bad = r#"{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"status":"amended"}"#;
        assert_eq!(
            found(&p, bad),
            [
                ("/code".to_string(), BreachKind::Value),
                ("/status".to_string(), BreachKind::Value)
            ]
        );
    }

    #[test]
    fn a_choice_is_counted_under_any_of_its_names() {
        let mut effective = constraint("effective", 1, Some(1));
        effective.choice = true;
        let p = profile(vec![effective]);
        assert_eq!(found(&p, r#"{"effectiveDateTime":"2020"}"#), []);
        assert_eq!(
            found(&p, r#"{"effectiveness":"2020"}"#),
            [("/effective[x]".to_string(), BreachKind::TooFew { count: 0 })]
        );
    }

    /// A Bundle's entries sliced by the type of their resource and whether they have a
    /// request: a Patient entry (1..1) and Observation entries with no request, closed.
    #[test]
    fn slices_by_type_and_by_presence() {
        let mut patient = constraint("entry", 1, Some(1));
        patient.slice_name = Some("patient".into());
        patient.path = "Bundle.entry:patient".into();
        let at = |name: &str| vec![Step::Member(name.into())];
        patient.tests = vec![Test {
            path: at("resource"),
            expect: Expect::ResourceType("Patient".into()),
        }];
        let mut observation = constraint("entry", 0, None);
        observation.slice_name = Some("observation".into());
        observation.tests = vec![
            Test {
                path: at("resource"),
                expect: Expect::ResourceType("Observation".into()),
            },
            Test {
                path: at("request"),
                expect: Expect::Exists(false),
            },
        ];
        let mut entry = constraint("entry", 0, None);
        entry.slicing = Some(Slicing {
            discriminators: Vec::new(),
            closed: true,
            slices: vec![patient, observation],
        });
        let p = profile(vec![entry]);
        let entry = |rt: &str, request: bool| {
            let mut e = serde_json::json!({"resource": {"resourceType": rt}});
            if request {
                e["request"] = serde_json::json!({"method": "POST"});
            }
            e
        };
        let bundle =
            |entries: Vec<serde_json::Value>| serde_json::json!({"entry": entries}).to_string();
        let ok = bundle(vec![entry("Observation", false), entry("Patient", false)]);
        assert_eq!(found(&p, &ok), []);
        let bad = bundle(vec![entry("Observation", true), entry("Encounter", false)]);
        assert_eq!(
            found(&p, &bad),
            [
                ("/entry/0".to_string(), BreachKind::Unsliced),
                ("/entry/1".to_string(), BreachKind::Unsliced),
                ("/entry".to_string(), BreachKind::TooFew { count: 0 }),
            ]
        );
    }

    #[test]
    fn finds_every_extension_but_those_of_resources_held() {
        let record = object(
            r#"{"extension":[{"url":"a","extension":[{"url":"b"}]}],
                "name":[{"family":"X","extension":[{"url":"c"}]}],
                "modifierExtension":[{"url":"d"}],
                "contained":[{"resourceType":"Basic","extension":[{"url":"e"}]}]}"#,
        );
        let mut out = Vec::new();
        extensions(&record, &mut String::new(), &mut out);
        let found: Vec<(&str, bool)> = out.iter().map(|(at, m, _)| (at.as_str(), *m)).collect();
        assert_eq!(
            found,
            [
                ("/extension/0", false),
                ("/extension/0/extension/0", false),
                ("/name/0/extension/0", false),
                ("/modifierExtension/0", true),
            ]
        );
    }
}
