//! Evaluation: collections of items in, collections out, as FHIRPath defines each operator
//! and function.

use std::borrow::Cow;
use std::cell::RefCell;

use smallvec::smallvec;
use std::cmp::Ordering;

use crate::json::{same_name, Value};

use super::super::model::{ElementDef, Kind, Model};
use super::pattern::{self, Pattern};
use super::syntax::{Func, Literal, Node, Op, TypeName};
use super::value::{Decimal, Precision, Quantity, Temporal, TemporalKind};
use super::{Error, Expr};

/// An element of a record: its JSON value and `_name` object, typed by the model.
#[derive(Clone, Copy, Debug)]
pub struct Elem<'a> {
    /// The value (an object for a complex type or resource; a string, number or boolean for a
    /// primitive); None for a primitive given only as `_name`.
    pub value: Option<&'a Value>,
    /// A primitive's `_name` object (id and extensions).
    pub ext: Option<&'a Value>,
    /// The FHIR type (`Patient`, `HumanName`, `BackboneElement`, `date`); empty when unknown.
    pub ty: &'a str,
    /// The elements of a complex value, when known.
    pub elements: Option<&'a [ElementDef]>,
}

impl<'a> Elem<'a> {
    /// A resource, typed from its `resourceType`.
    pub fn resource(model: &'a Model, value: &'a Value) -> Option<Elem<'a>> {
        let ty = value.get("resourceType")?.as_str()?;
        let def = model.type_def(ty)?;
        Some(Elem {
            value: Some(value),
            ext: None,
            ty: def.name,
            elements: Some(&def.elements),
        })
    }

    /// An element of a known type at `value` (for the walk, which knows each element's type).
    pub fn typed(
        value: Option<&'a Value>,
        ext: Option<&'a Value>,
        ty: &'a str,
        elements: Option<&'a [ElementDef]>,
    ) -> Elem<'a> {
        Elem {
            value,
            ext,
            ty,
            elements,
        }
    }

    fn is_primitive(&self) -> bool {
        !matches!(self.value, Some(Value::Object(_)) | Some(Value::Array(_)))
    }
}

/// One value of a collection.
#[derive(Clone, Debug)]
pub enum Item<'a> {
    Elem(Elem<'a>),
    Bool(bool),
    Int(i64),
    Dec(Decimal),
    /// Borrowed from the record or the expression where it can be: most strings an
    /// invariant reads are compared, not built.
    Str(Cow<'a, str>),
    Temporal(Temporal),
    /// Boxed: a quantity is rare, and an item is copied at every step.
    Quantity(Box<Quantity>),
    /// What `type()` gives: a namespace and a name.
    Type(&'static str, String),
}

/// What an evaluation may read besides the focus.
pub struct Env<'a> {
    pub model: &'a Model,
    /// `%resource`: the resource holding the focus.
    pub resource: Option<Item<'a>>,
    /// `%rootResource`: the resource holding that one (for a contained resource), else it.
    pub root: Option<Item<'a>>,
    /// A Bundle the resource is an entry of: `resolve()` looks there.
    pub bundle: Option<&'a Value>,
    /// Now, in milliseconds since 1970 (UTC), for `now()` and `today()`.
    pub now_millis: i64,
    /// A FHIR primitive is also of the System type it holds (`answer is Boolean` for a FHIR
    /// boolean), as R4's own invariants expect of the engines they were written for (que-7);
    /// FHIRPath itself says otherwise, and the official tests check that.
    pub lenient_types: bool,
}

impl<'a> Env<'a> {
    pub fn new(model: &'a Model) -> Env<'a> {
        Env {
            model,
            resource: None,
            root: None,
            bundle: None,
            now_millis: super::super::clock::now().saturating_mul(1000),
            lenient_types: false,
        }
    }
}

/// The compiled patterns of an expression's literal `matches`, `matchesFull` and
/// `replaceMatches` arguments. An expression has one or two: a list, looked up without
/// building a key.
#[derive(Debug, Default)]
pub struct Regexes(Vec<(Use, String, Pattern)>);

/// What a pattern is compiled for.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Use {
    /// `matches`: a match anywhere.
    Find,
    /// `matchesFull`.
    Full,
    /// `replaceMatches`: needs the regular expression itself.
    Replace,
}

impl Regexes {
    pub fn of(node: &Node) -> Result<Regexes, Error> {
        let mut out = Regexes::default();
        out.collect(node)?;
        Ok(out)
    }

    fn get(&self, how: Use, pattern: &str) -> Option<&Pattern> {
        let found = self.0.iter().find(|(u, p, _)| *u == how && p == pattern);
        found.map(|(_, _, compiled)| compiled)
    }

    fn collect(&mut self, node: &Node) -> Result<(), Error> {
        match node {
            Node::Call(f, args) => {
                let how = match f {
                    Func::Matches => Some(Use::Find),
                    Func::MatchesFull => Some(Use::Full),
                    Func::ReplaceMatches => Some(Use::Replace),
                    _ => None,
                };
                if let (Some(how), Some(Node::Literal(Literal::Str(p)))) = (how, args.first()) {
                    if self.get(how, p).is_none() {
                        let compiled = match how {
                            Use::Replace => Pattern::Regex(pattern::regex(p, false)?),
                            _ => Pattern::new(p, how == Use::Full)?,
                        };
                        self.0.push((how, p.clone(), compiled));
                    }
                }
                for a in args {
                    self.collect(a)?;
                }
            }
            Node::Path(a, b) | Node::Indexer(a, b) | Node::Binary(_, a, b) => {
                self.collect(a)?;
                self.collect(b)?;
            }
            Node::Negate(a)
            | Node::Is(a, _)
            | Node::As(a, _)
            | Node::Descending(a)
            | Node::Memo(a, _) => self.collect(a)?,
            _ => {}
        }
        Ok(())
    }
}

/// Whether a choice element's JSON name ends in `code`, the type's name with its first letter
/// upper-case (`Quantity` for Quantity, `String` for string).
fn choice_suffix_is(suffix: &str, code: &str) -> bool {
    let (mut s, mut c) = (suffix.chars(), code.chars());
    match (s.next(), c.next()) {
        (Some(a), Some(b)) => {
            a.is_ascii_uppercase() && a == b.to_ascii_uppercase() && s.as_str() == c.as_str()
        }
        _ => false,
    }
}

/// The variables in reach: `$this`, `$index`, `$total` and those `defineVariable` set.
#[derive(Clone, Default)]
struct Frame<'a> {
    this: Option<Item<'a>>,
    index: Option<usize>,
    total: Option<Items<'a>>,
}

/// An element whose descendants were walked: its value's address and its type.
type Walked<'a> = (*const Value, &'a str);

struct Eval<'e, 'a> {
    expr: &'a Expr,
    env: &'e Env<'a>,
    /// The context of the whole evaluation (`%context`).
    context: &'e [Item<'a>],
    vars: RefCell<Vec<(String, Items<'a>)>>,
    /// `descendants()` of an element already walked in this evaluation, by the element's
    /// address and type: dom-3 asks for `%resource.descendants()` four times for each
    /// contained resource.
    /// Kept from the second walk of an element on (None after the first): most
    /// evaluations walk an element once, and keeping its walk would only copy it.
    descendants: RefCell<Vec<(Walked<'a>, Option<Items<'a>>)>>,
    /// The values of the parts the compiler marked to keep ([`Node::Memo`]), by slot.
    memo: RefCell<Vec<Option<Items<'a>>>>,
    /// Set when `toInteger()`, `toDate()`... met a value it could not convert (a max of "n").
    unconverted: std::cell::Cell<bool>,
}

/// A collection: most hold one value or none, kept without allocating.
pub type Items<'a> = smallvec::SmallVec<[Item<'a>; 1]>;

type Out<'a> = Result<Items<'a>, Error>;

pub fn evaluate<'a>(expr: &'a Expr, env: &Env<'a>, focus: &[Item<'a>]) -> Out<'a> {
    evaluate_noting(expr, env, focus).0
}

/// `evaluate`, and whether a `toX()` on the way met a value it could not convert.
pub fn evaluate_noting<'a>(expr: &'a Expr, env: &Env<'a>, focus: &[Item<'a>]) -> (Out<'a>, bool) {
    let e = Eval {
        expr,
        env,
        context: focus,
        vars: RefCell::new(Vec::new()),
        descendants: RefCell::new(Vec::new()),
        memo: RefCell::new(vec![None; expr.slots]),
        unconverted: std::cell::Cell::new(false),
    };
    let frame = Frame {
        this: match focus {
            [one] => Some(one.clone()),
            _ => None,
        },
        ..Frame::default()
    };
    let out = e.node(&expr.root, focus, &frame);
    (out, e.unconverted.get())
}

fn exec(m: impl Into<String>) -> Error {
    Error::Execution(m.into())
}

/// The JSON text of a number, read as a decimal.
fn number_decimal(n: &serde_json::Number) -> Option<Decimal> {
    Decimal::parse(&n.to_string())
}

const SYSTEM_TYPES: [&str; 9] = [
    "Boolean", "Integer", "Decimal", "String", "Date", "DateTime", "Time", "Quantity", "Object",
];

const QUANTITY_TYPES: [&str; 7] = [
    "Quantity",
    "Age",
    "Count",
    "Distance",
    "Duration",
    "SimpleQuantity",
    "MoneyQuantity",
];

/// A primitive element as a system value; a Quantity as a quantity; anything else as is.
fn system<'a>(item: &Item<'a>) -> Item<'a> {
    let Item::Elem(e) = item else {
        return item.clone();
    };
    if QUANTITY_TYPES.contains(&e.ty) {
        if let Some(q) = elem_quantity(e) {
            return Item::Quantity(Box::new(q));
        }
        return item.clone();
    }
    let Some(v) = e.value else {
        return item.clone();
    };
    let converted = match (e.ty, v) {
        (_, Value::Bool(b)) => Some(Item::Bool(*b)),
        ("decimal", Value::Number(n)) => number_decimal(n).map(Item::Dec),
        (_, Value::Number(n)) => match n.as_i64() {
            Some(i) => Some(Item::Int(i)),
            None => number_decimal(n).map(Item::Dec),
        },
        ("date", Value::String(s)) => Temporal::parse_date(s).map(Item::Temporal),
        ("dateTime" | "instant", Value::String(s)) => {
            Temporal::parse_date_time(s).map(Item::Temporal)
        }
        ("time", Value::String(s)) => Temporal::parse_time(s).map(Item::Temporal),
        (_, Value::String(s)) => Some(Item::Str(Cow::Borrowed(s.as_str()))),
        _ => None,
    };
    converted.unwrap_or_else(|| item.clone())
}

fn elem_quantity(e: &Elem) -> Option<Quantity> {
    let obj = e.value?;
    let value = number_decimal(obj.get("value")?.as_number()?)?;
    let unit = obj
        .get("code")
        .and_then(Value::as_str)
        .or_else(|| obj.get("unit").and_then(Value::as_str))
        .unwrap_or("1");
    Some(Quantity {
        value,
        unit: unit.to_string(),
    })
}

fn type_name_of(item: &Item) -> (&'static str, String) {
    match item {
        Item::Elem(e) => ("FHIR", e.ty.to_string()),
        Item::Bool(_) => ("System", "Boolean".into()),
        Item::Int(_) => ("System", "Integer".into()),
        Item::Dec(_) => ("System", "Decimal".into()),
        Item::Str(_) => ("System", "String".into()),
        Item::Temporal(t) => (
            "System",
            match t.kind {
                TemporalKind::Date => "Date",
                TemporalKind::DateTime => "DateTime",
                TemporalKind::Time => "Time",
            }
            .into(),
        ),
        Item::Quantity(_) => ("System", "Quantity".into()),
        Item::Type(..) => ("System", "Object".into()),
    }
}

/// The text of a string item (a FHIR string-like primitive or a system string).
fn text_of<'a>(item: &Item<'a>) -> Option<Cow<'a, str>> {
    match system(item) {
        Item::Str(s) => Some(s),
        _ => None,
    }
}

fn json_eq(a: Option<&Value>, b: Option<&Value>) -> bool {
    a == b
}

/// FHIRPath `=` of two items: None when unknown (temporal precisions that differ).
fn equal(a: &Item, b: &Item) -> Option<bool> {
    if let (Item::Elem(x), Item::Elem(y)) = (a, b) {
        if !x.is_primitive() || !y.is_primitive() {
            return Some(json_eq(x.value, y.value) && json_eq(x.ext, y.ext));
        }
    }
    match (system(a), system(b)) {
        (Item::Str(x), Item::Str(y)) => Some(x == y),
        (Item::Bool(x), Item::Bool(y)) => Some(x == y),
        (Item::Int(x), Item::Int(y)) => Some(x == y),
        (Item::Int(x), Item::Dec(y)) | (Item::Dec(y), Item::Int(x)) => {
            Some(Decimal::from_int(x).cmp_value(y) == Some(Ordering::Equal))
        }
        (Item::Dec(x), Item::Dec(y)) => Some(x.cmp_value(y) == Some(Ordering::Equal)),
        (Item::Temporal(x), Item::Temporal(y)) => {
            if (x.kind == TemporalKind::Time) != (y.kind == TemporalKind::Time) {
                return Some(false);
            }
            x.compare(&y).map(|o| o == Ordering::Equal)
        }
        (Item::Quantity(x), Item::Quantity(y)) => x.compare(&y).map(|o| o == Ordering::Equal),
        (Item::Type(a, b), Item::Type(c, d)) => Some(a == c && b == d),
        (Item::Elem(x), Item::Elem(y)) => Some(json_eq(x.value, y.value)),
        _ => Some(false),
    }
}

fn normalize_space(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// FHIRPath `~`.
fn equivalent(a: &Item, b: &Item) -> bool {
    match (system(a), system(b)) {
        (Item::Str(x), Item::Str(y)) => normalize_space(&x) == normalize_space(&y),
        (Item::Dec(x), Item::Dec(y)) => {
            let scale = x.scale.min(y.scale);
            match (x.rescale(scale), y.rescale(scale)) {
                (Some(x), Some(y)) => x.cmp_value(y) == Some(Ordering::Equal),
                _ => false,
            }
        }
        (Item::Int(x), Item::Dec(y)) | (Item::Dec(y), Item::Int(x)) => y
            .rescale(0)
            .is_some_and(|y| y.cmp_value(Decimal::from_int(x)) == Some(Ordering::Equal)),
        (Item::Temporal(x), Item::Temporal(y)) => {
            // Seconds and milliseconds are one precision.
            let p = |t: &Temporal| t.precision.min(Precision::Second);
            p(&x) == p(&y) && x.compare(&y) == Some(Ordering::Equal)
        }
        (Item::Quantity(x), Item::Quantity(y)) => x.equivalent(&y),
        (x, y) => equal(&x, &y).unwrap_or(false),
    }
}

fn contains_item(list: &[Item], item: &Item) -> bool {
    list.iter().any(|x| equal(x, item) == Some(true))
}

/// A key that equal strings and booleans share, for a set: `distinct()` over a Bundle's
/// thousands of fullUrls (bdl-7) must not compare every pair. (Numbers are not: 1 = 1.0.)
fn simple_key<'a>(item: &Item<'a>) -> Option<(bool, Cow<'a, str>)> {
    match system(item) {
        Item::Str(s) => Some((false, s)),
        Item::Bool(b) => Some((true, Cow::Borrowed(if b { "true" } else { "false" }))),
        _ => None,
    }
}

fn distinct<'a>(items: Items<'a>) -> Items<'a> {
    let mut out: Items = Items::with_capacity(items.len());
    let mut seen = std::collections::HashSet::new();
    // Items that are not simple values, compared pairwise among themselves.
    let mut others: Items = Items::new();
    for i in items {
        match simple_key(&i) {
            Some(key) => {
                if seen.insert(key) {
                    out.push(i);
                }
            }
            None => {
                if !contains_item(&others, &i) {
                    others.push(i.clone());
                    out.push(i);
                }
            }
        }
    }
    out
}

/// The one value of a collection: None when empty, an error when there are several.
fn single<'a>(items: &[Item<'a>]) -> Result<Option<Item<'a>>, Error> {
    match items {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        _ => Err(exec(format!("expected one value, found {}", items.len()))),
    }
}

/// A collection read as a boolean: empty is None; one boolean is itself; one other value is
/// true (FHIRPath's singleton evaluation).
fn boolean(items: &[Item]) -> Result<Option<bool>, Error> {
    match single(items)? {
        None => Ok(None),
        Some(i) => match system(&i) {
            Item::Bool(b) => Ok(Some(b)),
            _ => Ok(Some(true)),
        },
    }
}

fn one_bool<'a>(b: bool) -> Items<'a> {
    smallvec![Item::Bool(b)]
}

fn opt_bool<'a>(b: Option<bool>) -> Items<'a> {
    b.map(one_bool).unwrap_or_default()
}

fn integer_arg(items: &[Item]) -> Result<Option<i64>, Error> {
    match single(items)?.map(|i| system(&i)) {
        None => Ok(None),
        Some(Item::Int(i)) => Ok(Some(i)),
        Some(_) => Err(exec("expected an integer")),
    }
}

impl<'e, 'a> Eval<'e, 'a> {
    fn node(&self, node: &'a Node, focus: &[Item<'a>], frame: &Frame<'a>) -> Out<'a> {
        match node {
            Node::Empty => Ok(Items::new()),
            Node::Literal(l) => Ok(smallvec![match l {
                Literal::Bool(b) => Item::Bool(*b),
                Literal::Str(s) => Item::Str(Cow::Borrowed(s)),
                Literal::Int(i) => Item::Int(*i),
                Literal::Dec(d) => Item::Dec(*d),
                Literal::Temporal(t) => Item::Temporal(*t),
                Literal::Quantity(q) => Item::Quantity(Box::new(q.clone())),
            }]),
            Node::This => Ok(frame.this.iter().cloned().collect()),
            Node::Index => Ok(frame
                .index
                .map(|i| Item::Int(i64::try_from(i).unwrap_or(i64::MAX)))
                .into_iter()
                .collect()),
            Node::Total => Ok(frame.total.clone().unwrap_or_default()),
            Node::Constant(name) => self.constant(name),
            Node::Name(name) => self.navigate(focus, name),
            Node::Call(f, args) => self.call(*f, args, focus, frame),
            Node::Path(left, right) => {
                let input = self.node(left, focus, frame)?;
                self.node(right, &input, frame)
            }
            Node::Indexer(left, index) => {
                let input = self.node(left, focus, frame)?;
                let at = integer_arg(&self.node(index, focus, frame)?)?;
                Ok(at
                    .and_then(|i| usize::try_from(i).ok())
                    .and_then(|i| input.get(i).cloned())
                    .into_iter()
                    .collect())
            }
            Node::Negate(inner) => {
                let v = self.node(inner, focus, frame)?;
                Ok(match single(&v)?.map(|i| system(&i)) {
                    None => Items::new(),
                    Some(Item::Int(i)) => i.checked_neg().map(Item::Int).into_iter().collect(),
                    Some(Item::Dec(d)) => smallvec![Item::Dec(d.negated())],
                    Some(Item::Quantity(q)) => smallvec![Item::Quantity(Box::new(Quantity {
                        value: q.value.negated(),
                        unit: q.unit,
                    }))],
                    Some(_) => return Err(exec("only numbers and quantities can be negated")),
                })
            }
            Node::Descending(inner) => self.node(inner, focus, frame),
            Node::Memo(inner, _) if super::plain() => self.node(inner, focus, frame),
            Node::Memo(inner, slot) => {
                if let Some(Some(kept)) = self.memo.borrow().get(*slot) {
                    return Ok(kept.clone());
                }
                let value = self.node(inner, focus, frame)?;
                if let Some(place) = self.memo.borrow_mut().get_mut(*slot) {
                    *place = Some(value.clone());
                }
                Ok(value)
            }
            Node::Binary(op, l, r) => self.binary(*op, l, r, focus, frame),
            Node::Is(inner, t) => {
                let v = self.node(inner, focus, frame)?;
                Ok(match single(&v)? {
                    None => Items::new(),
                    Some(i) => one_bool(self.is_type(&i, t, false)?),
                })
            }
            Node::As(inner, t) => {
                let v = self.node(inner, focus, frame)?;
                self.of_type(v, t)
            }
        }
    }

    fn constant(&self, name: &str) -> Out<'a> {
        let s = |v: Cow<'static, str>| Ok(smallvec![Item::Str(v)]);
        match name {
            "resource" => Ok(self.env.resource.iter().cloned().collect()),
            "rootResource" => Ok(self
                .env
                .root
                .as_ref()
                .or(self.env.resource.as_ref())
                .cloned()
                .into_iter()
                .collect()),
            "context" => Ok(Items::from(self.context)),
            "ucum" => s(Cow::Borrowed("http://unitsofmeasure.org")),
            "sct" => s(Cow::Borrowed("http://snomed.info/sct")),
            "loinc" => s(Cow::Borrowed("http://loinc.org")),
            _ => {
                if let Some(rest) = name.strip_prefix("vs-") {
                    return s(format!("http://hl7.org/fhir/ValueSet/{rest}").into());
                }
                if let Some(rest) = name.strip_prefix("ext-") {
                    return s(format!("http://hl7.org/fhir/StructureDefinition/{rest}").into());
                }
                let vars = self.vars.borrow();
                match vars.iter().rev().find(|(n, _)| n == name) {
                    Some((_, v)) => Ok(v.clone()),
                    None => Err(Error::Semantic(format!("no variable %{name}"))),
                }
            }
        }
    }

    /// `name` from each item: a child element, or the item itself when `name` is its type
    /// (`Patient.name` on a Patient).
    fn navigate(&self, focus: &[Item<'a>], name: &str) -> Out<'a> {
        let mut out = Items::new();
        for item in focus {
            match item {
                Item::Elem(e) => {
                    if name.starts_with(|c: char| c.is_ascii_uppercase()) {
                        if self.type_chain(e.ty).any(|t| t == name) {
                            out.push(item.clone());
                            continue;
                        }
                        // No element's name starts upper-case: a type that is not this one.
                        if !e.ty.is_empty() && self.env.model.type_def(name).is_some() {
                            return Err(Error::Semantic(format!(
                                "{name} is a type, and this is a {}",
                                e.ty
                            )));
                        }
                    }
                    self.child(e, name, &mut out)?;
                }
                Item::Type(ns, n) => match name {
                    "namespace" => out.push(Item::Str(Cow::Borrowed(ns))),
                    "name" => out.push(Item::Str(n.clone().into())),
                    _ => {}
                },
                _ => {}
            }
        }
        Ok(out)
    }

    /// A type and the types it specialises (`code`, `string`, `Element`...).
    fn type_chain(&self, ty: &'a str) -> impl Iterator<Item = &'a str> + '_ {
        let model = self.env.model;
        let mut next = Some(ty);
        std::iter::from_fn(move || {
            let current = next?;
            next = model.type_def(current).and_then(|t| t.base);
            Some(current)
        })
    }

    /// The object whose members are an element's children, and their definitions: a
    /// primitive's id and extensions are in its `_name` object, typed as its type's.
    #[allow(clippy::type_complexity)]
    fn members(&self, e: &Elem<'a>) -> Option<(&'a crate::json::Map, Option<&'a [ElementDef]>)> {
        match (e.value, e.ext) {
            (Some(Value::Object(o)), _) => Some((o, e.elements)),
            (_, Some(Value::Object(x))) => Some((
                x,
                e.elements
                    .or_else(|| self.env.model.type_def(e.ty).map(|d| d.elements.as_slice())),
            )),
            _ => None,
        }
    }

    /// `toX()` (`to`) or `convertsToX()` of one value. A value `toX()` cannot convert is
    /// noted (`unconverted`).
    fn convert(
        &self,
        to: bool,
        input: Option<Item<'a>>,
        f: impl Fn(&Item<'a>) -> Option<Item<'a>>,
    ) -> Items<'a> {
        let Some(i) = input else { return Items::new() };
        let out = f(&i);
        if to {
            if out.is_none() {
                self.unconverted.set(true);
            }
            out.into_iter().collect()
        } else {
            one_bool(out.is_some())
        }
    }

    fn child(&self, e: &Elem<'a>, name: &str, out: &mut Items<'a>) -> Result<(), Error> {
        let Some((obj, elements)) = self.members(e) else {
            return Ok(());
        };
        let Some(elements) = elements else {
            // Untyped: read the JSON as it is.
            push_untyped(obj.get(name), out);
            return Ok(());
        };
        let Some(def) = elements.iter().find(|d| same_name(d.name, name)) else {
            // A choice's JSON name is not a FHIRPath name (`value`, not `valueQuantity`).
            if elements.iter().any(|d| {
                d.choice
                    && name
                        .strip_prefix(d.name)
                        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()))
            }) {
                return Err(Error::Semantic(format!(
                    "{name} is the JSON name of a choice element, not a FHIRPath name"
                )));
            }
            return Ok(());
        };
        if def.choice {
            // One pass over the members for the types present (`valueQuantity`,
            // `_valueString`), not one per type: ElementDefinition's fixed[x] and pattern[x]
            // have 50 types, and the eld- invariants read them on every element definition.
            // A record holds one form (kept without allocating); more, a structure error, come
            // in the definition's order.
            let mut first: Option<(usize, &str)> = None;
            let mut others: Vec<(usize, &str)> = Vec::new();
            for k in obj.keys() {
                let key = k.strip_prefix('_').unwrap_or(k);
                let Some(rest) = key.strip_prefix(name) else {
                    continue;
                };
                let Some(i) = def
                    .types
                    .iter()
                    .position(|t| choice_suffix_is(rest, t.code))
                else {
                    continue;
                };
                let seen = |found: &(usize, &str)| found.0 == i;
                if first.as_ref().is_some_and(seen) || others.iter().any(seen) {
                    continue;
                }
                match first {
                    None => first = Some((i, key)),
                    Some(_) => others.push((i, key)),
                }
            }
            if !others.is_empty() {
                others.extend(first.take());
                others.sort_unstable_by_key(|found| found.0);
            }
            for (i, key) in first.into_iter().chain(others) {
                let Some(t) = def.types.get(i) else {
                    continue;
                };
                let type_def = self.env.model.type_of(t);
                let elements = type_def
                    .filter(|d| d.kind != Kind::Primitive)
                    .map(|d| d.elements.as_slice());
                self.push_values(obj, key, t.code, elements, out);
            }
            return Ok(());
        }
        let (ty, elements): (&'a str, Option<&'a [ElementDef]>) = if !def.children.is_empty() {
            (
                def.types.first().map_or("BackboneElement", |t| t.code),
                Some(&def.children),
            )
        } else if let Some(path) = def.content_reference {
            let target = self.env.model.element(path);
            (
                target
                    .and_then(|t| t.types.first())
                    .map_or("BackboneElement", |t| t.code),
                target.map(|t| t.children.as_slice()),
            )
        } else if let Some(t) = def.types.first() {
            let type_def = self.env.model.type_of(t);
            (
                t.code,
                type_def
                    .filter(|d| d.kind != Kind::Primitive)
                    .map(|d| d.elements.as_slice()),
            )
        } else {
            ("", None)
        };
        self.push_values(obj, name, ty, elements, out);
        Ok(())
    }

    /// The values at `key` and `_key` (arrays lined up), typed.
    fn push_values(
        &self,
        obj: &'a crate::json::Map,
        key: &str,
        ty: &'a str,
        elements: Option<&'a [ElementDef]>,
        out: &mut Items<'a>,
    ) {
        let (value, ext) = obj.get_with_underscored(key);
        let at = |v: Option<&'a Value>, i: usize| -> Option<&'a Value> {
            match v {
                Some(Value::Array(a)) => a.get(i).filter(|x| !x.is_null()),
                Some(Value::Null) => None,
                Some(other) if i == 0 => Some(other),
                _ => None,
            }
        };
        let len = |v: Option<&Value>| match v {
            Some(Value::Array(a)) => a.len(),
            Some(_) => 1,
            None => 0,
        };
        let n = len(value).max(len(ext));
        for i in 0..n {
            let (v, x) = (at(value, i), at(ext, i));
            if v.is_none() && x.is_none() {
                continue;
            }
            let mut elem = Elem {
                value: v,
                ext: x,
                ty,
                elements,
            };
            // A resource inside a resource takes its type from its resourceType.
            if let Some(v) = v {
                if matches!(ty, "Resource" | "DomainResource") {
                    if let Some(r) = Elem::resource(self.env.model, v) {
                        elem = r;
                    }
                }
            }
            if elem.elements.is_none() && v.is_none() {
                // Only `_name`: navigation goes into it, typed as an Element.
                elem.elements = self.env.model.type_def(ty).map(|d| d.elements.as_slice());
            }
            out.push(Item::Elem(elem));
        }
    }

    /// Whether an item is of a type: a type's bases count, but for `as` and `ofType` a FHIR
    /// primitive is its own type only (the suite: `gender.is(string)` but not
    /// `gender.as(string)`). An unknown type is an error, unless named as a System type.
    fn is_type(&self, item: &Item<'a>, t: &TypeName, exact_primitive: bool) -> Result<bool, Error> {
        let ns = t.namespace.as_deref();
        let fhir = || self.env.model.type_def(&t.name).is_some();
        let system_type = SYSTEM_TYPES.contains(&t.name.as_str());
        let known = match ns {
            Some("System") => system_type,
            Some("FHIR") => fhir(),
            _ => system_type || fhir(),
        };
        if !known {
            if ns == Some("System") {
                return Ok(false);
            }
            return Err(exec(format!("{} is not a type", t.name)));
        }
        Ok(match item {
            Item::Elem(e) => {
                if self.env.lenient_types && ns.is_none() && system_type {
                    let value = system(item);
                    if !matches!(value, Item::Elem(_)) {
                        return Ok(type_name_of(&value).1 == t.name);
                    }
                }
                if ns == Some("System") {
                    return Ok(false);
                }
                if e.ty == t.name {
                    return Ok(true);
                }
                // The type's definition looked up once: `descendants().as(canonical)` (dom-3)
                // asks this of every element of a record.
                let def = self.env.model.type_def(e.ty);
                if exact_primitive && def.is_some_and(|d| d.kind == Kind::Primitive) {
                    return Ok(false);
                }
                def.and_then(|d| d.base)
                    .is_some_and(|base| self.type_chain(base).any(|x| x == t.name))
            }
            other => ns != Some("FHIR") && type_name_of(other).1 == t.name,
        })
    }

    fn of_type(&self, items: Items<'a>, t: &TypeName) -> Out<'a> {
        // An element's answer depends on its type alone, unless it may be read as a System
        // value: worked out once per type, as `descendants().as(canonical)` (dom-3) asks it of
        // every element of a record, and a record has a few dozen types.
        let by_type = !(self.env.lenient_types
            && t.namespace.is_none()
            && SYSTEM_TYPES.contains(&t.name.as_str()));
        let mut known: Vec<(&'a str, bool)> = Vec::new();
        let mut out = Items::with_capacity(items.len());
        for i in items {
            let keep = match &i {
                Item::Elem(e) if by_type => {
                    match known.iter().find(|(ty, _)| std::ptr::eq(*ty, e.ty)) {
                        Some(&(_, keep)) => keep,
                        None => {
                            let keep = self.is_type(&i, t, true)?;
                            known.push((e.ty, keep));
                            keep
                        }
                    }
                }
                _ => self.is_type(&i, t, true)?,
            };
            if keep {
                out.push(i);
            }
        }
        Ok(out)
    }

    fn each_bool(
        &self,
        focus: &[Item<'a>],
        arg: &'a Node,
        frame: &Frame<'a>,
    ) -> Result<Vec<Option<bool>>, Error> {
        focus
            .iter()
            .enumerate()
            .map(|(i, item)| {
                let f = Frame {
                    this: Some(item.clone()),
                    index: Some(i),
                    total: frame.total.clone(),
                };
                boolean(&self.node(arg, std::slice::from_ref(item), &f)?)
            })
            .collect()
    }

    fn arg(&self, args: &'a [Node], i: usize, frame: &Frame<'a>) -> Out<'a> {
        match args.get(i) {
            // Arguments other than lambdas are evaluated on the context of the call: $this.
            Some(a) => self.node(a, self.context_for_args(frame), frame),
            None => Ok(Items::new()),
        }
    }

    /// FHIRPath evaluates a function's plain arguments against the expression's context item
    /// (`$this` at the top level), not the function's input.
    fn context_for_args<'f>(&'f self, frame: &'f Frame<'a>) -> &'f [Item<'a>] {
        match &frame.this {
            Some(t) => std::slice::from_ref(t),
            None => self.context,
        }
    }

    fn string_arg(
        &self,
        args: &'a [Node],
        i: usize,
        frame: &Frame<'a>,
    ) -> Result<Option<Cow<'a, str>>, Error> {
        let v = self.arg(args, i, frame)?;
        Ok(single(&v)?.and_then(|i| text_of(&i)))
    }

    fn call(&self, f: Func, args: &'a [Node], focus: &[Item<'a>], frame: &Frame<'a>) -> Out<'a> {
        use Func as F;
        let input_single = || single(focus).map(|o| o.map(|i| system(&i)));
        Ok(match f {
            F::Empty => one_bool(focus.is_empty()),
            F::Exists => match args.first() {
                None => one_bool(!focus.is_empty()),
                Some(a) => one_bool(
                    self.each_bool(focus, a, frame)?
                        .into_iter()
                        .any(|b| b == Some(true)),
                ),
            },
            F::All => match args.first() {
                Some(a) => one_bool(
                    self.each_bool(focus, a, frame)?
                        .into_iter()
                        .all(|b| b == Some(true)),
                ),
                None => one_bool(true),
            },
            F::AllTrue | F::AnyTrue | F::AllFalse | F::AnyFalse => {
                let mut values = Vec::new();
                for i in focus {
                    match system(i) {
                        Item::Bool(b) => values.push(b),
                        _ => return Err(exec("expected booleans")),
                    }
                }
                one_bool(match f {
                    F::AllTrue => values.iter().all(|b| *b),
                    F::AnyTrue => values.iter().any(|b| *b),
                    F::AllFalse => values.iter().all(|b| !*b),
                    _ => values.iter().any(|b| !*b),
                })
            }
            F::SubsetOf | F::SupersetOf => {
                let other = self.arg(args, 0, frame)?;
                let (small, big) = if f == F::SubsetOf {
                    (focus, other.as_slice())
                } else {
                    (other.as_slice(), focus)
                };
                one_bool(small.iter().all(|i| contains_item(big, i)))
            }
            F::Count => smallvec![Item::Int(i64::try_from(focus.len()).unwrap_or(i64::MAX))],
            F::Distinct => distinct(Items::from(focus)),
            F::IsDistinct => one_bool(distinct(Items::from(focus)).len() == focus.len()),
            F::Where => {
                let arg = args
                    .first()
                    .ok_or_else(|| exec("where() needs a criterion"))?;
                let keep = self.each_bool(focus, arg, frame)?;
                focus
                    .iter()
                    .zip(keep)
                    .filter(|(_, k)| *k == Some(true))
                    .map(|(i, _)| i.clone())
                    .collect()
            }
            F::Select => {
                let arg = args
                    .first()
                    .ok_or_else(|| exec("select() needs a projection"))?;
                let mut out = Items::new();
                for (i, item) in focus.iter().enumerate() {
                    let f = Frame {
                        this: Some(item.clone()),
                        index: Some(i),
                        total: frame.total.clone(),
                    };
                    out.extend(self.node(arg, std::slice::from_ref(item), &f)?);
                }
                out
            }
            F::Repeat => {
                let arg = args
                    .first()
                    .ok_or_else(|| exec("repeat() needs a projection"))?;
                let mut out: Items<'a> = Items::new();
                let mut next: Items<'a> = Items::from(focus);
                while !next.is_empty() {
                    let mut found = Items::new();
                    for item in &next {
                        let f = Frame {
                            this: Some(item.clone()),
                            index: None,
                            total: None,
                        };
                        for n in self.node(arg, std::slice::from_ref(item), &f)? {
                            if !contains_item(&out, &n) {
                                out.push(n.clone());
                                found.push(n);
                            }
                        }
                    }
                    next = found;
                }
                out
            }
            F::OfType | F::Is | F::As => {
                let t = args
                    .first()
                    .and_then(type_arg)
                    .ok_or_else(|| Error::Semantic("expected a type name".into()))?;
                match f {
                    F::Is => match single(focus)? {
                        None => Items::new(),
                        Some(i) => one_bool(self.is_type(&i, &t, false)?),
                    },
                    // `as` on several values filters them as ofType does, as the R4 core
                    // invariants need (dom-3: `descendants().as(canonical)`).
                    _ => self.of_type(Items::from(focus), &t)?,
                }
            }
            F::Single => single(focus)?.into_iter().collect(),
            F::First => focus.first().cloned().into_iter().collect(),
            F::Last => focus.last().cloned().into_iter().collect(),
            F::Tail => focus.iter().skip(1).cloned().collect(),
            F::Skip | F::Take => {
                let n = integer_arg(&self.arg(args, 0, frame)?)?.unwrap_or(0);
                let n = usize::try_from(n.max(0)).unwrap_or(usize::MAX);
                if f == F::Skip {
                    focus.iter().skip(n).cloned().collect()
                } else {
                    focus.iter().take(n).cloned().collect()
                }
            }
            F::Intersect => {
                let other = self.arg(args, 0, frame)?;
                distinct(
                    focus
                        .iter()
                        .filter(|i| contains_item(&other, i))
                        .cloned()
                        .collect(),
                )
            }
            F::Exclude => {
                let other = self.arg(args, 0, frame)?;
                focus
                    .iter()
                    .filter(|i| !contains_item(&other, i))
                    .cloned()
                    .collect()
            }
            F::Union | F::Combine => {
                let mut all = Items::from(focus);
                all.extend(self.arg(args, 0, frame)?);
                if f == F::Union {
                    distinct(all)
                } else {
                    all
                }
            }
            F::Iif => {
                if focus.len() > 1 {
                    return Err(exec("iif() on several values"));
                }
                let f2 = Frame {
                    this: focus.first().cloned().or_else(|| frame.this.clone()),
                    ..frame.clone()
                };
                let crit = match args.first() {
                    Some(a) => {
                        let c = self.node(a, focus, &f2)?;
                        if let [one] = c.as_slice() {
                            if !matches!(system(one), Item::Bool(_)) {
                                return Err(exec("iif() needs a boolean criterion"));
                            }
                        }
                        boolean(&c)?
                    }
                    None => None,
                };
                let branch = if crit == Some(true) { 1 } else { 2 };
                match args.get(branch) {
                    Some(a) => self.node(a, focus, &f2)?,
                    None => Items::new(),
                }
            }
            F::ToBoolean | F::ConvertsToBoolean => {
                self.convert(f == F::ToBoolean, input_single()?, to_boolean)
            }
            F::ToInteger | F::ConvertsToInteger => {
                self.convert(f == F::ToInteger, input_single()?, to_integer)
            }
            F::ToDecimal | F::ConvertsToDecimal => {
                self.convert(f == F::ToDecimal, input_single()?, to_decimal)
            }
            F::ToStringFn | F::ConvertsToString => {
                self.convert(f == F::ToStringFn, input_single()?, to_string)
            }
            F::ToDate | F::ConvertsToDate => self.convert(f == F::ToDate, input_single()?, |i| {
                to_temporal(i, TemporalKind::Date)
            }),
            F::ToDateTime | F::ConvertsToDateTime => {
                self.convert(f == F::ToDateTime, input_single()?, |i| {
                    to_temporal(i, TemporalKind::DateTime)
                })
            }
            F::ToTime | F::ConvertsToTime => self.convert(f == F::ToTime, input_single()?, |i| {
                to_temporal(i, TemporalKind::Time)
            }),
            F::ToQuantity | F::ConvertsToQuantity => {
                let unit = self.string_arg(args, 0, frame)?;
                self.convert(f == F::ToQuantity, input_single()?, |i| {
                    let q = to_quantity(i)?;
                    match &unit {
                        None => Some(Item::Quantity(Box::new(q))),
                        Some(u) => q.value_in(u).map(|value| {
                            Item::Quantity(Box::new(Quantity {
                                value,
                                unit: u.to_string(),
                            }))
                        }),
                    }
                })
            }
            F::IndexOf
            | F::Substring
            | F::StartsWith
            | F::EndsWith
            | F::Contains
            | F::Upper
            | F::Lower
            | F::Replace
            | F::Matches
            | F::MatchesFull
            | F::ReplaceMatches
            | F::Length
            | F::ToChars
            | F::Split
            | F::Trim
            | F::Encode
            | F::Decode
            | F::Escape
            | F::Unescape => {
                let Some(item) = single(focus)? else {
                    return Ok(Items::new());
                };
                let Some(s) = text_of(&item) else {
                    return Err(exec("a string function on a value that is not a string"));
                };
                self.string_function(f, &s, args, frame)?
            }
            F::Join => {
                let sep = self.string_arg(args, 0, frame)?.unwrap_or_default();
                let parts: Option<Vec<Cow<str>>> = focus.iter().map(text_of).collect();
                match parts {
                    Some(p) => smallvec![Item::Str(p.join(&sep).into())],
                    None => return Err(exec("join() on values that are not strings")),
                }
            }
            F::Abs
            | F::Ceiling
            | F::Exp
            | F::Floor
            | F::Ln
            | F::Log
            | F::Power
            | F::Round
            | F::Sqrt
            | F::Truncate => {
                let Some(x) = input_single()? else {
                    return Ok(Items::new());
                };
                let arg = if args.is_empty() {
                    None
                } else {
                    let a = self.arg(args, 0, frame)?;
                    match single(&a)?.map(|i| system(&i)) {
                        None => return Ok(Items::new()),
                        some => some,
                    }
                };
                math(f, x, arg)?.into_iter().collect()
            }
            F::Children => {
                let mut out = Items::new();
                for i in focus {
                    self.children(i, &mut out);
                }
                out
            }
            F::Descendants => {
                // One element's: the walk is kept for the rest of the evaluation.
                let single = match focus {
                    [Item::Elem(Elem {
                        value: Some(v), ty, ..
                    })] => Some((*v as *const Value, *ty)),
                    _ => None,
                };
                let entry = single.and_then(|at| {
                    let memo = self.descendants.borrow();
                    memo.iter().position(|(p, _)| *p == at)
                });
                if let Some((_, Some(found))) =
                    entry.and_then(|i| self.descendants.borrow().get(i).cloned())
                {
                    return Ok(found);
                }
                let mut out = Items::new();
                let mut next: Items<'a> = Items::from(focus);
                while !next.is_empty() {
                    let mut found = Items::new();
                    for i in &next {
                        self.children(i, &mut found);
                    }
                    out.extend(found.iter().cloned());
                    next = found;
                }
                if let Some(at) = single {
                    let mut memo = self.descendants.borrow_mut();
                    match entry.and_then(|i| memo.get_mut(i)) {
                        Some(slot) => slot.1 = Some(out.clone()),
                        // Kept from the first walk when the expression asks for several.
                        None if self.expr.walks_descendants_again => {
                            memo.push((at, Some(out.clone())))
                        }
                        None => memo.push((at, None)),
                    }
                }
                out
            }
            F::Trace => Items::from(focus),
            F::Now | F::Today | F::TimeOfDay => {
                let secs_ms = self.env.now_millis;
                let base = Temporal::parse_date_time("1970-01-01T00:00:00.000Z");
                let Some(base) = base else {
                    return Ok(Items::new());
                };
                let Some(now) = base.shifted(Decimal::from_int(secs_ms), "ms") else {
                    return Ok(Items::new());
                };
                let mut t = now;
                match f {
                    F::Today => {
                        t.kind = TemporalKind::Date;
                        t.precision = Precision::Day;
                        t.offset = None;
                    }
                    F::TimeOfDay => {
                        t.kind = TemporalKind::Time;
                        t.offset = None;
                    }
                    _ => {}
                }
                smallvec![Item::Temporal(t)]
            }
            F::Not => opt_bool(boolean(focus)?.map(|b| !b)),
            F::HasValue => one_bool(matches!(
                focus,
                [Item::Elem(Elem { value: Some(v), .. })] if !v.is_object() && !v.is_array()
            )),
            F::GetValue => match focus {
                [i @ Item::Elem(e)] if e.value.is_some() && e.is_primitive() => {
                    smallvec![system(i)]
                }
                _ => Items::new(),
            },
            F::Resolve => focus.iter().filter_map(|i| self.resolve(i)).collect(),
            F::Extension => {
                let url = self.string_arg(args, 0, frame)?;
                let mut exts = Items::new();
                for i in focus {
                    if let Item::Elem(e) = i {
                        self.child(e, "extension", &mut exts)?;
                    }
                }
                exts.into_iter()
                    .filter(|x| match x {
                        Item::Elem(e) => {
                            e.value.and_then(|v| v.get("url")).and_then(Value::as_str)
                                == url.as_deref()
                        }
                        _ => false,
                    })
                    .collect()
            }
            F::TypeFn => focus
                .iter()
                .map(|i| {
                    let (ns, name) = type_name_of(i);
                    Item::Type(ns, name)
                })
                .collect(),
            F::ConformsTo => {
                let url = self.string_arg(args, 0, frame)?.unwrap_or_default();
                let Some(name) = url.strip_prefix("http://hl7.org/fhir/StructureDefinition/")
                else {
                    return Err(exec(format!("profile {url} is not known")));
                };
                focus
                    .iter()
                    .map(|i| match i {
                        Item::Elem(e) => Item::Bool(self.type_chain(e.ty).any(|t| t == name)),
                        _ => Item::Bool(false),
                    })
                    .collect()
            }
            // Terminology is not evaluated offline: no answer rather than a guess.
            F::MemberOf => Items::new(),
            // The walk checks narrative itself (narrative rules): nothing to add here.
            F::HtmlChecks => one_bool(true),
            F::LowBoundary | F::HighBoundary => {
                let Some(x) = input_single()? else {
                    return Ok(Items::new());
                };
                let digits = integer_arg(&self.arg(args, 0, frame)?)?;
                boundary(x, f == F::HighBoundary, digits)
                    .into_iter()
                    .collect()
            }
            F::Precision => match input_single()? {
                Some(Item::Dec(d)) => smallvec![Item::Int(i64::from(d.scale))],
                Some(Item::Int(_)) => smallvec![Item::Int(0)],
                Some(Item::Temporal(t)) => smallvec![Item::Int(temporal_digits(&t))],
                _ => Items::new(),
            },
            F::Comparable => {
                let other = self.arg(args, 0, frame)?;
                match (input_single()?, single(&other)?.map(|i| system(&i))) {
                    (Some(Item::Quantity(a)), Some(Item::Quantity(b))) => {
                        one_bool(a.compare(&b).is_some())
                    }
                    _ => Items::new(),
                }
            }
            F::Sort => self.sort(focus, args, frame)?,
            F::Aggregate => {
                let Some(agg) = args.first() else {
                    return Ok(Items::new());
                };
                let mut total = match args.get(1) {
                    Some(init) => self.node(init, focus, frame)?,
                    None => Items::new(),
                };
                for (i, item) in focus.iter().enumerate() {
                    let f2 = Frame {
                        this: Some(item.clone()),
                        index: Some(i),
                        total: Some(total.clone()),
                    };
                    total = self.node(agg, std::slice::from_ref(item), &f2)?;
                }
                total
            }
            F::DefineVariable => {
                let name = match args.first() {
                    Some(Node::Literal(Literal::Str(s))) => s.clone(),
                    _ => return Err(Error::Semantic("defineVariable needs a name".into())),
                };
                let value = match args.get(1) {
                    Some(a) => self.node(a, focus, frame)?,
                    None => Items::from(focus),
                };
                let mut vars = self.vars.borrow_mut();
                if vars.iter().any(|(n, _)| *n == name)
                    || ["resource", "rootResource", "context", "ucum"].contains(&name.as_str())
                {
                    return Err(Error::Semantic(format!("%{name} is already defined")));
                }
                vars.push((name, value));
                Items::from(focus)
            }
        })
    }

    fn string_function(&self, f: Func, s: &str, args: &'a [Node], frame: &Frame<'a>) -> Out<'a> {
        use Func as F;
        let arg = |i| self.string_arg(args, i, frame);
        // Only the functions that count characters need them (not `matches`, the invariants'
        // most used).
        let chars = || s.chars().collect::<Vec<char>>();
        let int = |n: usize| Item::Int(i64::try_from(n).unwrap_or(i64::MAX));
        Ok(match f {
            F::IndexOf => match arg(0)? {
                None => Items::new(),
                Some(sub) => smallvec![match s.find(&*sub) {
                    Some(byte) => int(s[..byte].chars().count()),
                    None => Item::Int(-1),
                }],
            },
            F::Substring => {
                let start = integer_arg(&self.arg(args, 0, frame)?)?;
                let len = if args.len() > 1 {
                    integer_arg(&self.arg(args, 1, frame)?)?
                } else {
                    None
                };
                let Some(start) = start else {
                    return Ok(Items::new());
                };
                let chars = chars();
                if start < 0 || start as usize >= chars.len() {
                    return Ok(Items::new());
                }
                let start = start as usize;
                let end = match len {
                    Some(l) if l <= 0 => start,
                    Some(l) => start.saturating_add(l as usize).min(chars.len()),
                    None => chars.len(),
                };
                smallvec![Item::Str(
                    chars
                        .get(start..end)
                        .unwrap_or_default()
                        .iter()
                        .collect::<String>()
                        .into(),
                )]
            }
            F::StartsWith => opt_bool(arg(0)?.map(|p| s.starts_with(&*p))),
            F::EndsWith => opt_bool(arg(0)?.map(|p| s.ends_with(&*p))),
            F::Contains => opt_bool(arg(0)?.map(|p| s.contains(&*p))),
            F::Upper => smallvec![Item::Str(s.to_uppercase().into())],
            F::Lower => smallvec![Item::Str(s.to_lowercase().into())],
            F::Replace => match (arg(0)?, arg(1)?) {
                (Some(p), Some(r)) => smallvec![Item::Str(if p.is_empty() {
                    let mut out = r.to_string();
                    for c in s.chars() {
                        out.push(c);
                        out.push_str(&r);
                    }
                    out.into()
                } else {
                    s.replace(&*p, &r).into()
                })],
                _ => Items::new(),
            },
            F::Matches | F::MatchesFull => match arg(0)? {
                None => Items::new(),
                Some(p) => {
                    let how = if f == F::MatchesFull {
                        Use::Full
                    } else {
                        Use::Find
                    };
                    one_bool(self.is_match(how, &p, s)?)
                }
            },
            F::ReplaceMatches => match (arg(0)?, arg(1)?) {
                (Some(p), Some(r)) => {
                    if p.is_empty() {
                        return Ok(smallvec![Item::Str(s.to_string().into())]);
                    }
                    let out = self.replace_matches(&p, s, &r)?;
                    smallvec![Item::Str(out.into())]
                }
                _ => Items::new(),
            },
            F::Length => smallvec![int(s.chars().count())],
            F::ToChars => s.chars().map(|c| Item::Str(c.to_string().into())).collect(),
            F::Split => match arg(0)? {
                None => Items::new(),
                Some(sep) if sep.is_empty() => {
                    s.chars().map(|c| Item::Str(c.to_string().into())).collect()
                }
                Some(sep) => s
                    .split(&*sep)
                    .map(|p| Item::Str(p.to_string().into()))
                    .collect(),
            },
            F::Trim => smallvec![Item::Str(s.trim().to_string().into())],
            F::Encode | F::Decode | F::Escape | F::Unescape => match arg(0)? {
                None => Items::new(),
                Some(how) => codec(f, s, &how)
                    .map(|x| Item::Str(x.into()))
                    .into_iter()
                    .collect(),
            },
            _ => Items::new(),
        })
    }

    fn is_match(&self, how: Use, pattern: &str, s: &str) -> Result<bool, Error> {
        match self.expr.regexes.get(how, pattern) {
            Some(p) => Ok(p.is_match(s)),
            None => Ok(Pattern::new(pattern, how == Use::Full)?.is_match(s)),
        }
    }

    fn replace_matches(&self, pattern: &str, s: &str, with: &str) -> Result<String, Error> {
        let replace = |re: &regex_lite::Regex| re.replace_all(s, with).into_owned();
        match self.expr.regexes.get(Use::Replace, pattern) {
            Some(Pattern::Regex(re)) => Ok(replace(re)),
            _ => Ok(replace(&pattern::regex(pattern, false)?)),
        }
    }

    fn children(&self, item: &Item<'a>, out: &mut Items<'a>) {
        let Item::Elem(e) = item else { return };
        let Some((obj, elements)) = self.members(e) else {
            return;
        };
        let mut seen: Vec<&str> = Vec::new();
        for key in obj.keys() {
            let name = key.strip_prefix('_').unwrap_or(key);
            if name == "resourceType" || seen.contains(&name) {
                continue;
            }
            seen.push(name);
            let Some(elements) = elements else {
                push_untyped(obj.get(name), out);
                continue;
            };
            match self.env.model.property(elements, name) {
                Some(p) => {
                    let element_name = p.element.name;
                    if p.element.choice {
                        let ty = p.type_code.unwrap_or("");
                        let els = p
                            .type_def
                            .filter(|d| d.kind != Kind::Primitive)
                            .map(|d| d.elements.as_slice());
                        self.push_values(obj, name, ty, els, out);
                    } else {
                        let _ = self.child(e, element_name, out);
                    }
                }
                None => push_untyped(obj.get(name), out),
            }
        }
    }

    fn resolve(&self, item: &Item<'a>) -> Option<Item<'a>> {
        let reference = match item {
            Item::Elem(e) if e.elements.is_some() && e.ty == "Reference" => {
                Cow::Borrowed(e.value?.get("reference")?.as_str()?)
            }
            other => text_of(other)?,
        };
        let model = self.env.model;
        if let Some(id) = reference.strip_prefix('#') {
            let root = self.env.root.as_ref().or(self.env.resource.as_ref())?;
            let Item::Elem(root) = root else { return None };
            if id.is_empty() {
                return Some(Item::Elem(*root));
            }
            let contained = root.value?.get("contained")?.as_array()?;
            return contained
                .iter()
                .find(|c| c.get("id").and_then(Value::as_str) == Some(id))
                .and_then(|c| Elem::resource(model, c))
                .map(Item::Elem);
        }
        let entries = self.env.bundle?.get("entry")?.as_array()?;
        for entry in entries {
            let resource = entry.get("resource");
            let full_url = entry.get("fullUrl").and_then(Value::as_str);
            let matches = full_url == Some(&*reference)
                || resource.is_some_and(|r| {
                    let rt = r.get("resourceType").and_then(Value::as_str);
                    let id = r.get("id").and_then(Value::as_str);
                    match (rt, id) {
                        (Some(rt), Some(id)) => {
                            let tail = format!("{rt}/{id}");
                            reference == tail || reference.ends_with(&format!("/{tail}"))
                        }
                        _ => false,
                    }
                });
            if matches {
                return resource
                    .and_then(|r| Elem::resource(model, r))
                    .map(Item::Elem);
            }
        }
        None
    }

    fn sort(&self, focus: &[Item<'a>], args: &'a [Node], frame: &Frame<'a>) -> Out<'a> {
        let mut keyed: Vec<(Vec<Option<Item<'a>>>, Item<'a>)> = Vec::with_capacity(focus.len());
        for (i, item) in focus.iter().enumerate() {
            let f = Frame {
                this: Some(item.clone()),
                index: Some(i),
                total: frame.total.clone(),
            };
            let mut keys = Vec::new();
            if args.is_empty() {
                keys.push(Some(system(item)));
            }
            for a in args {
                let k = self.node(a, std::slice::from_ref(item), &f)?;
                keys.push(single(&k)?.map(|i| system(&i)));
            }
            keyed.push((keys, item.clone()));
        }
        let descending: Vec<bool> = if args.is_empty() {
            vec![false]
        } else {
            args.iter()
                .map(|a| matches!(a, Node::Descending(_)))
                .collect()
        };
        crate::sort::by(&mut keyed, |(a, _), (b, _)| {
            for ((x, y), desc) in a.iter().zip(b).zip(&descending) {
                let o = match (x, y) {
                    (None, None) => Ordering::Equal,
                    (None, Some(_)) => Ordering::Greater,
                    (Some(_), None) => Ordering::Less,
                    (Some(x), Some(y)) => compare(x, y).ok().flatten().unwrap_or(Ordering::Equal),
                };
                let o = if *desc { o.reverse() } else { o };
                if o != Ordering::Equal {
                    return o;
                }
            }
            Ordering::Equal
        });
        Ok(keyed.into_iter().map(|(_, i)| i).collect())
    }

    fn binary(
        &self,
        op: Op,
        l: &'a Node,
        r: &'a Node,
        focus: &[Item<'a>],
        frame: &Frame<'a>,
    ) -> Out<'a> {
        let left = self.node(l, focus, frame)?;
        // `and`/`or`/`implies` need the right side only when the left does not decide.
        match op {
            Op::And if boolean(&left)? == Some(false) => return Ok(one_bool(false)),
            Op::Or if boolean(&left)? == Some(true) => return Ok(one_bool(true)),
            Op::Implies if boolean(&left)? == Some(false) => return Ok(one_bool(true)),
            _ => {}
        }
        let right = self.node(r, focus, frame)?;
        Ok(match op {
            Op::And => {
                let (a, b) = (boolean(&left)?, boolean(&right)?);
                match (a, b) {
                    (Some(false), _) | (_, Some(false)) => one_bool(false),
                    (Some(true), Some(true)) => one_bool(true),
                    _ => Items::new(),
                }
            }
            Op::Or => {
                let (a, b) = (boolean(&left)?, boolean(&right)?);
                match (a, b) {
                    (Some(true), _) | (_, Some(true)) => one_bool(true),
                    (Some(false), Some(false)) => one_bool(false),
                    _ => Items::new(),
                }
            }
            Op::Xor => match (boolean(&left)?, boolean(&right)?) {
                (Some(a), Some(b)) => one_bool(a != b),
                _ => Items::new(),
            },
            Op::Implies => match (boolean(&left)?, boolean(&right)?) {
                (Some(false), _) | (_, Some(true)) => one_bool(true),
                (Some(true), Some(false)) => one_bool(false),
                _ => Items::new(),
            },
            Op::Union => distinct(left.into_iter().chain(right).collect()),
            Op::Eq | Op::Ne => {
                if left.is_empty() || right.is_empty() {
                    return Ok(Items::new());
                }
                let eq = if left.len() != right.len() {
                    Some(false)
                } else {
                    let mut all = Some(true);
                    for (a, b) in left.iter().zip(&right) {
                        match equal(a, b) {
                            Some(true) => {}
                            Some(false) => {
                                all = Some(false);
                                break;
                            }
                            None => all = None,
                        }
                    }
                    all
                };
                opt_bool(eq.map(|e| if op == Op::Eq { e } else { !e }))
            }
            Op::Equiv | Op::NotEquiv => {
                let eq = left.len() == right.len()
                    && left.iter().all(|a| right.iter().any(|b| equivalent(a, b)))
                    && right.iter().all(|b| left.iter().any(|a| equivalent(a, b)));
                one_bool(if op == Op::Equiv { eq } else { !eq })
            }
            Op::Lt | Op::Gt | Op::Le | Op::Ge => {
                let (Some(a), Some(b)) = (single(&left)?, single(&right)?) else {
                    return Ok(Items::new());
                };
                opt_bool(compare(&system(&a), &system(&b))?.map(|o| match op {
                    Op::Lt => o == Ordering::Less,
                    Op::Gt => o == Ordering::Greater,
                    Op::Le => o != Ordering::Greater,
                    _ => o != Ordering::Less,
                }))
            }
            Op::In | Op::Contains => {
                let (item, list) = if op == Op::In {
                    (&left, &right)
                } else {
                    (&right, &left)
                };
                match single(item)? {
                    None => Items::new(),
                    Some(i) => one_bool(contains_item(list, &i)),
                }
            }
            Op::Concat => {
                let a = single(&left)?.map_or(Some(Cow::Borrowed("")), |i| text_of(&i));
                let b = single(&right)?.map_or(Some(Cow::Borrowed("")), |i| text_of(&i));
                match (a, b) {
                    (Some(a), Some(b)) => smallvec![Item::Str((a.into_owned() + &b).into())],
                    _ => return Err(exec("& joins strings only")),
                }
            }
            Op::Add | Op::Sub | Op::Mul | Op::Div | Op::IntDiv | Op::Mod => {
                let (Some(a), Some(b)) = (single(&left)?, single(&right)?) else {
                    return Ok(Items::new());
                };
                arithmetic(op, system(&a), system(&b))?
                    .into_iter()
                    .collect()
            }
        })
    }
}

fn push_untyped<'a>(v: Option<&'a Value>, out: &mut Items<'a>) {
    let one = |v: &'a Value| {
        Item::Elem(Elem {
            value: Some(v),
            ext: None,
            ty: "",
            elements: None,
        })
    };
    match v {
        Some(Value::Array(a)) => out.extend(a.iter().filter(|x| !x.is_null()).map(one)),
        Some(Value::Null) | None => {}
        Some(v) => out.push(one(v)),
    }
}

/// The type named by a function's argument (`Patient`, `FHIR.Patient`, `System.String`).
fn type_arg(node: &Node) -> Option<TypeName> {
    match node {
        Node::Name(n) => Some(TypeName {
            namespace: None,
            name: n.clone(),
        }),
        Node::Path(a, b) => match (a.as_ref(), b.as_ref()) {
            (Node::Name(ns), Node::Name(n)) => Some(TypeName {
                namespace: Some(ns.clone()),
                name: n.clone(),
            }),
            _ => None,
        },
        _ => None,
    }
}

fn compare(a: &Item, b: &Item) -> Result<Option<Ordering>, Error> {
    Ok(match (a, b) {
        (Item::Str(x), Item::Str(y)) => Some(x.cmp(y)),
        (Item::Int(x), Item::Int(y)) => Some(x.cmp(y)),
        (Item::Int(x), Item::Dec(y)) => Decimal::from_int(*x).cmp_value(*y),
        (Item::Dec(x), Item::Int(y)) => x.cmp_value(Decimal::from_int(*y)),
        (Item::Dec(x), Item::Dec(y)) => x.cmp_value(*y),
        (Item::Temporal(x), Item::Temporal(y)) => x.compare(y),
        (Item::Quantity(x), Item::Quantity(y)) => x.compare(y),
        _ => return Err(exec("these values cannot be compared")),
    })
}

fn to_boolean<'a>(i: &Item<'a>) -> Option<Item<'a>> {
    Some(Item::Bool(match i {
        Item::Bool(b) => *b,
        Item::Int(1) => true,
        Item::Int(0) => false,
        Item::Dec(d) => match d.cmp_value(Decimal::from_int(1))? {
            Ordering::Equal => true,
            _ if d.digits == 0 => false,
            _ => return None,
        },
        Item::Str(s) => match s.to_lowercase().as_str() {
            "true" | "t" | "yes" | "y" | "1" | "1.0" => true,
            "false" | "f" | "no" | "n" | "0" | "0.0" => false,
            _ => return None,
        },
        _ => return None,
    }))
}

fn to_integer<'a>(i: &Item<'a>) -> Option<Item<'a>> {
    match i {
        Item::Int(n) => Some(Item::Int(*n)),
        Item::Bool(b) => Some(Item::Int(i64::from(*b))),
        Item::Str(s) => {
            let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
            if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            s.parse().ok().map(Item::Int)
        }
        _ => None,
    }
}

fn to_decimal<'a>(i: &Item<'a>) -> Option<Item<'a>> {
    match i {
        Item::Int(n) => Some(Item::Dec(Decimal::from_int(*n))),
        Item::Dec(d) => Some(Item::Dec(*d)),
        Item::Bool(b) => Some(Item::Dec(Decimal {
            digits: i128::from(*b) * 10,
            scale: 1,
        })),
        Item::Str(s) if !s.contains(['e', 'E']) => Decimal::parse(s).map(Item::Dec),
        _ => None,
    }
}

fn to_string<'a>(i: &Item<'a>) -> Option<Item<'a>> {
    Some(Item::Str(match i {
        Item::Str(s) => s.clone(),
        Item::Int(n) => n.to_string().into(),
        Item::Dec(d) => d.to_string().into(),
        Item::Bool(b) => Cow::Borrowed(if *b { "true" } else { "false" }),
        Item::Temporal(t) => t.to_string().into(),
        Item::Quantity(q) => q.to_string().into(),
        _ => return None,
    }))
}

fn to_temporal<'a>(i: &Item<'a>, kind: TemporalKind) -> Option<Item<'a>> {
    let t = match i {
        Item::Str(s) => match kind {
            TemporalKind::Date => Temporal::parse_date(s).or_else(|| {
                let mut t = Temporal::parse_date_time(s)?;
                t.kind = TemporalKind::Date;
                t.precision = t.precision.min(Precision::Day);
                t.offset = None;
                Some(t)
            }),
            TemporalKind::DateTime => Temporal::parse_date_time(s),
            TemporalKind::Time => Temporal::parse_time(s),
        }?,
        Item::Temporal(t) => {
            let mut t = *t;
            match (t.kind, kind) {
                (a, b) if a == b => {}
                (TemporalKind::Date, TemporalKind::DateTime) => t.kind = TemporalKind::DateTime,
                (TemporalKind::DateTime, TemporalKind::Date) => {
                    t.kind = TemporalKind::Date;
                    t.precision = t.precision.min(Precision::Day);
                    t.offset = None;
                }
                _ => return None,
            }
            t
        }
        _ => return None,
    };
    Some(Item::Temporal(t))
}

fn to_quantity(i: &Item) -> Option<Quantity> {
    match i {
        Item::Int(n) => Some(Quantity {
            value: Decimal::from_int(*n),
            unit: "1".into(),
        }),
        Item::Dec(d) => Some(Quantity {
            value: *d,
            unit: "1".into(),
        }),
        Item::Bool(b) => Some(Quantity {
            value: Decimal {
                digits: i128::from(*b) * 10,
                scale: 1,
            },
            unit: "1".into(),
        }),
        Item::Quantity(q) => Some((**q).clone()),
        Item::Str(s) => {
            let s = s.trim();
            let (number, unit) = match s.find(' ') {
                Some(at) => (&s[..at], s[at..].trim()),
                None => (s, ""),
            };
            let value = Decimal::parse(number)?;
            if number.contains(['e', 'E']) {
                return None;
            }
            let unit = if unit.is_empty() {
                "1".to_string()
            } else if let Some(q) = unit.strip_prefix('\'').and_then(|u| u.strip_suffix('\'')) {
                q.to_string()
            } else if super::value::calendar_unit(unit).is_some() && unit.len() > 2 {
                unit.to_string()
            } else {
                return None;
            };
            Some(Quantity { value, unit })
        }
        _ => None,
    }
}

fn temporal_digits(t: &Temporal) -> i64 {
    let full = match t.precision {
        Precision::Year => 4,
        Precision::Month => 6,
        Precision::Day => 8,
        Precision::Hour => 10,
        Precision::Minute => 12,
        Precision::Second => 14,
        Precision::Millisecond => 17,
    };
    if t.kind == TemporalKind::Time {
        full - 8
    } else {
        full
    }
}

fn decimal_boundary(d: Decimal, high: bool, digits: Option<i64>) -> Option<Decimal> {
    let digits = digits.unwrap_or(8);
    if !(0..=28).contains(&digits) {
        return None;
    }
    let p = digits as u32;
    let scale = d.scale + 1;
    let half = Decimal { digits: 5, scale };
    let b = if high { d.plus(half)? } else { d.minus(half)? };
    if p >= b.scale {
        return b.rescale(p);
    }
    // Below the first significant digit the boundary is zero.
    let limit = Decimal {
        digits: 1,
        scale: p,
    };
    let magnitude = Decimal {
        digits: d.digits.saturating_abs(),
        scale: d.scale,
    };
    if d.digits != 0 && magnitude.cmp_value(limit)? == Ordering::Less {
        return Some(Decimal {
            digits: 0,
            scale: p,
        });
    }
    let t = b.truncate_to(p);
    let exact = t.cmp_value(b)? == Ordering::Equal;
    let unit = Decimal {
        digits: 1,
        scale: p,
    };
    Some(if exact {
        t
    } else if high && b.digits > 0 {
        t.plus(unit)?
    } else if !high && b.digits < 0 {
        t.minus(unit)?
    } else {
        t
    })
}

fn boundary<'a>(x: Item<'a>, high: bool, digits: Option<i64>) -> Option<Item<'a>> {
    match x {
        Item::Int(i) => decimal_boundary(Decimal::from_int(i), high, digits).map(Item::Dec),
        Item::Dec(d) => decimal_boundary(d, high, digits).map(Item::Dec),
        Item::Quantity(q) => decimal_boundary(q.value, high, digits).map(|value| {
            Item::Quantity(Box::new(Quantity {
                value,
                unit: q.unit,
            }))
        }),
        Item::Temporal(t) => t.boundary(high, digits).map(Item::Temporal),
        _ => None,
    }
}

fn math<'a>(f: Func, x: Item<'a>, arg: Option<Item<'a>>) -> Result<Option<Item<'a>>, Error> {
    use Func as F;
    let dec = |i: &Item| match i {
        Item::Int(n) => Some(Decimal::from_int(*n)),
        Item::Dec(d) => Some(*d),
        _ => None,
    };
    let float = |d: Decimal| d.to_f64();
    let from = |f: f64| Decimal::from_f64(f).map(Item::Dec);
    if let Item::Quantity(q) = &x {
        if f == F::Abs {
            return Ok(Some(Item::Quantity(Box::new(Quantity {
                value: Decimal {
                    digits: q.value.digits.saturating_abs(),
                    scale: q.value.scale,
                },
                unit: q.unit.clone(),
            }))));
        }
    }
    let Some(d) = dec(&x) else {
        return Err(exec("a math function on a value that is not a number"));
    };
    let is_int = matches!(x, Item::Int(_));
    Ok(match f {
        F::Abs => Some(if is_int {
            Item::Int(i64::try_from(d.digits.saturating_abs()).map_err(|_| exec("overflow"))?)
        } else {
            Item::Dec(Decimal {
                digits: d.digits.saturating_abs(),
                scale: d.scale,
            })
        }),
        F::Ceiling => d
            .negated()
            .floor()
            .and_then(|f| i64::try_from(f.saturating_neg()).ok())
            .map(Item::Int),
        F::Floor => d.floor().and_then(|f| i64::try_from(f).ok()).map(Item::Int),
        F::Truncate => d.truncate_to(0).to_i64().map(Item::Int),
        F::Exp => from(float(d).exp()),
        F::Ln => {
            if d.digits <= 0 {
                None
            } else {
                from(float(d).ln())
            }
        }
        F::Log => {
            let base = arg.as_ref().and_then(dec).map(float);
            match base {
                Some(b) if d.digits > 0 => from(float(d).ln() / b.ln()),
                _ => None,
            }
        }
        F::Sqrt => {
            if d.digits < 0 {
                None
            } else {
                from(float(d).sqrt())
            }
        }
        F::Power => {
            let Some(e) = arg.as_ref().and_then(dec) else {
                return Ok(None);
            };
            if is_int && matches!(arg, Some(Item::Int(n)) if n >= 0) {
                let n = e.to_i64().and_then(|n| u32::try_from(n).ok());
                n.and_then(|n| i64::try_from(d.digits).ok()?.checked_pow(n))
                    .map(Item::Int)
            } else {
                let v = float(d).powf(float(e));
                if v.is_nan() {
                    None
                } else {
                    from(v)
                }
            }
        }
        F::Round => {
            let p = match &arg {
                Some(Item::Int(n)) if *n >= 0 => *n as u32,
                Some(_) => return Err(exec("round() takes a precision of 0 or more")),
                None => 0,
            };
            d.rescale(p).map(Item::Dec)
        }
        _ => None,
    })
}

fn arithmetic<'a>(op: Op, a: Item<'a>, b: Item<'a>) -> Result<Option<Item<'a>>, Error> {
    let num = |i: &Item| match i {
        Item::Int(n) => Some(Decimal::from_int(*n)),
        Item::Dec(d) => Some(*d),
        _ => None,
    };
    Ok(match (op, &a, &b) {
        (Op::Add, Item::Str(x), Item::Str(y)) => Some(Item::Str(format!("{x}{y}").into())),
        (Op::Add | Op::Sub | Op::Mul | Op::Mod | Op::IntDiv, Item::Int(x), Item::Int(y)) => {
            let (x, y) = (*x, *y);
            match op {
                Op::Add => x.checked_add(y).map(Item::Int),
                Op::Sub => x.checked_sub(y).map(Item::Int),
                Op::Mul => x.checked_mul(y).map(Item::Int),
                Op::Mod => x.checked_rem(y).map(Item::Int),
                _ => x.checked_div(y).map(Item::Int),
            }
        }
        (Op::Add | Op::Sub, Item::Temporal(t), Item::Quantity(q)) => {
            let amount = if op == Op::Sub {
                q.value.negated()
            } else {
                q.value
            };
            if matches!(q.unit.as_str(), "a" | "mo") {
                return Err(exec(
                    "years and months in UCUM ('a', 'mo') are not calendar durations",
                ));
            }
            Some(Item::Temporal(t.shifted(amount, &q.unit).ok_or_else(
                || exec(format!("'{}' is not a calendar duration", q.unit)),
            )?))
        }
        (Op::Add | Op::Sub, Item::Quantity(x), Item::Quantity(y)) => {
            if x.compare(y).is_none() {
                return Ok(None);
            }
            let Some(y_in_x) = y.value_in(&x.unit) else {
                return Ok(None);
            };
            let v = if op == Op::Add {
                x.value.plus(y_in_x)
            } else {
                x.value.minus(y_in_x)
            };
            v.map(|value| {
                Item::Quantity(Box::new(Quantity {
                    value,
                    unit: x.unit.clone(),
                }))
            })
        }
        (Op::Mul | Op::Div, Item::Quantity(x), other) if num(other).is_some() => {
            let n = num(other).unwrap_or(Decimal::from_int(1));
            let v = if op == Op::Mul {
                x.value.times(n)
            } else {
                x.value.divided_by(n)
            };
            v.map(|value| {
                Item::Quantity(Box::new(Quantity {
                    value,
                    unit: x.unit.clone(),
                }))
            })
        }
        (Op::Mul, other, Item::Quantity(x)) if num(other).is_some() => {
            let n = num(other).unwrap_or(Decimal::from_int(1));
            x.value.times(n).map(|value| {
                Item::Quantity(Box::new(Quantity {
                    value,
                    unit: x.unit.clone(),
                }))
            })
        }
        (Op::Mul | Op::Div, Item::Quantity(x), Item::Quantity(y)) => {
            let v = if op == Op::Mul {
                x.value.times(y.value)
            } else {
                x.value.divided_by(y.value)
            };
            let unit = match (op, x.unit.as_str(), y.unit.as_str()) {
                (Op::Div, a, b) if a == b => "1".to_string(),
                (Op::Mul, a, b) if a == b => format!("{a}2"),
                (Op::Mul, a, b) => format!("{a}.{b}"),
                (_, a, b) => format!("{a}/{b}"),
            };
            v.map(|value| Item::Quantity(Box::new(Quantity { value, unit })))
        }
        _ => {
            let (Some(x), Some(y)) = (num(&a), num(&b)) else {
                return Err(exec("these values cannot be combined by arithmetic"));
            };
            match op {
                Op::Add => x.plus(y).map(Item::Dec),
                Op::Sub => x.minus(y).map(Item::Dec),
                Op::Mul => x.times(y).map(Item::Dec),
                Op::Div => x.divided_by(y).map(Item::Dec),
                Op::IntDiv => x
                    .divided_by(y)
                    .and_then(|q| q.truncate_to(0).to_i64())
                    .map(Item::Int),
                Op::Mod => {
                    if y.digits == 0 {
                        None
                    } else {
                        let q = x.divided_by(y).map(|q| q.truncate_to(0));
                        q.and_then(|q| y.times(q))
                            .and_then(|p| x.minus(p))
                            .map(Item::Dec)
                    }
                }
                _ => None,
            }
        }
    })
}

fn codec(f: Func, s: &str, how: &str) -> Option<String> {
    use Func as F;
    match (f, how) {
        (F::Encode, "hex") => Some(s.bytes().map(|b| format!("{b:02x}")).collect()),
        (F::Decode, "hex") => {
            let bytes: Option<Vec<u8>> = (0..s.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
                .collect();
            String::from_utf8(bytes?).ok()
        }
        (F::Encode, "base64" | "urlbase64") => {
            Some(base64_encode(s.as_bytes(), how == "urlbase64"))
        }
        (F::Decode, "base64" | "urlbase64") => {
            String::from_utf8(base64_decode(s, how == "urlbase64")?).ok()
        }
        (F::Escape, "html") => Some(
            s.replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;"),
        ),
        (F::Unescape, "html") => Some(
            s.replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&#39;", "'")
                .replace("&amp;", "&"),
        ),
        (F::Escape, "json") => Some(s.replace('\\', "\\\\").replace('"', "\\\"")),
        (F::Unescape, "json") => Some(s.replace("\\\"", "\"").replace("\\\\", "\\")),
        _ => None,
    }
}

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

fn base64_encode(bytes: &[u8], url: bool) -> String {
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk.first().copied().unwrap_or(0),
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                let c = B64
                    .get(((n >> (18 - 6 * i)) & 63) as usize)
                    .copied()
                    .unwrap_or(b'=');
                out.push(match (url, c) {
                    (true, b'+') => '-',
                    (true, b'/') => '_',
                    (_, c) => c as char,
                });
            } else {
                out.push('=');
            }
        }
    }
    out
}

fn base64_decode(s: &str, url: bool) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut n = 0;
    let mut out = Vec::new();
    for c in s.bytes() {
        let c = match (url, c) {
            (true, b'-') => b'+',
            (true, b'_') => b'/',
            (_, c) => c,
        };
        if c == b'=' {
            break;
        }
        let v = B64.iter().position(|x| *x == c)? as u32;
        bits = (bits << 6) | v;
        n += 6;
        if n >= 8 {
            n -= 8;
            out.push((bits >> n) as u8);
            bits &= (1 << n) - 1;
        }
    }
    Some(out)
}
