//! `Validator::validate_field(resourceType, path, value, context)` with FHIRPath-like, JSON
//! Pointer and arbitrary paths, any values, and contexts with or without a record.
#![no_main]

use ehrlint_fuzz::gen::FieldInput;

libfuzzer_sys::fuzz_target!(|input: FieldInput| ehrlint_fuzz::cases::validate_field(&input.0));
