//! Completeness rules: is anything missing that must be there?

pub mod required_choice;
pub mod required_element;
