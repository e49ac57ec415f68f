//! Implementation Guide profiles as the validator checks them: a StructureDefinition's
//! constraints on a resource type compiled into a tree of the elements it constrains (the
//! cardinality it narrows, its fixed and pattern values), and the check of a resource against
//! one. src/ig/ builds them from a package's StructureDefinitions; this module knows nothing
//! of packages. The R4 walk has already checked what the base type requires: a profile's
//! check reports only what the profile adds.

use std::fmt::Write;

use crate::json::{Map, Value};

/// A profile, compiled.
#[derive(Debug, Clone)]
pub struct Profile {
    /// Its canonical URL, without a version.
    pub url: String,
    pub version: Option<String>,
    /// What people call it: the definition's title, else its name ("US Core Patient Profile").
    pub title: String,
    /// The resource type it constrains.
    pub resource_type: String,
    /// The constrained elements directly below the resource, each with its own below it.
    pub elements: Vec<Constraint>,
    /// The ids of the definition's elements not compiled (slices, constraints of the
    /// resource itself): what the check does not cover.
    pub left_out: Vec<String>,
}

/// What a profile says of one element, and of the elements below it.
#[derive(Debug, Clone, PartialEq)]
pub struct Constraint {
    /// The JSON name; a choice element's base name (`value` for `value[x]`).
    pub name: String,
    pub choice: bool,
    /// The element's path as the definitions write it (`Patient.identifier.system`).
    pub path: String,
    pub min: u32,
    /// None: unbounded.
    pub max: Option<u32>,
    /// The cardinality of the element the profile constrains (the base type's, or the base
    /// profile's): only a narrower one is the profile's to report.
    pub base_min: u32,
    pub base_max: Option<u32>,
    /// A fixed or pattern value each occurrence must have.
    pub value: Option<Required>,
    pub children: Vec<Constraint>,
}

/// `fixed[x]` (the value exactly) or `pattern[x]` (at least what it gives).
#[derive(Debug, Clone, PartialEq)]
pub struct Required {
    pub exact: bool,
    /// The JSON type suffix of the definition's key (`CodeableConcept` of
    /// `patternCodeableConcept`): for a choice, which of its forms the value takes.
    pub type_suffix: String,
    pub value: Value,
}

impl Constraint {
    /// Whether the profile narrows the base's cardinality from below, and from above.
    pub fn raises_min(&self) -> bool {
        self.min > self.base_min
    }

    pub fn lowers_max(&self) -> bool {
        match (self.max, self.base_max) {
            (Some(max), Some(base)) => max < base,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }

    /// `1..*`, `0..1`.
    pub fn cardinality(&self) -> String {
        match self.max {
            Some(max) => format!("{}..{max}", self.min),
            None => format!("{}..*", self.min),
        }
    }
}

/// What breaks a profile, where.
#[derive(Debug, Clone, PartialEq)]
pub struct Breach<'p> {
    /// The JSON Pointer of the element below the resource; a missing one's is where it would
    /// be, with `[x]` for a choice (`/effective[x]`).
    pub pointer: String,
    pub constraint: &'p Constraint,
    pub kind: BreachKind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BreachKind {
    /// Fewer occurrences than the profile's minimum (the record has `count`).
    TooFew { count: usize },
    /// More than its maximum.
    TooMany { count: usize },
    /// An occurrence without the profile's fixed or pattern value.
    Value,
}

/// Every way `resource` (an object of the profile's type) breaks `profile`, in the order of
/// the profile's elements.
pub fn check<'p>(profile: &'p Profile, resource: &Map) -> Vec<Breach<'p>> {
    let mut out = Vec::new();
    visit(&profile.elements, resource, &mut String::new(), &mut out);
    out
}

/// `pointer`: the object's JSON Pointer, grown and cut back as the visit goes down, so that a
/// record that meets the profile costs no string per element.
fn visit<'p>(
    constraints: &'p [Constraint],
    object: &Map,
    pointer: &mut String,
    out: &mut Vec<Breach<'p>>,
) {
    let breach = |pointer: &str, constraint, kind| Breach {
        pointer: pointer.to_string(),
        constraint,
        kind,
    };
    for c in constraints {
        let found = occurrences(c, object);
        let count = found.iter().map(|o| o.values.len()).sum::<usize>();
        let parent = pointer.len();
        if count < c.min as usize && c.raises_min() {
            pointer.push('/');
            pointer.push_str(&crate::fhir::path::escape_token(&c.name));
            if c.choice {
                pointer.push_str("[x]");
            }
            out.push(breach(pointer, c, BreachKind::TooFew { count }));
            pointer.truncate(parent);
        }
        for o in &found {
            pointer.push('/');
            pointer.push_str(&crate::fhir::path::escape_token(o.key));
            if c.lowers_max() && c.max.is_some_and(|max| count > max as usize) {
                out.push(breach(pointer, c, BreachKind::TooMany { count }));
            }
            let at = pointer.len();
            for (i, value) in o.values.iter().enumerate() {
                if o.array {
                    // Writing to a String cannot fail.
                    let _ = write!(pointer, "/{i}");
                }
                let holds_value = c.value.as_ref().is_none_or(|required| {
                    let right_form =
                        !c.choice || o.key.get(c.name.len()..) == Some(&required.type_suffix);
                    right_form && holds(required, value)
                });
                if !holds_value {
                    out.push(breach(pointer, c, BreachKind::Value));
                } else if let Some(child) = value.as_object() {
                    visit(&c.children, child, pointer, out);
                }
                pointer.truncate(at);
            }
            pointer.truncate(parent);
        }
    }
}

/// The occurrences of one element in an object: under its JSON name (or each of a choice's
/// names), the values of an array one by one. A primitive given only by its `_name` form (an
/// extension saying why it is absent) counts as there, without a value to compare.
struct Occurrences<'v> {
    key: &'v str,
    array: bool,
    values: Vec<&'v Value>,
}

fn occurrences<'v>(c: &Constraint, object: &'v Map) -> Vec<Occurrences<'v>> {
    // What a `_name` form without its value stands for: nothing to compare.
    static ABSENT: Value = Value::Null;
    let mut found = Vec::new();
    for (key, value) in object.iter() {
        let (underscored, name) = match key.strip_prefix('_') {
            Some(rest) => (true, rest),
            None => (false, key),
        };
        let matches = if c.choice {
            name.strip_prefix(c.name.as_str())
                .is_some_and(|rest| rest.starts_with(|ch: char| ch.is_ascii_uppercase()))
        } else {
            name == c.name
        };
        if !matches || (underscored && object.contains_key(name)) {
            // A `_name` beside its value is counted with the value.
            continue;
        }
        let (array, values) = match value {
            Value::Array(items) if underscored => (true, vec![&ABSENT; items.len()]),
            _ if underscored => (false, vec![&ABSENT]),
            Value::Array(items) => (true, items.iter().collect()),
            other => (false, vec![other]),
        };
        found.push(Occurrences {
            key: name,
            array,
            values,
        });
    }
    found
}

/// Whether `value` has the fixed value exactly, or at least what the pattern gives.
fn holds(required: &Required, value: &Value) -> bool {
    if value.is_null() {
        // A `_name` form standing in for a missing value: nothing to compare.
        return true;
    }
    if required.exact {
        value == &required.value
    } else {
        contains(value, &required.value)
    }
}

/// FHIR's pattern matching: every member the pattern gives is in the value with what it
/// holds (recursively), and each item of a pattern's array matches some item of the value's.
fn contains(value: &Value, pattern: &Value) -> bool {
    match (value, pattern) {
        (Value::Object(v), Value::Object(p)) => p
            .iter()
            .all(|(key, want)| v.get(key).is_some_and(|have| contains(have, want))),
        (Value::Array(v), Value::Array(p)) => p
            .iter()
            .all(|want| v.iter().any(|have| contains(have, want))),
        _ => value == pattern,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constraint(name: &str, min: u32, max: Option<u32>) -> Constraint {
        Constraint {
            name: name.into(),
            choice: false,
            path: format!("Patient.{name}"),
            min,
            max,
            base_min: 0,
            base_max: None,
            value: None,
            children: Vec::new(),
        }
    }

    fn object(text: &str) -> Map {
        match crate::parse(text) {
            Ok(Value::Object(map)) => map,
            other => panic!("{other:?}"),
        }
    }

    fn profile(elements: Vec<Constraint>) -> Profile {
        Profile {
            url: "http://example.org/p".into(),
            version: None,
            title: "P".into(),
            resource_type: "Patient".into(),
            elements,
            left_out: Vec::new(),
        }
    }

    fn found(p: &Profile, text: &str) -> Vec<(String, BreachKind)> {
        check(p, &object(text))
            .into_iter()
            .map(|b| (b.pointer, b.kind))
            .collect()
    }

    #[test]
    fn reports_a_raised_minimum_and_a_lowered_maximum() {
        let p = profile(vec![
            constraint("identifier", 1, None),
            constraint("name", 0, Some(1)),
        ]);
        assert_eq!(
            found(&p, r#"{"resourceType":"Patient","name":[{},{}]}"#),
            [
                ("/identifier".to_string(), BreachKind::TooFew { count: 0 }),
                ("/name".to_string(), BreachKind::TooMany { count: 2 }),
            ]
        );
        assert_eq!(found(&p, r#"{"identifier":[{}],"name":[{}]}"#), []);
    }

    #[test]
    fn a_value_absent_with_a_reason_counts() {
        let p = profile(vec![constraint("gender", 1, Some(1))]);
        assert_eq!(found(&p, r#"{"_gender":{"extension":[]}}"#), []);
        assert_eq!(
            found(&p, r#"{}"#),
            [("/gender".to_string(), BreachKind::TooFew { count: 0 })]
        );
    }

    #[test]
    fn checks_below_each_occurrence() {
        let mut identifier = constraint("identifier", 0, None);
        identifier.children.push(constraint("system", 1, Some(1)));
        let p = profile(vec![identifier]);
        assert_eq!(
            found(&p, r#"{"identifier":[{"system":"a"},{"value":"1"}]}"#),
            [(
                "/identifier/1/system".to_string(),
                BreachKind::TooFew { count: 0 }
            )]
        );
    }

    #[test]
    fn a_pattern_is_contained_and_a_fixed_value_equal() {
        let mut code = constraint("code", 0, Some(1));
        code.value = Some(Required {
            exact: false,
            type_suffix: "CodeableConcept".into(),
            value: crate::parse(r#"{"coding":[{"system":"http://loinc.org","code":"85354-9"}]}"#)
                .unwrap_or_default(),
        });
        let mut status = constraint("status", 0, Some(1));
        status.value = Some(Required {
            exact: true,
            type_suffix: "Code".into(),
            value: Value::from("final"),
        });
        let p = profile(vec![code, status]);
        let good = r#"{"code":{"coding":[{"system":"x","code":"1"},{"system":"http://loinc.org","code":"85354-9","display":"BP"}]},"status":"final"}"#;
        assert_eq!(found(&p, good), []);
        let bad = r#"{"code":{"coding":[{"system":"http://loinc.org","code":"8480-6"}]},"status":"amended"}"#;
        assert_eq!(
            found(&p, bad),
            [
                ("/code".to_string(), BreachKind::Value),
                ("/status".to_string(), BreachKind::Value)
            ]
        );
    }

    #[test]
    fn a_choice_is_counted_under_any_of_its_names() {
        let mut effective = constraint("effective", 1, Some(1));
        effective.choice = true;
        let p = profile(vec![effective]);
        assert_eq!(found(&p, r#"{"effectiveDateTime":"2020"}"#), []);
        assert_eq!(
            found(&p, r#"{"effectiveness":"2020"}"#),
            [("/effective[x]".to_string(), BreachKind::TooFew { count: 0 })]
        );
    }
}
