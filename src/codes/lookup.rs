//! Code lookup while a code is being typed: ICD-10-CM by code prefix or by words of its
//! description (once the descriptions are loaded), ICD-10-PCS by code prefix. Only codes valid
//! on the day asked are offered.

use serde::Serialize;

use crate::codes::{CodeStatus, Codes, Icd10};
use crate::fhir::clock::Day;

/// One code offered for what was typed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(rename = "LookupResult"))]
pub struct CodeMatch {
    /// As coders write it: `E11.9`.
    pub code: String,
    /// The description, when the descriptions are loaded (ICD-10-CM billable codes).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(optional))]
    pub display: Option<String>,
    /// A billable (valid, most specific) code on the day; a category is not.
    pub billable: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    Icd10cm,
    Icd10pcs,
}

impl System {
    /// `icd10cm`, `icd-10-cm` or the system URI; likewise for ICD-10-PCS.
    pub fn parse(name: &str) -> Option<System> {
        match name.trim().to_ascii_lowercase().as_str() {
            "icd10cm" | "icd-10-cm" | crate::fhir::coding::ICD10CM => Some(System::Icd10cm),
            "icd10pcs" | "icd-10-pcs" => Some(System::Icd10pcs),
            s if s == crate::fhir::coding::ICD10PCS.to_ascii_lowercase() => Some(System::Icd10pcs),
            _ => None,
        }
    }
}

/// Longest query looked at: a code is 8 characters, a description search a few words.
const MAX_QUERY: usize = 200;

pub fn lookup(codes: &Codes, system: System, text: &str, limit: usize, day: Day) -> Vec<CodeMatch> {
    let text = text.trim();
    if text.is_empty() || limit == 0 || text.len() > MAX_QUERY {
        return Vec::new();
    }
    let table = match system {
        System::Icd10cm => &codes.icd10cm,
        System::Icd10pcs => &codes.icd10pcs,
    };
    if let Some(prefix) = code_prefix(table, system, text) {
        return by_prefix(codes, table, system, &prefix, limit, day);
    }
    if system == System::Icd10pcs {
        return Vec::new();
    }
    let Some(descriptions) = codes.descriptions.get() else {
        return Vec::new();
    };
    let valid = |code: &str| matches!(table.status(code, day, day), CodeStatus::Valid(_));
    descriptions
        .search(text, limit, valid)
        .into_iter()
        .map(|code| CodeMatch {
            code: table.display(code),
            display: descriptions.get(code).map(str::to_string),
            billable: true,
        })
        .collect()
}

/// The normalized code prefix when the text is shaped like the start of a code: for
/// ICD-10-CM a letter then a digit (`E1`, `e11.9`) or a lone letter; for ICD-10-PCS any run of
/// its characters with a digit or a lone character.
fn code_prefix(table: &Icd10, system: System, text: &str) -> Option<String> {
    let code = table.normalize(text)?;
    let b = code.as_bytes();
    let shaped = match system {
        System::Icd10cm => match b {
            [letter] => letter.is_ascii_alphabetic(),
            [letter, digit, ..] => letter.is_ascii_alphabetic() && digit.is_ascii_digit(),
            [] => false,
        },
        System::Icd10pcs => b.len() == 1 || b.iter().any(u8::is_ascii_digit),
    };
    shaped.then_some(code)
}

fn by_prefix(
    codes: &Codes,
    table: &Icd10,
    system: System,
    prefix: &str,
    limit: usize,
    day: Day,
) -> Vec<CodeMatch> {
    let describe = |code: &str| match system {
        System::Icd10cm => codes
            .descriptions
            .get()
            .and_then(|d| d.get(code))
            .map(str::to_string),
        System::Icd10pcs => None,
    };
    let mut out = Vec::new();
    match table.status(prefix, day, day) {
        CodeStatus::Valid(_) => out.push(CodeMatch {
            code: table.display(prefix),
            display: describe(prefix),
            billable: true,
        }),
        // A category: offered first, to be refined.
        CodeStatus::Header if prefix.len() >= 3 => out.push(CodeMatch {
            code: table.display(prefix),
            display: None,
            billable: false,
        }),
        _ => {}
    }
    for code in table.children(prefix, day, day, limit.saturating_sub(out.len())) {
        out.push(CodeMatch {
            display: describe(&code),
            code: table.display(&code),
            billable: true,
        });
    }
    out
}
