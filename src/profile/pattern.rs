//! The `ehrlintPattern` schema keyword: JSON Schema's `pattern`, for the profile schema's
//! build-time copy (schemas/build/profile.schema.json). Its five patterns are ASCII classes and
//! quantifiers; regex-lite matches them without the Unicode tables and second engine that the
//! schema library's own `pattern` support builds into the Wasm (about 300 KB gzipped). Errors
//! read as `pattern`'s do: `"Bad id" does not match "^[a-z0-9][a-z0-9-]{0,63}$"`.

use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError};
use serde_json::{Map, Value};

struct Pattern {
    source: String,
    regex: regex_lite::Regex,
}

pub(crate) fn factory<'a>(
    _parent: &'a Map<String, Value>,
    value: &'a Value,
    _path: Location,
) -> Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
    let source = value
        .as_str()
        .ok_or_else(|| ValidationError::schema("ehrlintPattern must be a string"))?;
    let regex = regex_lite::Regex::new(source)
        .map_err(|e| ValidationError::schema(format!("ehrlintPattern {source:?}: {e}")))?;
    Ok(Box::new(Pattern {
        source: source.to_string(),
        regex,
    }))
}

impl Pattern {
    /// Like `pattern`, a constraint on strings only.
    fn matches(&self, instance: &Value) -> bool {
        instance.as_str().is_none_or(|s| self.regex.is_match(s))
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
