//! FHIRPath text to a tree: the lexer and a precedence-climbing parser. Functions are
//! resolved by name here, so an unknown function or a wrong number of arguments is refused
//! when the expression is compiled, never while a record is checked.

use super::value::{Decimal, Quantity, Temporal};
use super::Error;

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Number(String),
    Str(String),
    Ident(String),
    /// A backtick-delimited identifier: never a keyword.
    Quoted(String),
    DateTime(String),
    Time(String),
    Constant(String),
    Dollar(String),
    Symbol(&'static str),
}

const SYMBOLS: [&str; 20] = [
    "!=", "!~", "<=", ">=", ".", "[", "]", "(", ")", "{", "}", ",", "+", "-", "*", "/", "|", "&",
    "=", "~",
];

fn lex(text: &str) -> Result<Vec<Token>, Error> {
    let bytes = text.as_bytes();
    let mut tokens = Vec::new();
    let mut i = 0;
    let syntax = |m: &str| Err(Error::Syntax(m.to_string()));
    while let (Some(&c), Some(rest)) = (bytes.get(i), text.get(i..)) {
        if c.is_ascii_whitespace() {
            i += 1;
        } else if rest.starts_with("//") {
            i += rest.find('\n').unwrap_or(rest.len());
        } else if let Some(body) = rest.strip_prefix("/*") {
            match body.find("*/") {
                Some(end) => i += end + 4,
                None => return syntax("a comment is not closed"),
            }
        } else if c == b'\'' || c == b'`' {
            let (s, len) = quoted(rest, c)?;
            tokens.push(if c == b'\'' {
                Token::Str(s)
            } else {
                Token::Quoted(s)
            });
            i += len;
        } else if c.is_ascii_digit() {
            let mut end = rest.bytes().take_while(u8::is_ascii_digit).count();
            if rest[end..].starts_with('.')
                && rest[end + 1..]
                    .bytes()
                    .next()
                    .is_some_and(|b| b.is_ascii_digit())
            {
                end += 1 + rest[end + 1..]
                    .bytes()
                    .take_while(u8::is_ascii_digit)
                    .count();
            }
            tokens.push(Token::Number(rest[..end].to_string()));
            i += end;
        } else if c == b'@' {
            let body = &rest[1..];
            // Up to the first character that cannot be in a date or time; a '.' only once and
            // only before digits (milliseconds), so `@2015.is(Date)` ends before the dot.
            let mut end = 0;
            let mut dot = false;
            for (at, b) in body.bytes().enumerate() {
                let digit_next = body.as_bytes().get(at + 1).is_some_and(u8::is_ascii_digit);
                if b == b'.' && !dot && digit_next {
                    dot = true;
                } else if !(b.is_ascii_digit() || b"-:+TZ".contains(&b)) {
                    break;
                }
                end = at + 1;
            }
            let lit = &body[..end];
            if let Some(time) = lit.strip_prefix('T') {
                tokens.push(Token::Time(time.to_string()));
            } else {
                tokens.push(Token::DateTime(lit.to_string()));
            }
            i += 1 + end;
        } else if c == b'%' {
            let body = &rest[1..];
            match body.bytes().next() {
                Some(q @ (b'`' | b'\'')) => {
                    let (s, len) = quoted(body, q)?;
                    tokens.push(Token::Constant(s));
                    i += 1 + len;
                }
                _ => {
                    let n = ident_len(body);
                    if n == 0 {
                        return syntax("% must be followed by a name");
                    }
                    tokens.push(Token::Constant(body[..n].to_string()));
                    i += 1 + n;
                }
            }
        } else if c == b'$' {
            let n = ident_len(&rest[1..]);
            tokens.push(Token::Dollar(rest[1..1 + n].to_string()));
            i += 1 + n;
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let n = ident_len(rest);
            tokens.push(Token::Ident(rest[..n].to_string()));
            i += n;
        } else if let Some(sym) = SYMBOLS.iter().find(|s| rest.starts_with(**s)) {
            tokens.push(Token::Symbol(sym));
            i += sym.len();
        } else if c == b'<' || c == b'>' {
            tokens.push(Token::Symbol(if c == b'<' { "<" } else { ">" }));
            i += 1;
        } else {
            return Err(Error::Syntax(format!(
                "unexpected '{}'",
                rest.chars().next().unwrap_or(' ')
            )));
        }
    }
    Ok(tokens)
}

fn ident_len(s: &str) -> usize {
    s.bytes()
        .take_while(|b| b.is_ascii_alphanumeric() || *b == b'_')
        .count()
}

/// A quoted string or identifier from its opening quote: its text with escapes applied, and
/// how many bytes it took.
fn quoted(s: &str, quote: u8) -> Result<(String, usize), Error> {
    let mut out = String::new();
    let mut chars = s.char_indices().skip(1);
    while let Some((at, c)) = chars.next() {
        match c {
            c if c as u32 == u32::from(quote) => return Ok((out, at + 1)),
            '\\' => {
                let Some((_, e)) = chars.next() else { break };
                match e {
                    'n' => out.push('\n'),
                    'r' => out.push('\r'),
                    't' => out.push('\t'),
                    'f' => out.push('\u{c}'),
                    'u' => {
                        let hex: String = chars.by_ref().take(4).map(|(_, c)| c).collect();
                        let code = u32::from_str_radix(&hex, 16)
                            .ok()
                            .and_then(char::from_u32)
                            .ok_or_else(|| Error::Syntax(format!("bad escape \\u{hex}")))?;
                        out.push(code);
                    }
                    other => out.push(other),
                }
            }
            c => out.push(c),
        }
    }
    Err(Error::Syntax("a string is not closed".into()))
}

/// A literal value.
#[derive(Clone, Debug)]
pub enum Literal {
    Bool(bool),
    Str(String),
    Int(i64),
    Dec(Decimal),
    Temporal(Temporal),
    Quantity(Quantity),
}

/// Binary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Mul,
    Div,
    IntDiv,
    Mod,
    Add,
    Sub,
    Concat,
    Union,
    Lt,
    Gt,
    Le,
    Ge,
    Eq,
    Ne,
    Equiv,
    NotEquiv,
    In,
    Contains,
    And,
    Or,
    Xor,
    Implies,
}

/// A type named in `is`, `as`, `ofType`: its namespace when given (`System`, `FHIR`).
#[derive(Clone, Debug, PartialEq)]
pub struct TypeName {
    pub namespace: Option<String>,
    pub name: String,
}

/// The functions the engine knows; `Node::Call` holds one with its argument expressions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Func {
    Empty,
    Exists,
    All,
    AllTrue,
    AnyTrue,
    AllFalse,
    AnyFalse,
    SubsetOf,
    SupersetOf,
    Count,
    Distinct,
    IsDistinct,
    Where,
    Select,
    Repeat,
    OfType,
    Is,
    As,
    Single,
    First,
    Last,
    Tail,
    Skip,
    Take,
    Intersect,
    Exclude,
    Union,
    Combine,
    Iif,
    ToBoolean,
    ConvertsToBoolean,
    ToInteger,
    ConvertsToInteger,
    ToDecimal,
    ConvertsToDecimal,
    ToStringFn,
    ConvertsToString,
    ToDate,
    ConvertsToDate,
    ToDateTime,
    ConvertsToDateTime,
    ToTime,
    ConvertsToTime,
    ToQuantity,
    ConvertsToQuantity,
    IndexOf,
    Substring,
    StartsWith,
    EndsWith,
    Contains,
    Upper,
    Lower,
    Replace,
    Matches,
    MatchesFull,
    ReplaceMatches,
    Length,
    ToChars,
    Split,
    Join,
    Trim,
    Encode,
    Decode,
    Escape,
    Unescape,
    Abs,
    Ceiling,
    Exp,
    Floor,
    Ln,
    Log,
    Power,
    Round,
    Sqrt,
    Truncate,
    Children,
    Descendants,
    Trace,
    Now,
    TimeOfDay,
    Today,
    Not,
    HasValue,
    GetValue,
    Resolve,
    Extension,
    TypeFn,
    ConformsTo,
    MemberOf,
    HtmlChecks,
    LowBoundary,
    HighBoundary,
    Precision,
    Comparable,
    Sort,
    Aggregate,
    DefineVariable,
}

/// How the evaluator (eval.rs, `Eval::call`) evaluates an argument of a function: what the
/// analyses made when an expression is compiled (reads.rs, memo.rs) go by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ArgUse {
    /// Not evaluated: a type name, `trace`'s, `defineVariable`'s name.
    Unevaluated,
    /// Once per item of the input, `$this` the item (`where`, `select`, `sort`...).
    PerItem,
    /// On the function's input: `iif`'s (its `$this` the input's value), `aggregate`'s start
    /// value, `defineVariable`'s value.
    OnInput,
    /// On `$this`: every other argument.
    OnThis,
}

impl Func {
    /// How argument `i` of `count` is evaluated.
    pub fn arg_use(self, count: usize, i: usize) -> ArgUse {
        use Func::*;
        match self {
            Is | As | OfType | Trace => ArgUse::Unevaluated,
            DefineVariable if i == 0 => ArgUse::Unevaluated,
            Sort => ArgUse::PerItem,
            Where | Select | Repeat | All | Aggregate if i == 0 => ArgUse::PerItem,
            Exists if count > 0 && i == 0 => ArgUse::PerItem,
            Iif | Aggregate | DefineVariable => ArgUse::OnInput,
            _ => ArgUse::OnThis,
        }
    }

    /// The function of a name, with the numbers of arguments it takes.
    fn lookup(name: &str) -> Option<(Func, u8, u8)> {
        use Func::*;
        Some(match name {
            "empty" => (Empty, 0, 0),
            "exists" => (Exists, 0, 1),
            "all" => (All, 1, 1),
            "allTrue" => (AllTrue, 0, 0),
            "anyTrue" => (AnyTrue, 0, 0),
            "allFalse" => (AllFalse, 0, 0),
            "anyFalse" => (AnyFalse, 0, 0),
            "subsetOf" => (SubsetOf, 1, 1),
            "supersetOf" => (SupersetOf, 1, 1),
            "count" => (Count, 0, 0),
            "distinct" => (Distinct, 0, 0),
            "isDistinct" => (IsDistinct, 0, 0),
            "where" => (Where, 1, 1),
            "select" => (Select, 1, 1),
            "repeat" => (Repeat, 1, 1),
            "ofType" => (OfType, 1, 1),
            "is" => (Is, 1, 1),
            "as" => (As, 1, 1),
            "single" => (Single, 0, 0),
            "first" => (First, 0, 0),
            "last" => (Last, 0, 0),
            "tail" => (Tail, 0, 0),
            "skip" => (Skip, 1, 1),
            "take" => (Take, 1, 1),
            "intersect" => (Intersect, 1, 1),
            "exclude" => (Exclude, 1, 1),
            "union" => (Union, 1, 1),
            "combine" => (Combine, 1, 1),
            "iif" => (Iif, 2, 3),
            "toBoolean" => (ToBoolean, 0, 0),
            "convertsToBoolean" => (ConvertsToBoolean, 0, 0),
            "toInteger" => (ToInteger, 0, 0),
            "convertsToInteger" => (ConvertsToInteger, 0, 0),
            "toDecimal" => (ToDecimal, 0, 0),
            "convertsToDecimal" => (ConvertsToDecimal, 0, 0),
            "toString" => (ToStringFn, 0, 0),
            "convertsToString" => (ConvertsToString, 0, 0),
            "toDate" => (ToDate, 0, 0),
            "convertsToDate" => (ConvertsToDate, 0, 0),
            "toDateTime" => (ToDateTime, 0, 0),
            "convertsToDateTime" => (ConvertsToDateTime, 0, 0),
            "toTime" => (ToTime, 0, 0),
            "convertsToTime" => (ConvertsToTime, 0, 0),
            "toQuantity" => (ToQuantity, 0, 1),
            "convertsToQuantity" => (ConvertsToQuantity, 0, 1),
            "indexOf" => (IndexOf, 1, 1),
            "substring" => (Substring, 1, 2),
            "startsWith" => (StartsWith, 1, 1),
            "endsWith" => (EndsWith, 1, 1),
            "contains" => (Contains, 1, 1),
            "upper" => (Upper, 0, 0),
            "lower" => (Lower, 0, 0),
            "replace" => (Replace, 2, 2),
            "matches" => (Matches, 1, 1),
            "matchesFull" => (MatchesFull, 1, 1),
            "replaceMatches" => (ReplaceMatches, 2, 2),
            "length" => (Length, 0, 0),
            "toChars" => (ToChars, 0, 0),
            "split" => (Split, 1, 1),
            "join" => (Join, 0, 1),
            "trim" => (Trim, 0, 0),
            "encode" => (Encode, 1, 1),
            "decode" => (Decode, 1, 1),
            "escape" => (Escape, 1, 1),
            "unescape" => (Unescape, 1, 1),
            "abs" => (Abs, 0, 0),
            "ceiling" => (Ceiling, 0, 0),
            "exp" => (Exp, 0, 0),
            "floor" => (Floor, 0, 0),
            "ln" => (Ln, 0, 0),
            "log" => (Log, 1, 1),
            "power" => (Power, 1, 1),
            "round" => (Round, 0, 1),
            "sqrt" => (Sqrt, 0, 0),
            "truncate" => (Truncate, 0, 0),
            "children" => (Children, 0, 0),
            "descendants" => (Descendants, 0, 0),
            "trace" => (Trace, 1, 2),
            "now" => (Now, 0, 0),
            "timeOfDay" => (TimeOfDay, 0, 0),
            "today" => (Today, 0, 0),
            "not" => (Not, 0, 0),
            "hasValue" => (HasValue, 0, 0),
            "getValue" => (GetValue, 0, 0),
            "resolve" => (Resolve, 0, 0),
            "extension" => (Extension, 1, 1),
            "type" => (TypeFn, 0, 0),
            "conformsTo" => (ConformsTo, 1, 1),
            "memberOf" => (MemberOf, 1, 1),
            "htmlChecks" | "htmlchecks" => (HtmlChecks, 0, 0),
            "lowBoundary" => (LowBoundary, 0, 1),
            "highBoundary" => (HighBoundary, 0, 1),
            "precision" => (Precision, 0, 0),
            "comparable" => (Comparable, 1, 1),
            "sort" => (Sort, 0, 9),
            "aggregate" => (Aggregate, 1, 2),
            "defineVariable" => (DefineVariable, 1, 2),
            _ => return None,
        })
    }
}

/// One node of a compiled expression.
#[derive(Clone, Debug)]
pub enum Node {
    /// `{}`
    Empty,
    Literal(Literal),
    This,
    Index,
    Total,
    /// `%name`: an environment variable.
    Constant(String),
    /// A name navigated from the focus (or the focus's type, at the start of a path).
    Name(String),
    Call(Func, Vec<Node>),
    /// `left.right`: right evaluated on what left gives.
    Path(Box<Node>, Box<Node>),
    Indexer(Box<Node>, Box<Node>),
    Negate(Box<Node>),
    Binary(Op, Box<Node>, Box<Node>),
    Is(Box<Node>, TypeName),
    As(Box<Node>, TypeName),
    /// A descending sort key in `sort(-x)`.
    Descending(Box<Node>),
    /// A part whose value the evaluation keeps in a slot once worked out (memo.rs).
    Memo(Box<Node>, usize),
}

/// The deepest tree accepted: evaluation recurses on the tree, so its depth must be bounded
/// whatever the expression (`a.b.c...` and `1+1+1...` nest one level per step).
const MAX_DEPTH: usize = 128;

/// The depth of a tree whose subtrees are each within `MAX_DEPTH`: recursion here stays within
/// one level more than that.
fn depth(node: &Node) -> usize {
    1 + match node {
        Node::Call(_, args) => args.iter().map(depth).max().unwrap_or(0),
        Node::Path(a, b) | Node::Indexer(a, b) | Node::Binary(_, a, b) => depth(a).max(depth(b)),
        Node::Negate(a) | Node::Is(a, _) | Node::As(a, _) | Node::Descending(a) => depth(a),
        Node::Memo(a, _) => depth(a),
        _ => 0,
    }
}

/// A node built from checked subtrees, refused when it is too deep.
fn checked(node: Node) -> Result<Node, Error> {
    if depth(&node) > MAX_DEPTH {
        return Err(Error::Syntax(format!(
            "the expression nests more than {MAX_DEPTH} levels deep"
        )));
    }
    Ok(node)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

pub fn parse(text: &str) -> Result<Node, Error> {
    let tokens = lex(text)?;
    let mut p = Parser { tokens, at: 0 };
    let node = p.expression(0)?;
    match p.peek() {
        None => Ok(node),
        Some(t) => Err(Error::Syntax(format!("unexpected {t:?}"))),
    }
}

/// Binding powers, loosest first.
fn infix(token: &Token) -> Option<(u8, Op)> {
    let word = |w: &str| match token {
        Token::Ident(s) => s == w,
        _ => false,
    };
    let sym = |s: &str| matches!(token, Token::Symbol(t) if *t == s);
    Some(if word("implies") {
        (1, Op::Implies)
    } else if word("or") {
        (2, Op::Or)
    } else if word("xor") {
        (2, Op::Xor)
    } else if word("and") {
        (3, Op::And)
    } else if word("in") {
        (4, Op::In)
    } else if word("contains") {
        (4, Op::Contains)
    } else if sym("=") {
        (5, Op::Eq)
    } else if sym("!=") {
        (5, Op::Ne)
    } else if sym("~") {
        (5, Op::Equiv)
    } else if sym("!~") {
        (5, Op::NotEquiv)
    } else if sym("<") {
        (6, Op::Lt)
    } else if sym(">") {
        (6, Op::Gt)
    } else if sym("<=") {
        (6, Op::Le)
    } else if sym(">=") {
        (6, Op::Ge)
    } else if sym("|") {
        (7, Op::Union)
    } else if sym("+") {
        (9, Op::Add)
    } else if sym("-") {
        (9, Op::Sub)
    } else if sym("&") {
        (9, Op::Concat)
    } else if sym("*") {
        (10, Op::Mul)
    } else if sym("/") {
        (10, Op::Div)
    } else if word("div") {
        (10, Op::IntDiv)
    } else if word("mod") {
        (10, Op::Mod)
    } else {
        return None;
    })
}

const TYPE_OPERATOR_POWER: u8 = 8;

impl Parser {
    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn eat(&mut self, sym: &str) -> bool {
        if matches!(self.peek(), Some(Token::Symbol(s)) if *s == sym) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    fn expect(&mut self, sym: &str) -> Result<(), Error> {
        if self.eat(sym) {
            Ok(())
        } else {
            Err(Error::Syntax(format!("expected '{sym}'")))
        }
    }

    fn expression(&mut self, min: u8) -> Result<Node, Error> {
        let mut left = self.unary()?;
        while let Some(token) = self.peek() {
            let is_word = |w: &str| matches!(token, Token::Ident(s) if s == w);
            if (is_word("is") || is_word("as")) && TYPE_OPERATOR_POWER > min {
                let is = is_word("is");
                self.at += 1;
                let t = self.type_name()?;
                left = checked(if is {
                    Node::Is(Box::new(left), t)
                } else {
                    Node::As(Box::new(left), t)
                })?;
                continue;
            }
            let Some((power, op)) = infix(token) else {
                break;
            };
            if power <= min {
                break;
            }
            self.at += 1;
            let right = self.expression(power)?;
            left = checked(Node::Binary(op, Box::new(left), Box::new(right)))?;
        }
        Ok(left)
    }

    fn type_name(&mut self) -> Result<TypeName, Error> {
        let first = match self.next() {
            Some(Token::Ident(s) | Token::Quoted(s)) => s,
            _ => return Err(Error::Syntax("expected a type name".into())),
        };
        if self.eat(".") {
            match self.next() {
                Some(Token::Ident(s) | Token::Quoted(s)) => Ok(TypeName {
                    namespace: Some(first),
                    name: s,
                }),
                _ => Err(Error::Syntax("expected a type name".into())),
            }
        } else {
            Ok(TypeName {
                namespace: None,
                name: first,
            })
        }
    }

    fn unary(&mut self) -> Result<Node, Error> {
        // Signs counted in a loop, not by recursion: `- - - ... 1` is any length.
        let mut negative = false;
        loop {
            if self.eat("-") {
                negative = !negative;
            } else if !self.eat("+") {
                break;
            }
        }
        let inner = self.postfix()?;
        if !negative {
            return Ok(inner);
        }
        Ok(match inner {
            Node::Literal(Literal::Int(i)) => Node::Literal(Literal::Int(-i)),
            Node::Literal(Literal::Dec(d)) => Node::Literal(Literal::Dec(d.negated())),
            other => checked(Node::Negate(Box::new(other)))?,
        })
    }

    fn postfix(&mut self) -> Result<Node, Error> {
        let mut node = self.term()?;
        loop {
            if self.eat(".") {
                let right = self.invocation()?;
                node = checked(Node::Path(Box::new(node), Box::new(right)))?;
            } else if self.eat("[") {
                let index = self.expression(0)?;
                self.expect("]")?;
                node = checked(Node::Indexer(Box::new(node), Box::new(index)))?;
            } else {
                break;
            }
        }
        Ok(node)
    }

    /// A name or a function call (after a dot, or as a term).
    fn invocation(&mut self) -> Result<Node, Error> {
        match self.next() {
            Some(Token::Ident(name)) => self.after_name(name, false),
            Some(Token::Quoted(name)) => self.after_name(name, true),
            Some(Token::Dollar(d)) => dollar(&d),
            t => Err(Error::Syntax(format!("expected a name, found {t:?}"))),
        }
    }

    fn after_name(&mut self, name: String, quoted: bool) -> Result<Node, Error> {
        if quoted || !self.eat("(") {
            return Ok(Node::Name(name));
        }
        let mut args = Vec::new();
        if !self.eat(")") {
            loop {
                args.push(self.expression(0)?);
                if self.eat(")") {
                    break;
                }
                self.expect(",")?;
            }
        }
        let (func, min, max) =
            Func::lookup(&name).ok_or_else(|| Error::Semantic(format!("no function {name}()")))?;
        if args.len() < usize::from(min) || args.len() > usize::from(max) {
            return Err(Error::Semantic(format!(
                "{name}() takes {min} to {max} arguments, not {}",
                args.len()
            )));
        }
        if func == Func::Sort {
            args = args
                .into_iter()
                .map(|a| match a {
                    Node::Negate(inner) => Node::Descending(inner),
                    other => other,
                })
                .collect();
        }
        checked(Node::Call(func, args))
    }

    fn term(&mut self) -> Result<Node, Error> {
        let Some(token) = self.next() else {
            return Err(Error::Syntax("the expression ends too soon".into()));
        };
        Ok(match token {
            Token::Symbol("(") => {
                let e = self.expression(0)?;
                self.expect(")")?;
                e
            }
            Token::Symbol("{") => {
                self.expect("}")?;
                Node::Empty
            }
            Token::Str(s) => Node::Literal(Literal::Str(s)),
            Token::Number(n) => self.number(&n)?,
            Token::DateTime(s) => {
                let t = if s.contains('T') {
                    Temporal::parse_date_time(&s)
                } else {
                    Temporal::parse_date(&s)
                };
                Node::Literal(Literal::Temporal(
                    t.ok_or_else(|| Error::Syntax(format!("@{s} is not a date")))?,
                ))
            }
            Token::Time(s) => Node::Literal(Literal::Temporal(
                Temporal::parse_time(&s)
                    .ok_or_else(|| Error::Syntax(format!("@T{s} is not a time")))?,
            )),
            Token::Constant(c) => Node::Constant(c),
            Token::Dollar(d) => dollar(&d)?,
            Token::Ident(w) if w == "true" => Node::Literal(Literal::Bool(true)),
            Token::Ident(w) if w == "false" => Node::Literal(Literal::Bool(false)),
            Token::Ident(name) => self.after_name(name, false)?,
            Token::Quoted(name) => self.after_name(name, true)?,
            t => return Err(Error::Syntax(format!("unexpected {t:?}"))),
        })
    }

    /// A number, or a quantity when a unit follows (`4 'mg'`, `3 days`).
    fn number(&mut self, text: &str) -> Result<Node, Error> {
        let unit = match self.peek() {
            Some(Token::Str(u)) => Some(u.clone()),
            Some(Token::Ident(w)) if super::value::calendar_unit(w).is_some() && w.len() > 2 => {
                Some(w.clone())
            }
            _ => None,
        };
        let bad = || Error::Syntax(format!("{text} is not a number"));
        if let Some(unit) = unit {
            self.at += 1;
            let value = Decimal::parse(text).ok_or_else(bad)?;
            return Ok(Node::Literal(Literal::Quantity(Quantity { value, unit })));
        }
        Ok(Node::Literal(if text.contains('.') {
            Literal::Dec(Decimal::parse(text).ok_or_else(bad)?)
        } else {
            Literal::Int(text.parse().map_err(|_| bad())?)
        }))
    }
}

fn dollar(name: &str) -> Result<Node, Error> {
    match name {
        "this" => Ok(Node::This),
        "index" => Ok(Node::Index),
        "total" => Ok(Node::Total),
        _ => Err(Error::Syntax(format!("${name} is not a variable"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn precedence_binds_as_the_grammar_says() {
        let Ok(Node::Binary(Op::Or, _, right)) = parse("a or b and c") else {
            panic!("or is loosest");
        };
        assert!(matches!(*right, Node::Binary(Op::And, ..)));
        assert!(matches!(parse("1 + 2 * 3"), Ok(Node::Binary(Op::Add, ..))));
        assert!(matches!(parse("a.b is string"), Ok(Node::Is(..))));
        assert!(matches!(parse("2 + 2 /"), Err(Error::Syntax(_))));
        assert!(matches!(parse("a.nosuch()"), Err(Error::Semantic(_))));
        assert!(matches!(parse("'abc"), Err(Error::Syntax(_))));
        assert!(matches!(parse("@2015.is(Date)"), Ok(Node::Path(..))));
        assert!(matches!(
            parse("4 days"),
            Ok(Node::Literal(Literal::Quantity(_)))
        ));
    }
}
