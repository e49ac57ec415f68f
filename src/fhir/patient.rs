//! What the age and sex edits need to know of a patient, read from a Patient resource or given
//! by the caller.

use crate::json::Value;

use super::primitives::PartialDate;

/// What the age and sex edits need to know of a patient.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct Patient {
    pub birth_date: Option<PartialDate>,
    /// FHIR administrative gender: male, female, other or unknown.
    pub gender: Option<String>,
}

impl Patient {
    /// From a FHIR Patient resource (or the context's `{birthDate, gender}`); unreadable
    /// values count as unknown.
    pub fn from_resource(value: &Value) -> Self {
        Patient {
            birth_date: value
                .get("birthDate")
                .and_then(Value::as_str)
                .and_then(|s| super::primitives::parse_date(s).ok()),
            gender: value
                .get("gender")
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }
}
