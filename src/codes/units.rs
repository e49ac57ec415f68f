//! UCUM units (the Unified Code for Units of Measure), through the `ucum-units` crate, which
//! builds its tables from UCUM's own ucum-essence.xml: validity, dimensions and conversion,
//! plus the molar-mass step UCUM leaves to the caller (mmol/L of glucose to mg/dL).

pub use ucum::Analysis;

/// Longest unit expression analysed: real units are short, and this keeps the work per input
/// bounded whatever a record holds.
const MAX_LEN: usize = 64;

/// Why a unit is not UCUM, for the rules to put into words. Positions count characters
/// from 1.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Longer than `max` characters.
    TooLong { max: usize },
    /// A piece that is no UCUM unit (`mmHg`, the `m^` of `m^2`).
    UnknownUnit { code: String },
    /// No unit where one must be: `mg/`, `mg//kg`, an empty code.
    MissingUnit { position: usize },
    /// A `(`, `[` or `{` that is never closed.
    Unclosed { bracket: char },
    /// A character that cannot stand where it is: `mg)`, a `{` inside an annotation.
    Unexpected { symbol: char, position: usize },
    /// An annotation (`{...}`) with a character that is not plain ASCII.
    AnnotationCharacter,
    /// A number that is no valid factor or exponent (`+10`).
    Number { position: usize },
    /// Any other way the expression cannot be read.
    Malformed { position: usize },
}

/// What parsing a unit gave: its analysis, or why it is not UCUM.
type Parsed = Result<Analysis, Problem>;

/// Units seen so far, parsed once: a record repeats a handful of units (mm[Hg], /min, kg), and
/// parsing one costs about a microsecond. Bounded, so odd input cannot grow it without end.
static SEEN: std::sync::Mutex<Option<std::collections::HashMap<String, Parsed>>> =
    std::sync::Mutex::new(None);
const SEEN_MAX: usize = 2048;

fn parsed(unit: &str) -> Parsed {
    if unit.len() > MAX_LEN {
        return Err(Problem::TooLong { max: MAX_LEN });
    }
    let Ok(mut guard) = SEEN.lock() else {
        return parse(unit);
    };
    let seen = guard.get_or_insert_with(Default::default);
    if let Some(p) = seen.get(unit) {
        return p.clone();
    }
    let p = parse(unit);
    if seen.len() >= SEEN_MAX {
        seen.clear();
    }
    seen.insert(unit.to_string(), p.clone());
    p
}

fn parse(unit: &str) -> Parsed {
    ucum::analyze(unit).map_err(|e| match e {
        ucum::UcumError::UnknownAtom { code } => Problem::UnknownUnit { code },
        ucum::UcumError::Parse { pos, msg } => syntax(unit, pos, &msg),
        // Not given by parsing; kept readable all the same.
        _ => Problem::Malformed { position: 1 },
    })
}

/// The crate's parse error (`pos` a byte offset, `msg` its English description) as a
/// `Problem`.
fn syntax(unit: &str, pos: usize, msg: &str) -> Problem {
    let position = unit.get(..pos).map_or(1, |s| s.chars().count() + 1);
    let at = unit.get(pos..).and_then(|s| s.chars().next());
    match msg {
        "unexpected end of input, expected a unit" | "expected a unit" => {
            Problem::MissingUnit { position }
        }
        "expected ')'" => Problem::Unclosed { bracket: '(' },
        "unterminated '[' in unit" => Problem::Unclosed { bracket: '[' },
        "unterminated annotation '{'" => Problem::Unclosed { bracket: '{' },
        "annotation contains a non-ASCII or control character" => Problem::AnnotationCharacter,
        "unexpected ')'" | "unexpected trailing input" | "nested '{' in annotation" => match at {
            Some(symbol) => Problem::Unexpected { symbol, position },
            None => Problem::Malformed { position },
        },
        _ if msg.contains("numeric factor") || msg.contains("exponent") => {
            Problem::Number { position }
        }
        _ => Problem::Malformed { position },
    }
}

pub fn analyze(unit: &str) -> Option<Analysis> {
    parsed(unit).ok()
}

/// Why a unit is not UCUM.
pub fn problem(unit: &str) -> Option<Problem> {
    parsed(unit).err()
}

/// `value` in `from` as a value in `to` when both are ordinary (multiplicative or affine, like
/// Cel) units of one dimension, through the cached analyses.
fn linear(value: f64, from: &str, to: &str) -> Option<f64> {
    let (a, b) = (analyze(from)?, analyze(to)?);
    if a.is_special || b.is_special {
        return ucum::convert(value, from, to).ok();
    }
    if a.dimension != b.dimension || b.factor == 0.0 {
        return None;
    }
    Some((value * a.factor + a.offset - b.offset) / b.factor)
}

/// `value` in `from` as a value in `to`, through the molar mass (g/mol) when one is molar and
/// the other a mass: None when the two cannot measure the same thing.
pub fn convert(value: f64, from: &str, to: &str, molar_mass: Option<f64>) -> Option<f64> {
    if let Some(v) = linear(value, from, to) {
        return v.is_finite().then_some(v);
    }
    let m = molar_mass?;
    // Through base units: mol/L <-> g/L.
    if let Some(molar) = linear(value, from, "mol/L") {
        return linear(molar * m, "g/L", to).filter(|v| v.is_finite());
    }
    if let Some(mass) = linear(value, from, "g/L") {
        return linear(mass / m, "mol/L", to).filter(|v| v.is_finite());
    }
    None
}

/// Can a value in `unit` be compared with bounds in `bounds_unit`?
pub fn commensurable(unit: &str, bounds_unit: &str, molar_mass: Option<f64>) -> bool {
    convert(1.0, unit, bounds_unit, molar_mass).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_temperatures_lengths_and_molar_masses() {
        let c = convert(98.6, "[degF]", "Cel", None).unwrap();
        assert!((c - 37.0).abs() < 1e-9, "{c}");
        let cm = convert(70.0, "[in_i]", "cm", None).unwrap();
        assert!((cm - 177.8).abs() < 1e-9, "{cm}");
        // 5.5 mmol/L of glucose is 99.1 mg/dL.
        let mg = convert(5.5, "mmol/L", "mg/dL", Some(180.156)).unwrap();
        assert!((mg - 99.0858).abs() < 1e-3, "{mg}");
        assert_eq!(convert(1.0, "kg", "/min", None), None);
        assert!(commensurable("meq/L", "mmol/L", None));
    }

    #[test]
    fn says_why_a_unit_is_not_ucum() {
        assert_eq!(problem("mm[Hg]"), None);
        assert_eq!(
            problem("bpm"),
            Some(Problem::UnknownUnit { code: "bpm".into() })
        );
        assert_eq!(
            problem(&"m".repeat(10_000)),
            Some(Problem::TooLong { max: MAX_LEN })
        );
        for (unit, expected) in [
            ("mg/", Problem::MissingUnit { position: 4 }),
            ("mg//kg", Problem::MissingUnit { position: 4 }),
            ("mg/(kg", Problem::Unclosed { bracket: '(' }),
            ("[in_i", Problem::Unclosed { bracket: '[' }),
            ("mg{x", Problem::Unclosed { bracket: '{' }),
            ("mg{é}", Problem::AnnotationCharacter),
            ("µg", Problem::UnknownUnit { code: "µg".into() }),
            (
                "/min)",
                Problem::Unexpected {
                    symbol: ')',
                    position: 5,
                },
            ),
            (
                "mg{a{b}}",
                Problem::Unexpected {
                    symbol: '{',
                    position: 5,
                },
            ),
            ("+10.mg", Problem::Number { position: 1 }),
        ] {
            assert_eq!(problem(unit), Some(expected), "{unit}");
        }
    }
}

/// UCUM's print symbols (data/ucum-print.tsv, `kind TAB code TAB symbol`, generated by
/// tools/gen-ucum-print.mjs from ucum-essence.xml).
const PRINT: &str = include_str!("../../data/ucum-print.tsv");

fn print_symbol(kind: &str, code: &str) -> Option<&'static str> {
    // Indexed on first use: a message with a unit looks up each of its terms, and a Bulk
    // export's review renders such messages by the hundred thousand.
    type Table = std::collections::HashMap<(&'static str, &'static str), &'static str>;
    static TABLE: std::sync::OnceLock<Table> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        PRINT
            .lines()
            .filter_map(|line| {
                let mut cols = line.split('\t');
                Some(((cols.next()?, cols.next()?), cols.next()?))
            })
            .collect()
    });
    table.get(&(kind, code)).copied()
}

/// One unit term (`mm[Hg]`, `m2`, `10*3`, `{beats}`) as people write it.
fn display_term(term: &str, out: &mut String) {
    if let Some(note) = term.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
        out.push_str(note);
        return;
    }
    let digits = term.len()
        - term
            .bytes()
            .rev()
            .take_while(|b| b.is_ascii_digit() || *b == b'-')
            .count();
    let (atom, exponent) = term.split_at(digits);
    let (atom, exponent) = if atom.is_empty() || atom.ends_with('*') && exponent.is_empty() {
        (term, "")
    } else {
        (atom, exponent)
    };
    let written = print_symbol("unit", atom).map(str::to_string).or_else(|| {
        // A prefixed unit: `mm[Hg]` is m + m[Hg], `uL` is u + L, `dag` is da + g.
        ["da", "Ki", "Mi", "Gi", "Ti"]
            .iter()
            .map(|p| p.len())
            .chain([1])
            .filter(|&n| atom.is_char_boundary(n) && n < atom.len())
            .find_map(|n| {
                let (prefix, unit) = atom.split_at(n);
                Some(format!(
                    "{}{}",
                    print_symbol("prefix", prefix)?,
                    print_symbol("unit", unit)?
                ))
            })
    });
    out.push_str(written.as_deref().unwrap_or(atom));
    for c in exponent.chars() {
        out.push(match c {
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            '9' => '⁹',
            _ => '⁻',
        });
    }
}

/// A UCUM unit as people write it, from UCUM's print symbols: `Cel` is °C, `[degF]` °F,
/// `mm[Hg]` mm Hg, `10*3/uL` 10³/μL; `/min`, `kg` and `cm` stay as they are. For messages:
/// the code itself stays the machine value (in suggestions and in the record). A term that
/// is not UCUM is kept as written.
pub fn display(unit: &str) -> String {
    let mut out = String::new();
    let mut term = String::new();
    for c in unit.chars() {
        if c == '/' || c == '.' {
            display_term(&term, &mut out);
            term.clear();
            out.push(if c == '.' { '·' } else { '/' });
        } else {
            term.push(c);
        }
    }
    display_term(&term, &mut out);
    out
}

#[cfg(test)]
mod display_tests {
    use super::display;

    #[test]
    fn units_are_written_as_people_write_them() {
        for (code, written) in [
            ("Cel", "°C"),
            ("[degF]", "°F"),
            ("mm[Hg]", "mm Hg"),
            ("/min", "/min"),
            ("kg", "kg"),
            ("cm", "cm"),
            ("kg/m2", "kg/m²"),
            ("10*3/uL", "10³/μL"),
            ("mg/dL", "mg/dL"),
            ("%", "%"),
            ("{beats}/min", "beats/min"),
            ("mmHg", "mmHg"),
            ("", ""),
        ] {
            assert_eq!(display(code), written, "{code}");
        }
    }
}
