//! The structure layer: is this a well-formed FHIR R4 resource?
//!
//! One JSON Schema per supported resource type, compiled once (`jsonschema` crate) from the
//! generated `schemas/fhir-r4.schema.json`; dispatch is on `resourceType`, never through a
//! `oneOf` over every resource. Schema errors are translated into issues by `translate`.

mod choices;
mod translate;

use std::collections::HashMap;
use std::sync::OnceLock;

use jsonschema::Draft;
use serde_json::{Map, Value};

use crate::fhir::path::{self, Location};
use crate::fhir::primitives;
use crate::messages::Catalogue;
use crate::report::Issue;

pub(crate) use translate::{pointer_order, translate};

/// The generated schema document (see tools/gen-schemas.mjs).
const SCHEMA_TEXT: &str = include_str!("../../schemas/fhir-r4.schema.json");

pub struct Structure {
    schema: Value,
    /// Compiled on first use of each type: a page that creates a validator at load pays only
    /// for the types it validates (compiling all ten takes ~20 ms native, ~90 ms in Wasm).
    validators: HashMap<String, OnceLock<Option<jsonschema::Validator>>>,
}

impl Structure {
    pub fn new() -> Result<Self, String> {
        let schema: Value = serde_json::from_str(SCHEMA_TEXT)
            .map_err(|e| format!("the built-in schema does not parse: {e}"))?;
        let validators = string_list(&schema, "supported")
            .map(|name| (name.to_string(), OnceLock::new()))
            .collect();
        let structure = Structure { schema, validators };
        // Fail at construction, not at some later validation, if the built-in schema is broken.
        if let Some(first) = structure.supported_types().next() {
            structure.compile(first)?;
        }
        Ok(structure)
    }

    fn compile(&self, name: &str) -> Result<jsonschema::Validator, String> {
        let root = serde_json::json!({
            "$schema": "http://json-schema.org/draft-07/schema#",
            "$ref": format!("#/definitions/{name}"),
            "definitions": self.schema.get("definitions"),
        });
        let mut options = jsonschema::options()
            .with_draft(Draft::Draft7)
            .should_validate_formats(true)
            .with_keyword("fhirChoices", choices::factory);
        for format in primitives::FORMATS {
            options = options.with_format(format, move |s: &str| {
                !s.is_empty() && primitives::check_format(format, s).is_ok()
            });
        }
        options
            .build(&root)
            .map_err(|e| format!("the schema of {name} does not compile: {e}"))
    }

    pub fn validator(&self, resource_type: &str) -> Option<&jsonschema::Validator> {
        self.validators
            .get(resource_type)?
            .get_or_init(|| self.compile(resource_type).ok())
            .as_ref()
    }

    pub fn is_supported(&self, resource_type: &str) -> bool {
        self.validators.contains_key(resource_type)
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
        let choice = def
            .get("fhirChoices")
            .and_then(Value::as_array)
            .into_iter()
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
                    if forms.is_empty() {
                        return Err(format!("{owner} has no choice element {step}"));
                    }
                    if i + 1 < steps.len() {
                        return Err(format!(
                            "{step} has several types: name one form (e.g. {}) to go below it",
                            forms[0]
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
        let Some(validator) = self.validator(resource_type) else {
            return;
        };
        if validator.is_valid(resource) {
            return;
        }
        let errors: Vec<_> = validator.iter_errors(resource).collect();
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
