//! Implementation Guides: the conformance resources of FHIR packages (a package's `.tgz` as the
//! registries publish it, its folder unpacked, or the resources themselves), and their
//! StructureDefinitions compiled once, when a validator is built, into the profiles the
//! validator checks ([`crate::fhir::conformance`]).
//!
//! A profile is compiled from its differential against its base: an R4 resource type, or
//! another profile loaded with it (profiles on profiles), whose constraints it inherits. What
//! is compiled: the cardinality an element's definition narrows, its fixed[x] and pattern[x]
//! values and the types a choice is narrowed to, on the elements of the resource and of its
//! datatypes (a choice named with its type, `Observation.valueQuantity`, included); slicing
//! by value, pattern, exists and type discriminators, open or closed, with each slice's
//! cardinality and constraints (an extension sliced by url, as R4 defines it, where the
//! profile gives no discriminator); the profiles on datatypes a type names (an Identifier's
//! type fixed), inlined where they are used; and extension definitions (context, modifier
//! flag, value types, sub-extensions), which the engine checks wherever the extension is used;
//! required, extensible and preferred bindings to the value sets that can be enumerated from
//! the ValueSets and CodeSystems loaded (HL7's terminology package among them, when it is) or
//! R4's own (src/ig/terminology.rs), a required binding also telling slices apart; and the
//! invariants a profile adds, as expressions on the resource (the engine evaluates them). Not
//! yet read: invariants inside a slice or reading other resources, profile discriminators
//! and `resolve()`. What is left out is listed with each profile (`Profile::left_out`), never
//! guessed at.

use std::collections::HashMap;

#[cfg(feature = "ig")]
use crate::fhir::conformance::Profile;
use crate::json::Value;

/// The `ig` option in a build that checks no profile (the npm package's default browser build).
#[cfg(not(feature = "ig"))]
pub(crate) const NO_IG: &str = "invalid options: ig: this build does not check Implementation Guides: the npm package's Node build and ehrlint/full do";

/// Reading a guide's JSON and compiling its StructureDefinitions: the Rust crate, the command
/// line, and the npm package's Node and full builds (the `ig-json` feature).
#[cfg(feature = "ig-json")]
mod compile;
/// The compiled form of guides (`ehrlint ig pack`), read wherever profiles are checked: US
/// Core's is built in.
#[cfg(feature = "ig")]
mod pack;
/// The value sets bindings name, expanded when a guide is compiled.
#[cfg(feature = "ig-json")]
mod terminology;

/// Where conformance resources come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A package as the registries publish it (a `.tgz` holding `package/*.json`), a
    /// folder of JSON files (a package's `package/` folder, or the folder holding it), or
    /// a compiled guide's file (`ehrlint ig pack`).
    #[cfg(not(target_arch = "wasm32"))]
    Path(std::path::PathBuf),
    /// The resources themselves (StructureDefinitions; others are passed over).
    Resources(Vec<Value>),
    /// Guides compiled beforehand: what `ehrlint ig pack` writes, read without their JSON.
    Pack(Vec<u8>),
}

#[cfg(feature = "ig")]
impl Source {
    /// The profiles of a compiled guide (`i`: its place among the sources, for errors); None
    /// for a guide's JSON.
    fn compiled(&self, i: usize) -> Result<Option<Registry>, String> {
        match self {
            Source::Pack(bytes) => pack::read(bytes)
                .map(Some)
                .map_err(|e| format!("ig[{i}]: {e}")),
            #[cfg(not(target_arch = "wasm32"))]
            Source::Path(path) if pack::is_pack(path) => {
                let shown = path.display();
                let bytes = std::fs::read(path).map_err(|e| format!("{shown}: {e}"))?;
                pack::read(&bytes)
                    .map(Some)
                    .map_err(|e| format!("{shown}: {e}"))
            }
            _ => Ok(None),
        }
    }
}

/// How [`crate::pack_guides`] compiles.
#[cfg(feature = "ig-json")]
#[derive(Debug, Clone)]
pub struct PackOptions {
    /// Packages whose value sets and code systems expand the guides' bindings (HL7's
    /// terminology package), their own profiles left out.
    pub terminology: Vec<Source>,
    /// Compile over the built-in US Core, on which a guide's profiles may build (true by
    /// default; US Core's own pack is written without).
    pub over_us_core: bool,
    /// Leave out every LOINC, SNOMED CT and CPT code but these (`system|code`): a binding, fixed
    /// value or slicing that needs another is then not checked, and listed as left out. How
    /// the built-in US Core is written, as ehrlint ships none of their content.
    pub licensed_codes_kept: Option<Vec<String>>,
}

#[cfg(feature = "ig-json")]
impl Default for PackOptions {
    fn default() -> Self {
        PackOptions {
            terminology: Vec::new(),
            over_us_core: true,
            licensed_codes_kept: None,
        }
    }
}

/// The profiles of every package loaded, by canonical URL.
#[derive(Debug, Default)]
pub struct Registry {
    #[cfg(feature = "ig")]
    profiles: HashMap<String, Profile>,
    /// The extension definitions and profiles on datatypes loaded, compiled as profiles on
    /// their type (Extension, Identifier...).
    #[cfg(feature = "ig")]
    datatypes: HashMap<String, Profile>,
    /// Profiles loaded but not compiled, with the base profile they need that is not loaded.
    not_compiled: HashMap<String, String>,
}

/// A guide's JSON given to a build that reads only compiled guides.
#[cfg(all(feature = "ig", not(feature = "ig-json")))]
const NO_JSON: &str = "this build reads compiled guides only (`ehrlint ig pack` writes them, given as a Uint8Array): the npm package's Node build and ehrlint/full also read a guide's JSON";

/// What a record's `meta.profile` entry names.
pub enum Claim<'r> {
    /// Where profiles are checked (the `ig` feature).
    #[cfg(feature = "ig")]
    Compiled(&'r Profile),
    /// Loaded, but not compiled: it builds on this profile, which is not loaded.
    NotCompiled(&'r str),
    Unknown,
}

/// US Core 6.1.0, compiled (with FHIR R4's vital signs profiles, on which its own build), by
/// tools/gen-packs.sh: every build that checks profiles has it.
#[cfg(feature = "ig")]
const US_CORE: &[u8] = include_bytes!("../../data/us-core-6.1.0.pack");

impl Registry {
    /// The guides built in: US Core 6.1.0.
    #[cfg(feature = "ig")]
    pub fn built_in() -> Result<Registry, String> {
        pack::read(US_CORE).map_err(|e| format!("the built-in US Core: {e}"))
    }

    /// `self` with `sources` loaded over it: packs as they are, guides' JSON compiled (the
    /// `ig-json` feature), where a base profile may be one loaded before (mCODE on the
    /// built-in US Core). A profile loaded again replaces the one before (US Core 7 loaded
    /// over the built-in 6.1.0). Err names the source that is not a guide.
    #[cfg(feature = "ig")]
    pub fn load(
        mut self,
        sources: &[Source],
        model: &crate::fhir::model::Model,
    ) -> Result<Registry, String> {
        let mut json = Vec::new();
        for (i, source) in sources.iter().enumerate() {
            match source.compiled(i)? {
                Some(compiled) => self.merge(compiled),
                None => json.push(source),
            }
        }
        if json.is_empty() {
            return Ok(self);
        }
        #[cfg(feature = "ig-json")]
        {
            let compiled = Registry::from_json(&json, &[], model, &self)?;
            self.merge(compiled);
            Ok(self)
        }
        #[cfg(not(feature = "ig-json"))]
        {
            let _ = model;
            Err(NO_JSON.into())
        }
    }

    /// The profiles of `other` added, replacing those with the same url.
    #[cfg(feature = "ig")]
    fn merge(&mut self, other: Registry) {
        for url in other.profiles.keys().chain(other.datatypes.keys()) {
            self.not_compiled.remove(url);
        }
        self.profiles.extend(other.profiles);
        self.datatypes.extend(other.datatypes);
        self.not_compiled.extend(other.not_compiled);
    }

    /// The compiled form of `guides` (`ehrlint ig pack`, [`PackOptions`]). Compiled
    /// guides among `guides` are written into it as they are.
    #[cfg(feature = "ig-json")]
    pub fn pack(
        guides: &[Source],
        options: &PackOptions,
        model: &crate::fhir::model::Model,
    ) -> Result<Vec<u8>, String> {
        let mut bases = match options.over_us_core {
            true => Registry::built_in()?,
            false => Registry::default(),
        };
        let mut packed = Registry::default();
        let mut json = Vec::new();
        for (i, source) in guides.iter().enumerate() {
            match source.compiled(i)? {
                Some(compiled) => packed.merge(compiled),
                None => json.push(source),
            }
        }
        let terminology: Vec<&Source> = options.terminology.iter().collect();
        bases.merge(Registry {
            profiles: packed.profiles.clone(),
            datatypes: packed.datatypes.clone(),
            not_compiled: HashMap::new(),
        });
        packed.merge(Registry::from_json(&json, &terminology, model, &bases)?);
        if let Some(kept) = &options.licensed_codes_kept {
            pack::leave_out_licensed(&mut packed, &kept.iter().cloned().collect());
        }
        pack::write(&packed)
    }

    /// The definition of the extension with this url, where a guide loaded defines it.
    #[cfg(feature = "ig")]
    pub fn extension(&self, url: &str) -> Option<&Profile> {
        let url = url.split('|').next().unwrap_or(url);
        self.datatypes.get(url).filter(|p| p.extension.is_some())
    }

    /// Whether a guide loaded defines any extension.
    #[cfg(feature = "ig")]
    pub fn defines_extensions(&self) -> bool {
        self.datatypes.values().any(|p| p.extension.is_some())
    }

    /// The key of an invariant a loaded profile adds (`us-core-2`), for options that name it.
    pub fn invariant_key(&self, key: &str) -> Option<&'static str> {
        #[cfg(feature = "ig")]
        return self
            .profiles
            .values()
            .find_map(|p| p.invariants.iter().find(|i| i.key == key))
            .map(|i| i.key);
        #[cfg(not(feature = "ig"))]
        {
            let _ = key;
            None
        }
    }

    /// What a `meta.profile` canonical names (`url` or `url|version`).
    pub fn claim(&self, canonical: &str) -> Claim<'_> {
        let url = canonical.split('|').next().unwrap_or(canonical);
        #[cfg(feature = "ig")]
        if let Some(p) = self.profiles.get(url) {
            return Claim::Compiled(p);
        }
        match self.not_compiled.get(url) {
            Some(why) => Claim::NotCompiled(why),
            None => Claim::Unknown,
        }
    }
}

#[cfg(all(test, feature = "ig-json"))]
pub(crate) mod testing {
    use super::{Registry, Source};

    /// US Core 6.1.0 as ../shared/ig holds it (differentials only), compiled from its JSON.
    pub fn us_core() -> Registry {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/ig/us-core-6.1.0");
        let model = crate::fhir::model::Model::r4().unwrap_or_else(|e| panic!("{e}"));
        Registry::default()
            .load(&[Source::Path(dir)], &model)
            .unwrap_or_else(|e| panic!("{e}"))
    }
}
