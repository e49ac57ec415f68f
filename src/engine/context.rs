//! What a validation knows besides the record: the caller's context (date of service, the
//! patient), and the errors of input that is not a record at all.

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

use crate::fhir;
pub use crate::fhir::patient::Patient;
use crate::fhir::primitives::PartialDate;
use crate::limits::LimitError;

/// Facts from outside the record that rules may need, given by the caller.
#[derive(Debug, Clone, Default)]
#[non_exhaustive]
pub struct Context {
    /// The date of service: code validity and "not in the future" are judged on this day.
    /// None means today.
    pub as_of: Option<PartialDate>,
    /// The patient the record is about, when the record itself does not say (inside a Bundle,
    /// the Patient its subject points to wins). Rules that need a missing fact stay silent.
    pub patient: Option<Patient>,
    /// The record being edited, for `validate_field`: the other fields its cross-field rules
    /// read. Ignored by `validate`.
    pub record: Option<Value>,
}

impl Context {
    /// Context from its JSON form `{"asOf": "YYYY-MM-DD"}` (the JS and CLI form).
    pub fn from_json(value: &Value) -> Result<Self, InputError> {
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "camelCase")]
        struct Raw {
            as_of: Option<String>,
            patient: Option<RawPatient>,
            record: Option<Value>,
        }
        #[derive(Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "camelCase")]
        struct RawPatient {
            birth_date: Option<String>,
            gender: Option<String>,
        }
        let raw: Raw = serde_json::from_value(value.clone())
            .map_err(|e| InputError::Context(e.to_string()))?;
        let mut context = Context {
            record: raw.record,
            ..Context::default()
        };
        if let Some(s) = raw.as_of {
            context.as_of = Some(parse_as_of(&s)?);
        }
        if let Some(p) = raw.patient {
            let birth_date = match p.birth_date {
                Some(s) => Some(fhir::primitives::parse_date(&s).map_err(|e| {
                    InputError::Context(format!("patient.birthDate {s:?} is not a date: {e}"))
                })?),
                None => None,
            };
            if let Some(g) = &p.gender {
                if !matches!(g.as_str(), "male" | "female" | "other" | "unknown") {
                    return Err(InputError::Context(format!(
                        "patient.gender {g:?} must be male, female, other or unknown"
                    )));
                }
            }
            context.patient = Some(Patient {
                birth_date,
                gender: p.gender,
            });
        }
        Ok(context)
    }
}

/// Parses a date of service: a full date, YYYY-MM-DD, that exists.
pub fn parse_as_of(s: &str) -> Result<PartialDate, InputError> {
    let date = fhir::primitives::parse_date(s)
        .map_err(|e| InputError::Context(format!("asOf {s:?} is not a date: {e}")))?;
    if date.day.is_none() {
        return Err(InputError::Context(format!(
            "asOf {s:?} must be a full date, YYYY-MM-DD"
        )));
    }
    Ok(date)
}

/// Input that is not a record at all: it gets an error, not a report.
#[derive(Debug, Clone, PartialEq)]
pub enum InputError {
    /// Not JSON. Line and column are 1-based.
    Json {
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON, but not an object.
    NotAnObject { found: &'static str },
    /// An object without a `resourceType` string.
    NoResourceType,
    /// The context or options are malformed.
    Context(String),
    /// Over one of the input limits (`Options::limits`): refused whole, before validation.
    Limit(LimitError),
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Json {
                line,
                column,
                message,
            } => write!(
                f,
                "not valid JSON at line {line}, column {column}: {message}"
            ),
            InputError::NotAnObject { found } => write!(
                f,
                "a FHIR resource is a JSON object, but this input is {found}"
            ),
            InputError::NoResourceType => write!(
                f,
                "this JSON object has no \"resourceType\" string, so it is not a FHIR resource"
            ),
            InputError::Context(message) => write!(f, "{message}"),
            InputError::Limit(limit) => write!(f, "{limit}"),
        }
    }
}

impl std::error::Error for InputError {}

pub(crate) fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}
