//! Reading FHIR JSON: the R4 model, locations, primitive types.

pub mod bundle;
pub mod clock;
pub mod coding;
// Implementation Guide profiles as the validator checks them (src/ig/ loads them): the `ig`
// feature.
#[cfg(feature = "ig")]
pub mod conformance;
pub mod extension;
pub mod facts;
pub mod fhirpath;
pub mod finding;
pub mod index;
pub mod invariants;
pub mod model;
pub mod path;
pub mod patient;
pub mod primitives;
pub mod reference;
pub mod walk;

/// The R4 model in postcard's binary form, written by build.rs from data/fhir-r4-model.json
/// (`model::Model::r4` decodes it). Here rather than in model.rs, which build.rs compiles too.
const MODEL_BINARY: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/fhir-r4-model.postcard"));
