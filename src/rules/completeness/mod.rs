//! Completeness rules: is anything missing that must be there? FHIR's own required elements
//! are found by the structure walk; the profile's requirements by the profile's check
//! (`profile::check`), which words them with these rules.

pub mod conditional_required;
pub mod must_support_missing;
pub mod profile_required;
pub mod required_choice;
pub mod required_element;
