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
    pub record: Option<crate::json::Value>,
    /// The words a form uses for its elements, by JSON Pointer (`/birthDate` →
    /// "Date of birth"): messages about a missing element name it by these words instead of
    /// its FHIR path.
    pub labels: std::collections::BTreeMap<String, String>,
}

impl Context {
    /// Context from its JSON form `{"asOf": "YYYY-MM-DD"}` (the JS and CLI form: `ContextJson`).
    pub fn from_json(value: &Value) -> Result<Self, InputError> {
        let raw =
            ContextJson::deserialize(value).map_err(|e| InputError::Context(e.to_string()))?;
        let mut context = Context {
            record: raw.record.as_ref().map(crate::json::Value::from),
            labels: raw.labels.unwrap_or_default(),
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

    /// `from_json` for a context parsed by `crate::parse` (what the JS API reads): the record
    /// being edited is taken as it is, not converted twice and copied, as `validateField` is
    /// called at each keystroke with the record.
    pub fn from_value(mut value: crate::json::Value) -> Result<Self, InputError> {
        let record = value
            .as_object_mut()
            .and_then(|m| m.remove("record"))
            .filter(|r| !r.is_null());
        let mut context = Context::from_json(&Value::from(value))?;
        context.record = record;
        Ok(context)
    }
}

// The JSON form of a `Context`, as the JS API and the command line take it: what
// `Context::from_json` reads. Its doc comment is the package's.
/// Facts from outside the record, given with a call. An unknown key is refused.
#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "Context", optional_fields)
)]
pub(crate) struct ContextJson {
    /// Date of service, YYYY-MM-DD; default the record's own date, else today.
    as_of: Option<String>,
    /// The patient, for age and sex edits (inside a Bundle, the Patient the record points to
    /// wins).
    #[cfg_attr(feature = "typescript", ts(inline))]
    patient: Option<PatientJson>,
    /// For `validateField`: the record being edited, which supplies the other fields that its
    /// rules across fields read. Ignored by the other calls.
    #[cfg_attr(feature = "typescript", ts(type = "object", optional))]
    record: Option<Value>,
    /// The words your form uses for elements, by JSON Pointer from the root of the input
    /// (`{"/birthDate": "Date of birth"}`): a message about a missing element names it by
    /// these words, not its FHIR path (which stays in `path` and `expression`).
    labels: Option<std::collections::BTreeMap<String, String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS), ts(optional_fields))]
struct PatientJson {
    birth_date: Option<String>,
    #[cfg_attr(
        feature = "typescript",
        ts(type = "\"male\" | \"female\" | \"other\" | \"unknown\"", optional)
    )]
    gender: Option<String>,
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

/// What a serde_json value (options, context) is, in the words `json::Value::kind` uses for
/// records: the shape alone, read into an empty value of the same kind (no allocation).
pub(crate) fn json_type_name(value: &Value) -> &'static str {
    use crate::json;
    let shape = match value {
        Value::Null => json::Value::Null,
        Value::Bool(b) => json::Value::Bool(*b),
        Value::Number(n) => json::Value::Number(n.clone()),
        Value::String(_) => json::Value::String(json::Str::default()),
        Value::Array(_) => json::Value::Array(Vec::new()),
        Value::Object(_) => json::Value::Object(json::Map::new()),
    };
    shape.kind()
}
