//! References between resources: what `subject`, `condition`, ... point to.

use serde_json::Value;

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

/// The Patient a resource is about, found in its Bundle (or its `contained`) by the `subject`
/// or `patient` reference.
pub fn patient_of(resource: &Value, bundle: Option<&Value>) -> Option<crate::Patient> {
    let reference = ["subject", "patient"]
        .iter()
        .find_map(|k| resource.get(k)?.get("reference")?.as_str())?;
    let target = crate::fhir::reference::resolve(reference, resource, bundle)?;
    (target.get("resourceType").and_then(Value::as_str) == Some("Patient"))
        .then(|| crate::Patient::from_resource(target))
}
