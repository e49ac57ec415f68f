//! The `ehrlintPattern` schema keyword: JSON Schema's `pattern`, for the profile schema's
//! build-time copy (schemas/build/profile.schema.json). Its five patterns are ASCII classes and
//! quantifiers, matched here by code written for each: a regex engine (regex-lite) cost the
//! browser build about 12 KB gzipped for them, which the faster Wasm needed, and the schema
//! library's own `pattern` support builds in Unicode tables and a second engine (about 300 KB).
//! A pattern with no matcher here is refused when the schema is built, and a test checks each
//! matcher against a real regex engine. Errors read as `pattern`'s do:
//! `"Bad id" does not match "^[a-z0-9][a-z0-9-]{0,63}$"`.

use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError};
use serde_json::{Map, Value};

/// Whether a string matches one pattern.
type Matcher = fn(&str) -> bool;

struct Pattern {
    source: String,
    matcher: Matcher,
}

/// The patterns of schemas/profile.schema.json, each with its matcher.
const MATCHERS: [(&str, Matcher); 5] = [
    ("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", profile_id),
    ("^[A-Z][A-Za-z]+$", resource_type),
    (
        "^[a-z][A-Za-z0-9]*(\\[x\\])?(\\.[a-z][A-Za-z0-9]*(\\[x\\])?)*$",
        element_path,
    ),
    ("^[a-z0-9][a-z0-9-]{0,63}$", conditional_id),
    ("^[a-z]{2}$", language),
];

/// `^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$`
fn profile_id(s: &str) -> bool {
    let b = s.as_bytes();
    (1..=64).contains(&b.len())
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
}

/// `^[A-Z][A-Za-z]+$`
fn resource_type(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() >= 2
        && b.first().is_some_and(u8::is_ascii_uppercase)
        && b.iter().all(u8::is_ascii_alphabetic)
}

/// `^[a-z][A-Za-z0-9]*(\[x\])?(\.[a-z][A-Za-z0-9]*(\[x\])?)*$`: names joined by dots (no
/// name holds a dot), each maybe ending in `[x]`.
fn element_path(s: &str) -> bool {
    s.split('.').all(|part| {
        let name = part.strip_suffix("[x]").unwrap_or(part).as_bytes();
        name.first().is_some_and(u8::is_ascii_lowercase)
            && name.iter().all(u8::is_ascii_alphanumeric)
    })
}

/// `^[a-z0-9][a-z0-9-]{0,63}$`
fn conditional_id(s: &str) -> bool {
    let b = s.as_bytes();
    let allowed = |c: &u8| c.is_ascii_lowercase() || c.is_ascii_digit();
    (1..=64).contains(&b.len())
        && b.first().is_some_and(allowed)
        && b.iter().all(|c| allowed(c) || *c == b'-')
}

/// `^[a-z]{2}$`
fn language(s: &str) -> bool {
    s.len() == 2 && s.bytes().all(|c| c.is_ascii_lowercase())
}

pub(crate) fn factory<'a>(
    _parent: &'a Map<String, Value>,
    value: &'a Value,
    _path: Location,
) -> Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
    let source = value
        .as_str()
        .ok_or_else(|| ValidationError::schema("ehrlintPattern must be a string"))?;
    let matcher = MATCHERS
        .iter()
        .find(|(pattern, _)| *pattern == source)
        .map(|(_, matcher)| *matcher)
        .ok_or_else(|| {
            ValidationError::schema(format!(
                "ehrlintPattern {source:?} has no matcher in src/profile/pattern.rs"
            ))
        })?;
    Ok(Box::new(Pattern {
        source: source.to_string(),
        matcher,
    }))
}

impl Pattern {
    /// Like `pattern`, a constraint on strings only.
    fn matches(&self, instance: &Value) -> bool {
        instance.as_str().is_none_or(self.matcher)
    }
}

impl<'i> Keyword<'i> for Pattern {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        if self.matches(instance) {
            Ok(())
        } else {
            Err(ValidationError::custom(format!(
                r#"{instance} does not match "{}""#,
                self.source
            )))
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        self.matches(instance)
    }
}
