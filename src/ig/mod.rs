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

#[cfg(feature = "ig-json")]
use crate::fhir::conformance::Profile;
use crate::json::Value;

/// Reading a guide's JSON and compiling its StructureDefinitions: the Rust crate, the command
/// line, and the npm package's Node and full builds (the `ig-json` feature).
#[cfg(feature = "ig-json")]
mod compile;
/// The value sets bindings name, expanded when a guide is compiled.
#[cfg(feature = "ig-json")]
mod terminology;

/// Where conformance resources come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// A package as the registries publish it (a `.tgz` holding `package/*.json`), or a
    /// folder of JSON files (a package's `package/` folder, or the folder holding it).
    #[cfg(not(target_arch = "wasm32"))]
    Path(std::path::PathBuf),
    /// The resources themselves (StructureDefinitions; others are passed over).
    Resources(Vec<Value>),
}

/// The profiles of every package loaded, by canonical URL.
#[derive(Debug, Default)]
pub struct Registry {
    #[cfg(feature = "ig-json")]
    profiles: HashMap<String, Profile>,
    /// The extension definitions and profiles on datatypes loaded, compiled as profiles on
    /// their type (Extension, Identifier...).
    #[cfg(feature = "ig-json")]
    datatypes: HashMap<String, Profile>,
    /// Profiles loaded but not compiled, with the base profile they need that is not loaded.
    not_compiled: HashMap<String, String>,
}

/// What a record's `meta.profile` entry names.
pub enum Claim<'r> {
    /// Only where guides are read (the `ig-json` feature): elsewhere no profile is loaded.
    #[cfg(feature = "ig-json")]
    Compiled(&'r Profile),
    /// Loaded, but not compiled: it builds on this profile, which is not loaded.
    NotCompiled(&'r str),
    Unknown,
}

impl Registry {
    /// The definition of the extension with this url, where a guide loaded defines it.
    #[cfg(feature = "ig-json")]
    pub fn extension(&self, url: &str) -> Option<&Profile> {
        let url = url.split('|').next().unwrap_or(url);
        self.datatypes.get(url).filter(|p| p.extension.is_some())
    }

    /// Whether a guide loaded defines any extension.
    #[cfg(feature = "ig-json")]
    pub fn defines_extensions(&self) -> bool {
        self.datatypes.values().any(|p| p.extension.is_some())
    }

    /// The key of an invariant a loaded profile adds (`us-core-2`), for options that name it.
    pub fn invariant_key(&self, key: &str) -> Option<&'static str> {
        #[cfg(feature = "ig-json")]
        for p in self.profiles.values() {
            if let Some(i) = p.invariants.iter().find(|i| i.key == key) {
                return Some(i.key);
            }
        }
        let _ = key;
        None
    }

    /// What a `meta.profile` canonical names (`url` or `url|version`).
    pub fn claim(&self, canonical: &str) -> Claim<'_> {
        let url = canonical.split('|').next().unwrap_or(canonical);
        #[cfg(feature = "ig-json")]
        if let Some(p) = self.profiles.get(url) {
            return Claim::Compiled(p);
        }
        match self.not_compiled.get(url) {
            Some(why) => Claim::NotCompiled(why),
            None => Claim::Unknown,
        }
    }
}
