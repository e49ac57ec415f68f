//! The syntax of SNOMED CT's Expression Constraint Language (ECL 2.2,
//! https://docs.snomed.org/snomed-ct-specifications/snomed-ct-expression-constraint-language):
//! whether a ValueSet filter's `constraint` can be read at all. What it selects needs SNOMED CT
//! itself, which ehrlint does not carry (its licence), so nothing here looks a concept up.
//!
//! The grammar is followed for what gives an expression its shape (constraint operators,
//! member-of, focus concepts, refinements, attribute groups, cardinalities, conjunction,
//! disjunction and exclusion, dotted attributes, concrete values). Description, concept and
//! member filters and history supplements (`{{ ... }}`) are checked for their braces only:
//! their grammar grows with each ECL release, and an expression a newer terminology server
//! reads must not be an error here.

use std::fmt;

/// Where an expression stops being ECL, and what was expected there.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// The character position (from 1) where reading stopped.
    pub at: usize,
    pub expected: &'static str,
    pub found: String,
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "at character {}, {} expected, {} found",
            self.at, self.expected, self.found
        )
    }
}

/// Checks that `text` is one ECL expression constraint.
pub fn check(text: &str) -> Result<(), Error> {
    let tokens = lex(text)?;
    let mut p = Parser {
        text,
        tokens,
        next: 0,
        depth: 0,
    };
    p.expression()?;
    match p.peek() {
        None => Ok(()),
        Some(_) => Err(p.error("the end of the expression")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    /// Digits (a concept id, a cardinality, a number).
    Digits,
    /// A decimal number.
    Decimal,
    /// A term between bars: `|Clinical finding|`.
    Term,
    /// A string in double quotes.
    Str,
    /// Letters (keywords, alternate identifier schemes).
    Word,
    Sym(&'static str),
}

#[derive(Debug, Clone, Copy)]
struct Token {
    kind: Kind,
    start: usize,
    end: usize,
}

/// Longest first, so that `<<!` is not read as `<<` and `!`.
const SYMBOLS: [&str; 31] = [
    "!!>", "!!<", "<<!", ">>!", "<<", ">>", "<!", ">!", "<=", ">=", "!=", "{{", "}}", "..", "<",
    ">", "^", "*", "(", ")", ":", ",", "{", "}", "[", "]", "=", ".", "#", "-", "+",
];

fn lex(text: &str) -> Result<Vec<Token>, Error> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let rest = bytes.get(i..).unwrap_or_default();
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        if rest.starts_with(b"/*") {
            let end = find(rest, b"*/", 2)
                .ok_or_else(|| unclosed(text, i, "the end of a comment (*/)"))?;
            i += end + 2;
            continue;
        }
        let (kind, len) = if b.is_ascii_digit() {
            let digits = rest.iter().take_while(|c| c.is_ascii_digit()).count();
            let after = rest.get(digits..).unwrap_or_default();
            match after {
                [b'.', d, ..] if d.is_ascii_digit() => {
                    let fraction = after
                        .iter()
                        .skip(1)
                        .take_while(|c| c.is_ascii_digit())
                        .count();
                    (Kind::Decimal, digits + 1 + fraction)
                }
                _ => (Kind::Digits, digits),
            }
        } else if b == b'|' {
            let end = find(rest, b"|", 1)
                .ok_or_else(|| unclosed(text, i, "the bar that closes a term (|)"))?;
            (Kind::Term, end + 1)
        } else if b == b'"' {
            let mut j = 1;
            loop {
                match rest.get(j) {
                    None => return Err(unclosed(text, i, "the quote that closes a string (\")")),
                    Some(b'\\') => j += 2,
                    Some(b'"') => break,
                    Some(_) => j += 1,
                }
            }
            (Kind::Str, j + 1)
        } else if b.is_ascii_alphabetic() || b == b'_' {
            let n = rest
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
                .count();
            (Kind::Word, n)
        } else if let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(s.as_bytes())) {
            (Kind::Sym(sym), sym.len())
        } else {
            // Any other character: only a filter (`{{ ... }}`) may hold it; the parser says
            // what was expected if it appears elsewhere.
            let len = text
                .get(i..)
                .and_then(|s| s.chars().next())
                .map_or(1, char::len_utf8);
            (Kind::Sym("?"), len)
        };
        tokens.push(Token {
            kind,
            start: i,
            end: i + len,
        });
        i += len;
    }
    Ok(tokens)
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let tail = haystack.get(from..)?;
    tail.windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

fn unclosed(text: &str, at: usize, expected: &'static str) -> Error {
    Error {
        at: position(text, text.len()),
        expected,
        found: format!(
            "the end of the expression (opened at character {})",
            position(text, at)
        ),
    }
}

/// A byte offset as a character position from 1.
fn position(text: &str, offset: usize) -> usize {
    text.get(..offset).map_or(offset, |s| s.chars().count()) + 1
}

/// Nesting deeper than this is refused: the parser recurses on brackets.
const MAX_DEPTH: usize = 64;

const CONSTRAINT_OPERATORS: [&str; 10] =
    ["<<!", "<<", "<!", "<", ">>!", ">>", ">!", ">", "!!>", "!!<"];
const LONG_OPERATORS: [&str; 8] = [
    "descendantOf",
    "descendantOrSelfOf",
    "childOf",
    "childOrSelfOf",
    "ancestorOf",
    "ancestorOrSelfOf",
    "parentOf",
    "parentOrSelfOf",
];

#[derive(Clone, Copy, PartialEq)]
enum Join {
    And,
    Or,
    Minus,
}

struct Parser<'t> {
    text: &'t str,
    tokens: Vec<Token>,
    next: usize,
    depth: usize,
}

// Rarely run (ValueSet definitions only), so the parser is kept small rather than fast: its
// helpers are not inlined into every caller.
impl Parser<'_> {
    fn peek(&self) -> Option<Token> {
        self.tokens.get(self.next).copied()
    }

    fn peek_at(&self, ahead: usize) -> Option<Token> {
        self.tokens.get(self.next + ahead).copied()
    }

    #[inline(never)]
    fn text_of(&self, t: Token) -> &str {
        self.text.get(t.start..t.end).unwrap_or_default()
    }

    #[inline(never)]
    fn is_sym(&self, t: Option<Token>, sym: &str) -> bool {
        matches!(t, Some(Token { kind: Kind::Sym(s), .. }) if s == sym)
    }

    #[inline(never)]
    fn is_word(&self, t: Option<Token>, word: &str) -> bool {
        matches!(t, Some(t) if t.kind == Kind::Word && self.text_of(t).eq_ignore_ascii_case(word))
    }

    fn eat_sym(&mut self, sym: &str) -> bool {
        let hit = self.is_sym(self.peek(), sym);
        if hit {
            self.next += 1;
        }
        hit
    }

    fn expect_sym(&mut self, sym: &str, expected: &'static str) -> Result<(), Error> {
        if self.eat_sym(sym) {
            Ok(())
        } else {
            Err(self.error(expected))
        }
    }

    #[inline(never)]
    fn error(&self, expected: &'static str) -> Error {
        match self.peek() {
            Some(t) => Error {
                at: position(self.text, t.start),
                expected,
                found: format!("\"{}\"", self.text_of(t)),
            },
            None => Error {
                at: position(self.text, self.text.len()),
                expected,
                found: "the end of the expression".into(),
            },
        }
    }

    fn nest(&mut self) -> Result<(), Error> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("fewer nested brackets"));
        }
        Ok(())
    }

    /// The joining word or comma at the next token, if any.
    fn join(&self) -> Option<Join> {
        let t = self.peek();
        if self.is_word(t, "and") || self.is_sym(t, ",") {
            Some(Join::And)
        } else if self.is_word(t, "or") {
            Some(Join::Or)
        } else if self.is_word(t, "minus") {
            Some(Join::Minus)
        } else {
            None
        }
    }

    /// expressionConstraint: refined, compound, dotted or a sub-expression.
    fn expression(&mut self) -> Result<(), Error> {
        self.sub_expression()?;
        if self.eat_sym(":") {
            return self.refinement();
        }
        if self.is_sym(self.peek(), ".") {
            while self.eat_sym(".") {
                self.sub_expression()?;
            }
            return Ok(());
        }
        self.joined(Self::sub_expression)
    }

    /// Further operands joined to the first by one kind of join: ECL does not mix AND and OR
    /// without brackets.
    fn joined(&mut self, operand: fn(&mut Self) -> Result<(), Error>) -> Result<(), Error> {
        let Some(first) = self.join() else {
            return Ok(());
        };
        while let Some(join) = self.join() {
            if join != first {
                return Err(self.error("brackets around the terms on each side (AND, OR and MINUS are not mixed without them)"));
            }
            self.next += 1;
            operand(self)?;
        }
        Ok(())
    }

    /// subExpressionConstraint: [constraint operator] [memberOf] focus, then filters.
    fn sub_expression(&mut self) -> Result<(), Error> {
        let t = self.peek();
        if CONSTRAINT_OPERATORS.iter().any(|op| self.is_sym(t, op))
            || LONG_OPERATORS.iter().any(|op| self.is_word(t, op))
        {
            self.next += 1;
        }
        // Member of, with the reference set's fields to select: `^ [referencedComponentId]`.
        if (self.eat_sym("^") || self.eat_word("memberOf")) && self.eat_sym("[") {
            self.skip_to(
                "]",
                "the bracket that closes the reference set's fields (])",
            )?;
        }
        self.focus()?;
        while self.eat_sym("{{") {
            self.skip_filter()?;
        }
        Ok(())
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let hit = self.is_word(self.peek(), word);
        if hit {
            self.next += 1;
        }
        hit
    }

    /// A concept reference, a wildcard, an alternate identifier or a bracketed expression.
    #[inline(never)]
    fn focus(&mut self) -> Result<(), Error> {
        const FOCUS: &str = "a concept id, * or a bracketed expression";
        let Some(t) = self.peek() else {
            return Err(self.error(FOCUS));
        };
        match t.kind {
            Kind::Digits => {
                let id = self.text_of(t);
                if !(6..=18).contains(&id.len()) || id.starts_with('0') {
                    return Err(self.error("a concept id (6 to 18 digits, not starting with 0)"));
                }
                self.next += 1;
                if self.peek().is_some_and(|t| t.kind == Kind::Term) {
                    self.next += 1;
                }
                Ok(())
            }
            Kind::Sym("*") => {
                self.next += 1;
                Ok(())
            }
            Kind::Sym("(") => {
                self.next += 1;
                self.nest()?;
                self.expression()?;
                self.depth -= 1;
                self.expect_sym(")", "the bracket that closes the expression ())")
            }
            Kind::Word if self.text_of(t).eq_ignore_ascii_case("any") => {
                self.next += 1;
                Ok(())
            }
            // An alternate identifier: a scheme alias, #, and a code (`LOINC#54486-6`).
            Kind::Word if self.is_sym(self.peek_at(1), "#") => {
                self.next += 2;
                match self.peek().map(|t| t.kind) {
                    Some(Kind::Digits | Kind::Decimal | Kind::Word | Kind::Str) => {
                        self.next += 1;
                        while self.peek().is_some_and(|n| {
                            n.start == self.tokens.get(self.next - 1).map_or(0, |p| p.end)
                                && matches!(
                                    n.kind,
                                    Kind::Digits | Kind::Word | Kind::Sym("-" | ".")
                                )
                        }) {
                            self.next += 1;
                        }
                        Ok(())
                    }
                    _ => Err(self.error("the code of an alternate identifier")),
                }
            }
            _ => Err(self.error(FOCUS)),
        }
    }

    /// Skips a filter or history supplement up to its `}}` (nested ones included).
    #[inline(never)]
    fn skip_filter(&mut self) -> Result<(), Error> {
        let mut open = 1;
        while let Some(t) = self.peek() {
            self.next += 1;
            match t.kind {
                Kind::Sym("{{") => open += 1,
                Kind::Sym("}}") => {
                    open -= 1;
                    if open == 0 {
                        return Ok(());
                    }
                }
                _ => {}
            }
        }
        Err(self.error("the braces that close a filter (}})"))
    }

    fn skip_to(&mut self, sym: &str, expected: &'static str) -> Result<(), Error> {
        while let Some(t) = self.peek() {
            self.next += 1;
            if self.is_sym(Some(t), sym) {
                return Ok(());
            }
        }
        Err(self.error(expected))
    }

    /// eclRefinement (and eclAttributeSet, which it contains): refinement terms joined by
    /// one kind of join.
    fn refinement(&mut self) -> Result<(), Error> {
        self.refinement_term()?;
        self.joined(Self::refinement_term)
    }

    /// An attribute group, a bracketed refinement, or an attribute.
    fn refinement_term(&mut self) -> Result<(), Error> {
        if self.is_sym(self.peek(), "(") {
            // A bracketed refinement, or an attribute whose name is a bracketed expression:
            // try the first, and read the second if it does not fit.
            let start = self.next;
            self.next += 1;
            self.nest()?;
            let inner = self
                .refinement()
                .and_then(|()| self.expect_sym(")", "the bracket that closes the refinement ())"));
            self.depth -= 1;
            match inner {
                Ok(()) if !self.is_comparison(self.peek()) => return Ok(()),
                _ => self.next = start,
            }
        }
        if self.eat_sym("[") {
            self.cardinality()?;
        }
        if self.eat_sym("{") {
            self.nest()?;
            self.refinement()?;
            self.depth -= 1;
            return self.expect_sym("}", "the brace that closes the attribute group (})");
        }
        self.attribute()
    }

    fn is_comparison(&self, t: Option<Token>) -> bool {
        ["=", "!=", "<", "<=", ">", ">="]
            .iter()
            .any(|op| self.is_sym(t, op))
    }

    /// `min..max]` after `[`.
    #[inline(never)]
    fn cardinality(&mut self) -> Result<(), Error> {
        const CARDINALITY: &str = "a cardinality such as [0..1] or [1..*]";
        if !self.peek().is_some_and(|t| t.kind == Kind::Digits) {
            return Err(self.error(CARDINALITY));
        }
        self.next += 1;
        self.expect_sym("..", CARDINALITY)?;
        if self.peek().is_some_and(|t| t.kind == Kind::Digits) || self.is_sym(self.peek(), "*") {
            self.next += 1;
        } else {
            return Err(self.error(CARDINALITY));
        }
        self.expect_sym("]", CARDINALITY)
    }

    /// eclAttribute: [R] name, a comparison and a value.
    #[inline(never)]
    fn attribute(&mut self) -> Result<(), Error> {
        if self.is_word(self.peek(), "R") || self.is_word(self.peek(), "reverseOf") {
            self.next += 1;
        }
        self.sub_expression()?;
        const COMPARISON: &str = "a comparison (=, !=, <, <=, >, >=)";
        let Some(op) = self.peek() else {
            return Err(self.error(COMPARISON));
        };
        if !self.is_comparison(Some(op)) {
            return Err(self.error(COMPARISON));
        }
        self.next += 1;
        let equality = self.is_sym(Some(op), "=") || self.is_sym(Some(op), "!=");
        if self.eat_sym("#") {
            return self.number();
        }
        if !equality {
            return Err(self.error("# and a number (an ordering compares concrete values)"));
        }
        let t = self.peek();
        if t.is_some_and(|t| t.kind == Kind::Str)
            || self.is_word(t, "true")
            || self.is_word(t, "false")
        {
            self.next += 1;
            return Ok(());
        }
        // A typed search term (match:"..." or wild:"...").
        if t.is_some_and(|t| t.kind == Kind::Word)
            && self.is_sym(self.peek_at(1), ":")
            && self.peek_at(2).is_some_and(|t| t.kind == Kind::Str)
        {
            self.next += 3;
            return Ok(());
        }
        // A set of strings: ("a" "b").
        if self.is_sym(t, "(") && self.peek_at(1).is_some_and(|t| t.kind == Kind::Str) {
            self.next += 1;
            while self.peek().is_some_and(|t| {
                matches!(t.kind, Kind::Str | Kind::Word) || self.is_sym(Some(t), ":")
            }) {
                self.next += 1;
            }
            return self.expect_sym(")", "the bracket that closes the set of strings ())");
        }
        self.sub_expression()
    }

    /// A concrete number after `#`: an optional sign, digits, optional decimals.
    #[inline(never)]
    fn number(&mut self) -> Result<(), Error> {
        if self.is_sym(self.peek(), "-") || self.is_sym(self.peek(), "+") {
            self.next += 1;
        }
        match self.peek().map(|t| t.kind) {
            Some(Kind::Digits | Kind::Decimal) => {
                self.next += 1;
                Ok(())
            }
            _ => Err(self.error("a number after #")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::check;

    #[test]
    fn reads_the_expressions_of_the_ecl_specification() {
        for ecl in [
            "404684003",
            "< 404684003 |Clinical finding|",
            "<< 73211009 |Diabetes mellitus|",
            "<! 404684003 |Clinical finding|",
            ">> 40541001 |Acute pulmonary edema|",
            "descendantOrSelfOf 73211009",
            "*",
            "ANY",
            "^ 700043003 |Example problem list concepts reference set|",
            "^ [referencedComponentId] 447562003 |ICD-10 complex map reference set| {{ M mapTarget = \"J45.9\" }}",
            "< 19829001 |Disorder of lung| : 116676008 |Associated morphology| = 79654002 |Edema|",
            "< 404684003 |Clinical finding| : { 363698007 |Finding site| = << 39057004 |Pulmonary valve structure|, 116676008 |Associated morphology| = << 415582006 |Stenosis| }, { 363698007 = << 53085002, 116676008 = << 55641003 }",
            "< 19829001 AND < 301867009",
            "< 19829001 and < 301867009 and < 301867009",
            "< 19829001 OR < 301867009",
            "<< 19829001 MINUS << 301867009",
            "(< 19829001 OR < 301867009) AND ^ 700043003",
            "< 404684003: [1..3] 363698007 = < 91723000",
            "< 27658006 |Amoxicillin| : [0..0] 127489000 = *",
            "< 105590001 : R 127489000 |Has active ingredient| = < 373873005",
            "<< 404684003 . 363698007",
            "< 91723000 |Anatomical structure| {{ term = \"heart\" }}",
            "< 373873005 : 1142135004 = #250",
            "< 373873005 : 1142135004 >= #0.5",
            "< 373873005 : 1142135004 < #-1",
            "* : 246075003 |Causative agent| = 387517004 |Paracetamol|",
            "(< 404684003 : 363698007 = << 39057004) OR (< 64572001 : 116676008 = << 415582006)",
            "< 71388002 |Procedure|: [1..*] 405815000 = ( < 122456005 OR < 371492000 )",
            "< 404684003 : (363698007 = << 39057004 OR 116676008 = << 415582006)",
            "<< 195967001 |Asthma| {{ +HISTORY-MIN }}",
            "/* asthma */ << 195967001",
            "< 404684003 : 363698007 = (<< 39057004 MINUS << 53085002)",
            "< 373873005 : 3264475007 = \"tablet\"",
        ] {
            assert_eq!(check(ecl), Ok(()), "{ecl}");
        }
    }

    #[test]
    fn refuses_what_is_not_ecl() {
        for (ecl, at) in [
            ("234234 << 234234", 8),
            ("< 19829001 AND < 301867009 OR < 1234567", 28),
            ("< 1234", 3),
            ("<< 404684003 |Clinical finding", 31),
            ("< 404684003 :", 14),
            ("< 404684003 : 363698007", 24),
            ("< 404684003 : 363698007 < 39057004", 27),
            ("(< 404684003", 13),
            ("", 1),
            ("< 404684003 {{ term = \"x\"", 26),
        ] {
            let error = check(ecl).expect_err(ecl);
            assert_eq!(error.at, at, "{ecl}: {error}");
        }
    }

    #[test]
    fn refuses_deep_nesting_without_overflowing() {
        let deep = format!("{}404684003{}", "(".repeat(10_000), ")".repeat(10_000));
        assert!(check(&deep).is_err());
    }
}
