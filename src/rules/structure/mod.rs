//! Structure rules: is the record well-formed FHIR R4? Most are found by the structure walk
//! (`fhir::walk`) and worded here (`rules::findings` hands each finding to its rule); the
//! Bundle rules (`bundle_*`) are record rules that read a Bundle's entries and links.

// One module per file of this folder, one rule each (build.rs `write_rule_registry`).
include!(concat!(env!("OUT_DIR"), "/rules-structure.rs"));
