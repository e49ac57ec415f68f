//! The structure layer: is this a well-formed FHIR R4 resource?
//!
//! The generated `schemas/fhir-r4.schema.json` is compiled into Rust when the crate is built
//! (the `jsonschema` crate's `validator` macro): no schema is parsed or compiled at run time,
//! and the Wasm carries no JSON Schema compiler. The schema's root dispatches on
//! `resourceType` (never through a `oneOf` over every resource). Schema errors are translated
//! into issues by `translate`.

mod choices;
mod pattern;
#[cfg(test)]
mod tests;
mod translate;

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::fhir::path::{self, Location};
use crate::messages::Catalogue;
use crate::report::Issue;

pub(crate) use translate::{pointer_order, translate};

/// The generated schema document (see tools/gen-schemas.mjs): read at run time for the
/// definitions (element names, lists, required elements), checked with `FhirSchema`.
const SCHEMA_TEXT: &str = include_str!("../../schemas/fhir-r4.schema.json");

/// The FHIR formats, each a function for the build-time validator (`primitives::FORMATS`).
macro_rules! formats {
    ($($name:ident => $format:literal),* $(,)?) => {
        mod formats {
            use crate::fhir::primitives;
            $(
                pub(crate) fn $name(s: &str) -> bool {
                    !s.is_empty() && primitives::check_format($format, s).is_ok()
                }
            )*
            #[cfg(test)]
            pub(crate) const ALL: &[&str] = &[$($format),*];
        }
    };
}

formats! {
    date => "fhir-date",
    date_time => "fhir-dateTime",
    instant => "fhir-instant",
    time => "fhir-time",
    id => "fhir-id",
    code => "fhir-code",
    string => "fhir-string",
    uri => "fhir-uri",
    oid => "fhir-oid",
    uuid => "fhir-uuid",
    base64_binary => "fhir-base64Binary",
    xhtml => "fhir-xhtml",
}

/// schemas/fhir-r4.schema.json as Rust: a resource of a supported type against its definition.
#[jsonschema::validator(
    path = "schemas/fhir-r4.schema.json",
    draft = Draft7,
    validate_formats = true,
    formats = {
        "fhir-date" => crate::structure::formats::date,
        "fhir-dateTime" => crate::structure::formats::date_time,
        "fhir-instant" => crate::structure::formats::instant,
        "fhir-time" => crate::structure::formats::time,
        "fhir-id" => crate::structure::formats::id,
        "fhir-code" => crate::structure::formats::code,
        "fhir-string" => crate::structure::formats::string,
        "fhir-uri" => crate::structure::formats::uri,
        "fhir-oid" => crate::structure::formats::oid,
        "fhir-uuid" => crate::structure::formats::uuid,
        "fhir-base64Binary" => crate::structure::formats::base64_binary,
        "fhir-xhtml" => crate::structure::formats::xhtml,
    },
    keywords = { "fhirChoices" => crate::structure::choices::factory },
)]
struct FhirSchema;

/// schemas/profile.schema.json as Rust (from its build-time copy, see tools/gen-schemas.mjs).
#[jsonschema::validator(
    path = "schemas/build/profile.schema.json",
    keywords = { "ehrlintPattern" => crate::structure::pattern::factory },
)]
pub(crate) struct ProfileSchema;

pub struct Structure {
    schema: Value,
    supported: HashSet<String>,
}

impl Structure {
    pub fn new() -> Result<Self, String> {
        let schema: Value = serde_json::from_str(SCHEMA_TEXT)
            .map_err(|e| format!("the built-in schema does not parse: {e}"))?;
        let supported = string_list(&schema, "supported")
            .map(str::to_string)
            .collect();
        Ok(Structure { schema, supported })
    }

    pub fn is_supported(&self, resource_type: &str) -> bool {
        self.supported.contains(resource_type)
    }

    /// Every resource type of FHIR R4, supported or not.
    pub fn resource_types(&self) -> impl Iterator<Item = &str> {
        string_list(&self.schema, "resourceTypes")
    }

    pub fn supported_types(&self) -> impl Iterator<Item = &str> {
        string_list(&self.schema, "supported")
    }

    fn definition(&self, name: &str) -> Option<&Map<String, Value>> {
        self.schema.get("definitions")?.get(name)?.as_object()
    }

    /// The elements a resource type requires (min cardinality 1), `resourceType` aside.
    pub fn required_elements(&self, resource_type: &str) -> impl Iterator<Item = &str> {
        self.definition(resource_type)
            .and_then(|d| d.get("required"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|p| *p != "resourceType")
    }

    /// The object definition that describes the object at `pointer` (relative to a resource
    /// of type `resource_type`), found by walking properties and `$ref`s.
    pub fn definition_at(&self, resource_type: &str, pointer: &str) -> Option<&Map<String, Value>> {
        let mut def = self.definition(resource_type)?;
        for token in path::tokens(pointer) {
            if token.bytes().all(|b| b.is_ascii_digit()) {
                continue; // array index: same definition as the array's items
            }
            let prop = def.get("properties")?.get(token.as_ref())?;
            let target = prop.get("items").unwrap_or(prop).get("$ref")?.as_str()?;
            def = self.definition(target.strip_prefix("#/definitions/")?)?;
        }
        Some(def)
    }

    /// Can the top-level element `key` of a `resource_type` be checked on its own (with its
    /// `_key` sibling)? Not a choice element's form (checked against its other forms) and not
    /// a name the type does not have (checked against the names it has).
    pub fn element_local(&self, resource_type: &str, key: &str) -> bool {
        let Some(def) = self.definition(resource_type) else {
            return false;
        };
        let base = key.strip_prefix('_').unwrap_or(key);
        let known = def.get("properties").and_then(|p| p.get(base)).is_some();
        // A definition's choice elements: `allOf: [{"fhirChoices": [...]}]`.
        let choice = def
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("fhirChoices").and_then(Value::as_array))
            .flatten()
            .filter_map(|c| c.get("props").and_then(Value::as_array))
            .flatten()
            .any(|p| p.as_str() == Some(base));
        known && !choice && base != "resourceType"
    }

    /// Is `name`, inside the object at `pointer` of a `resource_type`, a list element?
    pub fn is_list(&self, resource_type: &str, pointer: &str, name: &str) -> bool {
        self.definition_at(resource_type, pointer)
            .and_then(|d| d.get("properties"))
            .and_then(|p| p.get(name))
            .and_then(|p| p.get("type"))
            .and_then(Value::as_str)
            == Some("array")
    }

    /// Does a dotted element path (`name.family`, `effective[x]`, `valueQuantity.code`) name
    /// an element of `resource_type`? The error says which step is unknown, with a suggestion.
    pub fn element_exists(&self, resource_type: &str, dotted: &str) -> Result<(), String> {
        let mut def = self
            .definition(resource_type)
            .ok_or_else(|| format!("{resource_type} is not a resource type"))?;
        let mut owner = resource_type.to_string();
        let steps: Vec<&str> = dotted.split('.').collect();
        for (i, step) in steps.iter().enumerate() {
            let props = def
                .get("properties")
                .and_then(Value::as_object)
                .ok_or_else(|| format!("{owner} has no elements below it"))?;
            let names = || {
                props
                    .keys()
                    .filter(|k| !k.starts_with('_'))
                    .map(String::as_str)
            };
            let prop = match step.strip_suffix("[x]") {
                Some(base) => {
                    let forms: Vec<&str> = names()
                        .filter(|k| {
                            k.strip_prefix(base)
                                .and_then(|r| r.chars().next())
                                .is_some_and(|c| c.is_ascii_uppercase())
                        })
                        .collect();
                    let Some(first) = forms.first() else {
                        return Err(format!("{owner} has no choice element {step}"));
                    };
                    if i + 1 < steps.len() {
                        return Err(format!(
                            "{step} has several types: name one form (e.g. {first}) to go below it"
                        ));
                    }
                    return Ok(());
                }
                None => match props.get(*step) {
                    Some(p) => p,
                    None => {
                        let hint = crate::rules::nearest(step, names(), 1);
                        return Err(match hint.first() {
                            Some(h) => format!("{owner} has no element {step} (did you mean {h}?)"),
                            None => format!("{owner} has no element {step}"),
                        });
                    }
                },
            };
            if i + 1 == steps.len() {
                return Ok(());
            }
            let target = prop
                .get("items")
                .unwrap_or(prop)
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/definitions/"))
                .ok_or_else(|| format!("{owner}.{step} has no elements below it"))?;
            owner = format!("{owner}.{step}");
            def = self
                .definition(target)
                .ok_or_else(|| format!("{owner} has no elements below it"))?;
        }
        Ok(())
    }

    /// Validates one resource of a supported type; issues carry `location`'s prefix and say
    /// what is wrong in the locale of `messages`.
    pub fn check(
        &self,
        resource_type: &str,
        resource: &Value,
        location: &Location,
        messages: &Catalogue,
        out: &mut Vec<Issue>,
    ) {
        // The schema's root checks a resource against the definition its resourceType names.
        debug_assert_eq!(
            resource.get("resourceType").and_then(Value::as_str),
            Some(resource_type)
        );
        if !self.is_supported(resource_type) {
            return;
        }
        // No `is_valid` pass first: collecting the errors of a valid record costs the same, and
        // the Wasm then carries one generated walk of the schema, not two.
        let errors: Vec<_> = FhirSchema::iter_errors(resource).collect();
        if errors.is_empty() {
            return;
        }
        translate(self, resource_type, location, messages, &errors, out);
    }
}

fn string_list<'a>(schema: &'a Value, key: &str) -> impl Iterator<Item = &'a str> {
    schema
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
}
