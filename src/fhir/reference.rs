//! References between resources: what `subject`, `condition`, ... point to.

use std::cell::RefCell;
use std::collections::HashMap;

use crate::json::Value;

/// The resource a reference points to: in the Bundle by `fullUrl` or `Type/id`, or among the
/// referring resource's own `contained` by `#id`.
pub fn resolve<'a>(
    reference: &str,
    from: &'a Value,
    bundle: Option<&'a Value>,
) -> Option<&'a Value> {
    if let Some(local) = reference.strip_prefix('#') {
        return from
            .get("contained")?
            .as_array()?
            .iter()
            .find(|r| r.get("id").and_then(Value::as_str) == Some(local));
    }
    let entries = bundle?.get("entry")?.as_array()?;
    let by_url = entries
        .iter()
        .find(|e| e.get("fullUrl").and_then(Value::as_str) == Some(reference));
    if let Some(r) = by_url.and_then(|e| e.get("resource")) {
        return Some(r);
    }
    // `Condition/123`, possibly absolute (`http://server/fhir/Condition/123`).
    let mut parts = reference.rsplit('/');
    let (id, rt) = (parts.next()?, parts.next()?);
    entries.iter().find_map(|e| {
        let r = e.get("resource")?;
        (r.get("resourceType").and_then(Value::as_str) == Some(rt)
            && r.get("id").and_then(Value::as_str) == Some(id))
        .then_some(r)
    })
}

/// The Patient a resource is about, found in its Bundle (or its `contained`) by the reference
/// that names its patient (`fhir::facts::subject_elements`: `subject`, `patient`,
/// Coverage's `beneficiary`).
pub fn patient_of(
    resource: &Value,
    bundle: Option<&Value>,
    indexes: &Indexes,
) -> Option<super::patient::Patient> {
    let rt = resource
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("");
    let reference = super::facts::subject_elements(rt)
        .iter()
        .find_map(|k| resource.get(*k)?.get("reference")?.as_str())?;
    let target = indexes.resolve(reference, resource, bundle)?;
    (target.get("resourceType").and_then(Value::as_str) == Some("Patient"))
        .then(|| super::patient::Patient::from_resource(target))
}

/// A Bundle's entries by `fullUrl` and by `Type/id` (the first of each, as `resolve` finds).
struct BundleIndex {
    by_url: HashMap<String, usize>,
    by_type_id: HashMap<(String, String), usize>,
}

impl BundleIndex {
    fn new(bundle: &Value) -> Self {
        let mut index = BundleIndex {
            by_url: HashMap::new(),
            by_type_id: HashMap::new(),
        };
        let entries = bundle.get("entry").and_then(Value::as_array);
        for (i, entry) in entries.into_iter().flatten().enumerate() {
            if let Some(url) = entry.get("fullUrl").and_then(Value::as_str) {
                index.by_url.entry(url.to_string()).or_insert(i);
            }
            let r = entry.get("resource");
            let rt = r
                .and_then(|r| r.get("resourceType"))
                .and_then(Value::as_str);
            let id = r.and_then(|r| r.get("id")).and_then(Value::as_str);
            if let (Some(rt), Some(id)) = (rt, id) {
                index
                    .by_type_id
                    .entry((rt.to_string(), id.to_string()))
                    .or_insert(i);
            }
        }
        index
    }

    /// The entry `reference` names (by fullUrl, else by its last `Type/id`), as `resolve`.
    fn find(&self, reference: &str, entries: &[Value]) -> Option<usize> {
        let by_url = self.by_url.get(reference).copied();
        if by_url.is_some_and(|i| entries.get(i).and_then(|e| e.get("resource")).is_some()) {
            return by_url;
        }
        let mut parts = reference.rsplit('/');
        let (id, rt) = (parts.next()?, parts.next()?);
        self.by_type_id
            .get(&(rt.to_string(), id.to_string()))
            .copied()
    }
}

/// The Bundle indexes of one validation, each built when a reference into its Bundle is first
/// resolved: resolving every entry's subject by scanning the Bundle would cost entries² in a
/// large one. Keyed by the Bundle's address, which is stable while the input is validated.
#[derive(Default)]
pub struct Indexes(RefCell<HashMap<usize, BundleIndex>>);

impl Indexes {
    /// What `resolve` finds, through the Bundle's index.
    pub fn resolve<'a>(
        &self,
        reference: &str,
        from: &'a Value,
        bundle: Option<&'a Value>,
    ) -> Option<&'a Value> {
        let Some(bundle) = bundle.filter(|_| !reference.starts_with('#')) else {
            return resolve(reference, from, bundle);
        };
        let entries = bundle.get("entry")?.as_array()?;
        let key = bundle as *const Value as usize;
        let found = self
            .0
            .borrow_mut()
            .entry(key)
            .or_insert_with(|| BundleIndex::new(bundle))
            .find(reference, entries)?;
        entries.get(found)?.get("resource")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::record as json;

    #[test]
    fn the_index_finds_what_a_scan_finds() {
        let bundle = json!({"resourceType": "Bundle", "entry": [
            {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "id": "a"}},
            {"fullUrl": "urn:uuid:1", "resource": {"resourceType": "Patient", "id": "b"}},
            {"fullUrl": "urn:uuid:2"},
            {"fullUrl": "http://x/fhir/Patient/c", "resource": {"resourceType": "Patient", "id": "c"}},
            {"resource": {"resourceType": "Patient", "id": "d"}},
            {"resource": {"resourceType": "Patient", "id": "d", "gender": "male"}},
            {"resource": {"resourceType": "Patient", "id": "urn:uuid:2"}},
            "not an entry"]});
        let from = json!({"resourceType": "Condition",
                          "contained": [{"resourceType": "Patient", "id": "p"}]});
        let indexes = Indexes::default();
        for reference in [
            "urn:uuid:1",
            "urn:uuid:2",
            "urn:uuid:3",
            "Patient/a",
            "Patient/b",
            "Patient/c",
            "http://x/fhir/Patient/c",
            "http://y/Patient/d",
            "Patient/d",
            "Group/d",
            "#p",
            "#q",
            "d",
            "",
        ] {
            assert_eq!(
                indexes.resolve(reference, &from, Some(&bundle)),
                resolve(reference, &from, Some(&bundle)),
                "{reference}"
            );
        }
        assert_eq!(indexes.resolve("Patient/a", &from, None), None);
        assert!(indexes.resolve("#p", &from, None).is_some());
    }
}
