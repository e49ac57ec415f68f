//! A guide's JSON read and its StructureDefinitions compiled into [`Profile`]s: each from its
//! differential against its base, an R4 resource type or another profile loaded with it.

use std::collections::HashMap;
use std::sync::Arc;

use super::terminology::Terminology;
use super::{Registry, Source};
use crate::fhir::conformance::{
    intern, values_at, Binding, Constraint, Expect, ExtensionUse, Profile, ProfileInvariant,
    Required, Slicing, Step, Strength, Test,
};
use crate::fhir::model::Model;
use crate::json::{Map, Value};

/// What a guide's profiles are compiled from: the StructureDefinitions loaded, by url, and
/// FHIR R4's own definitions.
#[derive(Clone, Copy)]
struct Inputs<'a> {
    definitions: &'a HashMap<String, Map>,
    model: &'a Model,
    /// R4's own invariants, by key, which a differential may restate (the walk evaluates
    /// those) or name in an element's `condition`.
    core_invariants: &'a HashMap<&'static str, &'a str>,
    /// Profiles loaded before, which a guide's may build on.
    bases: &'a Registry,
}

/// One of R4's own vital signs profiles: where the profiles loaded before have it, they have
/// them all (the built-in US Core does).
const CORE_PROBE: &str = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

impl Registry {
    /// The profiles of `guides` compiled, with the value sets and code systems of
    /// `terminology` (whose own profiles are not compiled), over `bases`: profiles loaded
    /// before, which a guide's may build on. Err names the file or resource that is not what
    /// a package holds.
    pub(super) fn from_json(
        guides: &[&Source],
        terminology: &[&Source],
        model: &Model,
        bases: &Registry,
    ) -> Result<Registry, String> {
        let mut definitions: HashMap<String, Map> = HashMap::new();
        let mut terms = Terminology::default();
        // R4's own profiles first, where not loaded before (a guide's definition of the same
        // url replaces one); their value sets always, for a guide that binds them again.
        let core = Source::Resources(core_profiles()?);
        let sources = std::iter::once((&core, bases.compiled(CORE_PROBE).is_none()))
            .chain(guides.iter().map(|s| (*s, true)))
            .chain(terminology.iter().map(|s| (*s, false)));
        for (source, profiles) in sources {
            for (origin, value) in resources(source)? {
                let Value::Object(resource) = value else {
                    return Err(format!("{origin}: not a resource (a JSON object)"));
                };
                match resource.get("resourceType").and_then(Value::as_str) {
                    Some("StructureDefinition") if profiles => {}
                    Some("ValueSet" | "CodeSystem") => {
                        terms.add(resource);
                        continue;
                    }
                    _ => continue,
                }
                let compiled = text(&resource, "derivation") == Some("constraint")
                    && match text(&resource, "kind") {
                        Some("resource") => true,
                        // Extensions, and profiles on datatypes (an Identifier's type fixed).
                        Some("complex-type") => true,
                        _ => false,
                    };
                if !compiled {
                    // Profiles on datatypes, logical models: not compiled.
                    continue;
                }
                let url = text(&resource, "url")
                    .ok_or_else(|| format!("{origin}: a StructureDefinition without a url"))?;
                definitions.insert(url.to_string(), resource);
            }
        }
        let mut registry = Registry::default();
        let urls: Vec<String> = definitions.keys().cloned().collect();
        let core_invariants = core_invariants(model);
        let inputs = Inputs {
            definitions: &definitions,
            model,
            core_invariants: &core_invariants,
            bases,
        };
        for url in urls {
            registry.compile(&url, inputs, &mut terms, &mut Vec::new())?;
        }
        Ok(registry)
    }

    /// Compiles `url` (its base first). `stack`: the profiles being compiled, for a base that
    /// leads back to itself.
    fn compile(
        &mut self,
        url: &str,
        inputs: Inputs<'_>,
        terms: &mut Terminology,
        stack: &mut Vec<String>,
    ) -> Result<(), String> {
        let Inputs {
            definitions,
            model,
            bases,
            ..
        } = inputs;
        if self.compiled(url).is_some() || self.not_compiled.contains_key(url) {
            return Ok(());
        }
        let Some(sd) = definitions.get(url) else {
            return Ok(());
        };
        if stack.iter().any(|u| u == url) {
            return Err(format!("{url}: its baseDefinition leads back to itself"));
        }
        let resource_type = text(sd, "type").unwrap_or_default().to_string();
        let known = match text(sd, "kind") {
            Some("resource") => model.is_resource_type(&resource_type),
            _ => model
                .type_def(&resource_type)
                .is_some_and(|t| t.kind == crate::fhir::model::Kind::Complex),
        };
        if !known {
            // Not R4's (an R5 resource type): as good as not loaded.
            return Ok(());
        }
        let base_url = text(sd, "baseDefinition").unwrap_or_default();
        let core = format!("http://hl7.org/fhir/StructureDefinition/{resource_type}");
        let (inherited, inherited_invariants) = if base_url == core {
            (Vec::new(), Vec::new())
        } else if definitions.contains_key(base_url) || bases.compiled(base_url).is_some() {
            stack.push(url.to_string());
            let compiled = self.compile(base_url, inputs, terms, stack);
            stack.pop();
            compiled?;
            let base = self.compiled(base_url).or_else(|| bases.compiled(base_url));
            match (base, self.not_compiled.get(base_url)) {
                (Some(base), _) if base.resource_type == resource_type => {
                    (base.elements.clone(), base.invariants.clone())
                }
                (Some(base), _) => {
                    return Err(format!(
                        "{url} constrains {resource_type}, its base {base_url} {}",
                        base.resource_type
                    ))
                }
                (None, missing) => {
                    let missing = missing.cloned().unwrap_or_else(|| base_url.to_string());
                    self.not_compiled.insert(url.into(), missing);
                    return Ok(());
                }
            }
        } else {
            self.not_compiled.insert(url.into(), base_url.to_string());
            return Ok(());
        };
        let mut elements = inherited;
        let differential = sd
            .get("differential")
            .and_then(|d| d.get("element"))
            .and_then(Value::as_array)
            .map_or(&[][..], Vec::as_slice);
        let mut left_out = Vec::new();
        let mut invariants = inherited_invariants;
        // What an element's `condition` names: the differential's own invariants, its bases'
        // (and R4's, `inputs.core_invariants`).
        let mut named: HashMap<String, String> = invariants
            .iter()
            .map(|i| (i.key.to_string(), i.expression.clone()))
            .collect();
        named.extend(
            differential
                .iter()
                .filter_map(|e| e.get("constraint").and_then(Value::as_array))
                .flatten()
                .filter_map(|c| {
                    Some((
                        text(c.as_object()?, "key")?,
                        text(c.as_object()?, "expression")?,
                    ))
                })
                .map(|(k, e)| (k.to_string(), e.to_string())),
        );
        let named = (&named, inputs.core_invariants);
        for element in differential.iter().filter_map(Value::as_object) {
            let applied = apply(&mut elements, element, &resource_type, model, terms, named)
                .map_err(|e| format!("{url}: {e}"))?;
            if !applied {
                let id = text(element, "id").or_else(|| text(element, "path"));
                left_out.push(id.unwrap_or_default().to_string());
            }
            let found = element_invariants(element, &resource_type, inputs, &mut left_out);
            for invariant in found {
                if !invariants.iter().any(|i| i.key == invariant.key) {
                    invariants.push(Arc::new(invariant));
                }
            }
        }
        stack.push(url.to_string());
        let finished = self.finish(&mut elements, inputs, terms, stack, &mut left_out);
        stack.pop();
        finished?;
        let title = text(sd, "title")
            .or_else(|| text(sd, "name"))
            .unwrap_or(url)
            .to_string();
        let compiled = if text(sd, "kind") != Some("resource") {
            &mut self.datatypes
        } else {
            &mut self.profiles
        };
        let extension = (resource_type == "Extension").then(|| extension_use(sd, differential));
        compiled.insert(
            url.to_string(),
            Profile {
                url: url.to_string(),
                version: text(sd, "version").map(str::to_string),
                title,
                resource_type,
                elements,
                left_out,
                extension,
                invariants,
            },
        );
        Ok(())
    }

    /// A profile or extension definition compiled.
    fn compiled(&self, url: &str) -> Option<&Profile> {
        self.profiles.get(url).or_else(|| self.datatypes.get(url))
    }

    /// What the differential's elements add up to, made checkable: an extension's own
    /// definition brought under each element that names it (its constraints hold in every
    /// occurrence), then each slice's discriminators resolved into what an occurrence must
    /// show to be one of it. A slicing whose slices cannot be told apart that way is left out.
    fn finish(
        &mut self,
        elements: &mut [Constraint],
        inputs: Inputs<'_>,
        terms: &mut Terminology,
        stack: &mut Vec<String>,
        left_out: &mut Vec<String>,
    ) -> Result<(), String> {
        for c in elements.iter_mut() {
            // The profile its type names (a profile on Identifier): its constraints hold in
            // every occurrence.
            if let [url] = c.profiles.as_slice() {
                let url = url.clone();
                if inputs.definitions.contains_key(&url) && !stack.contains(&url) {
                    self.compile(&url, inputs, terms, stack)?;
                }
                // An extension is checked against its definition wherever it is used (the
                // engine's pass over a record's extensions), not again here.
                let inlined = self
                    .datatypes
                    .get(&url)
                    .or_else(|| inputs.bases.datatypes.get(&url))
                    .filter(|d| d.extension.is_none());
                if let Some(definition) = inlined {
                    for e in &definition.elements {
                        let mut e = e.clone();
                        rebase(&mut e, &definition.resource_type, &c.path);
                        match c.children.iter_mut().find(|k| k.name == e.name) {
                            Some(own) => merge(own, e),
                            None => c.children.push(e),
                        }
                    }
                }
            }
            self.finish(&mut c.children, inputs, terms, stack, left_out)?;
            let Some(slicing) = c.slicing.as_mut() else {
                continue;
            };
            for slice in slicing.slices.iter_mut() {
                self.finish(std::slice::from_mut(slice), inputs, terms, stack, left_out)?;
            }
            if let Err(why) = resolve_slices(slicing, inputs.model) {
                left_out.push(format!("{} (slicing: {why})", c.path));
                c.slicing = None;
            }
        }
        Ok(())
    }
}

/// Whether a FHIRPath expression tests whether `name` is there (`name.exists()`,
/// `name.exists(criteria)`, `name.empty()`, `name.count()`, `name.hasValue()`).
fn tests_presence(expression: &str, name: &str) -> bool {
    ["exists(", "empty()", "count()", "hasValue()"]
        .iter()
        .any(|f| expression.contains(&format!("{name}.{f}")))
}

/// Every invariant of R4's types and elements: its key, and its expression.
fn core_invariants(model: &Model) -> HashMap<&'static str, &str> {
    fn elements<'m>(
        list: &'m [crate::fhir::model::ElementDef],
        out: &mut HashMap<&'static str, &'m str>,
    ) {
        for e in list {
            out.extend(e.invariants.iter().map(|i| (i.key(), i.expression())));
            elements(&e.children, out);
        }
    }
    let mut out = HashMap::new();
    for t in model.types() {
        out.extend(t.invariants.iter().map(|i| (i.key(), i.expression())));
        elements(t.elements.as_slice(), &mut out);
    }
    out
}

/// The invariants an element of a differential adds (its `constraint`s not R4's own), each
/// compiled as an expression on the resource. Those it cannot be (inside a slice, reading
/// other resources through `resolve()`, not FHIRPath this engine reads) are listed in
/// `left_out`; in a build that does not evaluate invariants, all are.
fn element_invariants(
    element: &Map,
    resource_type: &str,
    inputs: Inputs<'_>,
    left_out: &mut Vec<String>,
) -> Vec<ProfileInvariant> {
    let mut out = Vec::new();
    let Some(list) = element.get("constraint").and_then(Value::as_array) else {
        return out;
    };
    let id = text(element, "id")
        .or_else(|| text(element, "path"))
        .unwrap_or_default();
    for c in list.iter().filter_map(Value::as_object) {
        let (Some(key), Some(expression)) = (text(c, "key"), text(c, "expression")) else {
            continue;
        };
        if inputs.core_invariants.contains_key(key) {
            continue;
        }
        let mut leave = |why: &str| left_out.push(format!("{id} (invariant {key}: {why})"));
        if !crate::fhir::invariants::EVALUATED {
            leave("invariants are not evaluated in this build");
            continue;
        }
        if expression.contains("resolve()") {
            leave("reads other resources");
            continue;
        }
        let Some((path, pointer)) = fhirpath_of(id, resource_type, inputs.model) else {
            leave("inside a slice");
            continue;
        };
        let whole = match path.as_str() {
            "" => expression.to_string(),
            path => format!("{path}.all({expression})"),
        };
        let Ok(expr) = crate::fhir::fhirpath::Expr::compile(&whole) else {
            leave("not FHIRPath this engine reads");
            continue;
        };
        out.push(ProfileInvariant {
            key: intern(key),
            error: text(c, "severity") != Some("warning"),
            human: text(c, "human").unwrap_or(key).to_string(),
            pointer,
            expression: whole,
            expr,
        });
    }
    out
}

/// An element id as a FHIRPath path from the resource (`effective`, `value.ofType(Quantity)`)
/// and the JSON Pointer an issue about it takes (`/effective[x]`). None inside a slice.
fn fhirpath_of(id: &str, resource_type: &str, model: &Model) -> Option<(String, String)> {
    let steps = id_steps(id)?;
    let (mut path, mut pointer) = (Vec::new(), String::new());
    let mut parent = resource_type.to_string();
    for (name, slice) in steps {
        if slice.is_some() {
            return None;
        }
        let base = name.strip_suffix("[x]").unwrap_or(name);
        match model.element(&format!("{parent}.{base}")) {
            Some(def) => {
                path.push(base.to_string());
                pointer.push('/');
                pointer.push_str(base);
                if def.choice {
                    pointer.push_str("[x]");
                }
                parent = format!("{parent}.{base}");
            }
            None => {
                let (def, type_code) = typed_choice(model, &parent, base)?;
                path.push(format!("{}.ofType({type_code})", def.name));
                pointer.push('/');
                pointer.push_str(base);
                parent = type_code;
            }
        }
    }
    Some((path.join("."), pointer))
}

/// Where an extension's definition allows it: its element contexts; an extension context
/// (inside another extension) as `Extension`; a FHIRPath context, which is not evaluated, as
/// anywhere (`Element`).
fn extension_use(sd: &Map, differential: &[Value]) -> ExtensionUse {
    let mut contexts = Vec::new();
    let listed = sd.get("context").and_then(Value::as_array);
    for context in listed.into_iter().flatten().filter_map(Value::as_object) {
        let expression = text(context, "expression").unwrap_or_default();
        contexts.push(match text(context, "type") {
            Some("element") => expression.to_string(),
            Some("extension") => "Extension".to_string(),
            _ => "Element".to_string(),
        });
    }
    if contexts.is_empty() {
        contexts.push("Element".to_string());
    }
    let root = differential
        .iter()
        .filter_map(Value::as_object)
        .find(|e| text(e, "path") == Some("Extension"));
    let modifier = root
        .and_then(|e| e.get("isModifier"))
        .and_then(Value::as_bool)
        == Some(true);
    ExtensionUse { contexts, modifier }
}

/// What a datatype profile says of an element that the profile using it also constrains:
/// the narrower cardinality, and what the using profile leaves unsaid.
fn merge(own: &mut Constraint, from: Constraint) {
    own.min = own.min.max(from.min);
    own.max = match (own.max, from.max) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    if own.value.is_none() {
        own.value = from.value;
    }
    if own.types.is_empty() {
        own.types = from.types;
    }
    own.must_support |= from.must_support;
    own.conditional |= from.conditional;
    if own.slicing.is_none() {
        own.slicing = from.slicing;
    }
    for child in from.children {
        match own.children.iter_mut().find(|k| k.name == child.name) {
            Some(mine) => merge(mine, child),
            None => own.children.push(child),
        }
    }
}

/// A datatype profile's constraint (`Extension.extension:text` of an extension's definition,
/// on `type`) as it applies where the profile is used (`Patient.extension:race.extension:text`).
fn rebase(c: &mut Constraint, on: &str, at: &str) {
    if let Some(rest) = c.path.strip_prefix(on) {
        c.path = format!("{at}{rest}");
    }
    for child in c.children.iter_mut() {
        rebase(child, on, at);
    }
    for slice in c.slicing.iter_mut().flat_map(|s| s.slices.iter_mut()) {
        rebase(slice, on, at);
    }
}

/// Each slice's tests: for each discriminator, what the slice's definition says is at its
/// path. Err: the discriminator that does not resolve so, for a slice (a profile
/// discriminator, `resolve()`, a value the slice does not fix).
fn resolve_slices(slicing: &mut Slicing, model: &Model) -> Result<(), String> {
    if slicing.discriminators.is_empty() {
        return Err("no discriminator".into());
    }
    for slice in slicing.slices.iter_mut() {
        let mut tests = Vec::new();
        for (kind, path) in &slicing.discriminators {
            let not_resolved = || {
                let name = slice.slice_name.as_deref().unwrap_or_default();
                format!("{kind} discriminator {path} of slice {name}")
            };
            let steps = discriminator_path(path).ok_or_else(not_resolved)?;
            let expect = match kind.as_str() {
                "value" | "pattern" => expected_value(slice, &steps),
                "exists" => at(slice, &steps).and_then(|c| match (c.min, c.max) {
                    (1.., _) => Some(Expect::Exists(true)),
                    (_, Some(0)) => Some(Expect::Exists(false)),
                    _ => None,
                }),
                "type" => at(slice, &steps).and_then(|c| match c.types.as_slice() {
                    [t] if model.is_resource_type(t) => Some(Expect::ResourceType(t.clone())),
                    _ => None,
                }),
                _ => None,
            };
            tests.push(Test {
                path: steps,
                expect: expect.ok_or_else(not_resolved)?,
            });
        }
        slice.tests = tests;
    }
    Ok(())
}

/// A discriminator's path as steps: `$this`, `url`, `coding.code`,
/// `extension('http://...').value`. None for what is not a plain path (`resolve()`,
/// `ofType(...)`).
fn discriminator_path(path: &str) -> Option<Vec<Step>> {
    let path = path.strip_prefix("$this").unwrap_or(path);
    let path = path.strip_prefix('.').unwrap_or(path);
    let mut steps = Vec::new();
    if path.is_empty() {
        return Some(steps);
    }
    for part in path.split('.') {
        if let Some(arg) = part
            .strip_prefix("extension(")
            .and_then(|a| a.strip_suffix(')'))
        {
            let url = arg.trim_matches(|c| c == '\'' || c == '"');
            steps.push(Step::Extension(url.to_string()));
        } else if !part.is_empty() && part.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            steps.push(Step::Member(part.to_string()));
        } else {
            return None;
        }
    }
    Some(steps)
}

/// The constraint at `steps` below `c` (not within a slice).
fn at<'c>(c: &'c Constraint, steps: &[Step]) -> Option<&'c Constraint> {
    match steps.split_first() {
        None => Some(c),
        Some((Step::Member(name), rest)) => c
            .children
            .iter()
            .find(|k| &k.name == name)
            .and_then(|k| at(k, rest)),
        Some((Step::Extension(_), _)) => None,
    }
}

/// What a slice fixes at a discriminator's path: a fixed or pattern value there, or within
/// one above it; for an extension's `url`, the definition the slice names.
fn expected_value(c: &Constraint, steps: &[Step]) -> Option<Expect> {
    if let Some(required) = &c.value {
        let mut found = Vec::new();
        values_at(&required.value, steps, &mut found);
        if let [value] = found.as_slice() {
            return Some(Expect::Value(Required {
                exact: required.exact,
                type_suffix: String::new(),
                value: (*value).clone(),
            }));
        }
        return None;
    }
    let Some((step, rest)) = steps.split_first() else {
        // A slice told apart by its required binding (US Core's categories).
        return match &c.binding {
            Some(b) if b.strength == Strength::Required => Some(Expect::InSet(b.set.clone())),
            _ => None,
        };
    };
    let Step::Member(name) = step else {
        return None;
    };
    let below = c.children.iter().find(|k| &k.name == name);
    if let Some(found) = below.and_then(|k| expected_value(k, rest)) {
        return Some(found);
    }
    match (name.as_str(), rest, c.profiles.as_slice()) {
        ("url", [], [url]) => Some(Expect::Value(Required {
            exact: true,
            type_suffix: String::new(),
            value: Value::from(url.as_str()),
        })),
        _ => None,
    }
}

/// FHIR R4's own Vital Signs profiles and the value sets they bind, which guides build on
/// (data/fhir-r4-profiles.json, from tools/gen-core-profiles.mjs).
fn core_profiles() -> Result<Vec<Value>, String> {
    const TEXT: &str = include_str!("../../data/fhir-r4-profiles.json");
    let parsed = parse(TEXT).map_err(|e| format!("data/fhir-r4-profiles.json: {e}"))?;
    match parsed.get("resources") {
        Some(Value::Array(list)) => Ok(list.clone()),
        _ => Err("data/fhir-r4-profiles.json: no resources".into()),
    }
}

fn text<'m>(map: &'m Map, key: &str) -> Option<&'m str> {
    map.get(key).and_then(Value::as_str)
}

/// The JSON values of a source, each with where it came from (a file's path).
fn resources(source: &Source) -> Result<Vec<(String, Value)>, String> {
    match source {
        Source::Resources(list) => Ok(list
            .iter()
            .enumerate()
            .map(|(i, v)| (format!("ig resource {i}"), v.clone()))
            .collect()),
        #[cfg(not(target_arch = "wasm32"))]
        Source::Path(path) if path.is_file() => read_package(path),
        #[cfg(not(target_arch = "wasm32"))]
        Source::Path(dir) => read_folder(dir),
        // Read as they are ([`Source::compiled`]), never as JSON.
        Source::Pack(_) => Ok(Vec::new()),
    }
}

/// Every `.json` file of a folder (and of its `package/` folder, as a package unpacks), parsed.
/// Files that are not resources (a package's package.json and .index.json) are passed over.
#[cfg(not(target_arch = "wasm32"))]
fn read_folder(dir: &std::path::Path) -> Result<Vec<(String, Value)>, String> {
    let package = dir.join("package");
    let dir = if package.is_dir() {
        package
    } else {
        dir.to_path_buf()
    };
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json") && p.is_file())
        .collect();
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let shown = file.display().to_string();
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{shown}: {e}"))?;
        let value = parse(&text).map_err(|e| format!("{shown}: {e}"))?;
        if value.get("resourceType").and_then(Value::as_str).is_some() {
            out.push((shown, value));
        }
    }
    if out.is_empty() {
        return Err(format!(
            "{}: no FHIR resources (JSON files) in it",
            dir.display()
        ));
    }
    Ok(out)
}

/// A file of a package, parsed within the limits of a record but for its size (a guide's
/// largest definitions pass a record's 10 MB).
fn parse(text: &str) -> Result<Value, String> {
    // A byte-order mark, as a file saved on Windows may start with.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let limits = crate::limits::Limits {
        max_bytes: MAX_FILE,
        ..crate::limits::Limits::default()
    };
    crate::limits::parse(text, &limits)
        .map(|parsed| parsed.value)
        .map_err(|e| match e {
            Ok(limit) => limit.to_string(),
            Err(json) => format!("not valid JSON: {json}"),
        })
}

/// The largest file a package may hold: a guide's biggest definitions are a few MB; a larger
/// one is refused rather than read into memory.
const MAX_FILE: u64 = 64 << 20;

/// The JSON files directly in a package's `package/` folder (not its examples), read from the
/// gzipped tar the registries publish, as [`read_folder`] reads an unpacked one.
#[cfg(not(target_arch = "wasm32"))]
fn read_package(file: &std::path::Path) -> Result<Vec<(String, Value)>, String> {
    use std::io::Read;
    let shown = file.display().to_string();
    let opened = std::fs::File::open(file).map_err(|e| format!("{shown}: {e}"))?;
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(opened));
    let not_package = |e: std::io::Error| format!("{shown}: not a FHIR package (.tgz): {e}");
    let mut out = Vec::new();
    for entry in archive.entries().map_err(not_package)? {
        let mut entry = entry.map_err(not_package)?;
        let name = entry
            .path()
            .map_err(not_package)?
            .to_string_lossy()
            .into_owned();
        let in_package = name
            .strip_prefix("package/")
            .is_some_and(|rest| rest.ends_with(".json") && !rest.contains('/'));
        if !in_package {
            continue;
        }
        let at = format!("{shown}: {name}");
        if entry.size() > MAX_FILE {
            return Err(format!("{at}: larger than {} MB", MAX_FILE >> 20));
        }
        let mut text = String::new();
        entry
            .by_ref()
            .take(MAX_FILE)
            .read_to_string(&mut text)
            .map_err(|e| format!("{at}: {e}"))?;
        let value = parse(&text).map_err(|e| format!("{at}: {e}"))?;
        if value.get("resourceType").and_then(Value::as_str).is_some() {
            out.push((at, value));
        }
    }
    if out.is_empty() {
        return Err(format!("{shown}: no FHIR resources in package/"));
    }
    Ok(out)
}

/// Applies one element of a differential to the profile's constraints: Ok(false) for one
/// left out (a slice of a slice, the resource's own constraints, an element below a choice's
/// chosen type).
fn apply(
    elements: &mut Vec<Constraint>,
    element: &Map,
    resource_type: &str,
    model: &Model,
    terms: &mut Terminology,
    named: (&HashMap<String, String>, &HashMap<&'static str, &str>),
) -> Result<bool, String> {
    let Some(path) = text(element, "path") else {
        return Err(format!("element {:?} has no path", text(element, "id")));
    };
    let id = text(element, "id").unwrap_or(path);
    if path.split('.').next() != Some(resource_type) {
        return Err(format!("element {path} is not on {resource_type}"));
    }
    let Some(steps) = id_steps(id) else {
        // A slice of a slice (`a:b/c`): not compiled.
        return Ok(false);
    };
    if steps.is_empty() {
        // The resource itself: its constraints are its invariants (`element_invariants`).
        return Ok(true);
    }
    let Some(target) = node(elements, &steps, resource_type, resource_type, model) else {
        // Below a choice's chosen type, or not an R4 element: left out, never guessed at.
        return Ok(false);
    };
    if let Some(min) = element.get("min").and_then(Value::as_u64) {
        target.min = u32::try_from(min).unwrap_or(u32::MAX);
    }
    if let Some(max) = text(element, "max") {
        target.max = match max {
            "*" => None,
            n => Some(n.parse().map_err(|_| format!("element {id}: max {n:?}"))?),
        };
    }
    for (key, value) in element.iter() {
        let (exact, suffix) = match (key.strip_prefix("fixed"), key.strip_prefix("pattern")) {
            (Some(s), _) => (true, s),
            (_, Some(s)) => (false, s),
            _ => continue,
        };
        if suffix.starts_with(|c: char| c.is_ascii_uppercase()) {
            target.value = Some(Required {
                exact,
                type_suffix: suffix.to_string(),
                value: value.clone(),
            });
        }
    }
    if let Some(binding) = element.get("binding").and_then(Value::as_object) {
        let strength = match text(binding, "strength") {
            Some("required") => Some(Strength::Required),
            Some("extensible") => Some(Strength::Extensible),
            Some("preferred") => Some(Strength::Preferred),
            _ => None,
        };
        // A binding the profile gives replaces its base's; one to a value set that cannot be
        // expanded is not checked.
        target.binding = match (strength, text(binding, "valueSet")) {
            (Some(strength), Some(url)) => terms
                .expand(url, model)
                .map(|set| Binding { strength, set }),
            _ => None,
        };
    }
    if element.get("mustSupport").and_then(Value::as_bool) == Some(true) {
        target.must_support = true;
    }
    // An invariant decides when the element is present where its `condition` names one that
    // tests its presence (vs-2: `dataAbsentReason.exists() or value.exists()`), not one that
    // only judges its content (us-core-1: a date to the day). One whose expression is not
    // known here is taken to decide it: never a note the guide does not call for.
    let name = path.rsplit('.').next().unwrap_or(path);
    let name = name.strip_suffix("[x]").unwrap_or(name);
    let condition = element.get("condition").and_then(Value::as_array);
    let expression = |key: &str| {
        named
            .0
            .get(key)
            .map(String::as_str)
            .or_else(|| named.1.get(key).copied())
    };
    let decides = |key: &Value| {
        key.as_str()
            .is_some_and(|key| expression(key).is_none_or(|e| tests_presence(e, name)))
    };
    if condition.is_some_and(|c| c.iter().any(decides)) {
        target.conditional = true;
    }
    let types = element.get("type").and_then(Value::as_array);
    let types: Vec<&Map> = types
        .into_iter()
        .flatten()
        .filter_map(Value::as_object)
        .collect();
    if !types.is_empty() {
        target.types = types
            .iter()
            .filter_map(|t| text(t, "code").map(str::to_string))
            .collect();
        let profiles = types.iter().filter_map(|t| t.get("profile"));
        target.profiles = profiles
            .filter_map(Value::as_array)
            .flatten()
            .filter_map(|p| p.as_str().map(str::to_string))
            .collect();
    }
    if let Some(slicing) = element.get("slicing").and_then(Value::as_object) {
        let discriminators: Vec<(String, String)> = slicing
            .get("discriminator")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|d| {
                let (kind, path) = (d.get("type")?.as_str()?, d.get("path")?.as_str()?);
                Some((kind.to_string(), path.to_string()))
            })
            .collect();
        let by_type = discriminators
            .iter()
            .all(|(kind, path)| kind == "type" && path == "$this");
        // A choice sliced by type: its slices are its typed names (`valueQuantity`).
        if !(target.choice && by_type) {
            let closed = text(slicing, "rules") == Some("closed");
            match target.slicing.as_mut() {
                Some(s) => (s.discriminators, s.closed) = (discriminators, closed),
                None => {
                    target.slicing = Some(Slicing {
                        discriminators,
                        closed,
                        slices: Vec::new(),
                    })
                }
            }
        }
    }
    Ok(true)
}

/// The steps of an element's id below the resource, each an element's name with the slice
/// it is in: `Observation.category:Laboratory.coding` is (`category`, `Laboratory`),
/// (`coding`, none). A choice's slice by type is its typed name (`value[x]:valueQuantity` is
/// `valueQuantity`). None for a slice of a slice (`a:b/c`).
fn id_steps(id: &str) -> Option<Vec<(&str, Option<&str>)>> {
    let mut steps = Vec::new();
    for part in id.split('.').skip(1) {
        let Some((name, slice)) = part.split_once(':') else {
            steps.push((part, None));
            continue;
        };
        if slice.contains('/') {
            return None;
        }
        let typed = name.strip_suffix("[x]").is_some_and(|base| {
            slice
                .strip_prefix(base)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
        });
        steps.push(if typed {
            (slice, None)
        } else {
            (name, Some(slice))
        });
    }
    Some(steps)
}

/// The constraint at `steps` below the element that `parent` looks up in the model (the
/// resource type at the top; a datatype below a choice's chosen type), made (with those above
/// it) from the R4 element where the profile has none yet; a slice made in its element's
/// slicing (an extension's slicing by url, as R4 defines it, where the profile gives none).
/// `shown`: the parent's id. None for a step R4 does not have, or a slice of an element the
/// profile does not slice.
fn node<'c>(
    elements: &'c mut Vec<Constraint>,
    steps: &[(&str, Option<&str>)],
    parent: &str,
    shown: &str,
    model: &Model,
) -> Option<&'c mut Constraint> {
    let ((first, slice), rest) = steps.split_first()?;
    let (name, choice) = match first.strip_suffix("[x]") {
        Some(base) => (base, true),
        None => (*first, false),
    };
    // The element in the model, and where its children are looked up: below it, or in its
    // type for a choice named with its type (`valueQuantity`: Quantity's elements).
    let (def, lookup, typed) = match model.element(&format!("{parent}.{name}")) {
        Some(def) => (def, format!("{parent}.{name}"), false),
        None => {
            let (def, type_code) = typed_choice(model, parent, name)?;
            (def, type_code, true)
        }
    };
    let position = match elements.iter().position(|c| c.name == name) {
        Some(i) => i,
        None => {
            // A choice named with its type is one JSON name (`valueQuantity`).
            let choice = !typed && (choice || def.choice);
            let path = format!("{shown}.{first}");
            elements.push(Constraint::base(name, choice, path, def.min, def.max));
            elements.len() - 1
        }
    };
    let mut found = elements.get_mut(position)?;
    if let Some(slice) = slice {
        if found.slicing.is_none() && matches!(name, "extension" | "modifierExtension") {
            found.slicing = Some(Slicing {
                discriminators: vec![("value".into(), "url".into())],
                closed: false,
                slices: Vec::new(),
            });
        }
        let (path, max) = (format!("{}:{slice}", found.path), found.base_max);
        let slices = &mut found.slicing.as_mut()?.slices;
        let k = match slices
            .iter()
            .position(|s| s.slice_name.as_deref() == Some(*slice))
        {
            Some(k) => k,
            // Only the element that names the slice makes it: one below a slice never
            // declared is left out.
            None if !rest.is_empty() => return None,
            None => {
                let mut made = Constraint::base(name, false, path, 0, max);
                made.slice_name = Some(slice.to_string());
                slices.push(made);
                slices.len() - 1
            }
        };
        found = slices.get_mut(k)?;
    }
    if rest.is_empty() {
        return Some(found);
    }
    let shown = found.path.clone();
    node(&mut found.children, rest, &lookup, &shown, model)
}

/// A choice element named with one of its types (`valueQuantity` of `value[x]`), and that
/// type's name, where its children are looked up.
fn typed_choice<'m>(
    model: &'m Model,
    parent: &str,
    name: &str,
) -> Option<(&'m crate::fhir::model::ElementDef, String)> {
    let split = name.find(|c: char| c.is_ascii_uppercase())?;
    let (base, suffix) = name.split_at(split);
    let def = model.element(&format!("{parent}.{base}"))?;
    let code = def
        .types
        .iter()
        .find(|t| crate::fhir::model::is_type_suffix(suffix, t.code))?
        .code;
    (def.choice).then(|| (def, code.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ig::Claim;

    use crate::ig::testing::us_core;

    #[test]
    fn us_core_compiles_every_profile_whose_base_is_here() {
        let registry = us_core();
        let mut missing: Vec<(&str, &str)> = registry
            .not_compiled
            .iter()
            .map(|(url, base)| (url.rsplit('/').next().unwrap_or(url), base.as_str()))
            .collect();
        missing.sort();
        // QuestionnaireResponse's profile builds on SDC's, which is not in the guide. The vital
        // signs profiles build on R4's own (loaded with every guide).
        let sdc = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse";
        assert_eq!(missing, [("us-core-questionnaireresponse", sdc)]);
        let us_core = |p: &&String| p.starts_with("http://hl7.org/fhir/us/core/");
        assert_eq!(registry.profiles.keys().filter(us_core).count(), 48);
        let r4 = |p: &&String| p.starts_with("http://hl7.org/fhir/StructureDefinition/");
        assert_eq!(registry.profiles.keys().filter(r4).count(), 11);
        let patient = match registry
            .claim("http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient|6.1.0")
        {
            Claim::Compiled(p) => p,
            _ => panic!("US Core Patient not compiled"),
        };
        assert_eq!(patient.title, "US Core Patient Profile");
        let identifier = patient.elements.iter().find(|c| c.name == "identifier");
        assert_eq!(identifier.map(|c| (c.min, c.base_min)), Some((1, 0)));
        let system = identifier.and_then(|c| c.children.iter().find(|c| c.name == "system"));
        assert_eq!(
            system.map(|c| c.path.as_str()),
            Some("Patient.identifier.system")
        );
        // The extension slices (race, ethnicity...), by url, each with its definition.
        let extension = patient.elements.iter().find(|c| c.name == "extension");
        let slices = extension
            .and_then(|c| c.slicing.as_ref())
            .map(|s| &s.slices);
        let race = slices.and_then(|s| s.iter().find(|s| s.path == "Patient.extension:race"));
        let race = race.unwrap_or_else(|| panic!("no race slice: {extension:?}"));
        assert_eq!((race.min, race.max), (0, Some(1)));
        let url = "http://hl7.org/fhir/us/core/StructureDefinition/us-core-race";
        assert_eq!(
            race.tests,
            [Test {
                path: vec![Step::Member("url".into())],
                expect: Expect::Value(Required {
                    exact: true,
                    type_suffix: String::new(),
                    value: Value::from(url)
                })
            }]
        );
        // The extension's own definition, checked wherever the extension is used.
        let definition = registry
            .extension(url)
            .unwrap_or_else(|| panic!("no {url}"));
        let parts = definition.elements.iter().find(|c| c.name == "extension");
        let parts = parts.and_then(|c| c.slicing.as_ref()).map(|s| &s.slices);
        let text = parts.and_then(|s| s.iter().find(|s| s.slice_name.as_deref() == Some("text")));
        assert_eq!(
            text.map(|c| (c.path.as_str(), c.min)),
            Some(("Extension.extension:text", 1))
        );
        let usage = definition
            .extension
            .as_ref()
            .map(|u| (u.modifier, u.contexts.clone()));
        let contexts = [
            "Patient",
            "RelatedPerson",
            "Person",
            "Practitioner",
            "FamilyMemberHistory",
        ];
        assert_eq!(usage, Some((false, contexts.map(String::from).to_vec())));
        assert!(patient.left_out.is_empty(), "{:?}", patient.left_out);
    }

    #[test]
    fn a_profile_on_a_profile_inherits_its_constraints() {
        let registry = us_core();
        let lab = match registry
            .claim("http://hl7.org/fhir/us/core/StructureDefinition/us-core-observation-lab")
        {
            Claim::Compiled(p) => p,
            _ => panic!("US Core Laboratory Result Observation not compiled"),
        };
        // us-core-observation-clinical-result requires a category and a subject.
        let min = |name: &str| lab.elements.iter().find(|c| c.name == name).map(|c| c.min);
        assert_eq!(min("category"), Some(1));
        assert_eq!(min("subject"), Some(1));
    }

    #[test]
    fn a_published_package_reads_as_its_folder() {
        let dir = std::env::temp_dir().join(format!("ehrlint-tgz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let package = dir.join("us-core.tgz");
        let file = std::fs::File::create(&package).unwrap_or_else(|e| panic!("{e}"));
        let gz = flate2::write::GzEncoder::new(file, flate2::Compression::fast());
        let mut tar = tar::Builder::new(gz);
        let folder =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/ig/us-core-6.1.0");
        for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{e}")) {
            let path = entry.unwrap_or_else(|e| panic!("{e}")).path();
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            tar.append_path_with_name(&path, format!("package/{name}"))
                .unwrap_or_else(|e| panic!("{e}"));
        }
        // An example below package/ is not a definition of the guide.
        tar.append_path_with_name(folder.join("SOURCE.txt"), "package/example/x.json")
            .unwrap_or_else(|e| panic!("{e}"));
        tar.into_inner()
            .and_then(|gz| gz.finish())
            .unwrap_or_else(|e| panic!("{e}"));
        let model = Model::r4().unwrap_or_else(|e| panic!("{e}"));
        let loaded = Registry::default().load(&[Source::Path(package.clone())], &model);
        let broken = dir.join("broken.tgz");
        std::fs::write(&broken, b"not gzip").unwrap_or_else(|e| panic!("{e}"));
        let refused = Registry::default()
            .load(&[Source::Path(broken)], &model)
            .err();
        std::fs::remove_dir_all(&dir).ok();
        let loaded = loaded.unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            (loaded.profiles.len(), loaded.not_compiled.len()),
            (us_core().profiles.len(), us_core().not_compiled.len())
        );
        let refused = refused.unwrap_or_default();
        assert!(
            refused.contains("broken.tgz: not a FHIR package (.tgz)"),
            "{refused}"
        );
    }

    #[test]
    fn a_package_that_is_not_json_is_refused_with_its_file() {
        let dir = std::env::temp_dir().join(format!("ehrlint-ig-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        std::fs::write(dir.join("broken.json"), "{not json").unwrap_or_else(|e| panic!("{e}"));
        let model = Model::r4().unwrap_or_else(|e| panic!("{e}"));
        let error = Registry::default()
            .load(&[Source::Path(dir.clone())], &model)
            .err();
        std::fs::remove_dir_all(&dir).ok();
        let error = error.unwrap_or_default();
        assert!(
            error.contains("broken.json") && error.contains("JSON"),
            "{error}"
        );
        let empty = Registry::default()
            .load(&[Source::Resources(vec![Value::from("x")])], &model)
            .err();
        assert_eq!(
            empty.as_deref(),
            Some("ig resource 0: not a resource (a JSON object)")
        );
    }
}
