//! A guide's JSON read and its StructureDefinitions compiled into [`Profile`]s: each from its
//! differential against its base, an R4 resource type or another profile loaded with it.

use std::collections::HashMap;

use super::{Registry, Source};
use crate::fhir::conformance::{Constraint, Profile, Required};
use crate::fhir::model::Model;
use crate::json::{Map, Value};

impl Registry {
    /// Loads and compiles the profiles of `sources`. Err names the file or resource that is
    /// not what a package holds.
    pub fn load(sources: &[Source], model: &Model) -> Result<Registry, String> {
        let mut definitions: HashMap<String, Map> = HashMap::new();
        for source in sources {
            for (origin, value) in resources(source)? {
                let Value::Object(resource) = value else {
                    return Err(format!("{origin}: not a resource (a JSON object)"));
                };
                if resource.get("resourceType").and_then(Value::as_str)
                    != Some("StructureDefinition")
                {
                    continue;
                }
                let is_resource_profile = text(&resource, "derivation") == Some("constraint")
                    && text(&resource, "kind") == Some("resource");
                if !is_resource_profile {
                    // Extension definitions and datatype profiles: not yet compiled.
                    continue;
                }
                let url = text(&resource, "url")
                    .ok_or_else(|| format!("{origin}: a StructureDefinition without a url"))?;
                definitions.insert(url.to_string(), resource);
            }
        }
        let mut registry = Registry::default();
        let urls: Vec<String> = definitions.keys().cloned().collect();
        for url in urls {
            registry.compile(&url, &definitions, model, &mut Vec::new())?;
        }
        Ok(registry)
    }

    /// Compiles `url` (its base first). `stack`: the profiles being compiled, for a base that
    /// leads back to itself.
    fn compile(
        &mut self,
        url: &str,
        definitions: &HashMap<String, Map>,
        model: &Model,
        stack: &mut Vec<String>,
    ) -> Result<(), String> {
        if self.profiles.contains_key(url) || self.not_compiled.contains_key(url) {
            return Ok(());
        }
        let Some(sd) = definitions.get(url) else {
            return Ok(());
        };
        if stack.iter().any(|u| u == url) {
            return Err(format!("{url}: its baseDefinition leads back to itself"));
        }
        let resource_type = text(sd, "type").unwrap_or_default().to_string();
        if !model.is_resource_type(&resource_type) {
            // Not R4's (an R5 resource type): as good as not loaded.
            return Ok(());
        }
        let base_url = text(sd, "baseDefinition").unwrap_or_default();
        let core = format!("http://hl7.org/fhir/StructureDefinition/{resource_type}");
        let inherited = if base_url == core {
            Vec::new()
        } else if definitions.contains_key(base_url) {
            stack.push(url.to_string());
            let compiled = self.compile(base_url, definitions, model, stack);
            stack.pop();
            compiled?;
            match (self.profiles.get(base_url), self.not_compiled.get(base_url)) {
                (Some(base), _) if base.resource_type == resource_type => base.elements.clone(),
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
        for element in differential.iter().filter_map(Value::as_object) {
            let applied = apply(&mut elements, element, &resource_type, model)
                .map_err(|e| format!("{url}: {e}"))?;
            if !applied {
                let id = text(element, "id").or_else(|| text(element, "path"));
                left_out.push(id.unwrap_or_default().to_string());
            }
        }
        let title = text(sd, "title")
            .or_else(|| text(sd, "name"))
            .unwrap_or(url)
            .to_string();
        self.profiles.insert(
            url.to_string(),
            Profile {
                url: url.to_string(),
                version: text(sd, "version").map(str::to_string),
                title,
                resource_type,
                elements,
                left_out,
            },
        );
        Ok(())
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
#[cfg(not(target_arch = "wasm32"))]
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
#[cfg(not(target_arch = "wasm32"))]
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
/// left out (a slice, an element within one, the resource's own constraints, an element below
/// a choice's chosen type).
fn apply(
    elements: &mut Vec<Constraint>,
    element: &Map,
    resource_type: &str,
    model: &Model,
) -> Result<bool, String> {
    let id = text(element, "id")
        .or_else(|| text(element, "path"))
        .unwrap_or_default();
    if id.contains(':') {
        // A slice, or an element within one: not yet compiled.
        return Ok(false);
    }
    let Some(path) = text(element, "path") else {
        return Err(format!("element {id:?} has no path"));
    };
    let mut steps = path.split('.');
    if steps.next() != Some(resource_type) {
        return Err(format!("element {path} is not on {resource_type}"));
    }
    let steps: Vec<&str> = steps.collect();
    if steps.is_empty() {
        // The resource itself: its constraints (invariants) are not yet compiled.
        return Ok(!element.contains_key("constraint"));
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
            n => Some(
                n.parse()
                    .map_err(|_| format!("element {path}: max {n:?}"))?,
            ),
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
    Ok(true)
}

/// The constraint at `steps` below the element that `parent` looks up in the model (the
/// resource type at the top; a datatype below a choice's chosen type), made (with those above
/// it) from the R4 element where the profile has none yet. `shown`: the parent's path as the
/// definitions write it. None for a step R4 does not have.
fn node<'c>(
    elements: &'c mut Vec<Constraint>,
    steps: &[&str],
    parent: &str,
    shown: &str,
    model: &Model,
) -> Option<&'c mut Constraint> {
    let (first, rest) = steps.split_first()?;
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
            elements.push(Constraint {
                name: name.to_string(),
                // A choice named with its type is one JSON name (`valueQuantity`).
                choice: !typed && (choice || def.choice),
                path: format!("{shown}.{first}"),
                min: def.min,
                max: def.max,
                base_min: def.min,
                base_max: def.max,
                value: None,
                children: Vec::new(),
            });
            elements.len() - 1
        }
    };
    let found = elements.get_mut(position)?;
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

    /// US Core 6.1.0 as ../shared/ig holds it (differentials only).
    fn us_core() -> Registry {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/ig/us-core-6.1.0");
        let model = Model::r4().unwrap_or_else(|e| panic!("{e}"));
        Registry::load(&[Source::Path(dir)], &model).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn us_core_compiles_every_profile_whose_base_is_here() {
        let registry = us_core();
        let mut missing: Vec<(&str, &str)> = registry
            .not_compiled
            .iter()
            .map(|(url, base)| (url.rsplit('/').next().unwrap_or(url), base.as_str()))
            .collect();
        missing.sort();
        // The vital signs profiles build on R4's vitalsigns profile, QuestionnaireResponse's
        // on SDC's: neither is in the guide.
        let vitals = "http://hl7.org/fhir/StructureDefinition/vitalsigns";
        let sdc = "http://hl7.org/fhir/uv/sdc/StructureDefinition/sdc-questionnaireresponse";
        for (name, base) in &missing {
            assert!(*base == vitals || *base == sdc, "{name}: {base}");
        }
        assert_eq!(missing.len(), 14, "{missing:?}");
        assert_eq!(registry.profiles.len(), 35);
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
        // The extension slices (race, ethnicity...) are not compiled yet.
        assert!(patient
            .left_out
            .iter()
            .any(|id| id == "Patient.extension:race"));
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
        let loaded = Registry::load(&[Source::Path(package.clone())], &model);
        let broken = dir.join("broken.tgz");
        std::fs::write(&broken, b"not gzip").unwrap_or_else(|e| panic!("{e}"));
        let refused = Registry::load(&[Source::Path(broken)], &model).err();
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
        let error = Registry::load(&[Source::Path(dir.clone())], &model).err();
        std::fs::remove_dir_all(&dir).ok();
        let error = error.unwrap_or_default();
        assert!(
            error.contains("broken.json") && error.contains("JSON"),
            "{error}"
        );
        let empty = Registry::load(&[Source::Resources(vec![Value::from("x")])], &model).err();
        assert_eq!(
            empty.as_deref(),
            Some("ig resource 0: not a resource (a JSON object)")
        );
    }
}
