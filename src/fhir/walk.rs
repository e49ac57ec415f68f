//! The structure walk: one pass over a parsed resource against the model, for every resource
//! type alike. It finds what is structurally wrong (a [`Finding`] per defect, at the element
//! that is wrong) and the resources held inside this one (`contained`, Bundle entries, every
//! element of type Resource), which the engine then checks as resources of their own.
//!
//! It judges nothing beyond the definitions: wording, severity and which of two findings on
//! one element wins belong to the structure rules (`rules::structure`).

use crate::json::{Map, Value};

use super::extension;
use super::fhirpath::Elem;
pub use super::finding::{Defect, Finding};
use super::index::{Datatype, Entry, Index};
use super::invariants::{Invariants, Scope, Slot};
use super::model::{is_type_suffix, ElementDef, JsonKind, Kind, Model, Property};
use super::path;
use super::primitives;

/// The largest and smallest FHIR integer (32-bit, FHIR JSON §2.6.2).
const INT_MIN: i64 = -2_147_483_648;
const INT_MAX: i64 = 2_147_483_647;

/// FHIR strings are at most 1 MB (R4 datatypes §2.24.0.1, string).
const MAX_STRING_BYTES: usize = 1_048_576;

/// What the walk found in one resource.
#[derive(Debug, Default)]
pub struct Walked<'v> {
    pub findings: Vec<Finding<'v>>,
    /// Resources held in this one, with their pointer suffix, in document order.
    pub nested: Vec<(String, &'v Value)>,
    /// What the record rules read: the values of their datatypes, with pointers.
    pub index: Index<'v>,
}

/// Walks `resource` (an object whose `resourceType` names a concrete type of `model`).
pub fn walk<'v>(model: &Model, resource_type: &str, resource: &'v Map) -> Walked<'v> {
    let mut walker = Walker::new(model, resource_type, None);
    if let Some(t) = model.type_def(resource_type) {
        walker.object(resource, &t.elements, true);
    }
    walker.out
}

/// What [`walk_checked`] evaluates the invariants with.
#[derive(Clone, Copy)]
pub struct Checks<'m, 'v> {
    pub invariants: &'m Invariants,
    /// `%resource`, `%rootResource` and the Bundle, which may be more than what is walked (a
    /// session walks one edited element of the record).
    pub scope: Scope<'v>,
    /// Whether to evaluate the resource type's own invariants at the root (a session that
    /// walks one element evaluates them on the whole record instead: [`root_invariants`]).
    pub root: bool,
}

/// [`walk`], evaluating the definitions' invariants at each element as it goes.
pub fn walk_checked<'m, 'v>(
    model: &'m Model,
    resource_type: &str,
    resource: &'v Map,
    checks: Checks<'m, 'v>,
) -> Walked<'v> {
    let mut walker = Walker::new(model, resource_type, Some(checks));
    if let Some(t) = model.type_def(resource_type) {
        walker.object(resource, &t.elements, true);
        if checks.root {
            walker.resource_invariants(t.name, checks);
        }
    }
    walker.out
}

/// The resource type's own invariants (and its bases'), evaluated on the whole resource.
pub fn root_invariants<'v>(
    model: &Model,
    resource_type: &str,
    checks: Checks<'_, 'v>,
) -> Vec<Finding<'v>> {
    let mut walker = Walker::new(model, resource_type, Some(checks));
    if let Some(t) = model.type_def(resource_type) {
        walker.resource_invariants(t.name, checks);
    }
    walker.out.findings
}

/// Every JSON name an object with these elements may have, for "did you mean".
pub fn json_names(model: &Model, elements: &[ElementDef]) -> Vec<String> {
    let mut names = Vec::with_capacity(elements.len() * 2);
    for e in elements {
        let forms: Vec<(String, &str)> = if e.choice {
            e.types
                .iter()
                .map(|t| (choice_form(e.name, t.code), t.code))
                .collect()
        } else {
            let code = e.types.first().map_or("", |t| t.code);
            vec![(e.name.to_string(), code)]
        };
        for (form, code) in forms {
            let primitive = model
                .type_def(code)
                .is_some_and(|t| t.kind == Kind::Primitive);
            if primitive && !e.plain {
                names.push(format!("_{form}"));
            }
            names.push(form);
        }
    }
    names
}

/// `value` + `Quantity` -> `valueQuantity`.
fn choice_form(base: &str, code: &str) -> String {
    let mut s = String::with_capacity(base.len() + code.len());
    s.push_str(base);
    let mut chars = code.chars();
    if let Some(first) = chars.next() {
        s.push(first.to_ascii_uppercase());
        s.push_str(chars.as_str());
    }
    s
}

struct Walker<'m, 'v> {
    model: &'m Model,
    /// The resource's type.
    root: &'m str,
    /// The pointer of the value being looked at, below the resource.
    at: String,
    out: Walked<'v>,
    checks: Option<Checks<'m, 'v>>,
}

impl<'m, 'v> Walker<'m, 'v> {
    fn new(model: &'m Model, root: &'m str, checks: Option<Checks<'m, 'v>>) -> Self {
        Walker {
            model,
            root,
            at: String::new(),
            out: Walked::default(),
            checks,
        }
    }

    /// Adds the value at the current pointer to the index, if its type is one indexed.
    fn index(&mut self, type_code: &'static str, value: &'v Value) {
        if let Some(datatype) = Datatype::of(type_code) {
            self.out.index.entries.push(Entry {
                pointer: self.at.clone(),
                datatype,
                type_code,
                value,
            });
        }
    }

    fn find(&mut self, defect: Defect<'v>) {
        self.out.findings.push(Finding {
            suffix: self.at.clone(),
            defect,
        });
    }

    /// Runs `f` with the pointer one step further (`key` or an index), then steps back.
    fn below(&mut self, key: &str, f: impl FnOnce(&mut Self)) {
        let len = self.at.len();
        self.at.push('/');
        self.at.push_str(&path::escape_token(key));
        f(self);
        self.at.truncate(len);
    }

    fn at_index(&mut self, index: usize, f: impl FnOnce(&mut Self)) {
        let len = self.at.len();
        path::push_index(&mut self.at, index);
        f(self);
        self.at.truncate(len);
    }

    /// An object of a type (or backbone) with these elements.
    fn object(&mut self, object: &'v Map, elements: &'m [ElementDef], root: bool) {
        if object.is_empty() {
            self.find(Defect::Empty { list: false });
            return;
        }
        for (key, value) in object {
            if root && key == "resourceType" {
                continue;
            }
            match self.model.property(elements, key) {
                Some(property) => self.below(key, |w| w.property(property, value, object, key)),
                None => {
                    let allowed = json_names(self.model, elements);
                    self.find(Defect::UnknownProperty {
                        property: key,
                        allowed,
                    });
                }
            }
        }
        self.presence(object, elements);
    }

    /// Mandatory elements, and one form per choice element. A primitive given only as
    /// `_name` (with an extension, say a data-absent reason) is present.
    fn presence(&mut self, object: &'v Map, elements: &'m [ElementDef]) {
        for e in elements {
            if e.choice {
                // The forms present, in the order of the element's types (the definition's).
                let mut present: Vec<(usize, &'v str)> = Vec::new();
                for key in object.keys() {
                    let name = key.strip_prefix('_').unwrap_or(key);
                    let Some(rest) = name.strip_prefix(e.name) else {
                        continue;
                    };
                    let Some(i) = e.types.iter().position(|t| is_type_suffix(rest, t.code)) else {
                        continue;
                    };
                    if !present.iter().any(|(_, n)| *n == name) {
                        present.push((i, name));
                    }
                }
                crate::sort::natural(&mut present);
                let present: Vec<&'v str> = present.into_iter().map(|(_, n)| n).collect();
                if present.len() > 1 {
                    self.find(Defect::ChoiceConflict {
                        name: e.name,
                        present,
                    });
                } else if present.is_empty() && e.min > 0 {
                    let forms = e
                        .types
                        .iter()
                        .map(|t| choice_form(e.name, t.code))
                        .collect();
                    self.find(Defect::MissingChoice {
                        name: e.name,
                        forms,
                    });
                }
            } else if e.min > 0
                && !object.contains_key(e.name)
                && !self.has_extension_form(object, e)
            {
                self.find(Defect::Missing { name: e.name });
            }
        }
    }

    /// `_name` given for a primitive element (which makes it present).
    fn has_extension_form(&self, object: &Map, e: &ElementDef) -> bool {
        !e.plain && object.get_underscored(e.name).is_some()
    }

    /// The value of one property (`key`, in `object`).
    fn property(&mut self, property: Property<'m>, value: &'v Value, object: &'v Map, key: &str) {
        let element = property.element;
        if property.extension_form && element.binding.is_some() {
            let out = &mut self.out.findings;
            extension::code_missing(element.name, key, value, object, &self.at, out);
        }
        // A primitive array and its `_name` array pad each other with null (FHIR JSON
        // §2.6.2): a null is right where the other array has something. Looked up only for
        // a null.
        let twin = || {
            if property.extension_form {
                key.strip_prefix('_').and_then(|k| object.get(k))
            } else {
                object.get_underscored(key)
            }
        };
        if !element.repeats() {
            if value.is_array() {
                let expected = self.expected_json(property);
                self.find(Defect::WrongType { expected, value });
            } else {
                self.item(property, value);
            }
            return;
        }
        let Some(items) = value.as_array() else {
            self.find(Defect::WrongType {
                expected: "array",
                value,
            });
            return;
        };
        if items.is_empty() {
            self.find(Defect::Empty { list: true });
            return;
        }
        for (i, item) in items.iter().enumerate() {
            let padded = item.is_null()
                && twin()
                    .and_then(Value::as_array)
                    .and_then(|t| t.get(i))
                    .is_some_and(|t| !t.is_null());
            if padded {
                continue;
            }
            self.at_index(i, |w| w.item(property, item));
        }
    }

    /// The JSON type a value of `property` has, for messages.
    fn expected_json(&self, property: Property<'m>) -> &'static str {
        if property.extension_form {
            return "object";
        }
        match property.type_def.and_then(|t| t.primitive.as_ref()) {
            Some(p) => json_name(p.json),
            None => "object",
        }
    }

    /// One value of a property (an array's item, or the value itself).
    fn item(&mut self, property: Property<'m>, value: &'v Value) {
        let element = property.element;
        let type_def = property.type_def;
        let primitive = type_def.and_then(|t| t.primitive.as_ref());
        if let (Some(p), false) = (primitive, property.extension_form) {
            let Some(type_name) = property.type_code else {
                return;
            };
            self.primitive((type_name, property.type_index), p.json, element, value);
            return;
        }
        let Some(object) = value.as_object() else {
            self.find(Defect::WrongType {
                expected: "object",
                value,
            });
            return;
        };
        if let (Some(code), false) = (property.type_code, property.extension_form) {
            self.index(code, value);
        }
        if type_def.is_some_and(|t| t.kind == Kind::Resource) && !property.extension_form {
            // Checked by the engine as a resource of its own type (`resourceType`).
            self.out.nested.push((self.at.clone(), value));
            return;
        }
        let children = self.model.children(&property);
        if let Some(children) = children {
            self.object(object, children, false);
        }
        if let (Some(checks), false) = (self.checks, property.extension_form) {
            let ty = property.type_code.unwrap_or("BackboneElement");
            self.invariants(checks, element, (ty, property.type_index), value, children);
        }
        if property.type_code == Some("Extension") && !property.extension_form {
            let (root, field) = (self.root, element.name);
            let out = &mut self.out.findings;
            extension::check(self.model, root, &self.at, field, object, out);
        }
    }

    /// Evaluates the invariants of `element` and of its type `ty` (at `type_index` in the
    /// model's types, when the model gave it) on `value`.
    fn invariants(
        &mut self,
        checks: Checks<'m, 'v>,
        element: &'m ElementDef,
        (ty, type_index): (&'static str, Option<usize>),
        value: &'v Value,
        elements: Option<&'m [ElementDef]>,
    ) {
        if !super::invariants::EVALUATED {
            return;
        }
        let own = checks.invariants.of_element(element);
        let at = type_index.or_else(|| self.model.index_of_name(ty));
        let of_type = checks.invariants.of_type_at(at);
        if own.is_empty() && of_type.is_empty() {
            return;
        }
        let focus = Elem::typed(Some(value), None, ty, elements);
        self.evaluate(checks, own.iter().chain(of_type), focus);
    }

    /// Finds the invariants of `slots` that `focus` breaks.
    fn evaluate<'s, 'e>(
        &mut self,
        checks: Checks<'m, 'v>,
        slots: impl Iterator<Item = &'s Slot>,
        focus: Elem<'e>,
    ) where
        'm: 'e,
        'v: 'e,
    {
        for slot in slots {
            let broken = checks
                .invariants
                .broken(slot, self.model, &checks.scope, focus);
            if let Some(inv) = broken {
                self.find(Defect::Invariant {
                    key: inv.key,
                    level: inv.level,
                    human: inv.human.clone(),
                });
            }
        }
    }

    fn resource_invariants(&mut self, resource_type: &'static str, checks: Checks<'m, 'v>) {
        let Some(focus) = checks
            .scope
            .resource
            .filter(|_| super::invariants::EVALUATED)
        else {
            return;
        };
        let slots = checks.invariants.of_type(self.model, resource_type);
        self.evaluate(checks, slots.iter(), focus);
    }

    fn primitive(
        &mut self,
        (type_name, type_index): (&'static str, Option<usize>),
        json: JsonKind,
        element: &'m ElementDef,
        value: &'v Value,
    ) {
        let fits = match json {
            JsonKind::Boolean => value.is_boolean(),
            JsonKind::Number => value.is_number(),
            JsonKind::Integer => is_integer(value),
            JsonKind::String => value.is_string(),
        };
        if !fits {
            self.find(Defect::WrongType {
                expected: json_name(json),
                value,
            });
            return;
        }
        if json == JsonKind::Integer {
            self.integer_bounds(type_name, value);
            return;
        }
        let Some(text) = value.as_str() else {
            return;
        };
        if text.is_empty() {
            self.find(Defect::EmptyValue);
            return;
        }
        // string and its R4 specialisations; a length is O(1), so ordinary strings pay nothing.
        if text.len() > MAX_STRING_BYTES
            && matches!(type_name, "string" | "code" | "id" | "markdown")
        {
            self.find(Defect::StringTooLong { bytes: text.len() });
            return;
        }
        if let Some(format) = format_of(type_name) {
            if let Err(reason) = primitives::check_format(format, text) {
                self.find(Defect::BadFormat {
                    type_name: display_type(type_name),
                    value,
                    reason,
                    temporal: primitives::is_temporal_format(format),
                });
                return;
            }
        }
        self.index(type_name, value);
        if let Some(url) = element.binding {
            if let Some(vs) = self.model.value_set(url).filter(|vs| vs.enumerable) {
                if !vs.contains(None, text) {
                    let allowed = vs.codes().map(|(_, c)| c).collect();
                    self.find(Defect::NotInValueSet { value, allowed });
                    return;
                }
            }
        }
        if let Some(checks) = self.checks {
            self.invariants(checks, element, (type_name, type_index), value, None);
        }
    }

    fn integer_bounds(&mut self, type_name: &str, value: &'v Value) {
        let low = match type_name {
            "positiveInt" => 1,
            "unsignedInt" => 0,
            _ => INT_MIN,
        };
        // Every 32-bit bound is exact as f64, and so is the comparison with any JSON number.
        let Some(n) = value.as_f64() else {
            return;
        };
        match n {
            n if n < low as f64 => self.find(Defect::OutOfRange {
                value,
                bound: low,
                below: true,
            }),
            n if n > INT_MAX as f64 => self.find(Defect::OutOfRange {
                value,
                bound: INT_MAX,
                below: false,
            }),
            _ => {}
        }
    }
}

/// A JSON number with no fractional part (JSON Schema's integer, which 1.0 is).
fn is_integer(value: &Value) -> bool {
    match value {
        Value::Number(n) => {
            n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
        }
        _ => false,
    }
}

fn json_name(json: JsonKind) -> &'static str {
    match json {
        JsonKind::Boolean => "boolean",
        JsonKind::Integer => "integer",
        JsonKind::Number => "number",
        JsonKind::String => "string",
    }
}

/// The check of `primitives` that a string primitive's text goes through.
fn format_of(type_name: &str) -> Option<&'static str> {
    Some(match type_name {
        "base64Binary" => "fhir-base64Binary",
        "canonical" | "uri" | "url" => "fhir-uri",
        "code" => "fhir-code",
        "date" => "fhir-date",
        "dateTime" => "fhir-dateTime",
        "id" => "fhir-id",
        "instant" => "fhir-instant",
        "markdown" | "string" => "fhir-string",
        "oid" => "fhir-oid",
        "time" => "fhir-time",
        "uuid" => "fhir-uuid",
        "xhtml" => "fhir-xhtml",
        _ => return None,
    })
}

/// The type named in a format message: the format's type (markdown reads as string, url and
/// canonical as uri), as the messages have always named them.
fn display_type(type_name: &'static str) -> &'static str {
    format_of(type_name).map_or(type_name, primitives::format_type_name)
}
