//! Implementation Guides: the conformance resources of FHIR packages (a package's `.tgz` as the
//! registries publish it, its folder unpacked, or the resources themselves), and their
//! StructureDefinitions compiled once, when a validator is built, into the profiles the
//! validator checks ([`crate::fhir::conformance`]).
//!
//! A profile is compiled from its differential against its base: an R4 resource type, or
//! another profile loaded with it (profiles on profiles), whose constraints it inherits. What
//! is compiled so far: the cardinality an element's definition narrows and its fixed[x] and
//! pattern[x] values, on the elements of the resource and of its datatypes, a choice named
//! with its type (`Observation.valueQuantity`) included. Slices (an element id with `:`), the
//! resource's own constraints (invariants), bindings, must-support and the extension
//! definitions a package brings are not yet read: what is left out is listed with each
//! profile (`Profile::left_out`), never guessed at.

use std::collections::HashMap;

#[cfg(feature = "ig-json")]
use crate::fhir::conformance::Profile;
use crate::json::Value;

/// Reading a guide's JSON and compiling its StructureDefinitions: the Rust crate, the command
/// line, and the npm package's Node and full builds (the `ig-json` feature).
#[cfg(feature = "ig-json")]
mod compile;

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
