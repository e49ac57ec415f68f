//! The `fhirChoices` schema keyword: FHIR choice elements (`value[x]`) appear in at most one
//! form, and a choice element with min cardinality 1 (MedicationRequest.medication[x]) in
//! exactly one. JSON Schema can only say this with anyOf/oneOf, which cascade into many errors;
//! a keyword reports one error per defect.
//!
//! Errors carry a small machine message, `conflict|value|valueQuantity,valueString` or
//! `missing|medication|medicationCodeableConcept,medicationReference`, that `translate` turns
//! into an issue at the right path.

use jsonschema::paths::Location;
use jsonschema::{Keyword, ValidationError};
use serde_json::{Map, Value};

struct Group {
    name: String,
    min: u64,
    props: Vec<String>,
}

struct Choices {
    groups: Vec<Group>,
}

pub(super) fn factory<'a>(
    _parent: &'a Map<String, Value>,
    value: &'a Value,
    _path: Location,
) -> Result<Box<dyn for<'i> Keyword<'i>>, ValidationError<'a>> {
    let groups = value
        .as_array()
        .ok_or_else(|| ValidationError::custom("fhirChoices must be an array"))?
        .iter()
        .map(|g| Group {
            name: g
                .get("name")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            min: g.get("min").and_then(Value::as_u64).unwrap_or(0),
            props: g
                .get("props")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect(),
        })
        .collect();
    Ok(Box::new(Choices { groups }))
}

impl Choices {
    fn problems<'s>(&'s self, object: &'s Map<String, Value>) -> impl Iterator<Item = String> + 's {
        self.groups.iter().filter_map(move |g| {
            let present: Vec<&str> = g
                .props
                .iter()
                .filter(|p| object.contains_key(p.as_str()))
                .map(String::as_str)
                .collect();
            if present.len() > 1 {
                Some(format!("conflict|{}|{}", g.name, present.join(",")))
            } else if present.is_empty() && g.min > 0 {
                Some(format!("missing|{}|{}", g.name, g.props.join(",")))
            } else {
                None
            }
        })
    }
}

impl<'i> Keyword<'i> for Choices {
    fn validate(&self, instance: &'i Value) -> Result<(), ValidationError<'i>> {
        match instance.as_object().and_then(|o| self.problems(o).next()) {
            Some(message) => Err(ValidationError::custom(message)),
            None => Ok(()),
        }
    }

    fn is_valid(&self, instance: &'i Value) -> bool {
        instance
            .as_object()
            .is_none_or(|o| self.problems(o).next().is_none())
    }

    fn iter_errors(
        &self,
        instance: &'i Value,
    ) -> Box<dyn Iterator<Item = ValidationError<'i>> + 'i> {
        let messages: Vec<String> = instance
            .as_object()
            .map(|o| self.problems(o).collect())
            .unwrap_or_default();
        // Spelled out so the items take lifetime 'i (the trait object's item type is invariant).
        Box::new(
            messages
                .into_iter()
                .map(|m| -> ValidationError<'i> { ValidationError::custom(m) }),
        )
    }
}
