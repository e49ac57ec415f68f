//! Small helpers to read FHIR JSON: locations, primitive types.

pub mod path;
pub mod primitives;
