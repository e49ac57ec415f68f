//! ICD-10-CM descriptions, loaded on demand (data/icd10cm-descriptions.tsv, 6 MB, is not built
//! into the library): with them, messages name codes ("E11.9, Type 2 diabetes mellitus without
//! complications"); without them, everything else works the same.

pub struct Descriptions {
    text: String,
    /// (code start, code end, description end) byte offsets into `text`, sorted by code.
    index: Vec<(u32, u32, u32)>,
}

impl Descriptions {
    /// Parses `code TAB description` lines (codes without dots, sorted).
    pub fn parse(text: String) -> Result<Self, String> {
        if text.len() > u32::MAX as usize {
            return Err("the descriptions file is too large".to_string());
        }
        let mut index = Vec::with_capacity(80_000);
        let mut at = 0usize;
        for (n, line) in text.split_inclusive('\n').enumerate() {
            let body = line.trim_end_matches(['\n', '\r']);
            if !body.is_empty() {
                let tab = body.find('\t').ok_or_else(|| {
                    format!("descriptions line {}: expected code TAB description", n + 1)
                })?;
                index.push((at as u32, (at + tab) as u32, (at + body.len()) as u32));
            }
            at += line.len();
        }
        let code = |&(s, e, _): &(u32, u32, u32)| &text[s as usize..e as usize];
        if index.windows(2).any(|w| code(&w[0]) >= code(&w[1])) {
            return Err(
                "the descriptions file must be sorted by code, one line per code".to_string(),
            );
        }
        if index.is_empty() {
            return Err("the descriptions file is empty".to_string());
        }
        Ok(Descriptions { text, index })
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The description of a code (normalized: no dot, upper case).
    pub fn get(&self, code: &str) -> Option<&str> {
        let at = |&(s, e, _): &(u32, u32, u32)| &self.text[s as usize..e as usize];
        let i = self
            .index
            .binary_search_by(|entry| at(entry).cmp(code))
            .ok()?;
        let (_, e, d) = self.index[i];
        self.text.get(e as usize + 1..d as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_finds() {
        let d = Descriptions::parse(
            "A000\tCholera A\nE119\tType 2 diabetes mellitus without complications\r\n".to_string(),
        )
        .unwrap();
        assert_eq!(d.len(), 2);
        assert_eq!(
            d.get("E119"),
            Some("Type 2 diabetes mellitus without complications")
        );
        assert_eq!(d.get("E11"), None);
        assert!(Descriptions::parse("E119\tx\nA000\ty\n".to_string()).is_err());
        assert!(Descriptions::parse("no tab here\n".to_string()).is_err());
        assert!(Descriptions::parse(String::new()).is_err());
    }
}
