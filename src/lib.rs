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
mod ig;
pub mod json;
pub mod limits;
pub mod messages;
mod profile;
pub mod report;
pub mod rules;
pub mod session;
mod sort;
mod structure;
#[cfg(feature = "typescript")]
pub mod typescript;

#[cfg(target_arch = "wasm32")]
mod wasm;

use crate::json::Value;

pub use config::RuleOptions;
pub use engine::context::{parse_as_of, Context, InputError, Patient};
pub use engine::input;
pub use engine::operation_outcome_from_json;
pub use engine::options::{LookupOptions, Options};
pub use fhir::primitives::PartialDate;
#[cfg(feature = "ig-json")]
pub use ig::PackOptions;
pub use ig::Source as IgSource;
pub use limits::{Limit, LimitError, Limits};
pub use messages::Locale;
pub use profile::ProfileChoice;
pub use report::{Category, Completeness, Issue, Report, Severity, Tally};
pub use rules::RuleMeta;

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

    /// Validates a parsed record (as `Validator::parse` gives it, or a `serde_json::Value`,
    /// read into that form first). Anything can be passed: a value that is not a resource gets
    /// a report with one error saying so. The value is trusted to be within the limits (it
    /// was parsed with `Validator::parse`, or built by the program); `validate_value` checks
    /// them first.
    pub fn validate<R: json::AsValue + ?Sized>(&self, resource: &R, context: &Context) -> Report {
        self.engine.run(&resource.as_value(), context)
    }

    /// Validates a value that did not come through `Validator::parse`: over a limit
    /// (`Options::limits`: depth, list length, string length) it is an `InputError`, as from
    /// `validate_json`; within them, the report of `validate`.
    pub fn validate_value<R: json::AsValue + ?Sized>(
        &self,
        resource: &R,
        context: &Context,
    ) -> Result<Report, InputError> {
        let resource = resource.as_value();
        self.limits
            .check_value(&resource)
            .map_err(InputError::Limit)?;
        Ok(self.validate(resource.as_ref(), context))
    }

    /// Parses and validates JSON text. Input that is not a resource (not JSON, not an object,
    /// no resourceType) or over a limit is an `InputError`, as the JS API throws and the CLI
    /// reports.
    pub fn validate_json(&self, text: &str, context: &Context) -> Result<Report, InputError> {
        let parsed = self.parse_resource(text)?;
        Ok(self.validate_parsed(&parsed, context))
    }

    /// JSON text parsed within the limits and checked to be a resource at all.
    fn parse_resource(&self, text: &str) -> Result<limits::Parsed, InputError> {
        let parsed = read(text, &self.limits)?;
        check_input(&parsed.value)?;
        Ok(parsed)
    }

    /// The report of a record read from text: `validate`'s, with the properties the text gave
    /// twice (`duplicate-property`).
    fn validate_parsed(&self, parsed: &limits::Parsed, context: &Context) -> Report {
        self.engine
            .run_read(&parsed.value, &parsed.duplicates, context)
    }

    /// Parses and validates one record of an input (a .json file, a line of NDJSON), keeping
    /// its resourceType and id for the caller's listing: what `validate_json` does, for a
    /// batch that reports every record, checked or not (`input::Checked`).
    pub fn check_text(&self, text: Result<&str, InputError>, context: &Context) -> input::Checked {
        self.check_parsed(text.and_then(|text| self.parse_resource(text)), context)
    }

    /// `check_text` of text the caller gives up: it is freed once parsed, before the record is
    /// validated, so that a large file's text is not held beside its parsed value and the
    /// validation's own memory (docs/limits.md, "Memory").
    pub fn check_owned(&self, text: String, context: &Context) -> input::Checked {
        let parsed = self.parse_resource(&text);
        drop(text);
        self.check_parsed(parsed, context)
    }

    fn check_parsed(
        &self,
        parsed: Result<limits::Parsed, InputError>,
        context: &Context,
    ) -> input::Checked {
        match parsed {
            Ok(parsed) => {
                let value = &parsed.value;
                let text_of = |key| value.get(key).and_then(Value::as_str).map(str::to_string);
                input::Checked {
                    resource_type: text_of("resourceType"),
                    id: text_of("id"),
                    result: Ok(self.validate_parsed(&parsed, context)),
                }
            }
            Err(e) => input::Checked {
                resource_type: None,
                id: None,
                result: Err(e),
            },
        }
    }

    /// Validates NDJSON (one resource per line, as a FHIR Bulk Data export holds), each
    /// non-blank line on its own and within the limits (`Options::limits`, per line): the line
    /// number of each, from 1, and its outcome. A line that is not a resource is reported for
    /// itself; the others go on. Only an input that cannot be read is an error.
    pub fn validate_ndjson(
        &self,
        reader: impl std::io::BufRead,
        context: &Context,
    ) -> Result<Vec<(usize, input::Checked)>, String> {
        let mut out = Vec::new();
        input::ndjson_lines(reader, &self.limits, |n, line| {
            out.push((n, self.check_text(line, context)));
            Ok(())
        })
        .map_err(|stop| format!("NDJSON: {stop}"))?;
        Ok(out)
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
    /// prefix; only codes valid on `options.as_of` (default: the options' `asOf`, else today),
    /// at most `options.limit()`.
    pub fn lookup(
        &self,
        system: &str,
        text: &str,
        options: &LookupOptions,
    ) -> Result<Vec<codes::lookup::CodeMatch>, String> {
        let system = codes::lookup::System::parse(system).ok_or_else(|| {
            format!("lookup: unknown code system {system:?}: use icd10cm or icd10pcs")
        })?;
        let day = options
            .as_of
            .or(self.engine.default_as_of())
            .map_or_else(fhir::clock::today, |d| d.days().0);
        Ok(codes::lookup::lookup(
            self.engine.codes(),
            system,
            text,
            options.limit(),
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
            engine: &self.engine,
            state: session::SessionState::new(&self.engine, resource_type, initial, context)?,
        })
    }

    /// The session state alone, for bindings that keep the validator themselves.
    pub fn session_state(
        &self,
        resource_type: &str,
        initial: Option<Value>,
        context: Context,
    ) -> Result<session::SessionState, String> {
        session::SessionState::new(&self.engine, resource_type, initial, context)
    }

    /// `SessionState::set` on this validator.
    pub fn session_set(
        &self,
        state: &mut session::SessionState,
        path: &str,
        value: Option<Value>,
    ) -> Result<session::Change, String> {
        state.set(&self.engine, path, value)
    }

    /// `SessionState::touch` on this validator.
    pub fn session_touch(
        &self,
        state: &mut session::SessionState,
        path: &str,
    ) -> Result<session::Change, String> {
        state.touch(&self.engine, path)
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
            &self.engine,
            resource_type,
            path,
            value,
            context,
            context.record.as_ref(),
        )
    }

    /// The resource types this validator checks.
    pub fn supported_types(&self) -> Vec<&str> {
        self.engine.structure().supported_types().collect()
    }
}

/// The compiled form of Implementation Guides (what `ehrlint ig pack` writes): their
/// profiles compiled as `options` say. A validator given it (`Options::ig`,
/// [`IgSource::Pack`]) checks records as if given the guides, without reading or compiling
/// their JSON: in the browser, a page loads it in milliseconds.
#[cfg(feature = "ig-json")]
pub fn pack_guides(guides: &[IgSource], options: &PackOptions) -> Result<Vec<u8>, String> {
    let model = fhir::model::Model::r4()?;
    ig::Registry::pack(guides, options, &model)
}

/// Parses JSON text into a value, with a clear error, within the default limits
/// (`Limits::default()`: 10 MB, 64 levels deep, lists of 100,000 items).
pub fn parse(text: &str) -> Result<Value, InputError> {
    parse_with_limits(text, &Limits::default())
}

/// Parses JSON text into a value within `limits`: over one, an `InputError::Limit` naming it
/// and where; not JSON, an `InputError::Json` with the line and column.
pub fn parse_with_limits(text: &str, limits: &Limits) -> Result<Value, InputError> {
    read(text, limits).map(|parsed| parsed.value)
}

/// `parse_with_limits`, with the properties the text gave twice.
fn read(text: &str, limits: &Limits) -> Result<limits::Parsed, InputError> {
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
pub fn check_input<R: json::AsValue + ?Sized>(value: &R) -> Result<(), InputError> {
    let value = value.as_value();
    let Some(object) = value.as_object() else {
        return Err(InputError::NotAnObject {
            found: value.kind(),
        });
    };
    match object.get("resourceType") {
        Some(Value::String(_)) => Ok(()),
        _ => Err(InputError::NoResourceType),
    }
}
