//! Code systems: the ICD-10-CM and ICD-10-PCS tables built into the library (data/, generated
//! by tools/gen-codes from the CMS and CDC files; provenance in data/README.md).

pub mod checkdigit;
pub mod descriptions;
pub mod excludes1;
pub mod icd10;
pub mod mce;
pub mod ranges;
pub mod units;

pub use icd10::{CodeStatus, Icd10, Window};

/// Every built-in code table, loaded once per validator.
pub struct Codes {
    pub icd10cm: Icd10,
    pub icd10pcs: Icd10,
    pub ages: mce::AgeGroups,
    pub excludes1: excludes1::Excludes1,
    pub ranges: ranges::Ranges,
    /// ICD-10-CM descriptions, when the caller has loaded them.
    pub descriptions: std::sync::OnceLock<descriptions::Descriptions>,
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
            ranges: ranges::Ranges::load()?,
            descriptions: std::sync::OnceLock::new(),
        })
    }
}

impl Codes {
    /// An ICD-10-CM code (normalized) as messages show it: `E11.9`, or `E11.9 (Type 2 diabetes
    /// mellitus without complications)` once descriptions are loaded.
    pub fn icd10cm_label(&self, code: &str) -> String {
        let shown = self.icd10cm.display(code);
        match self.descriptions.get().and_then(|d| d.get(code)) {
            Some(text) => format!("{shown} ({text})"),
            None => shown,
        }
    }
}
