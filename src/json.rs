//! A record as the engine reads it: JSON values, small, with each object's members in the
//! order of the text.
//!
//! Why not serde_json's `Value`: a Bundle is mostly small objects and short strings, and
//! serde_json gives every member 112 bytes (with `preserve_order`; a BTreeMap node has room for
//! 11 members however few there are), every object a hash table and every string a heap
//! allocation. Here a member is its name and its value side by side in a list (56 bytes),
//! names and strings of up to 24 bytes are kept inline on the command line (`CompactString`:
//! codes, dates, ids, every FHIR property name; the browser build keeps them on the heap, for
//! a smaller download), and an object is searched by comparing names, which for objects of a
//! few members is faster than hashing. The parsed form of a large Bundle takes less than half
//! the memory, and is made and read faster (docs/limits.md, "Memory").
//!
//! The methods are named as serde_json's are (`get`, `as_str`, `as_array`, `pointer`...), so
//! that code reads the same; conversions to and from `serde_json::Value` are at the edges
//! (the Rust API's `validate`, what a session hands back).

use std::fmt;

/// A string of the record (names and values): up to 24 bytes inline, without an allocation
/// of its own.
#[cfg(not(target_arch = "wasm32"))]
pub use compact_str::CompactString as Str;

/// A string of the record in the browser build: on the heap, as a `Box<str>`. The inline
/// strings of `CompactString` cost the download 6 KB gzipped, and the browser holds one record
/// at a time where the command line holds whole Bundles.
#[cfg(target_arch = "wasm32")]
pub use boxed::Str;

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod boxed {
    use std::fmt;

    /// `CompactString`'s methods that the crate uses, over a `Box<str>`.
    #[derive(Clone, PartialEq, Eq, Hash, Default)]
    pub struct Str(Box<str>);

    impl Str {
        pub fn new(s: &str) -> Self {
            Str(Box::from(s))
        }
        pub fn as_str(&self) -> &str {
            &self.0
        }
    }

    impl std::ops::Deref for Str {
        type Target = str;
        fn deref(&self) -> &str {
            &self.0
        }
    }

    impl std::borrow::Borrow<str> for Str {
        fn borrow(&self) -> &str {
            &self.0
        }
    }

    impl fmt::Debug for Str {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            fmt::Debug::fmt(&*self.0, f)
        }
    }

    impl fmt::Display for Str {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str(&self.0)
        }
    }

    impl From<&str> for Str {
        fn from(s: &str) -> Self {
            Str::new(s)
        }
    }

    impl From<String> for Str {
        fn from(s: String) -> Self {
            Str(s.into_boxed_str())
        }
    }

    impl PartialEq<str> for Str {
        fn eq(&self, other: &str) -> bool {
            &*self.0 == other
        }
    }

    impl PartialEq<&str> for Str {
        fn eq(&self, other: &&str) -> bool {
            &*self.0 == *other
        }
    }
}
pub use serde_json::Number;

use serde::de::{self, Deserialize, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, Serializer};

/// A JSON value of a record.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Value {
    #[default]
    Null,
    Bool(bool),
    Number(Number),
    String(Str),
    Array(Vec<Value>),
    Object(Map),
}

/// An object's members in the order given. Names are unique: `insert` replaces.
#[derive(Clone, Debug, Default)]
pub struct Map {
    members: Vec<(Str, Value)>,
}

static NULL: Value = Value::Null;

/// Whether two member (or element) names are the same. Length and first byte before the
/// bytes: names of one length mostly differ from the start, and this runs for every key of
/// every record and every name an invariant reads.
#[inline]
pub fn same_name(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

impl Map {
    pub fn new() -> Self {
        Map::default()
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Map {
            members: Vec::with_capacity(capacity),
        }
    }

    pub fn len(&self) -> usize {
        self.members.len()
    }

    pub fn is_empty(&self) -> bool {
        self.members.is_empty()
    }

    // The lookups are calls in the browser build, not copied into every rule that makes one
    // (that saves the download 6 KB gzipped); natively they are inlined, which is faster.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    fn position(&self, key: &str) -> Option<usize> {
        self.members.iter().position(|(k, _)| same_name(k, key))
    }

    #[cfg_attr(target_arch = "wasm32", inline(never))]
    pub fn get(&self, key: &str) -> Option<&Value> {
        self.members
            .iter()
            .find(|(k, _)| same_name(k, key))
            .map(|(_, v)| v)
    }

    #[cfg_attr(target_arch = "wasm32", inline(never))]
    pub fn get_mut(&mut self, key: &str) -> Option<&mut Value> {
        self.members
            .iter_mut()
            .find(|(k, _)| k.as_str() == key)
            .map(|(_, v)| v)
    }

    /// The `_key` member (a primitive's id and extensions, FHIR JSON §2.6.2), found without
    /// building its name.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    pub fn get_underscored(&self, key: &str) -> Option<&Value> {
        self.members
            .iter()
            .find(|(k, _)| k.as_str().strip_prefix('_') == Some(key))
            .map(|(_, v)| v)
    }

    /// `key` and `_key` in one pass over the members: a primitive's value and its id and
    /// extensions, as FHIRPath reads every element.
    #[cfg_attr(target_arch = "wasm32", inline(never))]
    pub fn get_with_underscored(&self, key: &str) -> (Option<&Value>, Option<&Value>) {
        let (mut plain, mut underscored) = (None, None);
        for (k, v) in &self.members {
            let k = k.as_str();
            if same_name(k, key) {
                plain = plain.or(Some(v));
            } else if k.len() == key.len() + 1 && k.strip_prefix('_') == Some(key) {
                underscored = underscored.or(Some(v));
            }
        }
        (plain, underscored)
    }

    pub fn get_key_value(&self, key: &str) -> Option<(&str, &Value)> {
        self.members
            .iter()
            .find(|(k, _)| k.as_str() == key)
            .map(|(k, v)| (k.as_str(), v))
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.position(key).is_some()
    }

    /// Sets `key`, in its place when it is there (giving back the value it had), else last.
    pub fn insert(&mut self, key: impl Into<Str>, value: Value) -> Option<Value> {
        let key = key.into();
        match self.position(&key) {
            Some(i) => self
                .members
                .get_mut(i)
                .map(|(_, v)| std::mem::replace(v, value)),
            None => {
                self.members.push((key, value));
                None
            }
        }
    }

    /// Appends a member whose name the caller knows is not there yet (the parser, which
    /// finds duplicates itself).
    pub(crate) fn push_new(&mut self, key: Str, value: Value) {
        self.members.push((key, value));
    }

    /// Takes `key` out, the other members keeping their order.
    pub fn remove(&mut self, key: &str) -> Option<Value> {
        let i = self.position(key)?;
        Some(self.members.remove(i).1)
    }

    pub fn iter(&self) -> Iter<'_> {
        Iter(self.members.iter())
    }

    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        self.members.iter().map(|(k, _)| k.as_str())
    }

    pub fn values(&self) -> impl DoubleEndedIterator<Item = &Value> + ExactSizeIterator {
        self.members.iter().map(|(_, v)| v)
    }

    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut Value> {
        self.members.iter_mut().map(|(_, v)| v)
    }
}

/// Two objects are equal when they have the same members, in whatever order (as JSON, and
/// serde_json, have it).
impl PartialEq for Map {
    fn eq(&self, other: &Map) -> bool {
        self.len() == other.len() && self.iter().all(|(k, v)| other.get(k) == Some(v))
    }
}

impl Eq for Map {}

/// The members of an object, as `(name, value)`.
pub struct Iter<'a>(std::slice::Iter<'a, (Str, Value)>);

impl<'a> Iterator for Iter<'a> {
    type Item = (&'a str, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.as_str(), v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k.as_str(), v))
    }
}

impl ExactSizeIterator for Iter<'_> {}

impl<'a> IntoIterator for &'a Map {
    type Item = (&'a str, &'a Value);
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

impl IntoIterator for Map {
    type Item = (Str, Value);
    type IntoIter = std::vec::IntoIter<(Str, Value)>;

    fn into_iter(self) -> Self::IntoIter {
        self.members.into_iter()
    }
}

impl<K: Into<Str>> FromIterator<(K, Value)> for Map {
    fn from_iter<T: IntoIterator<Item = (K, Value)>>(iter: T) -> Self {
        let mut map = Map::new();
        for (k, v) in iter {
            map.insert(k, v);
        }
        map
    }
}

/// What `Value::get` takes: an object's member name or an array's index.
pub trait Index {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value>;
    fn index_into_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value>;
}

impl Index for usize {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        value.as_array()?.get(*self)
    }
    fn index_into_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        value.as_array_mut()?.get_mut(*self)
    }
}

impl Index for str {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        value.as_object()?.get(self)
    }
    fn index_into_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        value.as_object_mut()?.get_mut(self)
    }
}

impl Index for String {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        self.as_str().index_into(value)
    }
    fn index_into_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        self.as_str().index_into_mut(value)
    }
}

impl<T: Index + ?Sized> Index for &T {
    fn index_into<'v>(&self, value: &'v Value) -> Option<&'v Value> {
        (**self).index_into(value)
    }
    fn index_into_mut<'v>(&self, value: &'v mut Value) -> Option<&'v mut Value> {
        (**self).index_into_mut(value)
    }
}

impl<I: Index> std::ops::Index<I> for Value {
    type Output = Value;

    /// As serde_json: `Null` for what is not there.
    fn index(&self, index: I) -> &Value {
        index.index_into(self).unwrap_or(&NULL)
    }
}

impl Value {
    pub fn get<I: Index>(&self, index: I) -> Option<&Value> {
        index.index_into(self)
    }

    pub fn get_mut<I: Index>(&mut self, index: I) -> Option<&mut Value> {
        index.index_into_mut(self)
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s.as_str()),
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(a) => Some(a),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(m) => Some(m),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    pub fn as_f64(&self) -> Option<f64> {
        self.as_number()?.as_f64()
    }

    pub fn as_i64(&self) -> Option<i64> {
        self.as_number()?.as_i64()
    }

    pub fn as_u64(&self) -> Option<u64> {
        self.as_number()?.as_u64()
    }

    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    pub fn is_i64(&self) -> bool {
        self.as_number().is_some_and(Number::is_i64)
    }

    pub fn is_u64(&self) -> bool {
        self.as_number().is_some_and(Number::is_u64)
    }

    pub fn is_f64(&self) -> bool {
        self.as_number().is_some_and(Number::is_f64)
    }

    /// What the value is, as a message names it: "null", "a string", "an object"...
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
        }
    }

    /// The value at a JSON Pointer (RFC 6901), as serde_json's `pointer`.
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut here = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            let token = token.replace("~1", "/").replace("~0", "~");
            here = match here {
                Value::Object(m) => m.get(&token)?,
                Value::Array(a) => {
                    let leading_zero = token.len() > 1 && token.starts_with('0');
                    let i: usize = token.parse().ok().filter(|_| !leading_zero)?;
                    a.get(i)?
                }
                _ => return None,
            };
        }
        Some(here)
    }

    /// Takes the value out, leaving `Null`.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }
}

/// JSON text, exactly as serde_json writes the same value.
impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&serde_json::to_string(self).map_err(|_| fmt::Error)?)
    }
}

impl Serialize for Value {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Value::Null => s.serialize_unit(),
            Value::Bool(b) => s.serialize_bool(*b),
            Value::Number(n) => n.serialize(s),
            Value::String(x) => s.serialize_str(x),
            Value::Array(items) => items.serialize(s),
            Value::Object(m) => m.serialize(s),
        }
    }
}

impl Serialize for Map {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.len()))?;
        for (k, v) in self {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// Any JSON, without limits and with the last of a duplicated name (the record reader,
/// `limits::parse`, is the one for input).
impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Value, D::Error> {
        d.deserialize_any(AnyValue)
    }
}

struct AnyValue;

impl<'de> Visitor<'de> for AnyValue {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        Ok(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(Str::new(v)))
    }
    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(v) = seq.next_element()? {
            items.push(v);
        }
        Ok(Value::Array(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Value, A::Error> {
        let mut map = Map::new();
        // Where each name is, so that an object of many members is read in linear time.
        let mut at: std::collections::HashMap<Str, usize> = std::collections::HashMap::new();
        while let Some((k, v)) = access.next_entry::<std::borrow::Cow<'de, str>, Value>()? {
            let key = Str::new(&k);
            match at.get(&key).and_then(|&i| map.members.get_mut(i)) {
                Some((_, old)) => *old = v,
                None => {
                    at.insert(key.clone(), map.members.len());
                    map.members.push((key, v));
                }
            }
        }
        Ok(Value::Object(map))
    }
}

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(n),
            serde_json::Value::String(s) => Value::String(Str::from(s)),
            serde_json::Value::Array(a) => Value::Array(a.into_iter().map(Value::from).collect()),
            serde_json::Value::Object(m) => {
                let mut map = Map::with_capacity(m.len());
                for (k, v) in m {
                    map.push_new(Str::from(k), Value::from(v));
                }
                Value::Object(map)
            }
        }
    }
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Self {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(*b),
            serde_json::Value::Number(n) => Value::Number(n.clone()),
            serde_json::Value::String(s) => Value::String(Str::new(s)),
            serde_json::Value::Array(a) => Value::Array(a.iter().map(Value::from).collect()),
            serde_json::Value::Object(m) => {
                let mut map = Map::with_capacity(m.len());
                for (k, v) in m {
                    map.push_new(Str::new(k), Value::from(v));
                }
                Value::Object(map)
            }
        }
    }
}

impl From<&Value> for serde_json::Value {
    fn from(v: &Value) -> Self {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::Value::Number(n.clone()),
            Value::String(s) => serde_json::Value::String(s.to_string()),
            Value::Array(a) => serde_json::Value::Array(a.iter().map(Into::into).collect()),
            Value::Object(m) => serde_json::Value::Object(
                m.iter().map(|(k, v)| (k.to_string(), v.into())).collect(),
            ),
        }
    }
}

impl From<Value> for serde_json::Value {
    fn from(v: Value) -> Self {
        serde_json::Value::from(&v)
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Self {
        Value::String(Str::new(s))
    }
}

impl From<String> for Value {
    fn from(s: String) -> Self {
        Value::String(Str::from(s))
    }
}

impl From<Str> for Value {
    fn from(s: Str) -> Self {
        Value::String(s)
    }
}

impl From<bool> for Value {
    fn from(b: bool) -> Self {
        Value::Bool(b)
    }
}

impl From<i64> for Value {
    fn from(n: i64) -> Self {
        Value::Number(n.into())
    }
}

impl From<u64> for Value {
    fn from(n: u64) -> Self {
        Value::Number(n.into())
    }
}

impl From<i32> for Value {
    fn from(n: i32) -> Self {
        Value::Number(n.into())
    }
}

impl From<u32> for Value {
    fn from(n: u32) -> Self {
        Value::Number(n.into())
    }
}

impl From<usize> for Value {
    fn from(n: usize) -> Self {
        Value::Number(n.into())
    }
}

/// As serde_json: a number that JSON cannot write (NaN, infinite) is `Null`.
impl From<f64> for Value {
    fn from(n: f64) -> Self {
        Number::from_f64(n).map_or(Value::Null, Value::Number)
    }
}

impl From<Vec<Value>> for Value {
    fn from(items: Vec<Value>) -> Self {
        Value::Array(items)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Self {
        Value::Object(m)
    }
}

/// What the Rust API's `validate` takes: a record as parsed here, or a serde_json value (read
/// into this form first).
pub trait AsValue {
    fn as_value(&self) -> std::borrow::Cow<'_, Value>;
}

impl AsValue for Value {
    fn as_value(&self) -> std::borrow::Cow<'_, Value> {
        std::borrow::Cow::Borrowed(self)
    }
}

impl AsValue for serde_json::Value {
    fn as_value(&self) -> std::borrow::Cow<'_, Value> {
        std::borrow::Cow::Owned(Value::from(self))
    }
}

impl PartialEq<serde_json::Value> for Value {
    fn eq(&self, other: &serde_json::Value) -> bool {
        match (self, other) {
            (Value::Null, serde_json::Value::Null) => true,
            (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
            (Value::Number(a), serde_json::Value::Number(b)) => a == b,
            (Value::String(a), serde_json::Value::String(b)) => a.as_str() == b.as_str(),
            (Value::Array(a), serde_json::Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (Value::Object(a), serde_json::Value::Object(b)) => {
                a.len() == b.len() && a.iter().all(|(k, v)| b.get(k).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}

impl PartialEq<Value> for serde_json::Value {
    fn eq(&self, other: &Value) -> bool {
        other == self
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

/// `serde_json::json!`, as a record value: for the tests of the modules that read records.
#[cfg(test)]
macro_rules! record {
    ($($json:tt)+) => {
        $crate::json::Value::from(serde_json::json!($($json)+))
    };
}
#[cfg(test)]
pub(crate) use record;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_underscored_member_is_found_by_its_plain_name() {
        let v =
            Value::from(json!({"birthDate": "1970", "_birthDate": {"id": "b"}, "__x": 1, "_": 2}));
        let m = v.as_object().unwrap_or_else(|| panic!("an object"));
        assert_eq!(
            m.get_underscored("birthDate"),
            Some(&Value::from(json!({"id": "b"})))
        );
        assert_eq!(m.get_underscored("_x"), Some(&Value::from(json!(1))));
        assert_eq!(m.get_underscored(""), Some(&Value::from(json!(2))));
        assert_eq!(m.get_underscored("x"), None);
        assert_eq!(m.get_underscored("birth"), None);
        assert!(same_name("gender", "gender") && !same_name("gender", "genDer"));
        assert!(!same_name("id", "ids") && same_name("", ""));
    }

    #[test]
    fn small_in_memory() {
        // The reason this type exists: a member is a name and a value, nothing more (on the
        // command line; 48 bytes with the browser build's strings).
        assert_eq!(std::mem::size_of::<Value>(), 32);
        assert_eq!(std::mem::size_of::<(Str, Value)>(), 56);
    }

    #[test]
    fn round_trips_serde_json_and_writes_the_same_text() {
        let j = json!({"b": [1, -2, 2.5, "x", null, true], "a": {"c~/": {}}, "": []});
        let v = Value::from(&j);
        assert_eq!(v, j);
        assert_eq!(serde_json::Value::from(&v), j);
        assert_eq!(v.to_string(), j.to_string());
        let parsed: Value = serde_json::from_str(&j.to_string()).unwrap();
        assert_eq!(parsed, v);
        // Deserialized as serde_json reads it: a name given twice keeps its place and its
        // last value.
        let twice = r#"{"a": 1, "b": 2, "a": 3}"#;
        let ours: Value = serde_json::from_str(twice).unwrap();
        let theirs: serde_json::Value = serde_json::from_str(twice).unwrap();
        assert_eq!(ours.to_string(), theirs.to_string());
        assert_eq!(ours.to_string(), r#"{"a":3,"b":2}"#);
    }

    #[test]
    fn the_browser_builds_strings_behave_as_the_command_lines() {
        use std::collections::HashSet;
        let (boxed, compact) = (
            boxed::Str::from("dateTime"),
            compact_str::CompactString::from("dateTime"),
        );
        assert_eq!(boxed.as_str(), compact.as_str());
        assert_eq!(
            format!("{boxed} {boxed:?}"),
            format!("{compact} {compact:?}")
        );
        assert!(boxed == "dateTime" && boxed == *"dateTime");
        assert_eq!(boxed::Str::from(String::from("x")), boxed::Str::new("x"));
        let set: HashSet<boxed::Str> = [boxed.clone()].into();
        assert!(set.contains("dateTime"));
        assert_eq!(&*boxed, "dateTime");
    }

    #[test]
    fn members_keep_their_order_through_insert_and_remove() {
        let mut m = Map::new();
        for k in ["z", "a", "m", "b"] {
            m.insert(k, Value::from(k));
        }
        assert_eq!(m.insert("a", Value::Null), Some(Value::from("a")));
        assert_eq!(m.remove("z"), Some(Value::from("z")));
        assert_eq!(m.remove("z"), None);
        assert_eq!(m.keys().collect::<Vec<_>>(), ["a", "m", "b"]);
        assert_eq!(m.get("a"), Some(&Value::Null));
        assert!(!m.contains_key("z"));
    }

    #[test]
    fn looks_up_as_serde_json_does() {
        let j = json!({"a": [{"b/c": 1, "d~e": [true]}], "01": 3});
        let v = Value::from(&j);
        for p in [
            "",
            "/a",
            "/a/0",
            "/a/0/b~1c",
            "/a/0/d~0e/0",
            "/01",
            "/a/01",
            "/x",
            "a",
        ] {
            assert_eq!(
                v.pointer(p).map(serde_json::Value::from),
                j.pointer(p).cloned(),
                "{p}"
            );
        }
        assert_eq!(v["a"][0]["b/c"], json!(1));
        assert!(v["nothing"][3].is_null());
        assert_eq!(v.get("01").and_then(Value::as_u64), Some(3));
        assert_eq!(
            v["a"].get(0).and_then(|o| o.get("b/c")),
            Some(&Value::from(1))
        );
    }
}
