//! ICD-10-CM descriptions, loaded on demand (data/icd10cm-descriptions.tsv, 6 MB, is not built
//! into the library): with them, messages name codes ("E11.9, Type 2 diabetes mellitus without
//! complications"); without them, everything else works the same.

pub struct Descriptions {
    text: String,
    /// (code start, code end, description end) byte offsets into `text`, sorted by code.
    index: Vec<(u32, u32, u32)>,
    /// Every word of the descriptions (lower case, sorted) with the entries holding it, built
    /// on the first word search: code lookup by words, without scanning 74,000 lines a key.
    words: std::sync::OnceLock<WordIndex>,
}

/// Every word (lower case, sorted) with the entries holding it, and each entry's word count.
struct WordIndex {
    words: Vec<(Box<str>, Vec<u32>)>,
    counts: Vec<u16>,
}

/// The words of a text, lower case: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
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
        if index
            .windows(2)
            .any(|w| matches!(w, [a, b] if code(a) >= code(b)))
        {
            return Err(
                "the descriptions file must be sorted by code, one line per code".to_string(),
            );
        }
        if index.is_empty() {
            return Err("the descriptions file is empty".to_string());
        }
        Ok(Descriptions {
            text,
            index,
            words: std::sync::OnceLock::new(),
        })
    }

    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    fn word_index(&self) -> &WordIndex {
        self.words.get_or_init(|| {
            let mut map: std::collections::HashMap<String, Vec<u32>> = Default::default();
            let mut counts = Vec::with_capacity(self.index.len());
            for (i, &(_, e, d)) in self.index.iter().enumerate() {
                let text = self.text.get(e as usize + 1..d as usize).unwrap_or("");
                let mut n = 0u16;
                for w in words(text) {
                    n = n.saturating_add(1);
                    let entries = map.entry(w).or_default();
                    if entries.last() != Some(&(i as u32)) {
                        entries.push(i as u32);
                    }
                }
                counts.push(n);
            }
            let mut list: Vec<(Box<str>, Vec<u32>)> = map
                .into_iter()
                .map(|(w, e)| (w.into_boxed_str(), e))
                .collect();
            crate::sort::by(&mut list, |a, b| a.0.cmp(&b.0));
            WordIndex {
                words: list,
                counts,
            }
        })
    }

    /// The codes whose description has, for every word of `query`, a word starting with it
    /// ("type 2 diab" finds E11.9), at most `limit` of those `keep` accepts, most relevant
    /// first: the shorter (more general) code, then descriptions that begin with the words
    /// typed, then those with the fewest other words. "hypertension" offers I10 first, "type 2
    /// diabetes" E11.9 before E11.621.
    pub fn search(&self, query: &str, limit: usize, keep: impl Fn(&str) -> bool) -> Vec<&str> {
        let WordIndex {
            words: index,
            counts,
        } = self.word_index();
        let typed: Vec<String> = words(query).collect();
        // Each typed word's postings: the lists of every indexed word it begins.
        let mut ranges: Vec<&[(Box<str>, Vec<u32>)]> = typed
            .iter()
            .map(|w| {
                let start = index.partition_point(|(word, _)| word.as_ref() < w.as_str());
                let from = index.get(start..).unwrap_or_default();
                let len = from
                    .iter()
                    .take_while(|(word, _)| word.starts_with(w.as_str()))
                    .count();
                from.get(..len).unwrap_or_default()
            })
            .collect();
        // Start from the rarest word and test the others by binary search: "fracture" is in
        // tens of thousands of descriptions, and merging its lists would cost more than all
        // the rest.
        let size = |r: &&[(Box<str>, Vec<u32>)]| r.iter().map(|(_, e)| e.len()).sum::<usize>();
        crate::sort::by_key(&mut ranges, size);
        let Some((rarest, others)) = ranges.split_first() else {
            return Vec::new();
        };
        let mut hits: Vec<u32> = rarest.iter().flat_map(|(_, e)| e.iter().copied()).collect();
        crate::sort::natural(&mut hits);
        hits.dedup();
        hits.retain(|e| {
            others
                .iter()
                .all(|r| r.iter().any(|(_, list)| list.binary_search(e).is_ok()))
        });
        let code_len = |i: u32| self.index.get(i as usize).map_or(0, |&(s, e, _)| e - s);
        // Cheap key first; the word-level key only within the groups that can make the cut.
        crate::sort::by_key(&mut hits, |&i| (code_len(i), i));
        let mut out = Vec::new();
        let mut group = Vec::new();
        let mut rest = hits.into_iter().peekable();
        while out.len() < limit {
            let Some(first) = rest.next() else { break };
            group.clear();
            group.push(first);
            while let Some(&next) = rest.peek() {
                if code_len(next) != code_len(first) {
                    break;
                }
                group.push(next);
                rest.next();
            }
            // Word counts are precomputed and "begins" compares bytes: no text is lowered
            // here, as a group can hold thousands of fracture codes.
            let first_typed = typed.first().map_or("", String::as_str);
            let mut ranked: Vec<((bool, u16), u32)> = group
                .iter()
                .map(|&i| {
                    let text = self.description_at(i).as_bytes();
                    let begins = text
                        .get(..first_typed.len())
                        .is_some_and(|start| start.eq_ignore_ascii_case(first_typed.as_bytes()));
                    let count = counts.get(i as usize).copied().unwrap_or(0);
                    let extra = count.saturating_sub(typed.len() as u16);
                    ((!begins, extra), i)
                })
                .collect();
            crate::sort::natural(&mut ranked);
            for (_, i) in ranked {
                if out.len() >= limit {
                    break;
                }
                let code = self.code_at(i);
                if keep(code) {
                    out.push(code);
                }
            }
        }
        out
    }

    fn code_at(&self, i: u32) -> &str {
        self.index
            .get(i as usize)
            .and_then(|&(s, e, _)| self.text.get(s as usize..e as usize))
            .unwrap_or("")
    }

    fn description_at(&self, i: u32) -> &str {
        self.index
            .get(i as usize)
            .and_then(|&(_, e, d)| self.text.get(e as usize + 1..d as usize))
            .unwrap_or("")
    }

    /// The description of a code (normalized: no dot, upper case).
    pub fn get(&self, code: &str) -> Option<&str> {
        let at = |&(s, e, _): &(u32, u32, u32)| &self.text[s as usize..e as usize];
        let i = self
            .index
            .binary_search_by(|entry| at(entry).cmp(code))
            .ok()?;
        let &(_, e, d) = self.index.get(i)?;
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
