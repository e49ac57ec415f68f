//! FHIRPath (the R4 normative release, with the later functions IG invariants use) over
//! ehrlint's parsed records and the R4 model: what the definitions' invariants are written in.
//!
//! An expression is compiled once ([`Expr::compile`]: syntax, function names and arities,
//! regular expressions), then evaluated any number of times against an element of a record
//! ([`Expr::evaluate`]). Elements carry their FHIR type from the model, so `is`/`as`/`ofType`,
//! choice elements (`value` finds `valueQuantity`), primitives given with `_name` extensions and
//! FHIRPath's date-precision rules work as the specification says.

mod eval;
mod memo;
mod pattern;
mod reads;
mod syntax;
pub mod value;

pub use eval::{Elem, Env, Item, Items};

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
    /// The focus's child names that decide the result by their absence ([`reads`]).
    focus_names: Option<Box<[Box<str>]>>,
    /// A bit per name's first two bytes ([`first_two_bit`]): most members are told apart
    /// from the names without comparing them.
    name_bits: u64,
    /// How many parts of the expression an evaluation keeps the value of ([`memo`]).
    slots: usize,
    /// Whether it calls `descendants()` more than once (dom-3 four times): an element's walk
    /// is then kept from the first.
    walks_descendants_again: bool,
}

/// Deeper nesting than this is refused when compiling: expressions come from definitions and
/// vendors' packages, and the parser and evaluator recurse on the tree.
const MAX_NESTING: usize = 128;

impl Expr {
    pub fn compile(text: &str) -> Result<Expr, Error> {
        let mut root = parse(text)?;
        let regexes = eval::Regexes::of(&root)?;
        let focus_names: Option<Box<[Box<str>]>> = reads::focus_names(&root)
            .map(|names| names.into_iter().map(String::into_boxed_str).collect());
        let name_bits = focus_names
            .iter()
            .flatten()
            .map(|n| first_two_bit(n).unwrap_or(u64::MAX))
            .fold(0, |bits, bit| bits | bit);
        let walks_descendants_again = memo::calls(&root, syntax::Func::Descendants) > 1;
        let slots = memo::mark(&mut root);
        Ok(Expr {
            root,
            regexes,
            focus_names,
            name_bits,
            slots,
            walks_descendants_again,
        })
    }

    /// Whether a focus with these members gives the result an empty element of its type
    /// gives: the expression reads the focus only through child names, and it has none of
    /// them (`value` for `valueQuantity`, `_name` for `name`). Then it reads nothing more of the
    /// focus, nor of the record, the Bundle or the clock.
    pub fn decided_by_absence(&self, members: &crate::json::Map) -> bool {
        let Some(names) = &self.focus_names else {
            return false;
        };
        members.keys().all(|key| {
            let key = key.strip_prefix('_').unwrap_or(key);
            if first_two_bit(key).is_some_and(|bit| self.name_bits & bit == 0) {
                return true;
            }
            !names.iter().any(|n| {
                key.strip_prefix(&**n).is_some_and(|rest| {
                    rest.is_empty() || rest.starts_with(|c: char| c.is_ascii_uppercase())
                })
            })
        })
    }

    /// The collection the expression gives on `focus` (usually one element, `%context`).
    pub fn evaluate<'a>(&'a self, env: &Env<'a>, focus: Vec<Item<'a>>) -> Result<Items<'a>, Error> {
        eval::evaluate(self, env, &focus)
    }

    /// Evaluates an invariant: true when it holds. An empty result holds (a constraint that
    /// gives nothing is not violated: most give nothing where the data they compare is
    /// missing, as ref-1 on a Reference without `reference`), unless it is empty because a
    /// value of the record did not convert: eld-3's `toInteger() >= 0` on a max of "n".
    pub fn holds<'a>(&'a self, env: &Env<'a>, focus: Item<'a>) -> Result<bool, Error> {
        let (out, unconverted) = eval::evaluate_noting(self, env, std::slice::from_ref(&focus));
        match out?.as_slice() {
            [] => Ok(!unconverted),
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

/// A bit of 64 for a name's first two bytes, which a choice's JSON name shares with its
/// FHIRPath name (`valueQuantity`, `value`); None for a shorter name.
fn first_two_bit(name: &str) -> Option<u64> {
    match name.as_bytes() {
        [a, b, ..] => Some(1 << ((u32::from(*a) * 31 + u32::from(*b)) % 64)),
        _ => None,
    }
}

// Tests evaluate without the shortcuts (a focus decided by absence, kept parts) to compare.
#[cfg(test)]
thread_local! {
    static PLAIN: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether this thread evaluates every expression in full (tests only).
pub(crate) fn plain() -> bool {
    #[cfg(test)]
    return PLAIN.with(|p| p.get());
    #[cfg(not(test))]
    false
}

#[cfg(test)]
pub(crate) fn set_plain(on: bool) {
    PLAIN.with(|p| p.set(on));
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An invariant's verdict on a Patient: `Some(true)` holds, `Some(false)` broken.
    fn verdict(expression: &str, patient: serde_json::Value) -> Option<bool> {
        let model = Model::r4().ok()?;
        let value = crate::json::Value::from(patient);
        let expr = Expr::compile(expression).ok()?;
        let env = Env::new(&model);
        let focus = resource(&model, &value)?;
        expr.holds(&env, focus).ok()
    }

    #[test]
    fn an_empty_result_holds_unless_a_value_did_not_convert() {
        let patient = |id: &str| serde_json::json!({"resourceType": "Patient", "id": id});
        // eld-3's shape: a value that is no number makes the result empty, and that breaks it.
        let numeric = "id.empty() or (id.toInteger() >= 0)";
        assert_eq!(verdict(numeric, patient("12")), Some(true));
        assert_eq!(verdict(numeric, patient("n")), Some(false));
        // Empty because the data is missing (ref-1 on a Reference without `reference`): holds.
        let missing = "gender.startsWith('f').not()";
        assert_eq!(verdict(missing, patient("12")), Some(true));
        assert_eq!(
            verdict(
                missing,
                serde_json::json!({"resourceType": "Patient", "gender": "female"})
            ),
            Some(false)
        );
        // convertsToInteger() asks; it does not fail.
        assert_eq!(
            verdict("id.convertsToInteger().not() and {}", patient("n")),
            Some(true)
        );
    }
}
