//! FHIR-shaped JSON values (generated, or seed records mutated): `Validator::validate`, the
//! same issues from `validate_json` of the serialization, and a session with a few edits that
//! must match full validation. See fuzz/src/cases.rs and fuzz/src/gen.rs.
#![no_main]

use ehrlint_fuzz::gen::ValueInput;

libfuzzer_sys::fuzz_target!(|input: ValueInput| ehrlint_fuzz::cases::validate_value(&input.0));
