//! Small helpers to read FHIR JSON: locations, primitive types.

pub mod clock;
pub mod coding;
pub mod path;
pub mod primitives;
pub mod reference;
