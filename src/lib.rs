//! ehrlint: checks FHIR R4 health records while they are entered, and says in plain words what
//! is wrong and how to fix it.
//!
//! ```
//! use ehrlint::{Context, Options, Validator};
//!
//! let validator = Validator::new(Options::default()).unwrap();
//! let report = validator
//!     .validate_json(r#"{"resourceType": "Patient", "gender": "mal"}"#, &Context::default())
//!     .unwrap();
//! assert!(!report.valid);
//! assert_eq!(report.issues[0].code, "invalid-value");
//! assert_eq!(report.issues[0].path, "/gender");
//! ```

// A record must never crash the validator: a panic would also leave the Wasm instance unusable.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing
    )
)]

pub mod codes;
mod config;
mod engine;
pub mod fhir;
pub mod limits;
pub mod messages;
mod profile;
pub mod report;
pub mod rules;
pub mod session;
mod structure;

#[cfg(target_arch = "wasm32")]
mod wasm;

use std::fmt;

use serde::Deserialize;
use serde_json::Value;

pub use config::RuleOptions;
pub use fhir::primitives::PartialDate;
pub use limits::{Limit, LimitError, Limits};
pub use messages::Locale;
pub use profile::ProfileChoice;
pub use report::{Category, Completeness, Issue, Report, Severity, Tally};
pub use rules::RuleMeta;

/// How a validator is set up. Later options (rule configuration, locale) add fields; unknown
/// keys are refused so a typo never silently does nothing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
#[non_exhaustive]
pub struct Options {
    /// The completeness profile: `"default"` (modelled on US Core; the default), `"none"`
    /// (FHIR R4 alone) or a profile document (schemas/profile.schema.json, docs/profiles.md).
    /// A bad profile makes `Validator::new` fail with a message saying what is wrong.
    pub profile: Option<ProfileChoice>,
    /// Requirements added to the profile, in the format of a profile's `resources`:
    /// `{"Patient": {"required": ["birthDate"]}}`.
    pub require: Option<Value>,
    /// Rules turned off (by code or family) and severities overridden per code.
    pub rules: Option<RuleOptions>,
    /// The date of service (YYYY-MM-DD) when a call's context gives none: for batch work on
    /// records of one day.
    pub as_of: Option<String>,
    /// The language of issue messages: `"en"` (the default) or `"es"`. Issue codes, paths
    /// and suggestions are the same in every locale.
    pub locale: Option<String>,
    /// How large, deep, long-listed and long-stringed one input may be (docs/limits.md); the
    /// limits not given keep their defaults.
    #[serde(default, deserialize_with = "limits::deserialize_option")]
    pub limits: Option<Limits>,
}

impl Options {
    /// Options from their JSON form (what the JS API and the CLI's --config take). The error
    /// names the bad key: `invalid options: rules.disable: invalid type: string "x", expected
    /// a sequence`. Read key by key rather than through a path-tracking deserializer, which
    /// cost the Wasm some 20 KB; `null` is as good as absent.
    pub fn from_json(value: Value) -> Result<Options, String> {
        fn field<T: serde::de::DeserializeOwned>(path: &str, v: Value) -> Result<T, String> {
            serde_json::from_value(v).map_err(|e| format!("invalid options: {path}: {e}"))
        }
        let map = match value {
            Value::Object(map) => map,
            Value::Null => return Ok(Options::default()),
            other => {
                return Err(format!(
                    "invalid options: options are an object, not {}",
                    json_type_name(&other)
                ))
            }
        };
        let mut options = Options::default();
        for (key, v) in map {
            if v.is_null() {
                continue;
            }
            match key.as_str() {
                "profile" => {
                    options.profile = Some(match v {
                        Value::String(name) => ProfileChoice::BuiltIn(name),
                        doc => ProfileChoice::Custom(doc),
                    })
                }
                "require" => options.require = Some(v),
                "rules" => {
                    let Value::Object(rules) = v else {
                        return Err(format!(
                            "invalid options: rules: invalid type: {}, expected an object",
                            json_type_name(&v)
                        ));
                    };
                    let mut r = RuleOptions::default();
                    for (key, v) in rules {
                        match key.as_str() {
                            "disable" => r.disable = field("rules.disable", v)?,
                            "severity" => r.severity = field("rules.severity", v)?,
                            _ => {
                                return Err(format!(
                                "invalid options: rules: unknown field `{key}`, expected `disable` or `severity`"
                            ))
                            }
                        }
                    }
                    options.rules = Some(r);
                }
                "asOf" => options.as_of = Some(field("asOf", v)?),
                "locale" => options.locale = Some(field("locale", v)?),
                "limits" => {
                    options.limits = Some(
                        Limits::from_json(&v).map_err(|e| format!("invalid options: limits: {e}"))?,
                    )
                }
                _ => return Err(format!(
                    "invalid options: unknown field `{key}`, expected one of `profile`, `require`, `rules`, `asOf`, `locale`, `limits`"
                )),
            }
        }
        Ok(options)
    }

    /// Options with this profile.
    pub fn with_profile(profile: ProfileChoice) -> Self {
        Options {
            profile: Some(profile),
            ..Options::default()
        }
    }
}

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
                .and_then(|s| fhir::primitives::parse_date(s).ok()),
            gender: value
                .get("gender")
                .and_then(Value::as_str)
                .map(str::to_string),
        }
    }
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

fn json_type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Builds everything once (schemas, rules), then validates any number of records.
pub struct Validator {
    engine: engine::Engine,
    #[allow(dead_code)] // read by options-driven rules as they arrive
    options: Options,
    limits: Limits,
}

impl Validator {
    /// Builds the rule set and profile; the structure schemas are compiled into the crate.
    pub fn new(options: Options) -> Result<Self, String> {
        let limits = options.limits.unwrap_or_default();
        limits.check()?;
        Ok(Validator {
            engine: engine::Engine::new(&options)?,
            options,
            limits,
        })
    }

    /// Validates a parsed record. Anything can be passed: a value that is not a resource gets
    /// a report with one error saying so. The value is trusted to be within the limits (it
    /// was parsed with `Validator::parse`, or built by the program); `validate_value` checks
    /// them first.
    pub fn validate(&self, resource: &Value, context: &Context) -> Report {
        self.engine.run(resource, context)
    }

    /// Validates a value that did not come through `Validator::parse`: over a limit
    /// (`Options::limits`: depth, list length, string length) it is an `InputError`, as from
    /// `validate_json`; within them, the report of `validate`.
    pub fn validate_value(
        &self,
        resource: &Value,
        context: &Context,
    ) -> Result<Report, InputError> {
        self.limits
            .check_value(resource)
            .map_err(InputError::Limit)?;
        Ok(self.validate(resource, context))
    }

    /// Parses and validates JSON text. Input that is not a resource (not JSON, not an object,
    /// no resourceType) or over a limit is an `InputError`, as the JS API throws and the CLI
    /// reports.
    pub fn validate_json(&self, text: &str, context: &Context) -> Result<Report, InputError> {
        let value = self.parse(text)?;
        check_input(&value)?;
        Ok(self.validate(&value, context))
    }

    /// Parses JSON text within this validator's limits (`Options::limits`).
    pub fn parse(&self, text: &str) -> Result<Value, InputError> {
        parse_with_limits(text, &self.limits)
    }

    /// The input limits this validator applies.
    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    /// Loads the ICD-10-CM descriptions (the text of data/icd10cm-descriptions.tsv, shipped
    /// beside the npm package) so that messages name codes. Returns how many were loaded;
    /// loading twice keeps the first set.
    pub fn load_descriptions(&self, text: String) -> Result<usize, String> {
        let codes = self.engine.codes();
        if let Some(d) = codes.descriptions.get() {
            return Ok(d.len());
        }
        let parsed = codes::descriptions::Descriptions::parse(text)?;
        let n = parsed.len();
        let _ = codes.descriptions.set(parsed);
        Ok(n)
    }

    /// Codes for what is being typed: ICD-10-CM (`system` "icd10cm" or its URI) by code prefix
    /// (`E11`, `e11.6`) or by words of the description ("type 2 diab", once the descriptions are
    /// loaded: without them word queries find nothing), ICD-10-PCS ("icd10pcs") by code
    /// prefix; only codes valid on `as_of` (default today), at most `limit`.
    pub fn lookup(
        &self,
        system: &str,
        text: &str,
        limit: usize,
        as_of: Option<PartialDate>,
    ) -> Result<Vec<codes::lookup::Found>, String> {
        let system = codes::lookup::System::parse(system).ok_or_else(|| {
            format!("lookup: unknown code system {system:?}: use icd10cm or icd10pcs")
        })?;
        let day = as_of
            .or(self.engine.default_as_of())
            .map_or_else(fhir::clock::today, |d| d.days().0);
        Ok(codes::lookup::lookup(
            self.engine.codes(),
            system,
            text,
            limit,
            day,
        ))
    }

    /// Starts an editing session on a record of `resource_type` (from `initial`, or empty):
    /// each `set` re-runs only the rules that read what changed.
    pub fn session(
        &self,
        resource_type: &str,
        initial: Option<Value>,
        context: Context,
    ) -> Result<session::Session<'_>, String> {
        Ok(session::Session {
            validator: self,
            state: session::SessionState::new(self, resource_type, initial, context)?,
        })
    }

    /// The session state alone, for bindings that keep the validator themselves.
    pub fn session_state(
        &self,
        resource_type: &str,
        initial: Option<Value>,
        context: Context,
    ) -> Result<session::SessionState, String> {
        session::SessionState::new(self, resource_type, initial, context)
    }

    /// `SessionState::set` on this validator.
    pub fn session_set(
        &self,
        state: &mut session::SessionState,
        path: &str,
        value: Option<Value>,
    ) -> Result<session::Change, String> {
        state.set(self, path, value)
    }

    /// The issues of one element given alone, or in the record of `context.record`: its
    /// structure, its own rules and the rules across fields that read it. `path` is a JSON
    /// Pointer (`/birthDate`) or FHIRPath-style (`Patient.birthDate`,
    /// `Observation.valueQuantity.value`).
    pub fn validate_field(
        &self,
        resource_type: &str,
        path: &str,
        value: Value,
        context: &Context,
    ) -> Result<Vec<Issue>, String> {
        session::validate_field(
            self,
            resource_type,
            path,
            value,
            context,
            context.record.as_ref(),
        )
    }

    pub(crate) fn engine(&self) -> &engine::Engine {
        &self.engine
    }

    pub(crate) fn structure(&self) -> &structure::Structure {
        self.engine.structure()
    }

    /// The resource types this validator checks.
    pub fn supported_types(&self) -> Vec<&str> {
        self.engine.structure().supported_types().collect()
    }
}

/// Parses JSON text into a value, with a clear error, within the default limits
/// (`Limits::default()`: 10 MB, 64 levels deep, lists of 100,000 items).
pub fn parse(text: &str) -> Result<Value, InputError> {
    parse_with_limits(text, &Limits::default())
}

/// Parses JSON text into a value within `limits`: over one, an `InputError::Limit` naming it
/// and where; not JSON, an `InputError::Json` with the line and column.
pub fn parse_with_limits(text: &str, limits: &Limits) -> Result<Value, InputError> {
    // A UTF-8 byte-order mark is common in files saved on Windows; RFC 8259 lets a parser
    // ignore it, and rejecting the file for it helps nobody.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    limits::parse(text, limits).map_err(|e| match e {
        Ok(limit) => InputError::Limit(limit),
        Err(e) => InputError::Json {
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        },
    })
}

fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// Is this value a resource at all (an object with a resourceType string)?
pub fn check_input(value: &Value) -> Result<(), InputError> {
    let Some(object) = value.as_object() else {
        return Err(InputError::NotAnObject {
            found: json_type_name(value),
        });
    };
    match object.get("resourceType") {
        Some(Value::String(_)) => Ok(()),
        _ => Err(InputError::NoResourceType),
    }
}
