//! Reading FHIR JSON: the R4 model, locations, primitive types.

pub mod bundle;
pub mod clock;
pub mod coding;
pub mod extension;
pub mod facts;
pub mod index;
pub mod model;
pub mod path;
pub mod patient;
pub mod primitives;
pub mod reference;
pub mod walk;
