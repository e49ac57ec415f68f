//! Profiles: what a record must carry beyond what FHIR R4 itself requires, per resource type:
//! required elements, must-support elements (a warning when empty) and conditional
//! requirements. A profile is data (schemas/profiles/, docs/profiles.md), checked against
//! schemas/profile.schema.json and against the FHIR element names when a validator is built,
//! so a typo in a vendor's profile is an error then, not a requirement that never fires.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;

use crate::json;

use crate::fhir::path;
use crate::report::Severity;
use crate::structure::Structure;

pub(crate) mod check;
mod pattern;
mod schema;

const DEFAULT_TEXT: &str = include_str!("../../schemas/profiles/default.json");
/// The published profile schema; the build-time validator reads its copy in schemas/build/.
#[cfg(test)]
const SCHEMA_TEXT: &str = include_str!("../../schemas/profile.schema.json");

/// Which profile a validator applies: a built-in one by name, or a vendor's own.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum ProfileChoice {
    /// `"default"` (modelled on US Core) or `"none"` (FHIR R4 alone).
    BuiltIn(String),
    /// A profile document in the format of schemas/profile.schema.json.
    Custom(Value),
}

/// Whether a profile's element paths are checked against the model as it is compiled: always
/// for a vendor's profile and the options' `require`; the built-in one's by the tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paths {
    Checked,
    Trusted,
}

/// A compiled profile.
#[derive(Debug)]
pub(crate) struct Profile {
    pub id: String,
    /// Severity of a missing required element.
    pub required_severity: Severity,
    resources: HashMap<String, ResourceProfile>,
}

#[derive(Debug, Default, Clone)]
pub(crate) struct ResourceProfile {
    pub required: Vec<Element>,
    pub must_support: Vec<Element>,
    pub conditional: Vec<Conditional>,
}

/// An element path below a resource: `name.family`, `effective[x]`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Element {
    pub text: String,
    steps: Vec<Step>,
}

#[derive(Debug, Clone, PartialEq)]
struct Step {
    name: String,
    /// `value[x]`: any of `valueQuantity`, `valueString`, ...
    choice: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct Conditional {
    pub id: String,
    when: Vec<Test>,
    pub require: Element,
    pub severity: Severity,
    /// The message per locale tag, as the profile words it.
    message: Message,
}

impl Conditional {
    /// The message in this locale, else in English, else in the first language given.
    pub fn message(&self, locale: crate::messages::Locale) -> &str {
        match &self.message {
            Message::One(text) => text,
            Message::PerLocale(texts) => texts
                .get(locale.tag())
                .or_else(|| texts.get("en"))
                .or_else(|| texts.values().next())
                .map(String::as_str)
                .unwrap_or_default(),
        }
    }
}

/// A profile's message: one text, or one per locale (`{"en": "...", "es": "..."}`); a locale
/// the profile lacks gets the English text.
#[derive(Debug, Clone)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "ProfileMessage", untagged)
)]
pub(crate) enum Message {
    One(String),
    PerLocale(std::collections::BTreeMap<String, String>),
}

/// Read by the JSON type it has, not by trying each form in turn as `#[serde(untagged)]`
/// does (which buffers the value and builds an error message for each failed try): the
/// default profile's messages are read in every `new Validator()`.
impl<'de> Deserialize<'de> for Message {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Either;
        impl<'de> serde::de::Visitor<'de> for Either {
            type Value = Message;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a text, or an object of texts by locale")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Message, E> {
                Ok(Message::One(v.to_string()))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Message, A::Error> {
                let mut out = std::collections::BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.insert(k, v);
                }
                Ok(Message::PerLocale(out))
            }
        }
        d.deserialize_any(Either)
    }
}

#[derive(Debug, Clone)]
enum Test {
    In(Element, Vec<String>),
    NotIn(Element, Vec<String>),
    Exists(Element, bool),
}

// The document as written; the JSON Schema (schemas/profile.schema.json) has already vouched
// for its shape. These types also give the package's TypeScript declaration of a profile.

/// A completeness profile: what a record must carry beyond FHIR R4, per resource type
/// (schemas/profile.schema.json; docs/profiles.md).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "Profile", optional_fields)
)]
pub(crate) struct RawProfile {
    /// A name for the profile, shown in messages.
    id: String,
    // Allowed by the schema, for the reader: nothing checks them.
    #[serde(rename = "$schema")]
    #[allow(dead_code)]
    schema: Option<String>,
    #[allow(dead_code)]
    title: Option<String>,
    #[allow(dead_code)]
    description: Option<String>,
    /// Start from a built-in profile and add to it or relax it.
    #[cfg_attr(feature = "typescript", ts(type = "\"default\" | \"none\"", optional))]
    extends: Option<String>,
    /// Severity of a missing required element (and of conditional requirements that name
    /// none); default `"error"`, or the extended profile's.
    #[cfg_attr(feature = "typescript", ts(type = "\"error\" | \"warning\"", optional))]
    required_severity: Option<String>,
    /// Per resource type (`"Patient"`), its requirements.
    resources: HashMap<String, RawResource>,
}

/// What a profile requires of one resource type. Element paths are written below the
/// resource: `name`, `name.family`, `effective[x]`.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "ProfileResource")
)]
pub(crate) struct RawResource {
    /// Elements that must be present.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    required: Vec<String>,
    /// Elements that should be present: a warning when empty.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    must_support: Vec<String>,
    /// Requirements that apply when the record meets some tests.
    #[serde(default)]
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<Vec<RawConditional>>", optional)
    )]
    conditional: Vec<RawConditional>,
    /// Elements or conditional ids of the extended profile to drop.
    #[serde(default)]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    relax: Vec<String>,
}

/// A requirement that applies when every test of `when` holds.
#[derive(Deserialize)]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "ProfileConditional", optional_fields)
)]
pub(crate) struct RawConditional {
    id: String,
    when: Vec<RawTest>,
    /// The element required.
    require: String,
    /// Default: the profile's `requiredSeverity`.
    #[cfg_attr(feature = "typescript", ts(type = "\"error\" | \"warning\"", optional))]
    severity: Option<String>,
    message: Message,
}

/// A test of a conditional requirement: `path` and exactly one of `in`, `notIn`, `exists`.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(
    feature = "typescript",
    derive(ts_rs::TS),
    ts(rename = "ProfileTest", optional_fields)
)]
pub(crate) struct RawTest {
    /// Element path below the resource, e.g. `clinicalStatus.coding.code`.
    path: String,
    /// The element has one of these values.
    #[serde(rename = "in")]
    any_of: Option<Vec<String>>,
    /// The element has none of these values.
    not_in: Option<Vec<String>>,
    /// The element is present (true) or absent (false).
    exists: Option<bool>,
}

fn severity(text: Option<&str>, default: Severity) -> Severity {
    match text {
        Some("warning") => Severity::Warning,
        Some("error") => Severity::Error,
        _ => default,
    }
}

impl Element {
    fn parse(text: &str) -> Element {
        let steps = text
            .split('.')
            .map(|s| match s.strip_suffix("[x]") {
                Some(name) => Step {
                    name: name.to_string(),
                    choice: true,
                },
                None => Step {
                    name: s.to_string(),
                    choice: false,
                },
            })
            .collect();
        Element {
            text: text.to_string(),
            steps,
        }
    }

    /// The top-level element name when the path has one step (`gender`), else None.
    pub fn single(&self) -> Option<&str> {
        match self.steps.as_slice() {
            [step] if !step.choice => Some(&step.name),
            _ => None,
        }
    }

    /// The objects that should hold the last step, with their pointers: the resource for a
    /// one-step path, each `name` for `name.family`.
    pub fn parents<'a>(&self, resource: &'a json::Value) -> Vec<(String, &'a json::Value)> {
        let mut out = Vec::new();
        let parent_steps = self
            .steps
            .split_last()
            .map_or(&[][..], |(_, parents)| parents);
        collect(resource, parent_steps, &mut String::new(), &mut out);
        out.retain(|(_, v)| v.is_object());
        out
    }

    /// Is the last step present in `parent`? An element left out with a reason (its `_name`
    /// sibling carrying, say, a data-absent-reason extension) counts as present.
    pub fn present_in(&self, parent: &json::Value) -> bool {
        let Some(last) = self.steps.last() else {
            return false;
        };
        find(parent, last).is_some()
    }

    /// Pointer suffix of the last step below its parent: `/family`, `/effective[x]`.
    pub fn last_suffix(&self) -> String {
        match self.steps.last() {
            Some(s) if s.choice => format!("/{}[x]", s.name),
            Some(s) => format!("/{}", path::escape_token(&s.name)),
            None => String::new(),
        }
    }

    fn values<'a>(&self, resource: &'a json::Value) -> Vec<&'a json::Value> {
        let mut out = Vec::new();
        collect(resource, &self.steps, &mut String::new(), &mut out);
        out.into_iter().map(|(_, v)| v).collect()
    }
}

/// The key of `step` in `object`, and its value (the `_name` sibling when only it is there).
fn find<'a>(object: &'a json::Value, step: &Step) -> Option<(&'a str, &'a json::Value)> {
    let map = object.as_object()?;
    if step.choice {
        return map.iter().find(|(k, v)| {
            !v.is_null()
                && k.strip_prefix(step.name.as_str())
                    .or_else(|| k.strip_prefix('_')?.strip_prefix(step.name.as_str()))
                    .and_then(|rest| rest.chars().next())
                    .is_some_and(|c| c.is_ascii_uppercase())
        });
    }
    if let Some((k, v)) = map.get_key_value(&step.name).filter(|(_, v)| !v.is_null()) {
        return Some((k, v));
    }
    map.iter()
        .find(|(k, v)| !v.is_null() && k.strip_prefix('_') == Some(step.name.as_str()))
}

/// Every value at `steps` below `value`, arrays flattened, with pointers.
fn collect<'a>(
    value: &'a json::Value,
    steps: &[Step],
    at: &mut String,
    out: &mut Vec<(String, &'a json::Value)>,
) {
    // One pointer buffer for the whole descent: only the values found get a string.
    let len = at.len();
    if let json::Value::Array(items) = value {
        for (i, item) in items.iter().enumerate() {
            path::push_index(at, i);
            collect(item, steps, at, out);
            at.truncate(len);
        }
        return;
    }
    let Some((step, rest)) = steps.split_first() else {
        out.push((at.clone(), value));
        return;
    };
    // `_name` siblings hold extensions, not the values a path leads to.
    if let Some((key, child)) = find(value, step).filter(|(k, _)| !k.starts_with('_')) {
        at.push('/');
        at.push_str(&path::escape_token(key));
        collect(child, rest, at, out);
        at.truncate(len);
    }
}

impl Test {
    fn holds(&self, resource: &json::Value) -> bool {
        match self {
            Test::Exists(element, want) => element.values(resource).is_empty() != *want,
            Test::In(element, list) => element
                .values(resource)
                .iter()
                .any(|v| v.as_str().is_some_and(|s| list.iter().any(|l| l == s))),
            Test::NotIn(element, list) => !element
                .values(resource)
                .iter()
                .any(|v| v.as_str().is_some_and(|s| list.iter().any(|l| l == s))),
        }
    }
}

impl Conditional {
    pub fn applies(&self, resource: &json::Value) -> bool {
        self.when.iter().all(|t| t.holds(resource))
    }

    /// The elements whose absence it applies on (`value[x]` of "a value, or why it is
    /// missing").
    #[cfg(feature = "ig")]
    pub fn absent(&self) -> impl Iterator<Item = &Element> {
        self.when.iter().filter_map(|t| match t {
            Test::Exists(element, false) => Some(element),
            _ => None,
        })
    }
}

impl Profile {
    /// The profile a validator applies when the options name none.
    pub fn default_profile(structure: &Structure) -> Result<Profile, String> {
        Profile::built_in("default", structure)
    }

    pub fn from_choice(choice: &ProfileChoice, structure: &Structure) -> Result<Profile, String> {
        match choice {
            ProfileChoice::BuiltIn(name) => Profile::built_in(name, structure),
            ProfileChoice::Custom(doc) => Profile::from_document(doc, structure),
        }
    }

    fn built_in(name: &str, structure: &Structure) -> Result<Profile, String> {
        match name {
            "none" => Ok(Profile::empty("none")),
            "default" => {
                // Read through a JSON value as a vendor's profile is (one decoder in the
                // download, not two), but without copying it.
                let doc: Value = serde_json::from_str(DEFAULT_TEXT)
                    .map_err(|e| format!("the default profile does not parse: {e}"))?;
                let raw: RawProfile = serde_json::from_value(doc)
                    .map_err(|e| format!("the default profile does not parse: {e}"))?;
                // Its element paths are checked against the model by the tests, not here:
                // checking them decoded the types it names in every `new Validator()`.
                Profile::compile(raw, structure, Paths::Trusted)
            }
            other => Err(format!(
                "unknown profile {other:?}: give \"default\", \"none\" or a profile document (see docs/profiles.md)"
            )),
        }
    }

    /// A vendor's profile: checked against the profile JSON Schema, then against FHIR.
    fn from_document(doc: &Value, structure: &Structure) -> Result<Profile, String> {
        check_schema(doc)?;
        let raw: RawProfile =
            serde_json::from_value(doc.clone()).map_err(|e| format!("invalid profile: {e}"))?;
        Profile::compile(raw, structure, Paths::Checked)
    }

    fn compile(raw: RawProfile, structure: &Structure, paths: Paths) -> Result<Profile, String> {
        let mut profile = match raw.extends.as_deref() {
            Some(base) => Profile::built_in(base, structure)?,
            None => Profile::empty(&raw.id),
        };
        profile.id = raw.id.clone();
        // An extending profile keeps its base's severity unless it sets its own.
        profile.required_severity = severity(
            raw.required_severity.as_deref(),
            if raw.extends.is_some() {
                profile.required_severity
            } else {
                Severity::Error
            },
        );
        profile.add(
            &raw.resources,
            &format!("invalid profile {:?}", raw.id),
            structure,
            paths,
        )?;
        Ok(profile)
    }

    /// Adds (or, with `relax`, drops) requirements per resource type; `label` starts the
    /// error messages.
    fn add(
        &mut self,
        resources: &HashMap<String, RawResource>,
        label: &str,
        structure: &Structure,
        paths: Paths,
    ) -> Result<(), String> {
        let required_severity = self.required_severity;
        let mut types: Vec<&String> = resources.keys().collect();
        crate::sort::natural(&mut types);
        for rt in types {
            let Some(spec) = resources.get(rt) else {
                continue;
            };
            let problem = |what: String| format!("{label}: {rt}: {what}");
            if !structure.is_supported(rt) {
                let hint = crate::rules::nearest(rt, structure.supported_types(), 1);
                let hint = match hint.first() {
                    Some(h) => format!(" (did you mean {h}?)"),
                    None => String::new(),
                };
                return Err(problem(format!("not a FHIR R4 resource type{hint}")));
            }
            let check = |text: &str| -> Result<Element, String> {
                if paths == Paths::Checked {
                    structure
                        .element_exists(rt, text)
                        .map_err(|e| problem(format!("{text}: {e}")))?;
                }
                Ok(Element::parse(text))
            };
            let entry = self.resources.entry(rt.clone()).or_default();
            for relaxed in &spec.relax {
                let before =
                    entry.required.len() + entry.must_support.len() + entry.conditional.len();
                entry.required.retain(|e| &e.text != relaxed);
                entry.must_support.retain(|e| &e.text != relaxed);
                entry.conditional.retain(|c| &c.id != relaxed);
                let after =
                    entry.required.len() + entry.must_support.len() + entry.conditional.len();
                if before == after {
                    return Err(problem(format!(
                        "relax {relaxed:?}: the extended profile has no such element or conditional id"
                    )));
                }
            }
            for text in &spec.required {
                let element = check(text)?;
                entry.must_support.retain(|e| e != &element);
                if !entry.required.contains(&element) {
                    entry.required.push(element);
                }
            }
            for text in &spec.must_support {
                let element = check(text)?;
                if !entry.required.contains(&element) && !entry.must_support.contains(&element) {
                    entry.must_support.push(element);
                }
            }
            for c in &spec.conditional {
                let mut when = Vec::new();
                for t in &c.when {
                    let element = check(&t.path)?;
                    when.push(match (&t.any_of, &t.not_in, t.exists) {
                        (Some(list), None, None) => Test::In(element, list.clone()),
                        (None, Some(list), None) => Test::NotIn(element, list.clone()),
                        (None, None, Some(want)) => Test::Exists(element, want),
                        _ => {
                            return Err(problem(format!(
                                "conditional {}: each test takes exactly one of in, notIn, exists",
                                c.id
                            )))
                        }
                    });
                }
                let conditional = Conditional {
                    id: c.id.clone(),
                    when,
                    require: check(&c.require)?,
                    severity: severity(c.severity.as_deref(), required_severity),
                    message: c.message.clone(),
                };
                match entry.conditional.iter_mut().find(|x| x.id == c.id) {
                    Some(existing) => *existing = conditional,
                    None => entry.conditional.push(conditional),
                }
            }
        }
        Ok(())
    }

    /// Adds the options' `require` (the `resources` part of a profile) to this profile.
    pub fn require(&mut self, resources: &Value, structure: &Structure) -> Result<(), String> {
        let doc = serde_json::json!({"id": "require", "resources": resources});
        check_schema(&doc).map_err(|e| {
            format!(
                "invalid options: {}",
                e.replace("invalid profile: /resources", "require")
            )
        })?;
        let raw: RawProfile =
            serde_json::from_value(doc).map_err(|e| format!("invalid options: require: {e}"))?;
        self.add(
            &raw.resources,
            "invalid options: require",
            structure,
            Paths::Checked,
        )
    }

    fn empty(id: &str) -> Profile {
        Profile {
            id: id.to_string(),
            required_severity: Severity::Error,
            resources: HashMap::new(),
        }
    }

    pub fn resource(&self, resource_type: &str) -> Option<&ResourceProfile> {
        self.resources.get(resource_type)
    }
}

/// Checks a profile document against schemas/profile.schema.json (compiled into the crate at
/// build time: `schema::ProfileSchema`).
fn check_schema(doc: &Value) -> Result<(), String> {
    let errors: Vec<String> = schema::ProfileSchema::iter_errors(doc)
        .take(5)
        .map(|e| {
            let at = e.instance_path().as_str().to_string();
            let at = if at.is_empty() { "/".to_string() } else { at };
            format!("{at}: {e}")
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!("invalid profile: {}", errors.join("; ")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn structure() -> Structure {
        Structure::new().expect("built-in model")
    }

    #[test]
    fn the_default_profile_conforms_to_the_published_schema() {
        let schema: Value = serde_json::from_str(SCHEMA_TEXT).unwrap();
        let doc: Value = serde_json::from_str(DEFAULT_TEXT).unwrap();
        let validator = jsonschema::validator_for(&schema).unwrap();
        let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{errors:?}");
        // And it compiles the way a vendor's copy of it would, every element path checked
        // against the model: `new Validator()` trusts the built-in copy's paths.
        let p = Profile::from_document(&doc, &structure()).unwrap();
        assert_eq!(p.required_severity, Severity::Warning);
        assert_eq!(p.resource("Observation").unwrap().conditional.len(), 3);
    }

    #[test]
    fn the_default_profile_speaks_every_locale_and_a_vendor_text_falls_back() {
        let p = Profile::default_profile(&structure()).unwrap();
        let mut seen = 0;
        for spec in p.resources.values() {
            for c in &spec.conditional {
                let Message::PerLocale(texts) = &c.message else {
                    panic!("{} has one text for every locale", c.id);
                };
                for locale in crate::messages::Locale::ALL {
                    assert!(
                        texts.contains_key(locale.tag()),
                        "{} lacks {}",
                        c.id,
                        locale.tag()
                    );
                }
                assert_ne!(
                    c.message(crate::messages::Locale::En),
                    c.message(crate::messages::Locale::Es)
                );
                seen += 1;
            }
        }
        assert!(seen >= 8, "{seen}");
        let c = |message: Value| Conditional {
            id: "x".into(),
            when: Vec::new(),
            require: Element::parse("status"),
            severity: Severity::Error,
            message: serde_json::from_value(message).unwrap(),
        };
        assert_eq!(
            c(serde_json::json!("Only text")).message(crate::messages::Locale::Es),
            "Only text"
        );
        let per = c(serde_json::json!({"de": "Deutsch", "en": "English"}));
        assert_eq!(per.message(crate::messages::Locale::Es), "English");
        for wrong in [
            serde_json::json!(5),
            serde_json::json!(["a"]),
            serde_json::json!({"en": 5}),
        ] {
            assert!(serde_json::from_value::<Message>(wrong).is_err());
        }
        assert_eq!(
            c(serde_json::json!({"de": "Deutsch"})).message(crate::messages::Locale::Es),
            "Deutsch"
        );
    }

    #[test]
    fn paths_reach_nested_and_choice_elements() {
        let obs = crate::json::record!({"valueQuantity": {"value": 1},
            "component": [{"valueQuantity": {"code": "mm[Hg]"}}, {"valueString": "x"}]});
        let unit = Element::parse("component.valueQuantity.code");
        let parents = unit.parents(&obs);
        assert_eq!(parents.len(), 1);
        assert_eq!(parents[0].0, "/component/0/valueQuantity");
        assert!(unit.present_in(parents[0].1));
        let value = Element::parse("value[x]");
        assert!(value.present_in(&obs));
        assert_eq!(value.last_suffix(), "/value[x]");
        assert!(!value.present_in(&crate::json::record!({"valuesomething": 1})));
    }

    #[test]
    fn an_extending_profile_keeps_its_base_severity_unless_it_sets_one() {
        let doc = serde_json::json!({"id": "x", "extends": "default", "resources": {}});
        let p = Profile::from_document(&doc, &structure()).unwrap();
        assert_eq!(p.required_severity, Severity::Warning);
        let doc = serde_json::json!({"id": "x", "resources": {}});
        let p = Profile::from_document(&doc, &structure()).unwrap();
        assert_eq!(p.required_severity, Severity::Error);
    }
}
