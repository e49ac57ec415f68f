//! Completeness rules: is anything missing that must be there? FHIR's own required elements
//! are found by the structure walk; the profile's requirements by the profile's check
//! (`profile::check`), which words them with these rules.

// One module per file of this folder, one rule each (build.rs `write_rule_registry`).
include!(concat!(env!("OUT_DIR"), "/rules-completeness.rs"));
