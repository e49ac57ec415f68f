//! A Bundle's entries as references find them: the forms a fullUrl takes, RESTful server URLs,
//! and the lookup of a reference among the entries, by FHIR R4's rules for resolving
//! references in Bundles (http://hl7.org/fhir/R4/bundle.html#references) as the HL7 reference
//! validator applies them (`BaseValidator.resolveInBundle` in hapifhir/org.hl7.fhir.core).

use std::collections::HashMap;

use crate::json::Value;

use super::model::Model;
use super::path::{self, escape_token};
use super::primitives::{check_oid, check_uuid};

/// An absolute URI: an RFC 3986 scheme, a colon, and a non-empty rest without whitespace
/// (`http://x/Patient/1`, `urn:uuid:...`, `urn:oid:...`). `Patient/1` is relative.
pub fn is_absolute(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once(':') else {
        return false;
    };
    let mut bytes = scheme.bytes();
    bytes.next().is_some_and(|b| b.is_ascii_alphabetic())
        && bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        && !rest.is_empty()
        && !rest.chars().any(char::is_whitespace)
}

/// What is wrong with a fullUrl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FullUrlProblem {
    /// Not an absolute URL (`Patient/1`, a bare UUID).
    Relative,
    /// `urn:uuid:` not followed by a lowercase UUID.
    Uuid,
    /// `urn:oid:` not followed by an OID.
    Oid,
    /// A version-specific URL (`.../_history/2`): R4 invariant bdl-8 forbids it.
    Versioned,
}

/// What is wrong with a fullUrl, if anything. An empty value or one with whitespace is left to
/// the structure walk, which reports every `uri` of that kind.
pub fn full_url_problem(url: &str) -> Option<FullUrlProblem> {
    if url.is_empty() || url.chars().any(char::is_whitespace) {
        return None;
    }
    if !is_absolute(url) {
        Some(FullUrlProblem::Relative)
    } else if url.starts_with("urn:uuid:") && check_uuid(url).is_err() {
        Some(FullUrlProblem::Uuid)
    } else if url.starts_with("urn:oid:") && check_oid(url).is_err() {
        Some(FullUrlProblem::Oid)
    } else if url.contains("/_history/") {
        Some(FullUrlProblem::Versioned)
    } else {
        None
    }
}

/// A RESTful server URL: `[base]/[type]/[id]`, optionally `/_history/[version]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Restful<'a> {
    /// Up to and including the `/` before the type: `http://example.org/fhir/`.
    pub base: &'a str,
    pub resource_type: &'a str,
    pub id: &'a str,
    pub version: Option<&'a str>,
}

/// An id as a URL may carry it: 1 to 64 letters, digits, `-` and `.`.
fn is_id(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'.')
}

/// The parts of a RESTful URL, as FHIR's RESTful URL regex reads it: http or https, path
/// segments of letters, digits and `\.:%$-_`, then a resource type of R4 and an id.
pub fn restful<'u>(url: &'u str, model: &Model) -> Option<Restful<'u>> {
    let after = url
        .strip_prefix("http://")
        .or_else(|| url.strip_prefix("https://"))?;
    let scheme_len = url.len() - after.len();
    let (path, version) = match after.rsplit_once("/_history/") {
        Some((path, version)) if is_id(version) => (path, Some(version)),
        _ => (after, None),
    };
    let (head, id) = path.rsplit_once('/')?;
    let (prefix, resource_type) = match head.rsplit_once('/') {
        Some((segments, rt)) => (segments.len() + 1, rt),
        None => (0, head),
    };
    if !is_id(id) || !model.is_resource_type(resource_type) {
        return None;
    }
    let base = url.get(..scheme_len + prefix)?;
    let segments_ok = base
        .get(scheme_len..)?
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"\\.:%$-_/".contains(&b));
    segments_ok.then_some(Restful {
        base,
        resource_type,
        id,
        version,
    })
}

/// One entry of a Bundle, as references see it.
#[derive(Debug, Default, Clone, Copy)]
pub struct Entry<'a> {
    pub full_url: Option<&'a str>,
    pub resource: Option<&'a Value>,
    pub resource_type: Option<&'a str>,
    pub id: Option<&'a str>,
    /// `meta.versionId`.
    pub version: Option<&'a str>,
}

impl<'a> Entry<'a> {
    fn of(entry: &'a Value) -> Self {
        let str_at = |v: Option<&'a Value>, key: &str| v.and_then(|v| v.get(key)?.as_str());
        let resource = entry.get("resource").filter(|r| r.is_object());
        Entry {
            full_url: str_at(Some(entry), "fullUrl"),
            resource,
            resource_type: str_at(resource, "resourceType"),
            id: str_at(resource, "id"),
            version: str_at(resource.and_then(|r| r.get("meta")), "versionId"),
        }
    }

    /// The RESTful fullUrl that names another resource than the entry's (another type or id,
    /// or an id the resource lacks), as `restful` reads it. A version-specific fullUrl is not
    /// compared: it is wrong as such (`FullUrlProblem::Versioned`).
    pub fn disagreeing_url(&self, model: &Model) -> Option<Restful<'a>> {
        let r = restful(self.full_url?, model)?;
        let rt = self.resource_type?;
        let agrees = r.resource_type == rt && Some(r.id) == self.id;
        (r.version.is_none() && !agrees).then_some(r)
    }

    /// Whether the entry's fullUrl is reported as wrong (bundle-fullurl-invalid or
    /// bundle-fullurl-mismatch): references that fail to find the entry because of it are
    /// that one defect, not more.
    pub fn full_url_flawed(&self, model: &Model) -> bool {
        self.full_url.and_then(full_url_problem).is_some() || self.disagreeing_url(model).is_some()
    }
}

/// Where a reference leads among a Bundle's entries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `#id`: a contained resource of the referring one, not an entry.
    Local,
    /// Not a form that names an entry (a relative reference that is not `Type/id`, a search).
    NotChecked,
    /// The entry at this index.
    One(usize),
    /// Several entries match (indexes in Bundle order).
    Many(Vec<usize>),
    /// No entry matches.
    Missing {
        /// The absolute URL the reference was resolved to, when relative to a RESTful fullUrl.
        looked_for: Option<String>,
        /// Entries whose resource has the reference's type and id: the reader probably meant
        /// one of them, but the resolution rules do not lead there.
        same_type_id: Vec<usize>,
    },
}

/// A Bundle's entries, indexed for resolving references: by fullUrl and by `Type/id`, each
/// also with `/_history/<meta.versionId>`. Only entries with a resource are indexed.
pub struct Entries<'a> {
    pub list: Vec<Entry<'a>>,
    /// The model, for the resource type names a reference may use.
    pub model: &'a Model,
    by_url: HashMap<String, Vec<usize>>,
    by_type_id: HashMap<String, Vec<usize>>,
}

impl<'a> Entries<'a> {
    pub fn of(bundle: &'a Value, model: &'a Model) -> Self {
        let items = bundle.get("entry").and_then(Value::as_array);
        let list: Vec<Entry> = items.into_iter().flatten().map(Entry::of).collect();
        let mut by_url: HashMap<String, Vec<usize>> = HashMap::new();
        let mut by_type_id: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, e) in list
            .iter()
            .enumerate()
            .filter(|(_, e)| e.resource.is_some())
        {
            let versioned = |key: &str| e.version.map(|v| format!("{key}/_history/{v}"));
            if let Some(url) = e.full_url {
                by_url.entry(url.to_string()).or_default().push(i);
                if let Some(key) = versioned(url) {
                    by_url.entry(key).or_default().push(i);
                }
            }
            if let (Some(rt), Some(id)) = (e.resource_type, e.id) {
                let key = format!("{rt}/{id}");
                if let Some(v) = versioned(&key) {
                    by_type_id.entry(v).or_default().push(i);
                }
                by_type_id.entry(key).or_default().push(i);
            }
        }
        Entries {
            list,
            model,
            by_url,
            by_type_id,
        }
    }

    fn found(indexes: Option<&Vec<usize>>) -> Option<Target> {
        match indexes.map(Vec::as_slice) {
            Some([one]) => Some(Target::One(*one)),
            Some(many) if many.len() > 1 => Some(Target::Many(many.to_vec())),
            _ => None,
        }
    }

    /// Where `reference`, made in an entry with fullUrl `from`, leads. An absolute reference
    /// is a fullUrl; a relative `Type/id` is resolved against `from` when that is a RESTful
    /// URL (`http://x/fhir/Observation/1` makes `Patient/2` `http://x/fhir/Patient/2`), and
    /// has nothing to resolve against when `from` is a `urn:` (the reference validator reports
    /// those, as R4 does not define them). When the entry has no fullUrl, `Type/id` matches the
    /// entry with that resource type and id.
    pub fn resolve(&self, reference: &str, from: Option<&str>) -> Target {
        if reference.starts_with('#') {
            return Target::Local;
        }
        let reference = reference.split('#').next().unwrap_or(reference);
        if is_absolute(reference) {
            return Self::found(self.by_url.get(reference)).unwrap_or(Target::Missing {
                looked_for: None,
                same_type_id: Vec::new(),
            });
        }
        let mut parts = reference.split('/');
        let (Some(rt), Some(id)) = (parts.next(), parts.next()) else {
            return Target::NotChecked;
        };
        if !self.model.is_resource_type(rt) || !is_id(id) {
            return Target::NotChecked;
        }
        let same_type_id = self
            .by_type_id
            .get(&format!("{rt}/{id}"))
            .cloned()
            .unwrap_or_default();
        let (found, looked_for) = match from {
            None => (Self::found(self.by_type_id.get(reference)), None),
            Some(from) => match restful(from, self.model) {
                Some(r) => {
                    let target = format!("{}{reference}", r.base);
                    (Self::found(self.by_url.get(&target)), Some(target))
                }
                None => (None, None),
            },
        };
        found.unwrap_or(Target::Missing {
            looked_for,
            same_type_id,
        })
    }

    /// Whether some reference could match several entries: two entries share a fullUrl or a
    /// type and id. When none do, references need not be looked at for ambiguity.
    pub fn may_be_ambiguous(&self) -> bool {
        let shared = |m: &HashMap<String, Vec<usize>>| m.values().any(|v| v.len() > 1);
        shared(&self.by_url) || shared(&self.by_type_id)
    }

    /// Whether these entries are one fullUrl and version given several times (a duplicate
    /// fullUrl, reported as such), rather than distinct entries a reference cannot choose
    /// between.
    pub fn same_identity(&self, indexes: &[usize]) -> bool {
        let key = |i: &usize| self.list.get(*i).map(|e| (e.full_url, e.version));
        match indexes.split_first() {
            Some((first, rest)) => {
                key(first).is_some_and(|(url, _)| url.is_some())
                    && rest.iter().all(|i| key(i) == key(first))
            }
            None => false,
        }
    }
}

/// The keys a Reference datatype may have in JSON.
const REFERENCE_KEYS: [&str; 9] = [
    "id",
    "extension",
    "reference",
    "_reference",
    "type",
    "_type",
    "identifier",
    "display",
    "_display",
];

/// Every Reference with a `reference` in a resource, as (pointer suffix of the `reference`
/// string, its value), in the record's order: the resource's own and its contained resources'
/// (which resolve in the Bundle too), not those of a Bundle held inside it, whose entries
/// resolve among themselves. An object counts as a Reference when `reference` is a string and
/// it has no key a Reference cannot have.
pub fn references(resource: &Value) -> Vec<(String, &str)> {
    let mut out = Vec::new();
    if resource.get("resourceType").and_then(Value::as_str) != Some("Bundle") {
        collect(resource, &mut String::new(), &mut out);
    }
    out
}

fn collect<'a>(value: &'a Value, at: &mut String, out: &mut Vec<(String, &'a str)>) {
    match value {
        Value::Object(map) => {
            if let Some(reference) = map.get("reference").and_then(Value::as_str) {
                if map.keys().all(|k| REFERENCE_KEYS.contains(&k)) {
                    out.push((path::join(at, "reference"), reference));
                    return;
                }
            }
            for (k, v) in map {
                let nested_bundle = v.get("resourceType").and_then(Value::as_str) == Some("Bundle");
                if !(v.is_object() || v.is_array()) || nested_bundle {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&escape_token(k));
                collect(v, at, out);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let nested_bundle = v.get("resourceType").and_then(Value::as_str) == Some("Bundle");
                if !(v.is_object() || v.is_array()) || nested_bundle {
                    continue;
                }
                let len = at.len();
                path::push_index(at, i);
                collect(v, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    fn model() -> crate::fhir::model::Model {
        crate::fhir::model::Model::r4().expect("the model decodes")
    }

    use super::*;
    use crate::json::record as json;

    #[test]
    fn absolute_urls() {
        for url in [
            "http://example.org/fhir/Patient/1",
            "urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162",
            "urn:oid:2.16.840.1.113883",
            "urn:ehrlint-demo:Patient/pat-1",
        ] {
            assert!(is_absolute(url), "{url}");
            assert_eq!(full_url_problem(url), None, "{url}");
        }
        for url in [
            "Patient/1",
            "a76d9bbf-f293-4fb7-ad4c-2851cac77162",
            "1:x",
            ":x",
            "x:",
        ] {
            assert!(!is_absolute(url), "{url}");
        }
        assert_eq!(
            full_url_problem("Patient/1"),
            Some(FullUrlProblem::Relative)
        );
        assert_eq!(
            full_url_problem("urn:uuid:A76D9BBF-f293-4fb7-ad4c-2851cac77162"),
            Some(FullUrlProblem::Uuid)
        );
        assert_eq!(full_url_problem("urn:oid:3.1"), Some(FullUrlProblem::Oid));
        assert_eq!(
            full_url_problem("http://x/Patient/1/_history/2"),
            Some(FullUrlProblem::Versioned)
        );
        // Left to invalid-format and empty-value.
        assert_eq!(full_url_problem("Patient 1"), None);
        assert_eq!(full_url_problem(""), None);
    }

    #[test]
    fn restful_urls() {
        let r = restful("http://example.org/fhir/Patient/p-1.2/_history/3", &model()).unwrap();
        assert_eq!(
            (r.base, r.resource_type, r.id, r.version),
            ("http://example.org/fhir/", "Patient", "p-1.2", Some("3"))
        );
        let r = restful("https://Observation/1", &model()).unwrap();
        assert_eq!((r.base, r.resource_type), ("https://", "Observation"));
        for url in [
            "http://example.org/fhir/Foo/1",
            "http://example.org/fhir/Patient/",
            "http://example.org/fhir/Patient/a b",
            "http://exa mple.org/Patient/1",
            "urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162",
            "Patient/1",
            "http://nothing/nothing",
        ] {
            assert_eq!(restful(url, &model()), None, "{url}");
        }
    }

    fn bundle() -> Value {
        json!({"resourceType": "Bundle", "entry": [
            {"fullUrl": "http://x/fhir/Composition/c", "resource": {"resourceType": "Composition", "id": "c"}},
            {"fullUrl": "http://x/fhir/Observation/o", "resource": {"resourceType": "Observation", "id": "o", "meta": {"versionId": "1"}}},
            {"fullUrl": "http://x/fhir/Observation/o", "resource": {"resourceType": "Observation", "id": "o", "meta": {"versionId": "2"}}},
            {"fullUrl": "urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162", "resource": {"resourceType": "Patient", "id": "p"}},
            {"resource": {"resourceType": "Practitioner", "id": "d"}},
            {"fullUrl": "http://y/Device/z"},
            "not an entry"]})
    }

    #[test]
    fn references_resolve_as_r4_says() {
        let b = bundle();
        let m = model();
        let e = Entries::of(&b, &m);
        let from = Some("http://x/fhir/Composition/c");
        assert_eq!(e.resolve("Observation/o/_history/2", from), Target::One(2));
        assert_eq!(e.resolve("Observation/o", from), Target::Many(vec![1, 2]));
        assert_eq!(
            e.resolve("Observation/o/_history/3", from),
            Target::Missing {
                looked_for: Some("http://x/fhir/Observation/o/_history/3".into()),
                same_type_id: vec![1, 2]
            }
        );
        assert_eq!(
            e.resolve("urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162", from),
            Target::One(3)
        );
        assert_eq!(
            e.resolve("http://x/fhir/Composition/c#s", from),
            Target::One(0)
        );
        // A relative reference has no base in a urn: fullUrl.
        assert_eq!(
            e.resolve(
                "Patient/p",
                Some("urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162")
            ),
            Target::Missing {
                looked_for: None,
                same_type_id: vec![3]
            }
        );
        // Without a fullUrl, Type/id.
        assert_eq!(e.resolve("Practitioner/d", None), Target::One(4));
        assert_eq!(e.resolve("Observation/o/_history/1", None), Target::One(1));
        // An entry without a resource is not a target.
        assert!(matches!(
            e.resolve("http://y/Device/z", from),
            Target::Missing { .. }
        ));
        assert_eq!(e.resolve("#x", from), Target::Local);
        assert_eq!(e.resolve("Patient?name=x", from), Target::NotChecked);
        assert_eq!(e.resolve("Foo/1", from), Target::NotChecked);
        assert_eq!(e.resolve("", from), Target::NotChecked);
        assert!(!e.same_identity(&[1, 2]));
        assert!(e.may_be_ambiguous());
        let one = json!({"resourceType": "Bundle", "entry": [
            {"fullUrl": "http://x/fhir/Patient/p", "resource": {"resourceType": "Patient", "id": "p"}},
            {"fullUrl": "http://y/fhir/Patient/q", "resource": {"resourceType": "Patient", "id": "q"}}]});
        assert!(!Entries::of(&one, &model()).may_be_ambiguous());
        assert_eq!(e.list.len(), 7);
    }

    #[test]
    fn references_are_found_in_resources_and_contained_not_in_bundles() {
        let r = json!({"resourceType": "Observation",
            "subject": {"reference": "Patient/1", "display": "x"},
            "performer": [{"reference": "#p"}, {"reference": 3}],
            "contained": [{"resourceType": "Practitioner", "id": "p",
                           "organization": {"reference": "Organization/o"}}],
            "note": [{"text": "x", "reference": "not a Reference"}],
            "x/y": {"reference": "Patient/2"},
            "part": {"resourceType": "Bundle", "entry": [{"resource": {"subject": {"reference": "Patient/3"}}}]}});
        assert_eq!(
            references(&r),
            vec![
                ("/subject/reference".to_string(), "Patient/1"),
                ("/performer/0/reference".to_string(), "#p"),
                (
                    "/contained/0/organization/reference".to_string(),
                    "Organization/o"
                ),
                ("/x~1y/reference".to_string(), "Patient/2"),
            ]
        );
        assert!(references(&json!({"resourceType": "Bundle", "x": {"reference": "a"}})).is_empty());
    }
}
