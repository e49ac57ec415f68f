//! Any bytes as JSON text: `Validator::validate_json` and the CLI's parse/check/validate path,
//! which must agree; NDJSON lines one by one. See fuzz/src/cases.rs.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ehrlint_fuzz::cases::validate_json(data));
