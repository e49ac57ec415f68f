//! Code lookup while typing (`Validator::lookup`, ICD-10-CM words included) and the public
//! code-table functions: ICD-10-CM/PCS status, nearest codes and Excludes1, the LOINC, NPI,
//! SNOMED CT, NDC and CVX checks, UCUM parsing and conversion, USPS states, plausible ranges.
#![no_main]

use ehrlint_fuzz::gen::LookupInput;

libfuzzer_sys::fuzz_target!(|input: LookupInput| ehrlint_fuzz::cases::lookup(&input.0));
