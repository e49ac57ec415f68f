//! Any bytes as the options JSON (and as a profile document): `Options::from_json`,
//! `Validator::new`, then a few records through each validator built.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| ehrlint_fuzz::cases::options(data));
