//! Locations inside a record: JSON Pointers (RFC 6901) for machines and FHIRPath-style
//! expressions (`Condition.code.coding[0].code`) for people and OperationOutcome.

use std::borrow::Cow;

/// Escapes one JSON Pointer reference token (`~` -> `~0`, `/` -> `~1`).
pub fn escape_token(token: &str) -> Cow<'_, str> {
    if token.contains(['~', '/']) {
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

/// Appends `key` to a pointer.
pub fn join(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape_token(key))
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
    fn pointer_tokens_escape() {
        assert_eq!(join("/a", "b/c~d"), "/a/b~1c~0d");
        assert_eq!(tokens("/a/b~1c~0d").collect::<Vec<_>>(), vec!["a", "b/c~d"]);
    }
}
