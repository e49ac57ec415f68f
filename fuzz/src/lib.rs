//! The fuzz targets' shared code: what each target runs (`cases`, also used by `cargo test`)
//! and how fuzzer bytes become structured FHIR input (`gen`).

pub mod cases;
pub mod gen;
