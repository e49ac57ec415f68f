//! Code systems: the ICD-10-CM and ICD-10-PCS tables built into the library (data/, generated
//! by tools/gen-codes from the CMS and CDC files; provenance in data/README.md).

pub mod checkdigit;
pub mod excludes1;
pub mod icd10;
pub mod mce;

pub use icd10::{CodeStatus, Icd10, Window};

/// Every built-in code table, loaded once per validator.
pub struct Codes {
    pub icd10cm: Icd10,
    pub icd10pcs: Icd10,
    pub ages: mce::AgeGroups,
    pub excludes1: excludes1::Excludes1,
}

impl Codes {
    pub fn load() -> Result<Self, String> {
        let records = icd10::Records::load()?;
        Ok(Codes {
            icd10cm: Icd10::new(
                include_bytes!("../../data/icd10cm.fst"),
                records.clone(),
                true,
            )?,
            icd10pcs: Icd10::new(include_bytes!("../../data/icd10pcs.fst"), records, false)?,
            ages: mce::AgeGroups::load()?,
            excludes1: excludes1::Excludes1::default(),
        })
    }
}
