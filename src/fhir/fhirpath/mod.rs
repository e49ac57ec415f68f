//! FHIRPath (the R4 normative release, with the later functions IG invariants use) over
//! ehrlint's parsed records and the R4 model: what the definitions' invariants are written in.
//!
//! An expression is compiled once ([`Expr::compile`]: syntax, function names and arities,
//! regular expressions), then evaluated any number of times against an element of a record
//! ([`Expr::evaluate`]). Elements carry their FHIR type from the model, so `is`/`as`/`ofType`,
//! choice elements (`value` finds `valueQuantity`), primitives given with `_name` extensions and
//! FHIRPath's date-precision rules work as the specification says.

mod eval;
mod pattern;
mod syntax;
pub mod value;

pub use eval::{Elem, Env, Item};

use crate::json::Value;

use super::model::Model;

/// Why an expression cannot be compiled or evaluated.
#[derive(Clone, Debug, PartialEq)]
pub enum Error {
    /// Not FHIRPath.
    Syntax(String),
    /// FHIRPath, but wrong: an unknown function, a wrong number of arguments, an unknown
    /// variable, a choice element's JSON name used as a path.
    Semantic(String),
    /// A well-formed expression that fails on these values (several values where one is
    /// needed, operands of the wrong type).
    Execution(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        match self {
            Error::Syntax(m) => write!(f, "FHIRPath syntax: {m}"),
            Error::Semantic(m) => write!(f, "FHIRPath: {m}"),
            Error::Execution(m) => write!(f, "FHIRPath evaluation: {m}"),
        }
    }
}

/// A compiled expression.
#[derive(Debug)]
pub struct Expr {
    root: syntax::Node,
    regexes: eval::Regexes,
}

/// Deeper nesting than this is refused when compiling: expressions come from definitions and
/// vendors' packages, and the parser and evaluator recurse on the tree.
const MAX_NESTING: usize = 128;

impl Expr {
    pub fn compile(text: &str) -> Result<Expr, Error> {
        let root = parse(text)?;
        let regexes = eval::Regexes::of(&root)?;
        Ok(Expr { root, regexes })
    }

    /// The collection the expression gives on `focus` (usually one element, `%context`).
    pub fn evaluate<'a>(
        &'a self,
        env: &Env<'a>,
        focus: Vec<Item<'a>>,
    ) -> Result<Vec<Item<'a>>, Error> {
        eval::evaluate(self, env, &focus)
    }

    /// Evaluates an invariant: true when it holds. An empty result holds (FHIR: a constraint
    /// that gives nothing is not violated).
    pub fn holds<'a>(&'a self, env: &Env<'a>, focus: Item<'a>) -> Result<bool, Error> {
        let out = eval::evaluate(self, env, std::slice::from_ref(&focus))?;
        match out.as_slice() {
            [] => Ok(true),
            [Item::Bool(b)] => Ok(*b),
            [Item::Elem(e)] => match e.value {
                Some(Value::Bool(b)) => Ok(*b),
                _ => Ok(true),
            },
            [_] => Ok(true),
            _ => Err(Error::Execution(
                "an invariant gave several values, not one boolean".into(),
            )),
        }
    }
}

/// Whether `text` is FHIRPath, without compiling its regular expressions: for checks of
/// expressions a record carries (a ValueSet filter's value expression), which ehrlint does not
/// evaluate.
pub fn check_syntax(text: &str) -> Result<(), Error> {
    parse(text).map(drop)
}

fn parse(text: &str) -> Result<syntax::Node, Error> {
    let nesting = text
        .bytes()
        .fold((0usize, 0usize), |(depth, max), b| match b {
            b'(' | b'[' | b'{' => (depth + 1, max.max(depth + 1)),
            b')' | b']' | b'}' => (depth.saturating_sub(1), max),
            _ => (depth, max),
        });
    if nesting.1 > MAX_NESTING {
        return Err(Error::Syntax(format!(
            "nested more than {MAX_NESTING} levels deep"
        )));
    }
    syntax::parse(text)
}

/// A resource as the start of an evaluation: its element typed from `resourceType`.
pub fn resource<'a>(model: &'a Model, value: &'a Value) -> Option<Item<'a>> {
    Elem::resource(model, value).map(Item::Elem)
}
