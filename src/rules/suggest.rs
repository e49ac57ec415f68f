//! "Did you mean ...?": the closest candidates to a mistyped word.

/// Candidates within a small edit distance of `word` (case-insensitive), closest first.
pub(crate) fn nearest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    max: usize,
) -> Vec<String> {
    let lower = word.to_lowercase();
    // Lower case can change a length (`İ` is two characters once lowered): compare those.
    let lower_len = lower.chars().count();
    // Short words tolerate fewer edits, or every 3-letter word would match every other.
    let limit = match word.chars().count() {
        0..=3 => 1,
        4..=7 => 2,
        _ => 3,
    };
    let mut scored: Vec<(usize, &str)> = candidates
        .into_iter()
        .filter_map(|c| {
            let c_lower = c.to_lowercase();
            // The distance is at least the difference in length: skipping those keeps a
            // 10-million-character value from costing seconds for each candidate.
            if c_lower.chars().count().abs_diff(lower_len) > limit {
                return None;
            }
            let d = strsim::damerau_levenshtein(&lower, &c_lower);
            (d <= limit && c != word).then_some((d, c))
        })
        .collect();
    crate::sort::by_key(&mut scored, |(d, c)| (*d, c.len()));
    scored
        .into_iter()
        .take(max)
        .map(|(_, c)| c.to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::nearest;

    #[test]
    fn finds_close_words_only() {
        assert_eq!(
            nearest("mal", ["male", "female", "other", "unknown"], 3),
            vec!["male"]
        );
        assert_eq!(
            nearest("gendr", ["gender", "name", "birthDate"], 3),
            vec!["gender"]
        );
        assert!(nearest("zzz", ["male", "female"], 3).is_empty());
        assert_eq!(nearest("femal", ["male", "female"], 3), vec!["female"]);
        // Far longer than any candidate: nothing, and no distance computed.
        assert!(nearest(&"gender".repeat(1_000_000), ["gender"], 3).is_empty());
        assert_eq!(
            nearest("Patinet", ["Patient", "Practitioner"], 3),
            vec!["Patient"]
        );
    }
}
