//! Schema errors -> issues, one issue per defect at the element that is wrong.
//!
//! Two things keep cascades out: at most one issue per path (the most basic problem wins: a
//! wrong JSON type hides the enum or format check of the same value), and a misspelt
//! mandatory element (`stauts`) gives only the unknown-property issue that suggests it, not a
//! second "status is missing".

use std::cmp::Ordering;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::ValidationError;
use serde_json::Value;

use super::Structure;
use crate::fhir::path::{self, Location};
use crate::fhir::primitives;
use crate::messages::Catalogue;
use crate::report::Issue;
use crate::rules::completeness::{required_choice, required_element};
use crate::rules::structure::{
    choice_conflict, empty_element, empty_value, invalid_date, invalid_format, invalid_value,
    unknown_property, value_out_of_range, wrong_type,
};

/// Which issue wins when two land on one path (lower first).
fn rank(error: &ValidationError<'_>) -> u8 {
    match error.kind() {
        ValidationErrorKind::Type { .. } => 0,
        ValidationErrorKind::Enum { options }
            if implied_type_missed(options, error.instance()).is_some() =>
        {
            0
        }
        ValidationErrorKind::AdditionalProperties { .. } | ValidationErrorKind::Required { .. } => {
            1
        }
        ValidationErrorKind::MinItems { .. } | ValidationErrorKind::MinProperties { .. } => 2,
        _ => 3,
    }
}

/// The JSON type every allowed value of an enum has, when `instance` is not of it. The schema
/// gives each enum the `type` of its values (a test in `structure` checks it), and the
/// build-time validator leaves out that `type` check as implied by the enum: a value of the
/// wrong type arrives as an enum error only, and is a wrong-type defect.
fn implied_type_missed(options: &Value, instance: &Value) -> Option<&'static str> {
    let first = json_type(options.as_array()?.first()?);
    let one_type = options.as_array()?.iter().all(|o| json_type(o) == first);
    (one_type && json_type(instance) != first).then_some(first)
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// What an object at `suffix` is called in messages: `Observation` for the resource itself,
/// `Observation.component[0]` below it, even inside a Bundle (the issue's expression still
/// gives the full location).
fn owner(resource_type: &str, suffix: &str) -> String {
    path::expression(resource_type, suffix)
}

pub(crate) fn translate(
    structure: &Structure,
    resource_type: &str,
    location: &Location,
    messages: &Catalogue,
    errors: &[ValidationError<'_>],
    out: &mut Vec<Issue>,
) {
    // Suggestions made for unknown properties, per object: a missing element they name is the
    // same defect.
    let mut suggested: Vec<(String, String)> = Vec::new();
    let mut found: Vec<(u8, Issue)> = Vec::with_capacity(errors.len());

    for error in errors {
        let suffix = error.instance_path().as_str();
        if let ValidationErrorKind::AdditionalProperties { unexpected } = error.kind() {
            let allowed: Vec<&str> = structure
                .definition_at(resource_type, suffix)
                .and_then(|d| d.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for property in unexpected {
                let issue = unknown_property::issue(
                    location,
                    messages,
                    suffix,
                    property,
                    allowed.iter().copied(),
                    &owner(resource_type, suffix),
                );
                if let Some(s) = issue.suggestions.first() {
                    suggested.push((suffix.to_string(), s.clone()));
                }
                found.push((1, issue));
            }
        }
    }

    let was_suggested =
        |suffix: &str, name: &str| suggested.iter().any(|(s, n)| s == suffix && n == name);

    for error in errors {
        let suffix = error.instance_path().as_str();
        let instance = error.instance();
        let issue = match error.kind() {
            ValidationErrorKind::AdditionalProperties { .. } => continue,
            ValidationErrorKind::Required { property } => {
                let Some(name) = property.as_str() else {
                    continue;
                };
                if was_suggested(suffix, name) {
                    continue;
                }
                required_element::issue(
                    location,
                    messages,
                    suffix,
                    &owner(resource_type, suffix),
                    name,
                )
            }
            ValidationErrorKind::Type { kind } => {
                let expected = match kind {
                    TypeKind::Single(t) => t.to_string(),
                    // `[string, null]` in primitive arrays: name the real type.
                    TypeKind::Multiple(set) => set
                        .iter()
                        .map(|t| t.to_string())
                        .find(|t| t != "null")
                        .unwrap_or_default(),
                };
                wrong_type::issue(location, messages, suffix, &expected, instance)
            }
            ValidationErrorKind::Enum { options } => {
                if let Some(expected) = implied_type_missed(options, instance) {
                    wrong_type::issue(location, messages, suffix, expected, instance)
                } else {
                    let allowed = options.as_array().map(Vec::as_slice).unwrap_or_default();
                    invalid_value::issue(location, messages, suffix, instance, allowed)
                }
            }
            ValidationErrorKind::Constant { expected_value } => invalid_value::issue(
                location,
                messages,
                suffix,
                instance,
                std::slice::from_ref(expected_value),
            ),
            ValidationErrorKind::Format { format } => {
                let text = instance.as_str().unwrap_or_default();
                let type_name = primitives::format_type_name(format);
                if text.is_empty() {
                    empty_value::issue(location, messages, suffix)
                } else {
                    match primitives::check_format(format, text) {
                        Err(reason) if primitives::is_temporal_format(format) => {
                            invalid_date::issue(
                                location, messages, suffix, type_name, instance, &reason,
                            )
                        }
                        Err(reason) => invalid_format::issue(
                            location, messages, suffix, type_name, instance, &reason,
                        ),
                        // The schema's format check is this one: not reached, and never lost.
                        Ok(()) => invalid_value::issue_generic(
                            location,
                            messages,
                            suffix,
                            &error.to_string(),
                        ),
                    }
                }
            }
            ValidationErrorKind::MinItems { .. } => {
                empty_element::issue(location, messages, suffix, true)
            }
            ValidationErrorKind::MinProperties { .. } => {
                empty_element::issue(location, messages, suffix, false)
            }
            ValidationErrorKind::Minimum { limit } => {
                value_out_of_range::issue(location, messages, suffix, instance, limit, true)
            }
            ValidationErrorKind::Maximum { limit } => {
                value_out_of_range::issue(location, messages, suffix, instance, limit, false)
            }
            ValidationErrorKind::Custom { message, .. } => {
                let mut parts = message.splitn(3, '|');
                let (Some(what), Some(name), Some(props)) =
                    (parts.next(), parts.next(), parts.next())
                else {
                    continue;
                };
                let props: Vec<&str> = props.split(',').collect();
                if what == "conflict" {
                    choice_conflict::issue(location, messages, suffix, name, &props)
                } else {
                    if props.iter().any(|p| was_suggested(suffix, p)) {
                        continue;
                    }
                    required_choice::issue(
                        location,
                        messages,
                        suffix,
                        &owner(resource_type, suffix),
                        name,
                        &props,
                    )
                }
            }
            // Anything else the generated schema might raise: still one issue, worded by the
            // schema library.
            _ => invalid_value::issue_generic(location, messages, suffix, &error.to_string()),
        };
        found.push((rank(error), issue));
    }

    found.sort_by(|a, b| pointer_order(&a.1.path, &b.1.path).then(a.0.cmp(&b.0)));
    found.dedup_by(|later, first| later.1.path == first.1.path);
    out.extend(found.into_iter().map(|(_, issue)| issue));
}

/// Document-like order: array indexes compare as numbers (`/entry/2` before `/entry/10`).
pub(crate) fn pointer_order(a: &str, b: &str) -> Ordering {
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
