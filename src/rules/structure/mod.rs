//! Structure rules: is the record well-formed FHIR R4? Most are found by the structure walk
//! (`fhir::walk`) and worded here (`rules::findings` hands each finding to its rule); the
//! Bundle rules (`bundle_*`) are record rules that read a Bundle's entries and links.

pub mod bundle_fullurl_duplicate;
pub mod bundle_fullurl_invalid;
pub mod bundle_fullurl_mismatch;
pub mod bundle_link_duplicate;
pub mod bundle_reference_ambiguous;
pub mod bundle_reference_unresolved;
pub mod choice_conflict;
pub mod code_missing;
pub mod empty_element;
pub mod empty_value;
pub mod extension_content;
pub mod extension_context;
pub mod extension_modifier;
pub mod extension_sub_unknown;
pub mod extension_unknown;
pub mod extension_url_version;
pub mod extension_value_type;
pub mod invalid_date;
pub mod invalid_format;
pub mod invalid_value;
pub mod resource_type_missing;
pub mod string_too_long;
pub mod unknown_property;
pub mod unknown_resource_type;
pub mod value_out_of_range;
pub mod wrong_type;
