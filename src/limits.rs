//! Input limits: how large, how deep, how long a list and how long a string one input may be
//! (a record, an NDJSON line, a value given to a field or a session). Input over a limit is
//! refused as a whole with an error naming the limit and where it was exceeded, before the
//! record is validated (docs/limits.md).
//!
//! Size is checked before parsing. Depth, list length and string length are checked while the
//! JSON text is parsed, by the visitor that builds the value: a record nested 10,000 deep is
//! refused at level `maxDepth + 1`, without building anything deeper, and a too-long list or
//! string is refused when it is met. No separate pass over the text is made, so the checks cost
//! next to nothing on the hot path.
//!
//! The same visitor notes the properties an object gives twice (`Duplicate`), which the engine
//! reports as `duplicate-property`; the value keeps the first of them (`Build::visit_map` says
//! why). It makes each object's map and each array with room for exactly what they hold, as
//! a large Bundle's memory is mostly its small objects (docs/limits.md, "Memory").

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use std::borrow::Cow;
use std::cell::{Cell, RefCell};
use std::fmt;

use crate::json::{Map, Number, Str, Value};
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use std::collections::HashSet;

/// The deepest `maxDepth` allowed: the JSON parser itself refuses 128 levels.
pub const MAX_DEPTH_CEILING: u64 = 100;

/// The limits on one input. Each has a default chosen so that real records never reach it
/// (docs/limits.md gives the reasons); every one can be lowered or raised in the options, as
/// `{"maxBytes": 20000000}` (the ones not given keep their defaults).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename_all = "camelCase")
)]
pub struct Limits {
    /// Most bytes (UTF-8) of one input: a record, one NDJSON line, or a value given to
    /// `validateField` or a session. Default 10,000,000 (10 MB).
    #[cfg_attr(feature = "typescript", ts(as = "Option<f64>", optional))]
    pub max_bytes: u64,
    /// Deepest nesting of objects and arrays, the record itself being level 1. Default 64;
    /// at most 100.
    #[cfg_attr(feature = "typescript", ts(as = "Option<f64>", optional))]
    pub max_depth: u64,
    /// Most items of any one array. Default 100,000.
    #[cfg_attr(feature = "typescript", ts(as = "Option<f64>", optional))]
    pub max_array_length: u64,
    /// Longest string (a value or a property name), in characters. Default 10,000,000: as long
    /// as a whole input may be, because FHIR sets no limit on base64Binary (an attachment's
    /// `data`), and documents travel inline.
    #[cfg_attr(feature = "typescript", ts(as = "Option<f64>", optional))]
    pub max_string_length: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 10_000_000,
            max_depth: 64,
            max_array_length: 100_000,
            max_string_length: 10_000_000,
        }
    }
}

impl Limits {
    /// The limits from their JSON form, `{"maxBytes": 20000000, "maxDepth": 32}`: each a
    /// whole number; those not given keep their defaults. (Read by hand rather than derived:
    /// the derived reader costs the Wasm some kilobytes.)
    pub fn from_json(value: &serde_json::Value) -> Result<Limits, String> {
        let Some(map) = value.as_object() else {
            return Err(r#"must be an object such as {"maxBytes": 20000000}"#.to_string());
        };
        let mut limits = Limits::default();
        for (key, value) in map {
            let field = match key.as_str() {
                "maxBytes" => &mut limits.max_bytes,
                "maxDepth" => &mut limits.max_depth,
                "maxArrayLength" => &mut limits.max_array_length,
                "maxStringLength" => &mut limits.max_string_length,
                _ => {
                    return Err(format!(
                        "unknown limit `{key}`: use maxBytes, maxDepth, maxArrayLength or maxStringLength"
                    ))
                }
            };
            *field = value
                .as_u64()
                .ok_or_else(|| format!("{key} must be a whole number, not {value}"))?;
        }
        Ok(limits)
    }

    /// Checks the limits themselves: each at least 1, the depth at most 100.
    pub fn check(&self) -> Result<(), String> {
        for (name, value) in [
            ("maxBytes", self.max_bytes),
            ("maxDepth", self.max_depth),
            ("maxArrayLength", self.max_array_length),
            ("maxStringLength", self.max_string_length),
        ] {
            if value == 0 {
                return Err(format!(
                    "invalid options: limits.{name}: must be at least 1"
                ));
            }
        }
        if self.max_depth > MAX_DEPTH_CEILING {
            return Err(format!(
                "invalid options: limits.maxDepth: must be at most {MAX_DEPTH_CEILING}, not {}",
                self.max_depth
            ));
        }
        Ok(())
    }

    /// The size check alone, for callers that know the size before reading the input (a
    /// file's length, a JS string's length).
    pub fn check_size(&self, bytes: u64) -> Result<(), LimitError> {
        if bytes > self.max_bytes {
            return Err(LimitError {
                limit: Limit::MaxBytes,
                found: bytes,
                max: self.max_bytes,
                path: String::new(),
            });
        }
        Ok(())
    }

    /// Checks an already-built value (depth, list lengths, string lengths): for values that did
    /// not come through `parse`.
    pub fn check_value(&self, value: &Value) -> Result<(), LimitError> {
        self.walk(value, 0, None)
    }

    fn walk(&self, value: &Value, depth: u64, at: Option<&Node<'_>>) -> Result<(), LimitError> {
        let here = |seg| Node { parent: at, seg };
        match value {
            Value::String(s) => self.string(s, at, None),
            Value::Array(items) => {
                self.open(depth, at)?;
                if items.len() as u64 > self.max_array_length {
                    return Err(self.too_long(at));
                }
                for (i, item) in items.iter().enumerate() {
                    self.walk(item, depth + 1, Some(&here(Seg::Index(i))))?;
                }
                Ok(())
            }
            Value::Object(map) => {
                self.open(depth, at)?;
                for (key, item) in map {
                    let node = here(Seg::Key(key));
                    self.string(key, at, Some(&node))?;
                    self.walk(item, depth + 1, Some(&node))?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// An object or array opened inside a container at `depth` (0: the input itself).
    fn open(&self, depth: u64, at: Option<&Node<'_>>) -> Result<(), LimitError> {
        if depth >= self.max_depth {
            return Err(LimitError {
                limit: Limit::MaxDepth,
                found: depth + 1,
                max: self.max_depth,
                path: pointer(at),
            });
        }
        Ok(())
    }

    fn too_long(&self, at: Option<&Node<'_>>) -> LimitError {
        LimitError {
            limit: Limit::MaxArrayLength,
            found: self.max_array_length + 1,
            max: self.max_array_length,
            path: pointer(at),
        }
    }

    /// A string value at `at`, or a property name (`key` is then the node it names).
    fn string(
        &self,
        s: &str,
        at: Option<&Node<'_>>,
        key: Option<&Node<'_>>,
    ) -> Result<(), LimitError> {
        // Characters never outnumber bytes: only a long string is counted.
        if s.len() as u64 > self.max_string_length {
            let chars = s.chars().count() as u64;
            if chars > self.max_string_length {
                return Err(LimitError {
                    limit: if key.is_some() {
                        Limit::MaxKeyLength
                    } else {
                        Limit::MaxStringLength
                    },
                    found: chars,
                    max: self.max_string_length,
                    path: pointer(key.or(at)),
                });
            }
        }
        Ok(())
    }
}

/// Which limit an input exceeded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Limit {
    MaxBytes,
    MaxDepth,
    MaxArrayLength,
    MaxStringLength,
    /// `maxStringLength`, exceeded by a property name.
    MaxKeyLength,
}

impl Limit {
    /// The option that sets it: `maxBytes`, `maxDepth`, `maxArrayLength`, `maxStringLength`.
    pub fn option(self) -> &'static str {
        match self {
            Limit::MaxBytes => "maxBytes",
            Limit::MaxDepth => "maxDepth",
            Limit::MaxArrayLength => "maxArrayLength",
            Limit::MaxStringLength | Limit::MaxKeyLength => "maxStringLength",
        }
    }
}

/// An input over a limit: which, by how much, and where (a JSON Pointer; empty for the size).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LimitError {
    pub limit: Limit,
    /// The size in bytes, the depth reached, `max + 1` for a list (counting stops there), or
    /// the string's length in characters.
    pub found: u64,
    pub max: u64,
    pub path: String,
}

impl fmt::Display for LimitError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (found, max) = (self.found, self.max);
        let at = if self.path.is_empty() {
            "the top level".to_string()
        } else {
            self.path.clone()
        };
        match self.limit {
            Limit::MaxBytes => write!(
                f,
                "input is {}, above the limit of {}",
                size(found),
                limit_size(max)
            )?,
            Limit::MaxDepth => write!(f, "nesting deeper than {max} levels at {at}")?,
            Limit::MaxArrayLength => {
                write!(f, "the list at {at} has more than {} items", thousands(max))?
            }
            Limit::MaxStringLength => write!(
                f,
                "a string of {} characters at {at}, above the limit of {}",
                thousands(found),
                thousands(max)
            )?,
            Limit::MaxKeyLength => write!(
                f,
                "a property name of {} characters at {at}, above the limit of {}",
                thousands(found),
                thousands(max)
            )?,
        }
        write!(f, " (limits.{})", self.limit.option())
    }
}

impl std::error::Error for LimitError {}

/// `12.3 MB (12,345,678 bytes)` (tenths cut, not rounded, so never the limit's own figure),
/// or `950 bytes`. Integer arithmetic: no float formatting in the Wasm.
fn size(bytes: u64) -> String {
    if bytes >= 1_000_000 {
        format!(
            "{}.{} MB ({} bytes)",
            bytes / 1_000_000,
            bytes % 1_000_000 / 100_000,
            thousands(bytes)
        )
    } else {
        format!("{} bytes", thousands(bytes))
    }
}

/// `10 MB` for whole megabytes, else `1,500 bytes`.
fn limit_size(bytes: u64) -> String {
    if bytes >= 1_000_000 && bytes % 1_000_000 == 0 {
        format!("{} MB", bytes / 1_000_000)
    } else {
        format!("{} bytes", thousands(bytes))
    }
}

/// `1234567` as `1,234,567`.
pub(crate) fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// One step of the path to the value being built, kept on the stack: nothing is allocated
/// for paths unless a limit is exceeded.
struct Node<'a> {
    parent: Option<&'a Node<'a>>,
    seg: Seg<'a>,
}

enum Seg<'a> {
    Key(&'a str),
    Index(usize),
}

/// The JSON Pointer of a node; each step is cut at 40 characters, as property names are the
/// input's own text and an error message quotes no more of it than that.
fn pointer(at: Option<&Node<'_>>) -> String {
    pointer_cut(at, Some(40))
}

/// The JSON Pointer of a node, each step cut at `cut` characters (None: the exact pointer, as
/// issue paths are).
fn pointer_cut(at: Option<&Node<'_>>, cut: Option<usize>) -> String {
    let mut segs = Vec::new();
    let mut node = at;
    while let Some(n) = node {
        segs.push(match n.seg {
            Seg::Index(i) => i.to_string(),
            Seg::Key(k) => {
                let k = crate::fhir::path::escape_token(k);
                match cut.and_then(|c| k.char_indices().nth(c)) {
                    Some((cut, _)) => format!("{}…", k.get(..cut).unwrap_or_default()),
                    None => k.into_owned(),
                }
            }
        });
        node = n.parent;
    }
    segs.iter().rev().fold(String::new(), |mut p, s| {
        p.push('/');
        p.push_str(s);
        p
    })
}

/// A property given more than once in one JSON object. The parsed value holds its first
/// occurrence; this notes each later one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Duplicate {
    /// The JSON Pointer of the property (every occurrence has the same).
    pub pointer: String,
    /// The property's name.
    pub name: String,
    /// For `resourceType` given again with another string: the type named first (the one the
    /// value keeps) and the one named here.
    pub types: Option<(String, String)>,
}

/// JSON text as parsed: the value, and the properties it gave twice, in the order met.
#[derive(Debug)]
pub(crate) struct Parsed {
    pub value: Value,
    pub duplicates: Vec<Duplicate>,
}

/// Parses JSON text into a value within `limits`. The error is `Ok(LimitError)` for a limit
/// and `Err(serde_json::Error)` for text that is not JSON.
pub(crate) fn parse(
    text: &str,
    limits: &Limits,
) -> Result<Parsed, Result<LimitError, serde_json::Error>> {
    limits.check_size(text.len() as u64).map_err(Ok)?;
    let hit = Cell::new(None);
    let duplicates = RefCell::new(Vec::new());
    let (members, items) = (RefCell::new(Vec::new()), RefCell::new(Vec::new()));
    let names = Cell::new(0);
    let mut de = serde_json::Deserializer::from_str(text);
    let seed = Build {
        limits,
        hit: &hit,
        duplicates: &duplicates,
        members: &members,
        items: &items,
        names: &names,
        depth: 0,
        at: None,
    };
    let result = seed.deserialize(&mut de).and_then(|v| de.end().map(|()| v));
    match (result, hit.take()) {
        (_, Some(limit)) => Err(Ok(limit)),
        (Ok(value), None) => Ok(Parsed {
            value,
            duplicates: duplicates
                .into_inner()
                .into_iter()
                .map(|(_, d)| d)
                .collect(),
        }),
        (Err(e), None) => Err(Err(e)),
    }
}

/// Up to this many members, an object's names are checked for duplicates by comparing each
/// with those before it; above, through a hash set.
const LINEAR_NAMES: usize = 16;

/// A property of an object being read: its name, its value, and its place among all the
/// property names of the text (`Build::names`).
struct Member<'de> {
    key: Cow<'de, str>,
    value: Value,
    order: u64,
}

/// Builds a `serde_json::Value` as serde_json's own visitor does, checking the limits on the
/// way. `depth`: of the container the value is in (0 for the input itself).
#[derive(Clone, Copy)]
struct Build<'a, 'de> {
    limits: &'a Limits,
    hit: &'a Cell<Option<LimitError>>,
    /// The duplicates noted, with the place of the later name among all names, in that order.
    duplicates: &'a RefCell<Vec<(u64, Duplicate)>>,
    /// The members of the objects being read, innermost last, until each object is complete.
    members: &'a RefCell<Vec<Member<'de>>>,
    /// The items of the arrays being read, likewise.
    items: &'a RefCell<Vec<Value>>,
    /// How many property names have been read.
    names: &'a Cell<u64>,
    depth: u64,
    at: Option<&'a Node<'a>>,
}

impl Build<'_, '_> {
    fn fail<E: de::Error>(&self, limit: LimitError) -> E {
        self.hit.set(Some(limit));
        E::custom("input limit")
    }

    /// `key` given again in `object`, which keeps its first value: the `later` one, the
    /// `order`-th name of the text, is noted.
    #[cold]
    fn duplicate(&self, object: &Map, key: &str, later: &Value, order: u64) {
        let types = match (key, object.get(key), later) {
            ("resourceType", Some(Value::String(a)), Value::String(b)) if a != b => {
                Some((a.to_string(), b.to_string()))
            }
            _ => None,
        };
        let node = Node {
            parent: self.at,
            seg: Seg::Key(key),
        };
        let duplicate = Duplicate {
            pointer: pointer_cut(Some(&node), None),
            name: key.to_string(),
            types,
        };
        // Noted as each object is complete, kept in the order of the text.
        let mut found = self.duplicates.borrow_mut();
        let at = found.partition_point(|(o, _)| *o < order);
        found.insert(at, (order, duplicate));
    }

    /// The later value of a duplicate, whose names came after the `from`-th and before the
    /// `to`-th, is not in the record as read: neither are the duplicates inside it.
    #[cold]
    fn forget(&self, from: u64, to: u64) {
        let mut found = self.duplicates.borrow_mut();
        found.retain(|(order, _)| !(from < *order && *order < to));
    }
}

impl<'de> DeserializeSeed<'de> for Build<'_, 'de> {
    type Value = Value;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Build<'_, 'de> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.limits
            .string(v, self.at, None)
            .map_err(|l| self.fail(l))?;
        Ok(Value::String(Str::new(v)))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.limits
            .open(self.depth, self.at)
            .map_err(|l| self.fail(l))?;
        let start = self.items.borrow().len();
        let mut count = 0usize;
        loop {
            let node = Node {
                parent: self.at,
                seg: Seg::Index(count),
            };
            let child = Build {
                depth: self.depth + 1,
                at: Some(&node),
                ..self
            };
            match seq.next_element_seed(child)? {
                // One item more than the limit is one too many.
                Some(_) if count as u64 >= self.limits.max_array_length => {
                    return Err(self.fail(self.limits.too_long(self.at)));
                }
                Some(v) => {
                    self.items.borrow_mut().push(v);
                    count += 1;
                }
                None => break,
            }
        }
        // With room for exactly its items, as maps are made (`visit_map`).
        let items: Vec<Value> = self.items.borrow_mut().drain(start..).collect();
        Ok(Value::Array(items))
    }

    /// A property given twice keeps its first value, as the HL7 reference validator reads
    /// such JSON, and each later one is noted as a duplicate. The first, rather than the last
    /// that serde_json and JSON.parse keep: a record is never checked as a resource type its
    /// first `resourceType` did not name, wherever the parsed value goes (`Validator::parse`
    /// included), without the engine having to know which resources gave it twice.
    ///
    /// The map is made once the object is complete, with room for exactly its members: a
    /// large Bundle is mostly small objects, and room left over in each adds up.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.limits
            .open(self.depth, self.at)
            .map_err(|l| self.fail(l))?;
        let start = self.members.borrow().len();
        while let Some(key) = map.next_key_seed(Key)? {
            let node = Node {
                parent: self.at,
                seg: Seg::Key(&key),
            };
            self.limits
                .string(&key, self.at, Some(&node))
                .map_err(|l| self.fail(l))?;
            let child = Build {
                depth: self.depth + 1,
                at: Some(&node),
                ..self
            };
            let order = self.names.get();
            self.names.set(order + 1);
            let value = map.next_value_seed(child)?;
            self.members.borrow_mut().push(Member { key, value, order });
        }
        let mut members = self.members.borrow_mut();
        let count = members.len().saturating_sub(start);
        let mut object = Map::with_capacity(count);
        // A name is looked for among those before it; in a large object, in a set of them, so
        // that an object of many members is still read in time in proportion to its size.
        let mut names: Option<HashSet<Cow<'de, str>>> =
            (count > LINEAR_NAMES).then(|| HashSet::with_capacity(count));
        // A later duplicate's value, whose names end where the next member's begin.
        let mut dropped = None;
        for Member { key, value, order } in members.drain(start..) {
            if let Some(from) = dropped.take() {
                self.forget(from, order);
            }
            let again = match names.as_mut() {
                Some(names) => !names.insert(key.clone()),
                None => object.contains_key(&key),
            };
            if again {
                self.duplicate(&object, &key, &value, order);
                dropped = Some(order);
            } else {
                object.push_new(Str::new(&key), value);
            }
        }
        if let Some(from) = dropped {
            self.forget(from, self.names.get());
        }
        Ok(Value::Object(object))
    }
}

/// A property name, borrowed from the text when it has no escapes (as nearly every one): it is
/// still at hand, without a copy, after the map has taken its own, should it be a duplicate.
struct Key;

impl<'de> DeserializeSeed<'de> for Key {
    type Value = Cow<'de, str>;

    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Cow<'de, str>, D::Error> {
        d.deserialize_str(self)
    }
}

impl<'de> Visitor<'de> for Key {
    type Value = Cow<'de, str>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a property name")
    }

    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Borrowed(v))
    }

    fn visit_str<E>(self, v: &str) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Cow<'de, str>, E> {
        Ok(Cow::Owned(v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_groups_digits() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1,000");
        assert_eq!(thousands(12_345_678), "12,345,678");
    }

    #[test]
    fn parsing_gives_what_serde_json_gives() {
        for text in [
            r#"{"a":[1,-2,3.5,true,null,"x\"y\u00e9"],"b":{"c":{}},"d":[]}"#,
            "[]",
            "\"s\"",
            "-0.0",
            "18446744073709551615",
        ] {
            let theirs: Value = serde_json::from_str(text).unwrap_or_default();
            let ours = parse(text, &Limits::default()).ok();
            assert_eq!(ours.map(|p| p.value), Some(theirs), "{text}");
        }
        for bad in ["", "{", "[1,]", "1e400", "[1] x", "{\"a\" 1}"] {
            assert!(
                matches!(parse(bad, &Limits::default()), Err(Err(_))),
                "{bad}"
            );
        }
    }

    #[test]
    fn lists_are_made_with_room_for_exactly_their_items() {
        let text = r#"{"a":[1,2,3],"b":[{"c":[true]},[],[1,2,3,4,5,6,7,8,9]]}"#;
        let parsed = parse(text, &Limits::default()).map(|p| p.value);
        let mut lists = 0;
        let mut stack: Vec<&Value> = parsed.iter().collect();
        while let Some(v) = stack.pop() {
            match v {
                Value::Array(items) => {
                    assert_eq!(items.capacity(), items.len(), "{items:?}");
                    lists += 1;
                    stack.extend(items);
                }
                Value::Object(map) => stack.extend(map.values()),
                _ => {}
            }
        }
        assert_eq!(lists, 5);
    }

    #[test]
    #[allow(clippy::unwrap_used)] // a test: valid JSON
    fn a_property_given_twice_keeps_its_first_value_and_is_noted_at_each_later_one() {
        let text = r#"{"resourceType":"Patient","a":1,"b":[{"c":1,"c":2}],"resourceType":"Observation","a":{"d":1,"d":2},"a~/":1,"a~/":2,"a":3}"#;
        let parsed = parse(text, &Limits::default()).unwrap();
        assert_eq!(
            parsed.value,
            serde_json::json!({"resourceType": "Patient", "a": 1, "b": [{"c": 1}], "a~/": 1})
        );
        let found: Vec<(&str, Option<(&str, &str)>)> = parsed
            .duplicates
            .iter()
            .map(|d| {
                let types = d.types.as_ref().map(|(a, b)| (a.as_str(), b.as_str()));
                (d.pointer.as_str(), types)
            })
            .collect();
        assert_eq!(
            found,
            vec![
                ("/b/0/c", None),
                ("/resourceType", Some(("Patient", "Observation"))),
                // Not /a/d: the second `a` is not in the record, nor what it holds.
                ("/a", None),
                ("/a~0~1", None),
                ("/a", None),
            ]
        );
        let none = parse(
            r#"{"a":{"a":{"a":1}},"b":[{"a":1},{"a":2}]}"#,
            &Limits::default(),
        );
        assert_eq!(none.unwrap().duplicates, vec![]);
        // A name written with escapes is the same name.
        let escaped = parse(r#"{"a/b":1,"a\/b":2,"\u0063":3,"c":4}"#, &Limits::default()).unwrap();
        assert_eq!(escaped.value, serde_json::json!({"a/b": 1, "c": 3}));
        let pointers: Vec<&str> = escaped
            .duplicates
            .iter()
            .map(|d| d.pointer.as_str())
            .collect();
        assert_eq!(pointers, ["/a~1b", "/c"]);
    }
}
