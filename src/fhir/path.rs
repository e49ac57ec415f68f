//! Locations inside a record: JSON Pointers (RFC 6901) for machines and FHIRPath-style
//! expressions (`Condition.code.coding[0].code`) for people and OperationOutcome.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt::Write as _;

use crate::json::{Map, Value};

/// Escapes one JSON Pointer reference token (`~` -> `~0`, `/` -> `~1`).
pub fn escape_token(token: &str) -> Cow<'_, str> {
    // Bytes, not a char-set search: element names are ASCII and this runs for every key.
    if token.bytes().any(|b| b == b'~' || b == b'/') {
        Cow::Owned(token.replace('~', "~0").replace('/', "~1"))
    } else {
        Cow::Borrowed(token)
    }
}

fn unescape_token(token: &str) -> Cow<'_, str> {
    if token.contains('~') {
        Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(token)
    }
}

/// What `objects` calls for each object: (pointer, element holding it, the object).
pub type Visit<'a, 'f> = dyn FnMut(&str, &'a str, &'a Map) + 'f;

/// Visits every object of a resource in document order as `visit(pointer, key, object)`,
/// where `key` is the element holding the object (for a list item, the list's element; ""
/// for the resource itself). Nested resources (`contained`, `resource`, a Bundle's `entry`)
/// are not entered: the engine checks them at their own place. One pointer buffer serves the
/// whole walk, as records hold hundreds of objects.
pub fn objects<'a>(resource: &'a Value, visit: &mut Visit<'a, '_>) {
    walk(resource, &mut String::new(), "", true, visit);
}

fn walk<'a>(
    value: &'a Value,
    at: &mut String,
    key: &'a str,
    root: bool,
    visit: &mut Visit<'a, '_>,
) {
    match value {
        Value::Object(map) => {
            visit(at, key, map);
            for (k, v) in map {
                let nested = k == "contained" || (root && k == "entry") || k == "resource";
                if nested || !(v.is_object() || v.is_array()) {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&escape_token(k));
                walk(v, at, k, false, visit);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                if !(v.is_object() || v.is_array()) {
                    continue;
                }
                let len = at.len();
                push_index(at, i);
                walk(v, at, key, false, visit);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// Appends `/index` to a pointer, without the formatting machinery (it runs for every list
/// item of every record).
pub fn push_index(at: &mut String, index: usize) {
    at.push('/');
    if index < 10 {
        at.push(char::from(b'0' + index as u8));
    } else {
        let _ = write!(at, "{index}");
    }
}

/// Appends `key` to a pointer.
pub fn join(pointer: &str, key: &str) -> String {
    let key = escape_token(key);
    let mut s = String::with_capacity(pointer.len() + key.len() + 1);
    s.push_str(pointer);
    s.push('/');
    s.push_str(&key);
    s
}

/// Appends a pointer suffix to an expression: `/code/coding/0/code` after `Condition` gives
/// `Condition.code.coding[0].code`. FHIR element names are never all digits, so an all-digit
/// token is an array index.
pub fn expression(base: &str, pointer_suffix: &str) -> String {
    let mut out = String::with_capacity(base.len() + pointer_suffix.len() + 4);
    out.push_str(base);
    for token in pointer_suffix.split('/').skip(1) {
        if !token.is_empty() && token.bytes().all(|b| b.is_ascii_digit()) {
            out.push('[');
            out.push_str(token);
            out.push(']');
        } else {
            out.push('.');
            out.push_str(&unescape_token(token));
        }
    }
    out
}

/// The unescaped tokens of a pointer.
pub fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> {
    pointer.split('/').skip(1).map(unescape_token)
}

/// `Value::pointer` without its allocations: serde_json's unescapes every token into a new
/// String, and the rules look up a few pointers in every record.
pub trait AtPointer {
    fn at_pointer(&self, pointer: &str) -> Option<&Value>;
}

impl AtPointer for Value {
    fn at_pointer(&self, pointer: &str) -> Option<&Value> {
        if pointer.is_empty() {
            return Some(self);
        }
        let mut value = self;
        for token in pointer.strip_prefix('/')?.split('/') {
            value = match value {
                Value::Object(map) => map.get(unescape_token(token).as_ref())?,
                Value::Array(items) => items.get(array_index(token)?)?,
                _ => return None,
            };
        }
        Some(value)
    }
}

/// An array index token as RFC 6901 has it: digits, no leading zero.
fn array_index(token: &str) -> Option<usize> {
    let digits = token.bytes().all(|b| b.is_ascii_digit());
    if !digits || token.is_empty() || (token.len() > 1 && token.starts_with('0')) {
        return None;
    }
    token.parse().ok()
}

/// Where a resource sits inside the input: its pointer and its expression prefix. The root
/// resource is at `""` with expression `Patient`; a Bundle entry at `/entry/2/resource` with
/// expression `Bundle.entry[2].resource`.
#[derive(Debug, Clone)]
pub struct Location {
    pub pointer: String,
    pub expression: String,
}

impl Location {
    pub fn root(resource_type: &str) -> Self {
        Location {
            pointer: String::new(),
            expression: resource_type.to_string(),
        }
    }

    /// A location below this one, by pointer suffix (`/entry/2/resource`).
    pub fn child(&self, suffix: &str) -> Self {
        Location {
            pointer: format!("{}{suffix}", self.pointer),
            expression: expression(&self.expression, suffix),
        }
    }
}

/// Document-like order: array indexes compare as numbers (`/entry/2` before `/entry/10`).
pub fn pointer_order(a: &str, b: &str) -> Ordering {
    let mut x = a.split('/');
    let mut y = b.split('/');
    loop {
        match (x.next(), y.next()) {
            (None, None) => return Ordering::Equal,
            (None, Some(_)) => return Ordering::Less,
            (Some(_), None) => return Ordering::Greater,
            (Some(p), Some(q)) => {
                let ord = match (p.parse::<u64>(), q.parse::<u64>()) {
                    (Ok(m), Ok(n)) => m.cmp(&n),
                    _ => p.cmp(q),
                };
                if ord != Ordering::Equal {
                    return ord;
                }
            }
        }
    }
}

/// The values at a dotted element path (`compose.include.system`), stepping into every item
/// of the lists on the way, with their JSON Pointers, in document order.
pub fn values_at<'v>(value: &'v Value, dotted: &str) -> Vec<(String, &'v Value)> {
    let mut here: Vec<(String, &'v Value)> = vec![(String::new(), value)];
    for step in dotted.split('.') {
        let mut next = Vec::new();
        for (at, v) in here {
            match v.get(step) {
                Some(Value::Array(items)) => {
                    for (i, item) in items.iter().enumerate() {
                        let mut p = join(&at, step);
                        push_index(&mut p, i);
                        next.push((p, item));
                    }
                }
                Some(found) => next.push((join(&at, step), found)),
                None => {}
            }
        }
        here = next;
    }
    here
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expressions_follow_pointers() {
        assert_eq!(
            expression("Condition", "/code/coding/0/code"),
            "Condition.code.coding[0].code"
        );
        assert_eq!(expression("Patient", ""), "Patient");
        assert_eq!(
            Location::root("Bundle")
                .child("/entry/2/resource")
                .child("/code")
                .expression,
            "Bundle.entry[2].resource.code"
        );
    }

    #[test]
    fn at_pointer_is_value_pointer() {
        let v = serde_json::json!({"a": [{"b/c": 1, "d~e": [true]}], "": {"x": 2}, "01": 3});
        let record = crate::json::Value::from(&v);
        for p in [
            "",
            "/a",
            "/a/0",
            "/a/0/b~1c",
            "/a/0/d~0e/0",
            "/a/01",
            "/a/1",
            "/a/x",
            "/",
            "//x",
            "/01",
            "/a/0/b",
            "a",
            "/a/-",
        ] {
            let found = record.at_pointer(p).map(serde_json::Value::from);
            assert_eq!(found.as_ref(), v.pointer(p), "{p}");
        }
    }

    #[test]
    fn pointer_tokens_escape() {
        assert_eq!(join("/a", "b/c~d"), "/a/b~1c~0d");
        assert_eq!(tokens("/a/b~1c~0d").collect::<Vec<_>>(), vec!["a", "b/c~d"]);
    }
}
