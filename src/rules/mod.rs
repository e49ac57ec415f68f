//! The rule registry: every issue code ehrlint can report, with its family, default severity
//! and FHIR issue type. One rule, one file; each file's doc comment (What / Why / Example /
//! Authority) is the rule's reference page (`tools/gen-rules-doc.mjs` builds docs/rules.md).
//!
//! Issue codes are a stable interface: a code is never renamed or reused.

/// Declares a rule file's `Check`: the resource types it reads (every type when not given: a
/// rule that reads the walk's index applies wherever its datatype appears), what it reads and
/// its check, with the file's `RULE` as its metadata. Keeps each rule file to its doc,
/// metadata, check and tests.
macro_rules! record_rule {
    (fn check($resource:ident, $cx:ident, $out:ident) $body:block) => {
        record_rule! {
            types: $crate::rules::Types::Every,
            reads: $crate::rules::Reads::EVERYTHING,
            fn check($resource, $cx, $out) $body
        }
    };
    (reads: $reads:expr, fn check($resource:ident, $cx:ident, $out:ident) $body:block) => {
        record_rule! {
            types: $crate::rules::Types::Every,
            reads: $reads,
            fn check($resource, $cx, $out) $body
        }
    };
    (types: $types:expr, fn check($resource:ident, $cx:ident, $out:ident) $body:block) => {
        record_rule! {
            types: $types,
            reads: $crate::rules::Reads::EVERYTHING,
            fn check($resource, $cx, $out) $body
        }
    };
    (types: $types:expr, reads: $reads:expr, fn check($resource:ident, $cx:ident, $out:ident) $body:block) => {
        pub struct Check;

        impl $crate::rules::Rule for Check {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                &RULE
            }
            fn types(&self) -> $crate::rules::Types {
                $types
            }
            fn reads(&self) -> $crate::rules::Reads {
                $reads
            }
            fn check(
                &self,
                $resource: &crate::json::Value,
                $cx: &$crate::rules::RuleInput,
                $out: &mut Vec<$crate::report::Issue>,
            ) $body
        }
    };
}

pub mod accuracy;
pub mod completeness;
pub mod consistency;
pub(crate) mod findings;
pub mod structure;
mod suggest;

pub(crate) use suggest::nearest;

use crate::json::Value;

use crate::codes::Codes;
use crate::fhir::clock::Day;
use crate::fhir::path::{self, AtPointer, Location};
use crate::fhir::patient::Patient;
use crate::fhir::primitives::PartialDate;
use crate::report::{Category, Issue, Severity};

/// What a record rule sees besides the resource.
pub struct RuleInput<'a> {
    /// The structure walk's index of the resource (`fhir::index`): given by the engine when
    /// the walk ran on this resource, else built on first use.
    pub(crate) index: std::cell::OnceCell<crate::fhir::index::Index<'a>>,
    /// The model, to build the index when the engine has none.
    pub(crate) model: &'a crate::fhir::model::Model,
    /// The resource's codings, identifiers, contact datatypes and periods, sorted out of the
    /// index once for all rules.
    pub(crate) views: std::cell::OnceCell<crate::fhir::coding::IndexViews<'a>>,
    /// The resource's clinical dates (`accuracy::clinical_dates`), read once for the date rules.
    pub(crate) dates: std::cell::OnceCell<Vec<accuracy::ClinicalDate<'a>>>,
    /// A Bundle's entries by fullUrl and by type and id, built once for the Bundle rules.
    pub(crate) entries: std::cell::OnceCell<crate::fhir::bundle::Entries<'a>>,
    pub(crate) resource: &'a Value,
    /// The patient the resource is about (see `patient()`), found on first use: in a large
    /// Bundle, looking it up for every entry would cost more than all the rules that need it.
    pub(crate) patient: std::cell::OnceCell<Option<Patient>>,
    /// The Bundle the resource is an entry of, for rules that follow references.
    pub bundle: Option<&'a Value>,
    /// Indexes of the input's Bundles, shared by all its resources.
    pub(crate) indexes: &'a crate::fhir::reference::Indexes,
    /// Where the resource sits in the input.
    pub location: &'a Location,
    /// The caller's date of service (the context's, else the options' `asOf`).
    pub as_of: Option<PartialDate>,
    /// The caller's patient, when the record does not say.
    pub given_patient: Option<&'a Patient>,
    pub codes: &'a Codes,
    /// The message templates of the validator's locale.
    pub messages: &'a crate::messages::Catalogue,
    /// Today (UTC), for rules that fall back on it.
    pub today: Day,
    /// Now, in seconds since 1970-01-01 UTC, for "not in the future" of timed values.
    pub now: i64,
}

impl<'a> RuleInput<'a> {
    /// The patient the resource is about: its Bundle's (or contained) Patient, else the
    /// caller's context.
    pub fn patient(&self) -> Option<&Patient> {
        self.patient
            .get_or_init(|| {
                crate::fhir::reference::patient_of(self.resource, self.bundle, self.indexes)
                    .or_else(|| self.given_patient.cloned())
            })
            .as_ref()
    }

    pub(crate) fn clinical_dates(&self) -> &[accuracy::ClinicalDate<'a>] {
        self.dates
            .get_or_init(|| accuracy::clinical_dates(self.resource))
    }

    /// The resource's ContactPoints, Addresses and HumanNames: (pointer, datatype, object).
    pub(crate) fn contact_values(&self) -> &accuracy::ContactValues<'a> {
        &self.views().contacts
    }

    /// What the walk indexed in the resource (not in the resources it holds: they have their
    /// own).
    pub(crate) fn index(&self) -> &crate::fhir::index::Index<'a> {
        self.index.get_or_init(|| {
            let resource = self.resource;
            match (
                resource.get("resourceType").and_then(Value::as_str),
                resource.as_object(),
            ) {
                (Some(rt), Some(object)) => crate::fhir::walk::walk(self.model, rt, object).index,
                _ => Default::default(),
            }
        })
    }

    /// The entries of the resource, a Bundle (none for another resource), for the Bundle rules.
    pub(crate) fn entries(&self) -> &crate::fhir::bundle::Entries<'a> {
        self.entries
            .get_or_init(|| crate::fhir::bundle::Entries::of(self.resource, self.model))
    }

    pub(crate) fn views(&self) -> &crate::fhir::coding::IndexViews<'a> {
        self.views
            .get_or_init(|| crate::fhir::coding::IndexViews::from_index(self.index()))
    }

    /// The resource's codings of one code system, anywhere in it.
    pub(crate) fn codes_of<'s>(
        &'s self,
        system: &'s str,
    ) -> impl Iterator<Item = &'s crate::fhir::coding::SystemValue<'a>> + 's {
        self.views()
            .codes
            .iter()
            .filter(move |c| c.system == system)
    }

    /// Every coding with a system, anywhere in the resource.
    pub(crate) fn all_codes(&self) -> &[crate::fhir::coding::SystemValue<'a>] {
        &self.views().codes
    }

    /// Codings with a code and no system: (pointer of the code, code).
    pub(crate) fn unsystemed(&self) -> &[(String, &'a str)] {
        &self.views().unsystemed
    }

    /// The resource's identifiers of one system, anywhere in it.
    pub(crate) fn ids_of<'s>(
        &'s self,
        system: &'s str,
    ) -> impl Iterator<Item = &'s crate::fhir::coding::SystemValue<'a>> + 's {
        self.views().ids.iter().filter(move |c| c.system == system)
    }
}

/// The days a resource's codes must be valid on and its patient's age is judged on: its own
/// date of service (`fhir::facts::service_date`), else the caller's `asOf`, else today.
pub(crate) fn service_days(resource: &Value, cx: &RuleInput) -> (Day, Day) {
    let rt = resource
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("");
    let own = crate::fhir::facts::service_date(rt).iter().find_map(|p| {
        resource
            .at_pointer(p)
            .and_then(Value::as_str)
            .and_then(crate::fhir::primitives::day_range)
    });
    own.or_else(|| cx.as_of.map(|d| d.days()))
        .unwrap_or((cx.today, cx.today))
}

/// What parts of a resource a rule reads, so that an editing session re-runs it only when
/// one of them changes. A rule that reads something it does not declare would go stale in a
/// session: tests/session.rs compares sessions with full validations over random edits.
#[derive(Debug, Clone, Copy)]
pub struct Reads {
    /// Top-level elements (`birthDate`; `effective[x]` for every form); `*`: all of them.
    pub elements: &'static [&'static str],
    /// Keys that, anywhere in the resource, make an object matter: `system` for the rules
    /// that read every Coding, Quantity and Identifier.
    pub anywhere: &'static [&'static str],
}

impl Reads {
    pub const EVERYTHING: Reads = Reads {
        elements: &["*"],
        anywhere: &[],
    };

    /// The elements of a service date (`service_days`).
    pub const SERVICE_DATE: &'static [&'static str] = crate::fhir::facts::SERVICE_DATE_ELEMENTS;

    /// Every Coding, Quantity and Identifier, wherever it is (the walk's index): a Coding
    /// without a system matters by its `code`.
    pub const CODINGS: Reads = Reads {
        elements: &[],
        anywhere: &["system", "coding", "code"],
    };

    /// Every Attachment's data and size, wherever it is.
    pub const ATTACHMENTS: Reads = Reads {
        elements: &[],
        anywhere: &["data", "size"],
    };

    /// Every `system`, wherever it is.
    pub const SYSTEMS: Reads = Reads {
        elements: &[],
        anywhere: &["system"],
    };

    /// The codings, judged on the date of service.
    pub const CODINGS_ON_SERVICE_DATE: Reads = Reads {
        elements: Reads::SERVICE_DATE,
        anywhere: &["system", "coding", "code"],
    };

    /// ContactPoints, Addresses and HumanNames, wherever they are (`RuleInput::contact_values`).
    pub const CONTACTS: Reads = Reads {
        elements: &["telecom", "address", "name", "contact"],
        anywhere: &[
            "telecom",
            "address",
            "name",
            "valueContactPoint",
            "valueAddress",
            "valueHumanName",
        ],
    };

    /// An Observation's measured values with their codes, and its date for the patient's age
    /// (`accuracy::measurements`).
    pub const MEASUREMENTS: Reads = Reads {
        elements: &[
            "code",
            "valueQuantity",
            "component",
            "recordedDate",
            "performed[x]",
            "period",
            "effective[x]",
        ],
        anywhere: &[],
    };

    /// Does this element (a top-level key, `_name` included) belong to what is read?
    pub fn element(&self, key: &str) -> bool {
        let key = key.strip_prefix('_').unwrap_or(key);
        self.elements.iter().any(|e| {
            *e == "*"
                || *e == key
                || e.strip_suffix("[x]").is_some_and(|base| {
                    key.strip_prefix(base)
                        .and_then(|rest| rest.chars().next())
                        .is_some_and(|c| c.is_ascii_uppercase())
                })
        })
    }
}

/// The resource types a rule runs on.
#[derive(Debug, Clone, Copy)]
pub enum Types {
    /// Every resource type: the rule reads datatypes, wherever they are.
    Every,
    /// These types only: the rule reads what one resource type says (a Patient's birth date).
    Only(&'static [&'static str]),
}

impl Types {
    pub fn contains(self, resource_type: &str) -> bool {
        match self {
            Types::Every => true,
            Types::Only(types) => types.contains(&resource_type),
        }
    }
}

/// A check that reads a parsed resource (after the structure layer) and pushes issues.
pub trait Rule: Sync {
    fn meta(&self) -> &'static RuleMeta;
    /// The resource types it runs on.
    fn types(&self) -> Types;
    /// The parts of a resource it reads.
    fn reads(&self) -> Reads {
        Reads::EVERYTHING
    }
    fn check(&self, resource: &Value, cx: &RuleInput, out: &mut Vec<Issue>);
}

// `ALL` and `RECORD_RULES`, written by build.rs from the rule files (`write_rule_registry`).
include!(concat!(env!("OUT_DIR"), "/rules-registry.rs"));

/// What the registry knows of a rule.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable id, kebab-case.
    pub code: &'static str,
    pub category: Category,
    pub severity: Severity,
    /// FHIR IssueType (http://hl7.org/fhir/valueset-issue-type.html) for OperationOutcome.
    pub issue_type: &'static str,
    /// One line: what the rule checks.
    pub title: &'static str,
}

impl RuleMeta {
    /// An issue of this rule at `suffix` below `location`, saying `text` in the locale of
    /// `messages`.
    pub(crate) fn issue(
        &'static self,
        location: &Location,
        suffix: &str,
        messages: &crate::messages::Catalogue,
        text: crate::messages::Text,
    ) -> Issue {
        self.at(location, suffix, messages.render(&text))
    }

    /// An issue of this rule at `suffix` below `location`.
    fn at(&'static self, location: &Location, suffix: &str, message: String) -> Issue {
        Issue {
            severity: self.severity,
            category: self.category,
            code: self.code,
            path: format!("{}{suffix}", location.pointer),
            expression: path::expression(&location.expression, suffix),
            message,
            suggestions: Vec::new(),
            invariant: None,
        }
    }
}

pub fn meta(code: &str) -> Option<&'static RuleMeta> {
    ALL.iter().copied().find(|m| m.code == code)
}

/// The FHIR IssueType of a code's issues, for OperationOutcome (`invalid` for a code the
/// registry does not know, as a report from another version may carry).
pub fn issue_type(code: &str) -> &'static str {
    meta(code).map_or("invalid", |m| m.issue_type)
}

/// A value as a message quotes it: short, and never more than the offending value itself.
pub(crate) fn quote(value: &Value) -> String {
    let text = match value {
        Value::String(s) => format!("\"{s}\""),
        other => other.to_string(),
    };
    excerpt(&text)
}

/// Text from the record as a message shows it: at most 60 characters, then an ellipsis. A
/// message never echoes more of a value than that (tests/quoting.rs).
pub(crate) fn excerpt(text: &str) -> String {
    const MAX: usize = 60;
    match text.char_indices().nth(MAX) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}…", &text[..cut]),
    }
}

/// The element a pointer suffix names, for messages: `/name/0/given/1` -> `given`.
pub(crate) fn element_name(suffix: &str) -> String {
    path::tokens(suffix)
        .filter(|t| !t.bytes().all(|b| b.is_ascii_digit()))
        .last()
        .map(|t| t.into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod testing {
    //! Shared by the rules' tests: one compiled validator for all of them. It applies no
    //! profile, so each rule's tests see only that rule's issues; the completeness rules'
    //! tests use `validator_with(default_profile())`.
    use std::sync::OnceLock;

    use crate::{Context, Options, ProfileChoice, Report, Validator};

    pub fn validator() -> &'static Validator {
        static V: OnceLock<Validator> = OnceLock::new();
        V.get_or_init(|| {
            Validator::new(Options::with_profile(ProfileChoice::BuiltIn("none".into())))
                .expect("built-in schemas compile")
        })
    }

    /// A validator with the default profile, for the completeness rules' tests.
    pub fn default_profile() -> &'static Validator {
        static DEFAULT: OnceLock<Validator> = OnceLock::new();
        DEFAULT
            .get_or_init(|| Validator::new(Options::default()).expect("built-in schemas compile"))
    }

    /// A validator with a small Implementation Guide, and no completeness profile:
    /// - "Test Patient" (`http://example.org/fhir/StructureDefinition/test-patient`), a
    ///   profile on Patient that requires an identifier, fixes its system to
    ///   `http://example.org/mrn`, allows one name, a boolean `deceased[x]` only, at most one
    ///   `birthsex` extension, and telecoms that are a `phone` (one at most) or an `email`,
    ///   sliced by `system`, closed;
    /// - "Test Patient Strict" (`.../test-patient-strict`), on Test Patient, that requires the
    ///   phone and the birthsex extension;
    /// - the `birthsex` extension (`.../test-birthsex`): a code, required;
    /// - Test Patient's `gender` bound (required) to `female` and `male` only, and its
    ///   `maritalStatus` (extensible) to v3 M and S; an address's `postalCode` must-support;
    ///   its invariants test-1 (error: a deceased patient has a gender) and test-2 (warning, on
    ///   each name: a family or a given name).
    pub fn ig_patient_profile() -> &'static Validator {
        static IG: OnceLock<Validator> = OnceLock::new();
        IG.get_or_init(|| {
            let base = "http://example.org/fhir/StructureDefinition";
            let definition = |id: &str, kind: &str, on: &str, based: String, elements| {
                serde_json::json!({
                    "resourceType": "StructureDefinition", "url": format!("{base}/{id}"),
                    "version": "1.0.0", "name": id, "title": id.replace('-', " "),
                    "status": "active", "kind": kind, "abstract": false, "type": on,
                    "baseDefinition": based, "derivation": "constraint",
                    "differential": {"element": elements}
                })
            };
            let element = |id: &str, fields: serde_json::Value| {
                let path: Vec<&str> = id
                    .split('.')
                    .map(|s| s.split(':').next().unwrap_or(s))
                    .collect();
                let mut e = serde_json::json!({"id": id, "path": path.join(".")});
                if let (Some(e), serde_json::Value::Object(fields)) = (e.as_object_mut(), fields) {
                    e.extend(fields);
                }
                e
            };
            let patient = definition(
                "test-patient",
                "resource",
                "Patient",
                "http://hl7.org/fhir/StructureDefinition/Patient".into(),
                vec![
                    element(
                        "Patient",
                        serde_json::json!({"constraint": [{"key": "test-1", "severity": "error",
                            "human": "A deceased patient has a gender",
                            "expression": "deceased.exists() implies gender.exists()"}]}),
                    ),
                    element(
                        "Patient.extension:birthsex",
                        serde_json::json!({"max": "1", "type": [
                        {"code": "Extension", "profile": [format!("{base}/test-birthsex")]}]}),
                    ),
                    element("Patient.identifier", serde_json::json!({"min": 1})),
                    element(
                        "Patient.identifier.system",
                        serde_json::json!({"fixedUri": "http://example.org/mrn"}),
                    ),
                    element(
                        "Patient.name",
                        serde_json::json!({"max": "1", "constraint": [{"key": "test-2",
                            "severity": "warning", "human": "A name has a family or a given name",
                            "expression": "family.exists() or given.exists()"}]}),
                    ),
                    element(
                        "Patient.telecom",
                        serde_json::json!({"slicing": {"discriminator": [
                        {"type": "value", "path": "system"}], "rules": "closed"}}),
                    ),
                    element("Patient.telecom:phone", serde_json::json!({"max": "1"})),
                    element(
                        "Patient.telecom:phone.system",
                        serde_json::json!({"fixedCode": "phone"}),
                    ),
                    element("Patient.telecom:email", serde_json::json!({})),
                    element(
                        "Patient.telecom:email.system",
                        serde_json::json!({"fixedCode": "email"}),
                    ),
                    element(
                        "Patient.deceased[x]",
                        serde_json::json!({"type": [{"code": "boolean"}]}),
                    ),
                    element(
                        "Patient.address.postalCode",
                        serde_json::json!({"mustSupport": true}),
                    ),
                    element(
                        "Patient.gender",
                        serde_json::json!({"binding": {"strength": "required",
                            "valueSet": format!("{base}/test-gender|1.0.0")}}),
                    ),
                    element(
                        "Patient.maritalStatus",
                        serde_json::json!({"binding": {"strength": "extensible",
                            "valueSet": format!("{base}/test-marital")}}),
                    ),
                ],
            );
            let strict = definition(
                "test-patient-strict",
                "resource",
                "Patient",
                format!("{base}/test-patient"),
                vec![
                    element("Patient.extension:birthsex", serde_json::json!({"min": 1})),
                    element("Patient.telecom:phone", serde_json::json!({"min": 1})),
                ],
            );
            let birthsex = definition(
                "test-birthsex",
                "complex-type",
                "Extension",
                "http://hl7.org/fhir/StructureDefinition/Extension".into(),
                vec![
                    element(
                        "Extension.url",
                        serde_json::json!({"fixedUri": format!("{base}/test-birthsex")}),
                    ),
                    element(
                        "Extension.value[x]",
                        serde_json::json!({"min": 1, "type": [{"code": "code"}]}),
                    ),
                ],
            );
            let value_set = |id: &str, system: &str, codes: &[&str]| {
                let concepts: Vec<serde_json::Value> = codes
                    .iter()
                    .map(|c| serde_json::json!({"code": c}))
                    .collect();
                serde_json::json!({"resourceType": "ValueSet", "url": format!("{base}/{id}"),
                    "title": id, "status": "active",
                    "compose": {"include": [{"system": system, "concept": concepts}]}})
            };
            let gender = value_set(
                "test-gender",
                "http://hl7.org/fhir/administrative-gender",
                &["female", "male"],
            );
            let marital = value_set(
                "test-marital",
                "http://terminology.hl7.org/CodeSystem/v3-MaritalStatus",
                &["M", "S"],
            );
            let guide = [patient, strict, birthsex, gender, marital]
                .into_iter()
                .map(Into::into)
                .collect();
            let guide = TEST_GUIDE.get_or_init(|| guide).clone();
            let mut options = Options::with_ig(vec![crate::ig::Source::Resources(guide)]);
            options.profile = Some(ProfileChoice::BuiltIn("none".into()));
            Validator::new(options).expect("the test guide compiles")
        })
    }

    static TEST_GUIDE: OnceLock<Vec<crate::json::Value>> = OnceLock::new();

    /// The resources of the test guide of [`ig_patient_profile`], for a validator of other
    /// options.
    pub fn ig_test_guide() -> Vec<crate::json::Value> {
        ig_patient_profile();
        TEST_GUIDE.get().cloned().unwrap_or_default()
    }

    /// A validator of the test guide of [`ig_patient_profile`] with these rule options.
    pub fn ig_with_rules(disable: &[&str], severity: &[(&str, &str)]) -> Validator {
        let mut options = Options::with_ig(vec![crate::ig::Source::Resources(ig_test_guide())]);
        options.profile = Some(ProfileChoice::BuiltIn("none".into()));
        options.rules = Some(crate::RuleOptions {
            disable: disable.iter().map(|s| s.to_string()).collect(),
            severity: severity
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        });
        Validator::new(options).expect("the test guide compiles")
    }

    /// A Patient claiming the test guide's profile ([`ig_patient_profile`]), with `fields`.
    pub fn test_patient(fields: serde_json::Value) -> serde_json::Value {
        let mut record = serde_json::json!({"resourceType": "Patient",
            "meta": {"profile": ["http://example.org/fhir/StructureDefinition/test-patient"]}});
        if let (Some(record), serde_json::Value::Object(fields)) = (record.as_object_mut(), fields)
        {
            record.extend(fields);
        }
        record
    }

    pub fn issues_with(
        validator: &Validator,
        resource: serde_json::Value,
    ) -> Vec<(&'static str, String)> {
        validator
            .validate(&resource, &Context::default())
            .issues
            .into_iter()
            .map(|i| (i.code, i.path))
            .collect()
    }

    pub fn assert_one_with(
        validator: &Validator,
        resource: serde_json::Value,
        code: &str,
        path: &str,
    ) {
        assert_eq!(
            issues_with(validator, resource),
            vec![(code, path.to_string())],
            "expected exactly one {code} at {path}"
        );
    }

    pub fn report_with(validator: &Validator, resource: serde_json::Value) -> Report {
        validator.validate(&resource, &Context::default())
    }

    pub fn report(resource: serde_json::Value) -> Report {
        validator().validate(&resource, &Context::default())
    }

    /// The (code, path) pairs of a record's issues.
    pub fn issues(resource: serde_json::Value) -> Vec<(&'static str, String)> {
        report(resource)
            .issues
            .into_iter()
            .map(|i| (i.code, i.path))
            .collect()
    }

    /// Asserts exactly one issue, with this code at this path.
    pub fn assert_one(resource: serde_json::Value, code: &str, path: &str) {
        let found = issues(resource);
        assert_eq!(
            found,
            vec![(code, path.to_string())],
            "expected exactly one {code} at {path}"
        );
    }

    pub fn assert_clean(resource: serde_json::Value) {
        let found = report(resource);
        assert!(
            found.issues.is_empty(),
            "expected no issues, got {:#?}",
            found.issues
        );
    }
}
