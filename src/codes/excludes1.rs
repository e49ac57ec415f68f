//! ICD-10-CM Excludes1 notes (data/icd10cm-excludes1.tsv): code ranges whose codes are not
//! coded together with another range's.

use std::sync::OnceLock;

/// (low, high, excluded low, excluded high), codes without dots.
type Pair = (String, String, String, String);

#[derive(Default)]
pub struct Excludes1 {
    /// Parsed on first use: most records never need it, and start-up stays fast.
    pairs: OnceLock<Vec<Pair>>,
}

/// Is `code` within `low..=high`, comparing each bound with the code's prefix of its length
/// (`E10` covers E10.9; `A55-A56` covers A55.0 and A56.19)?
fn within(code: &str, low: &str, high: &str) -> bool {
    let head = |n: usize| code.get(..n.min(code.len())).unwrap_or(code);
    head(low.len()) >= low && head(high.len()) <= high
}

impl Excludes1 {
    fn pairs(&self) -> &[Pair] {
        self.pairs.get_or_init(|| {
            // `code<TAB>excluded excluded ...`, each a code or a LOW-HIGH range.
            let range = |r: &str| match r.split_once('-') {
                Some((lo, hi)) => (lo.to_string(), hi.to_string()),
                None => (r.to_string(), r.to_string()),
            };
            include_str!("../../data/icd10cm-excludes1.tsv")
                .lines()
                .filter(|l| !l.starts_with('#'))
                .filter_map(|l| l.split_once('\t'))
                .flat_map(|(noted, excluded)| {
                    let (lo, hi) = range(noted);
                    excluded.split(' ').map(move |x| {
                        let (xlo, xhi) = range(x);
                        (lo.clone(), hi.clone(), xlo, xhi)
                    })
                })
                .collect()
        })
    }

    /// Does an Excludes1 note at `code` exclude `other` (both normalized)?
    pub fn excludes(&self, code: &str, other: &str) -> bool {
        self.pairs()
            .iter()
            .any(|(lo, hi, xlo, xhi)| within(code, lo, hi) && within(other, xlo, xhi))
    }

    pub fn len(&self) -> usize {
        self.pairs().len()
    }

    pub fn is_empty(&self) -> bool {
        self.pairs().is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_and_subtrees() {
        assert!(within("E109", "E10", "E10"));
        assert!(!within("E1", "E10", "E10"));
        assert!(within("A5601", "A55", "A56"));
        assert!(!within("A5701", "A55", "A56"));
        let x = Excludes1::default();
        assert!(x.excludes("E109", "E119"));
        assert!(!x.excludes("E119", "I10"));
        assert_eq!(x.len(), 5_179);
    }
}
