//! Extensions checked against their definitions, for the structure walk: each extension object
//! the walk meets (in `extension` or `modifierExtension`) is looked up among the extension
//! definitions HL7 publishes with R4 (`Model::extension`) and checked for its value type, the
//! place it is used, its modifier flag and, for a complex extension, its sub-extensions. Also
//! here: what the walk checks of primitives given as `_name` objects.
//!
//! Where an extension may be used mirrors HL7's reference validator
//! (`InstanceValidator.checkExtensionContext`): the element holding it has a set of paths, the
//! path from the resource (`Patient.name`) and from every datatype on the way (`HumanName`;
//! `HumanName.family` for a family name), and an element context matches one of them or the
//! same path from a base type (`Quantity` for `Age`, `DomainResource` or `Resource` for
//! `Patient`); `Element` and `Any` match anything. FHIRPath contexts are not evaluated: such an
//! extension is accepted anywhere.

use crate::json::{Map, Value};

use super::finding::{Defect, Finding};
use super::model::{ExtensionContent, ExtensionDef, Model};
use super::path;

/// Checks one extension object at pointer `at` (below the resource, whose type is `root`),
/// found in the element `field` (`extension` or `modifierExtension`) of its holder.
pub(super) fn check<'v>(
    model: &Model,
    root: &str,
    at: &str,
    field: &str,
    object: &'v Map,
    out: &mut Vec<Finding<'v>>,
) {
    let mut find = |suffix: String, defect: Defect<'v>| out.push(Finding { suffix, defect });
    // A non-array `extension` is the walk's wrong-type issue; it says nothing of content here.
    if object.get("extension").is_some_and(|e| !e.is_array()) {
        return;
    }
    let value = value_type(model, object);
    let children = has_children(object);
    let url = object.get("url").and_then(Value::as_str);
    // ext-1: "Must have either extensions or value[x], not both". An object with neither and
    // no url is no extension at all: the walk's issues (no url, unknown properties) say so.
    if value.is_some() == children && (children || url.is_some()) {
        find(
            at.to_string(),
            Defect::ExtensionContent {
                both: value.is_some(),
            },
        );
    }
    // No url is the walk's required-element issue.
    let Some(url) = url else {
        return;
    };
    let url_at = || path::join(at, "url");
    let (base, versioned) = match url.split_once('|') {
        Some((base, _)) => (base, true),
        None => (url, false),
    };
    if versioned {
        find(url_at(), Defect::ExtensionUrlVersion { url });
    }
    let holder_at = holder_pointer(at);
    let Some(def) = model.extension(base) else {
        // A relative url inside an extension names a sub-extension: its parent's to judge.
        let sub = !url.contains(':')
            && holder_at.is_some_and(|h| {
                holder(model, root, h).is_some_and(|h| h.type_code == Some("Extension"))
            });
        if !sub && !versioned {
            find(url_at(), Defect::ExtensionUnknown { url });
        }
        return;
    };
    if def.is_modifier != (field == "modifierExtension") {
        find(
            at.to_string(),
            Defect::ExtensionModifier {
                url: base,
                modifier: def.is_modifier,
            },
        );
    } else if let Some(h) = holder_at
        .filter(|_| !anywhere(def))
        .and_then(|h| holder(model, root, h))
    {
        if !context_allows(model, def, &h) {
            find(
                at.to_string(),
                Defect::ExtensionContext {
                    url: base,
                    holder: h.paths.into_iter().next().unwrap_or_default(),
                    allowed: def.contexts.clone(),
                },
            );
        }
    }
    check_content(model, base, &def.content, at, object, &mut find);
}

/// Checks an extension's (or sub-extension's) value and sub-extensions against `content`.
fn check_content<'v>(
    model: &Model,
    url: &'v str,
    content: &ExtensionContent,
    at: &str,
    object: &'v Map,
    find: &mut impl FnMut(String, Defect<'v>),
) {
    match value_type(model, object) {
        Some((key, found)) if !content.types.contains(&found) => find(
            path::join(at, key),
            Defect::ExtensionValueType {
                url,
                found: Some(found),
                allowed: content.types.clone(),
            },
        ),
        // Sub-extensions where a value belongs (ext-1 covers an extension with neither).
        None if has_children(object) && !content.is_complex() => find(
            at.to_string(),
            Defect::ExtensionValueType {
                url,
                found: None,
                allowed: content.types.clone(),
            },
        ),
        _ => {}
    }
    if !content.is_complex() {
        return;
    }
    let Some(items) = object.get("extension").and_then(Value::as_array) else {
        return;
    };
    for (i, item) in items.iter().enumerate() {
        let Some(sub) = item.as_object() else {
            continue;
        };
        // An absolute url is an extension of its own, checked where the walk meets it.
        let Some(part_url) = sub.get("url").and_then(Value::as_str) else {
            continue;
        };
        if part_url.contains(':') {
            continue;
        }
        let mut item_at = path::join(at, "extension");
        path::push_index(&mut item_at, i);
        match content.part(part_url) {
            Some(part) => check_content(model, part_url, &part.content, &item_at, sub, find),
            None => find(
                path::join(&item_at, "url"),
                Defect::ExtensionPartUnknown {
                    url,
                    part: part_url,
                    allowed: content.parts.iter().map(|p| p.url).collect(),
                },
            ),
        }
    }
}

/// The value of an extension object: its JSON name (`valueQuantity`, or `_valueString` when
/// only that is given) and type. None when it has none (a misspelt `valueFoo` is the walk's
/// unknown-property issue, not a value).
fn value_type<'v>(model: &Model, object: &'v Map) -> Option<(&'v str, &'static str)> {
    let elements = &model.type_def("Extension")?.elements;
    object.keys().find_map(|key| {
        let property = model.property(elements, key)?;
        (property.element.name == "value")
            .then_some(property.type_code)
            .flatten()
            .map(|t| (key, t))
    })
}

/// Whether an extension object has sub-extensions.
fn has_children(object: &Map) -> bool {
    object
        .get("extension")
        .and_then(Value::as_array)
        .is_some_and(|items| !items.is_empty())
}

/// The pointer of the object holding the extension at `at` (`/name/0/extension/1` ->
/// `/name/0`).
fn holder_pointer(at: &str) -> Option<&str> {
    let (list, _index) = at.rsplit_once('/')?;
    let (holder, _field) = list.rsplit_once('/')?;
    Some(holder)
}

/// The most paths a holder keeps (see `holder`).
const MAX_PATHS: usize = 8;

/// The element an extension is used on.
#[derive(Debug)]
struct Holder {
    /// Its paths: from the resource first (`Patient.name`), then from each datatype on the way
    /// (`HumanName`), and for an element reached through a contentReference, from the element
    /// it names (`Questionnaire.item`).
    paths: Vec<String>,
    /// The holder is the resource itself.
    is_resource: bool,
    /// A backbone element (`Patient.contact`).
    is_backbone: bool,
    /// Its type (`HumanName`, `date`; None for a backbone or contentReference).
    type_code: Option<&'static str>,
}

/// Follows `pointer` (below a resource of type `root`) through the model. None where the model
/// does not know the way (an unknown property: the walk has said so).
fn holder(model: &Model, root: &str, pointer: &str) -> Option<Holder> {
    let root_type = model.type_def(root)?;
    let mut paths = vec![root_type.name.to_string()];
    let mut elements = root_type.elements.as_slice();
    let mut last = None;
    for token in path::tokens(pointer) {
        if token.bytes().all(|b| b.is_ascii_digit()) {
            continue;
        }
        let property = model.property(elements, &token)?;
        let element = property.element;
        // A choice by its base name (`Observation.value`), as contexts name it without [x].
        for p in paths.iter_mut() {
            p.push('.');
            p.push_str(element.name);
        }
        let anchor = match element.content_reference {
            Some(target) => Some(target),
            None if element.children.is_empty() => property.type_code,
            None => None,
        };
        if let Some(anchor) = anchor {
            // Contexts are a few steps long: the path from the resource and from the last
            // few datatypes are all that can match, and deep nesting stays linear.
            if paths.len() >= MAX_PATHS {
                paths.remove(1);
            }
            paths.push(anchor.to_string());
        }
        elements = match model.children(&property) {
            Some(children) => children,
            None => &[],
        };
        last = Some(property);
    }
    Some(Holder {
        paths,
        is_resource: last.is_none(),
        is_backbone: last.is_some_and(|p| {
            !p.element.children.is_empty() || p.element.content_reference.is_some()
        }),
        type_code: last
            .filter(|p| p.element.children.is_empty() && p.element.content_reference.is_none())
            .and_then(|p| p.type_code),
    })
}

/// Whether `def` may be used on any element, whatever holds it.
fn anywhere(def: &ExtensionDef) -> bool {
    !def.fhirpath_contexts.is_empty()
        || def.contexts.iter().any(|c| matches!(*c, "Element" | "Any"))
}

/// Whether `def` may be used on `holder`.
fn context_allows(model: &Model, def: &ExtensionDef, holder: &Holder) -> bool {
    // FHIRPath contexts are not evaluated; an extension context needs the parent extension's
    // url, which this check does not see: accepted rather than guessed.
    if !def.fhirpath_contexts.is_empty()
        || (!def.extension_contexts.is_empty() && holder.type_code == Some("Extension"))
    {
        return true;
    }
    element_contexts_allow(model, &def.contexts, holder)
}

/// Whether one of the element contexts `contexts` (`Patient`, `HumanName.family`, `Element`)
/// is `holder`.
fn element_contexts_allow<S: AsRef<str>>(model: &Model, contexts: &[S], holder: &Holder) -> bool {
    // Any extension may sit in an ElementDefinition's example, fixed or pattern value (the
    // reference validator's exception: they show what an instance holds).
    let in_example = holder.paths.iter().any(|p| {
        [
            "ElementDefinition.example.value",
            "ElementDefinition.fixed",
            "ElementDefinition.pattern",
        ]
        .iter()
        .any(|e| p.starts_with(e))
    });
    if in_example {
        return true;
    }
    contexts.iter().any(|context| {
        let context = context.as_ref();
        let context = context.strip_suffix("[x]").unwrap_or(context);
        matches!(context, "Element" | "Any")
            || (context == "Resource" && holder.is_resource)
            || (context == "BackboneElement" && holder.is_backbone)
            || holder.paths.iter().any(|p| path_matches(model, p, context))
    })
}

/// For an extension an Implementation Guide defines, used at `at` (below a resource of type
/// `root`): the path of the element holding it (`Patient.name`) where none of its element
/// `contexts` allows it there; None where one does, or where the way is not known (the walk
/// has reported an unknown property).
pub fn misplaced(model: &Model, root: &str, at: &str, contexts: &[String]) -> Option<String> {
    let holder = holder(model, root, holder_pointer(at)?)?;
    if element_contexts_allow(model, contexts, &holder) {
        return None;
    }
    holder.paths.into_iter().next()
}

/// `p` is `context`, or becomes it when its first step is replaced by a base type of it
/// (`Age.value` matches `Quantity.value`; `Patient` matches `DomainResource`).
fn path_matches(model: &Model, p: &str, context: &str) -> bool {
    let (first, rest) = match p.find('.') {
        Some(i) => p.split_at(i),
        None => (p, ""),
    };
    let mut name = Some(first);
    // A base chain is a few steps long; the bound keeps a broken model from looping.
    for _ in 0..16 {
        let Some(n) = name else {
            return false;
        };
        if context.len() == n.len() + rest.len()
            && context.starts_with(n)
            && context.ends_with(rest)
        {
            return true;
        }
        name = model.type_def(n).and_then(|t| t.base);
    }
    false
}

/// A primitive with a required binding given only as `_name` (its `value` is the `_name`
/// object or array at `at`, `key` its JSON name, in `object`): extensions, and no code. An
/// item of a `_name` array needs its code at the same index of `name`. A cross-version
/// extension standing in for the code (a code of a later FHIR version) is accepted, as the
/// reference validator accepts it (with a warning).
pub(super) fn code_missing<'v>(
    name: &'static str,
    key: &str,
    value: &'v Value,
    object: &'v Map,
    at: &str,
    out: &mut Vec<Finding<'v>>,
) {
    let twin = key.strip_prefix('_').and_then(|k| object.get(k));
    let absent = |v: Option<&Value>| v.is_none_or(Value::is_null);
    let missing = |item: &Value| item.is_object() && !has_cross_version_code(item);
    match value {
        Value::Object(_) if absent(twin) && missing(value) => out.push(Finding {
            suffix: at.to_string(),
            defect: Defect::CodeMissing { name },
        }),
        Value::Array(items) => {
            let twins = twin.and_then(Value::as_array);
            for (i, item) in items.iter().enumerate() {
                if missing(item) && absent(twins.and_then(|t| t.get(i))) {
                    let mut suffix = at.to_string();
                    path::push_index(&mut suffix, i);
                    out.push(Finding {
                        suffix,
                        defect: Defect::CodeMissing { name },
                    });
                }
            }
        }
        _ => {}
    }
}

/// A `_name` object with a cross-version extension
/// (`http://hl7.org/fhir/5.0/StructureDefinition/extension-ValueSet.compose.include.filter.op`),
/// which carries the element's value as a later FHIR version has it.
fn has_cross_version_code(item: &Value) -> bool {
    let Some(extensions) = item.get("extension").and_then(Value::as_array) else {
        return false;
    };
    extensions.iter().any(|x| {
        x.get("url")
            .and_then(Value::as_str)
            .and_then(|u| u.strip_prefix("http://hl7.org/fhir/"))
            .and_then(|u| u.split_once("/StructureDefinition/extension-"))
            .is_some_and(|(version, _)| version.bytes().all(|b| b.is_ascii_digit() || b == b'.'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn model() -> Model {
        Model::r4().unwrap()
    }

    fn paths(m: &Model, root: &str, pointer: &str) -> Vec<String> {
        holder(m, root, pointer).unwrap().paths
    }

    #[test]
    fn holder_paths_run_from_the_resource_and_each_datatype() {
        let m = model();
        assert_eq!(paths(&m, "Patient", ""), ["Patient"]);
        assert_eq!(
            paths(&m, "Patient", "/name/0"),
            ["Patient.name", "HumanName"]
        );
        assert_eq!(
            paths(&m, "Patient", "/name/0/_family"),
            ["Patient.name.family", "HumanName.family", "string"]
        );
        assert_eq!(
            paths(&m, "Patient", "/_birthDate"),
            ["Patient.birthDate", "date"]
        );
        // A backbone element has no type of its own.
        assert_eq!(paths(&m, "Patient", "/contact/0"), ["Patient.contact"]);
        // A contentReference adds the element it names.
        assert_eq!(
            paths(&m, "Questionnaire", "/item/0/item/1"),
            ["Questionnaire.item.item", "Questionnaire.item"]
        );
        // A choice by its base name.
        assert_eq!(
            paths(&m, "Observation", "/valueQuantity"),
            ["Observation.value", "Quantity"]
        );
        // Deep nesting keeps a bounded number of paths, the resource's first.
        let deep = "/extension/0/valueCodeableConcept".repeat(20);
        let found = paths(&m, "Patient", &deep);
        assert_eq!(found.len(), MAX_PATHS);
        assert!(found[0].starts_with("Patient.extension.value.extension"));
        assert_eq!(found.last().unwrap(), "CodeableConcept");
        assert!(holder(&m, "Patient", "/nickname").is_none());
    }

    #[test]
    fn contexts_match_through_base_types() {
        let m = model();
        assert!(path_matches(&m, "Patient", "Patient"));
        assert!(path_matches(&m, "Patient", "DomainResource"));
        assert!(path_matches(&m, "Patient", "Resource"));
        assert!(path_matches(&m, "Age.value", "Quantity.value"));
        assert!(path_matches(&m, "code", "string"));
        assert!(!path_matches(&m, "HumanName", "HumanName.family"));
        assert!(!path_matches(&m, "Patient.name", "Patient"));
        assert!(!path_matches(&m, "Patientx", "Patient"));
    }

    #[test]
    fn holder_pointers() {
        assert_eq!(holder_pointer("/name/0/extension/1"), Some("/name/0"));
        assert_eq!(holder_pointer("/extension/0"), Some(""));
        assert_eq!(holder_pointer(""), None);
    }
}
