//! Regular expressions of `matches`, compiled once per expression. Most the definitions use are
//! of a simple shape (`name.matches('[A-Z]([A-Za-z0-9_]){0,254}')` in 29 invariants,
//! `^[a-zA-Z0-9]+$`): character classes and literal characters with counts. Those are matched
//! here directly, in time linear in the text; regex-lite, which expands `{0,254}` into 254
//! states and walks them all at each character, takes the rest.

use super::Error;

/// A compiled pattern.
#[derive(Debug)]
pub enum Pattern {
    Simple(Simple),
    Regex(regex_lite::Regex),
}

impl Pattern {
    /// `full`: the whole text must match (`matchesFull`); otherwise a match anywhere counts.
    pub fn new(pattern: &str, full: bool) -> Result<Pattern, Error> {
        match Simple::parse(pattern, full) {
            Some(simple) => Ok(Pattern::Simple(simple)),
            None => regex(pattern, full).map(Pattern::Regex),
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        match self {
            Pattern::Simple(s) => s.is_match(text),
            Pattern::Regex(re) => re.is_match(text),
        }
    }
}

/// The regular expression itself, for `replaceMatches` and the patterns `Simple` does not take.
pub fn regex(pattern: &str, full: bool) -> Result<regex_lite::Regex, Error> {
    let text = if full {
        format!("^(?:{pattern})$")
    } else {
        pattern.to_string()
    };
    regex_lite::RegexBuilder::new(&text)
        .dot_matches_new_line(true)
        .build()
        .map_err(|e| Error::Execution(format!("bad regular expression: {e}")))
}

/// A sequence of atoms (a character class, a literal character or `.`, each with a count),
/// optionally anchored at either end. Taken only where matching it is linear: at most one atom
/// whose count varies when the start is anchored, none when it is not (after dropping the
/// atoms at the end that may match nothing, which never decide whether a pattern without `$`
/// matches).
#[derive(Debug)]
pub struct Simple {
    start: bool,
    end: bool,
    atoms: Vec<Atom>,
}

/// The characters an atom matches: ranges, `None` for any character (`.`, which matches new
/// lines here as in the regex builder).
type Class = Option<Vec<(char, char)>>;

#[derive(Debug)]
struct Atom {
    class: Class,
    min: u32,
    /// `u32::MAX`: no upper bound.
    max: u32,
}

impl Atom {
    fn has(&self, c: char) -> bool {
        self.class
            .as_ref()
            .is_none_or(|ranges| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&c)))
    }
}

/// Characters that stand for themselves after a backslash: the ASCII punctuation. Other
/// escapes (`\d`, `\w`, `\b`...) are classes or assertions, left to regex-lite.
/// (`\<` and `\>` are word boundaries.)
fn escaped(c: char) -> bool {
    c.is_ascii_punctuation() && c != '<' && c != '>'
}

impl Simple {
    fn parse(pattern: &str, full: bool) -> Option<Simple> {
        let mut chars: Vec<char> = pattern.chars().collect();
        let mut start = full;
        let mut end = full;
        if chars.first() == Some(&'^') {
            chars.remove(0);
            start = true;
        }
        // A final `$`, unless escaped (`\$`).
        if chars.last() == Some(&'$')
            && chars.len() >= 2
            && chars.get(chars.len() - 2) != Some(&'\\')
            || chars.as_slice() == ['$']
        {
            chars.pop();
            end = true;
        }
        let mut atoms = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let (class, next) = match chars.get(i)? {
                '(' => {
                    // A group of exactly one atom: `([A-Za-z0-9_])`.
                    let (class, after) = atom(&chars, i + 1)?;
                    if chars.get(after) != Some(&')') {
                        return None;
                    }
                    (class, after + 1)
                }
                _ => atom(&chars, i)?,
            };
            let (min, max, after) = count(&chars, next)?;
            atoms.push(Atom { class, min, max });
            i = after;
        }
        if !end {
            while atoms.last().is_some_and(|a| a.min == 0) {
                atoms.pop();
            }
        }
        let varying = atoms.iter().filter(|a| a.min != a.max).count();
        let linear = if start { varying <= 1 } else { varying == 0 };
        linear.then_some(Simple { start, end, atoms })
    }

    fn is_match(&self, text: &str) -> bool {
        if self.start {
            return self.from(text, 0, 0);
        }
        text.char_indices()
            .map(|(at, _)| at)
            .chain(std::iter::once(text.len()))
            .any(|at| self.from(text, 0, at))
    }

    /// Whether atoms `i..` match the text from byte `at`: each count tried from the least up
    /// (whether there is a match does not depend on the order).
    fn from(&self, text: &str, i: usize, mut at: usize) -> bool {
        let Some(atom) = self.atoms.get(i) else {
            return !self.end || at == text.len();
        };
        let mut taken = 0u32;
        loop {
            if taken >= atom.min && self.from(text, i + 1, at) {
                return true;
            }
            if taken == atom.max {
                return false;
            }
            match text.get(at..).and_then(|rest| rest.chars().next()) {
                Some(c) if atom.has(c) => {
                    at += c.len_utf8();
                    taken += 1;
                }
                _ => return false,
            }
        }
    }
}

/// One atom at `i`: its class and the position after it.
fn atom(chars: &[char], i: usize) -> Option<(Class, usize)> {
    match *chars.get(i)? {
        '[' => class(chars, i + 1),
        '.' => Some((None, i + 1)),
        '\\' => {
            let c = *chars.get(i + 1)?;
            escaped(c).then_some((Some(vec![(c, c)]), i + 2))
        }
        '(' | ')' | '|' | '*' | '+' | '?' | '{' | '}' | '^' | '$' | ']' => None,
        c => Some((Some(vec![(c, c)]), i + 1)),
    }
}

/// A bracketed class from after its `[`: ranges and characters, no negation, no nested classes.
fn class(chars: &[char], mut i: usize) -> Option<(Class, usize)> {
    let mut ranges = Vec::new();
    let member = |i: usize| -> Option<(char, usize)> {
        match *chars.get(i)? {
            '\\' => {
                let c = *chars.get(i + 1)?;
                escaped(c).then_some((c, i + 2))
            }
            '[' | ']' => None,
            c => Some((c, i + 1)),
        }
    };
    if matches!(chars.get(i), Some('^' | ']')) {
        return None;
    }
    loop {
        if chars.get(i) == Some(&']') {
            return Some((Some(ranges), i + 1));
        }
        // Class set operations (`[a-z--aeiou]`) are the regular expression engine's.
        let pair = (chars.get(i), chars.get(i + 1));
        if matches!(
            pair,
            (Some('-'), Some('-')) | (Some('&'), Some('&')) | (Some('~'), Some('~'))
        ) {
            return None;
        }
        let (lo, next) = member(i)?;
        // `a-z`, unless the `-` closes the class (`[a-]`).
        if chars.get(next) == Some(&'-') && chars.get(next + 1).is_some_and(|c| *c != ']') {
            let (hi, after) = member(next + 1)?;
            if hi < lo {
                return None;
            }
            ranges.push((lo, hi));
            i = after;
        } else {
            ranges.push((lo, lo));
            i = next;
        }
    }
}

/// The count after an atom at `i`: `*`, `+`, `?`, `{m}`, `{m,}`, `{m,n}` or none. Lazy and
/// possessive forms are left to regex-lite.
fn count(chars: &[char], i: usize) -> Option<(u32, u32, usize)> {
    let (min, max, after) = match chars.get(i) {
        Some('*') => (0, u32::MAX, i + 1),
        Some('+') => (1, u32::MAX, i + 1),
        Some('?') => (0, 1, i + 1),
        Some('{') => {
            let close = i + chars.get(i..)?.iter().position(|c| *c == '}')?;
            let inside: String = chars.get(i + 1..close)?.iter().collect();
            let (min, max) = match inside.split_once(',') {
                None => {
                    let n = inside.parse().ok()?;
                    (n, n)
                }
                Some((m, "")) => (m.parse().ok()?, u32::MAX),
                Some((m, n)) => (m.parse().ok()?, n.parse().ok()?),
            };
            if max < min {
                return None;
            }
            (min, max, close + 1)
        }
        _ => (1, 1, i),
    };
    if matches!(chars.get(after), Some('?' | '+')) && after != i {
        return None;
    }
    Some((min, max, after))
}

#[cfg(test)]
mod tests {
    use super::{regex, Pattern};

    /// Every pattern of the R4 definitions' invariants, and others of the same shapes, against
    /// regex-lite on texts that match and texts that do not.
    #[test]
    fn agrees_with_the_regular_expression_engine() {
        let patterns = [
            "[A-Z]([A-Za-z0-9_]){0,254}",
            "^[a-zA-Z0-9\\.]+$",
            "^[a-zA-Z0-9\\/\\-_\\[\\]\\@]+$",
            "^[a-zA-Z0-9]+$",
            "^http:\\/\\/hl7\\.org\\/fhirpath\\/System\\.[A-Z][A-Za-z]+$",
            "[A-Za-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*(\\[x])?)*",
            "[0-9]{3}-[0-9]{2}",
            "^[0-9]{5}(-[0-9]{4})?$",
            "a.c",
            "^$",
            "",
            "[a-]x",
            "é+$",
            "\\d+",
        ];
        let texts = [
            "",
            "Patient",
            "patient",
            "A",
            "a_b",
            "Name With Space",
            "x9",
            "Zz_09",
            "ok.name",
            "a/b-c_[d]@e",
            "a b",
            "http://hl7.org/fhirpath/System.String",
            "http://hl7.org/fhirpath/System.string",
            "Patient.name.given",
            "Patient.value[x]",
            "123-45",
            "12-345",
            "12345",
            "12345-6789",
            "12345-678",
            "abc",
            "a\nc",
            "-x",
            "ax",
            "café",
            "cafée",
            "é",
            "ÉCOLE",
            "über",
            &"A".repeat(300),
        ];
        for p in patterns {
            for full in [false, true] {
                let ours = Pattern::new(p, full).unwrap();
                let re = regex(p, full).unwrap();
                for t in texts {
                    assert_eq!(
                        ours.is_match(t),
                        re.is_match(t),
                        "{p:?} full {full} on {t:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn takes_the_simple_shapes_and_leaves_the_rest() {
        let simple = |p: &str| matches!(Pattern::new(p, false), Ok(Pattern::Simple(_)));
        assert!(simple("[A-Z]([A-Za-z0-9_]){0,254}"));
        assert!(simple("^[a-zA-Z0-9]+$"));
        assert!(simple(
            "^http:\\/\\/hl7\\.org\\/fhirpath\\/System\\.[A-Z][A-Za-z]+$"
        ));
        // Groups of several atoms, alternation, classes like \d, two varying counts.
        assert!(!simple(
            "[A-Za-z][A-Za-z0-9]*(\\.[a-z][A-Za-z0-9]*(\\[x])?)*"
        ));
        assert!(!simple("a|b"));
        assert!(!simple("\\d+"));
        assert!(!simple("^[a-z]+[0-9]+$"));
        // Unanchored with a varying count that decides: quadratic, so not taken.
        assert!(!simple("[a-z]+x"));
    }

    #[test]
    fn long_texts_stay_linear() {
        let text = "a".repeat(1_000_000);
        let p = Pattern::new("^[a-z]+$", false).unwrap();
        assert!(p.is_match(&text));
        let p = Pattern::new("[A-Z]([A-Za-z0-9_]){0,254}", false).unwrap();
        assert!(!p.is_match(&text));
    }
}
