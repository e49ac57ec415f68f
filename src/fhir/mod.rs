//! Reading FHIR JSON: the R4 model, locations, primitive types.

pub mod clock;
pub mod coding;
pub mod extension;
pub mod model;
pub mod path;
pub mod primitives;
pub mod reference;
pub mod walk;
