//! ICD-10-CM and ICD-10-PCS: which codes exist, on which days, with which CMS Medicare Code
//! Editor flags. Each table is an FST map (code without dot -> record id); a record lists the
//! code's validity windows, each with its MCE flags.

use std::sync::Arc;

use fst::{IntoStreamer, Streamer};
use serde::Deserialize;

use crate::fhir::clock::Day;

/// One validity window of a code: from `start` to `end` inclusive (`end` 0: still valid),
/// with MCE flag bits (see `Records::flags`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub struct Window(pub Day, pub Day, pub u32);

impl Window {
    pub fn start(&self) -> Day {
        self.0
    }
    pub fn end(&self) -> Option<Day> {
        (self.1 != 0).then_some(self.1)
    }
    pub fn covers(&self, first: Day, last: Day) -> bool {
        self.0 <= last && self.end().is_none_or(|e| e >= first)
    }
}

#[derive(Debug, Deserialize)]
struct RecordsFile {
    flags: Vec<String>,
    records: Vec<Vec<Window>>,
    /// The first day any code is valid (FY2016's 2015-10-01), worked out on loading.
    #[serde(skip)]
    first_day: Day,
}

/// The windows of every record, shared by both tables.
#[derive(Clone)]
pub struct Records(Arc<RecordsFile>);

impl Records {
    pub fn load() -> Result<Self, String> {
        let mut file: RecordsFile =
            serde_json::from_str(include_str!("../../data/icd10-records.json"))
                .map_err(|e| format!("the built-in ICD-10 records do not parse: {e}"))?;
        file.first_day = file
            .records
            .iter()
            .flatten()
            .map(Window::start)
            .min()
            .unwrap_or(0);
        Ok(Records(Arc::new(file)))
    }

    /// The bit of an MCE flag by name (`manifestation`, `newborn`, ...).
    pub fn flag(&self, name: &str) -> Option<u32> {
        self.0.flags.iter().position(|f| f == name).map(|i| 1 << i)
    }
}

/// What a code is on a given day.
#[derive(Debug, Clone, PartialEq)]
pub enum CodeStatus {
    /// A valid, billable code on that day; the window in force.
    Valid(Window),
    /// Not a code, but the category or subcategory above codes valid that day (not billable).
    Header,
    /// A code that exists, but not on that day.
    NotOnDate(Vec<Window>),
    /// No such code, ever (FY2016 to FY2027).
    Unknown,
}

pub struct Icd10 {
    map: fst::Map<&'static [u8]>,
    records: Records,
    /// ICD-10-CM writes a dot after the third character; ICD-10-PCS has none.
    dotted: bool,
}

impl Icd10 {
    pub fn new(bytes: &'static [u8], records: Records, dotted: bool) -> Result<Self, String> {
        let map =
            fst::Map::new(bytes).map_err(|e| format!("a built-in code table is damaged: {e}"))?;
        Ok(Icd10 {
            map,
            records,
            dotted,
        })
    }

    pub fn records(&self) -> &Records {
        &self.records
    }

    /// Upper case, without the dot: `e11.9` -> `E119`. None if it is not code-shaped at all.
    pub fn normalize(&self, code: &str) -> Option<String> {
        let mut out = String::with_capacity(8);
        for (i, c) in code.trim().chars().enumerate() {
            match c {
                '.' if self.dotted && i == 3 => {}
                // No code has more than 7 characters: stop at the 8th, not at the end of a
                // value that may be megabytes long.
                c if c.is_ascii_alphanumeric() && out.len() < 7 => out.push(c.to_ascii_uppercase()),
                _ => return None,
            }
        }
        (!out.is_empty()).then_some(out)
    }

    /// As coders write it: `E119` -> `E11.9`.
    pub fn display(&self, code: &str) -> String {
        match code.split_at_checked(3) {
            Some((category, rest)) if self.dotted && !rest.is_empty() => {
                format!("{category}.{rest}")
            }
            _ => code.to_string(),
        }
    }

    pub fn windows(&self, code: &str) -> Option<&[Window]> {
        let id = self.map.get(code)?;
        self.records.0.records.get(id as usize).map(Vec::as_slice)
    }

    /// What `code` (normalized) is on the days `first..=last` (a partial date is a range).
    /// A code that was billable once and has since been split (A04.7 until FY2017, then
    /// A04.71/A04.72) is a header on later days: "choose a subcode" is the useful answer.
    pub fn status(&self, code: &str, first: Day, last: Day) -> CodeStatus {
        let windows = self.windows(code);
        if let Some(w) = windows.and_then(|ws| ws.iter().find(|w| w.covers(first, last))) {
            return CodeStatus::Valid(*w);
        }
        if code.len() >= 3 && !self.children(code, first, last, 1).is_empty() {
            return CodeStatus::Header;
        }
        match windows {
            Some(ws) => CodeStatus::NotOnDate(ws.to_vec()),
            None => CodeStatus::Unknown,
        }
    }

    /// Codes below `prefix` valid on the days given, at most `limit`, in code order.
    pub fn children(&self, prefix: &str, first: Day, last: Day, limit: usize) -> Vec<String> {
        let mut out = Vec::new();
        // Before the tables begin no code is valid: answer without walking the whole table
        // (a category's status on a 2010 date, a lookup as of 1990).
        if last < self.records.0.first_day {
            return out;
        }
        let mut stream = self.map.range().ge(prefix).into_stream();
        while let Some((key, id)) = stream.next() {
            if !key.starts_with(prefix.as_bytes()) || out.len() >= limit {
                break;
            }
            let valid = self
                .records
                .0
                .records
                .get(id as usize)
                .is_some_and(|ws| ws.iter().any(|w| w.covers(first, last)));
            if key.len() > prefix.len() && valid {
                out.push(String::from_utf8_lossy(key).into_owned());
            }
        }
        out
    }

    /// Is `code` (normalized) a code or a category of this system at any time, FY2016-FY2027?
    pub fn exists(&self, code: &str) -> bool {
        self.windows(code).is_some()
            || (code.len() >= 3 && !self.children(code, 0, Day::MAX, 1).is_empty())
    }

    /// How many codes the table holds (every fiscal year).
    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// Every code valid on `day`, in code order.
    pub fn valid_on(&self, day: Day) -> Vec<String> {
        self.children("", day, day, usize::MAX)
    }

    /// Codes close to a code that does not exist, valid on the days given: those under its
    /// longest known prefix, closest in spelling first.
    /// Text longer than 16 bytes is no mistyped code (codes have at most 7 characters): it
    /// gets none, rather than a prefix search and a spelling distance as long as itself.
    pub fn nearest(&self, code: &str, first: Day, last: Day, limit: usize) -> Vec<String> {
        if code.len() > 16 {
            return Vec::new();
        }
        for len in (1..code.len()).rev() {
            // Codes are ASCII: a cut inside another character is no prefix to look for.
            let Some(prefix) = code.get(..len) else {
                continue;
            };
            let mut found = self.children(prefix, first, last, 200);
            if let Some(w) = self.windows(prefix) {
                if w.iter().any(|w| w.covers(first, last)) {
                    found.push(prefix.to_string());
                }
            }
            if !found.is_empty() {
                crate::sort::by_cached_key(&mut found, |c| {
                    (strsim::osa_distance(code, c), c.len(), c.clone())
                });
                found.truncate(limit);
                return found;
            }
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn text_that_is_not_ascii_is_shown_and_searched_without_panicking() {
        let codes = crate::codes::Codes::load().unwrap();
        let table = &codes.icd10cm;
        assert_eq!(table.display("E119"), "E11.9");
        assert_eq!(table.display("E11"), "E11");
        // Byte 3 falls inside the second `É`.
        assert_eq!(table.display("ÉÉ"), "ÉÉ");
        let day = 20240101;
        assert!(table.nearest("ÉÉ", day, day, 5).is_empty());
        assert!(table
            .nearest("E11É", day, day, 5)
            .iter()
            .all(|c| c.starts_with("E11")));
    }

    #[test]
    fn before_the_tables_begin_no_code_is_valid() {
        let codes = crate::codes::Codes::load().unwrap();
        let table = &codes.icd10cm;
        // FY2016 began on 2015-10-01.
        assert!(!table.children("E11", 20151001, 20151001, 5).is_empty());
        assert!(table.children("E11", 20150930, 20150930, 5).is_empty());
        assert!(table.children("", 19900101, 19900101, 5).is_empty());
        assert!(matches!(
            table.status("E119", 20100101, 20100101),
            super::CodeStatus::NotOnDate(_)
        ));
        assert_eq!(
            table.status("E11", 20151001, 20151001),
            super::CodeStatus::Header
        );
        assert!(table.nearest("E11Q", 20100101, 20100101, 5).is_empty());
    }

    #[test]
    fn long_text_is_no_code() {
        let codes = crate::codes::Codes::load().unwrap();
        let table = &codes.icd10cm;
        let day = 20240101;
        assert_eq!(table.normalize(" e11.9 ").as_deref(), Some("E119"));
        assert_eq!(table.normalize("E11.65123").as_deref(), None);
        assert_eq!(table.normalize(&"E".repeat(10_000_000)), None);
        assert!(table
            .nearest("E11.96", day, day, 5)
            .iter()
            .all(|c| c.starts_with("E11")));
        assert!(!table.nearest("E119Z", day, day, 5).is_empty());
        assert!(table
            .nearest(&"E".repeat(10_000_000), day, day, 5)
            .is_empty());
    }
}
