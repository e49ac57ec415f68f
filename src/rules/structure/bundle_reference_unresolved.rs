//! # bundle-reference-unresolved
//!
//! **What it checks**: the references a Bundle must resolve inside itself, resolved as FHIR R4
//! says (an absolute URL or `urn:uuid:` matches an entry's fullUrl; a relative `Type/id` is
//! read against the referring entry's fullUrl when that is a RESTful server URL, or matches an
//! entry's type and id when the referring entry has no fullUrl; `Type/id/_history/n` needs that
//! `meta.versionId`; `#id` points into `contained` and is not looked for):
//! - in a `document` Bundle, what its Composition refers to: subject, author, encounter,
//!   custodian, attester party, event detail, and each section's author, focus and entries;
//! - in a `message` Bundle, its MessageHeader's focus;
//! - in `document`, `message` and `transaction` Bundles, every `urn:uuid:` and `urn:oid:`
//!   reference, from any entry.
//!
//! Other references may point outside the Bundle (a transaction's `Patient/123` already on
//! the server; an observation in a document citing an external record): they are not
//! reported. Nor is anything in a batch, whose entries are independent requests, or in a
//! transaction-response, collection or searchset, which hold what a server returned or
//! gathered: the reference validator requires nothing of them either. Nor are absolute URLs of definitions (a `ValueSet`, `Questionnaire`...) that a
//! Composition cites, which live in packages and registries.
//!
//! **Why it matters**: a document is read without a server: a section entry that is not in
//! the Bundle is simply missing from what the reader sees. A `urn:uuid:` names nothing outside
//! its Bundle, so a server rejects a transaction with one it cannot match.
//!
//! **Example**: fails: a document whose Composition has `"subject": {"reference":
//! "Patient/1"}` and no entry `http://example.org/fhir/Patient/1` (the Composition's fullUrl
//! being `http://example.org/fhir/Composition/c`); passes: with that entry.
//!
//! **Authority**: FHIR R4 Resolving references in Bundles (http://hl7.org/fhir/R4/bundle.html#references),
//! Documents (http://hl7.org/fhir/R4/documents.html#content: "the bundle SHALL include ... all
//! the resources referred to from the Composition"), and the HL7 reference validator
//! (BundleValidator: "Can't find '...' in the bundle"). That validator only warns about a
//! `urn:uuid:` that no entry has; ehrlint reports it as an error, as no reader can resolve it.

use crate::json::Value;

use crate::fhir::bundle::{full_url_problem, is_absolute, references, restful, Target};
use crate::messages::{text, Text};
use crate::report::{Category, Severity};
use crate::rules::{quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "bundle-reference-unresolved",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "not-found",
    title: "A reference a document, message or transaction Bundle must hold, not found in it",
};

/// The references of `object[key]` (one Reference or a list), as (pointer suffix, value).
fn refs_at<'a>(object: &'a Value, key: &str, at: &str, out: &mut Vec<(String, &'a str)>) {
    let mut one = |value: &'a Value, at: String| {
        if let Some(r) = value.get("reference").and_then(Value::as_str) {
            out.push((format!("{at}/reference"), r));
        }
    };
    match object.get(key) {
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                one(item, format!("{at}/{key}/{i}"));
            }
        }
        Some(value) => one(value, format!("{at}/{key}")),
        None => {}
    }
}

/// Each item of `object[key]` when it is a list.
fn items<'a>(object: &'a Value, key: &str) -> impl Iterator<Item = (usize, &'a Value)> {
    object
        .get(key)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
}

/// Sections' author, focus and entries, and their subsections'.
fn sections<'a>(holder: &'a Value, at: &str, depth: usize, out: &mut Vec<(String, &'a str)>) {
    // Deeper than any real document; the input's nesting limit bounds it anyway.
    if depth > 64 {
        return;
    }
    for (i, section) in items(holder, "section") {
        let at = format!("{at}/section/{i}");
        for key in ["author", "focus", "entry"] {
            refs_at(section, key, &at, out);
        }
        sections(section, &at, depth + 1, out);
    }
}

/// The references of a document's Composition or a message's MessageHeader (the first entry's
/// resource), with pointers from the Bundle.
fn required<'a>(bundle: &'a Value, kind: &str) -> Vec<(String, &'a str)> {
    let mut out = Vec::new();
    let first = bundle
        .get("entry")
        .and_then(|e| e.get(0))
        .and_then(|e| e.get("resource"));
    let Some(first) = first else {
        return out;
    };
    let rt = first.get("resourceType").and_then(Value::as_str);
    let at = "/entry/0/resource";
    match (kind, rt) {
        ("document", Some("Composition")) => {
            for key in ["subject", "author", "encounter", "custodian"] {
                refs_at(first, key, at, &mut out);
            }
            for (i, attester) in items(first, "attester") {
                refs_at(attester, "party", &format!("{at}/attester/{i}"), &mut out);
            }
            for (i, event) in items(first, "event") {
                refs_at(event, "detail", &format!("{at}/event/{i}"), &mut out);
            }
            sections(first, at, 0, &mut out);
        }
        ("message", Some("MessageHeader")) => refs_at(first, "focus", at, &mut out),
        _ => {}
    }
    out
}

/// Whether a reference names a bundle-local identity, meaningless outside its Bundle.
fn is_urn(reference: &str) -> bool {
    reference.starts_with("urn:uuid:") || reference.starts_with("urn:oid:")
}

record_rule! {
    types: crate::rules::Types::Only(&["Bundle"]),
    fn check(resource, cx, out) {
        let kind = match resource.get("type").and_then(Value::as_str) {
            Some(k @ ("document" | "message" | "transaction")) => k,
            _ => return,
        };
        let entries = cx.entries();
        let required = required(resource, kind);
        let mut wanted: Vec<(usize, String, &str)> = Vec::new();
        for (i, entry) in entries.list.iter().enumerate() {
            let Some(r) = entry.resource else {
                continue;
            };
            let prefix = format!("/entry/{i}/resource");
            for (at, reference) in references(r) {
                let pointer = format!("{prefix}{at}");
                if is_urn(reference) && !required.iter().any(|(p, _)| *p == pointer) {
                    wanted.push((i, pointer, reference));
                }
            }
        }
        wanted.extend(required.into_iter().map(|(p, r)| (0, p, r)));
        crate::sort::by(&mut wanted, |a, b| crate::fhir::path::pointer_order(&a.1, &b.1));
        for (i, pointer, reference) in wanted {
            let from = entries.list.get(i).and_then(|e| e.full_url);
            let Target::Missing { looked_for, same_type_id } = entries.resolve(reference, from) else {
                continue;
            };
            // A definition cited by its server URL (http://x/fhir/ValueSet/1) is published
            // elsewhere, as the reference validator also accepts.
            let definition = restful(reference, cx.model)
                .is_some_and(|r| cx.model.is_canonical_resource(r.resource_type));
            if definition && !is_urn(reference) {
                continue;
            }
            // A wrong fullUrl, here or on the entry meant, is reported at the fullUrl: the
            // references it breaks are that defect.
            let base_flawed = !is_absolute(reference)
                && from.and_then(full_url_problem).is_some();
            let target_flawed = same_type_id
                .iter()
                .any(|&t| entries.list.get(t).is_some_and(|e| e.full_url_flawed(cx.model)));
            if base_flawed || target_flawed {
                continue;
            }
            let shown = quote(&Value::from(reference));
            let found = same_type_id
                .first()
                .and_then(|&t| entries.list.get(t))
                .zip(same_type_id.first())
                .map(|(e, t)| match e.full_url {
                    Some(url) => quote(&Value::from(url)),
                    // No fullUrl to show: where the entry is.
                    None => format!("/entry/{t}"),
                });
            let text: Text = match (found, looked_for) {
                (Some(found), Some(target)) => {
                    let target = quote(&Value::from(target));
                    text!("bundle-reference-unresolved.relative", reference = shown, target, found)
                }
                (Some(found), None) if from.is_some() && !is_absolute(reference) => {
                    let from = quote(&Value::from(from.unwrap_or_default()));
                    text!("bundle-reference-unresolved.no-base", reference = shown, from, found)
                }
                _ if is_urn(reference) => text!("bundle-reference-unresolved.urn", reference = shown),
                _ if kind == "message" => {
                    text!("bundle-reference-unresolved.message", reference = shown)
                }
                _ => text!("bundle-reference-unresolved", reference = shown),
            };
            out.push(RULE.issue(cx.location, &pointer, cx.messages, text));
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, issues};
    use serde_json::json;

    const BASE: &str = "http://example.org/fhir/";
    const UUID: &str = "urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162";

    fn composition(subject: &str, section_entry: &str) -> serde_json::Value {
        json!({"resourceType": "Composition", "id": "c", "status": "final",
               "type": {"text": "Discharge summary"}, "date": "2024-05-01", "title": "Summary",
               "subject": {"reference": subject},
               "author": [{"reference": "Practitioner/d"}],
               "section": [{"title": "Findings", "entry": [{"reference": section_entry}]}]})
    }

    fn document(subject: &str, section_entry: &str) -> serde_json::Value {
        json!({"resourceType": "Bundle", "type": "document",
               "identifier": {"system": "urn:ietf:rfc:3986", "value": UUID},
               "timestamp": "2024-05-01T10:00:00Z",
               "entry": [
            {"fullUrl": format!("{BASE}Composition/c"), "resource": composition(subject, section_entry)},
            {"fullUrl": format!("{BASE}Patient/1"), "resource": {"resourceType": "Patient", "id": "1"}},
            {"fullUrl": format!("{BASE}Practitioner/d"), "resource": {"resourceType": "Practitioner", "id": "d"}},
            {"fullUrl": format!("{BASE}Observation/o"), "resource": {"resourceType": "Observation", "id": "o",
                "meta": {"versionId": "2"}, "status": "final", "code": {"text": "x"},
                "subject": {"reference": "Patient/1"}}}]})
    }

    #[test]
    fn fails_on_a_composition_reference_not_in_the_document() {
        assert_one(
            document("Patient/2", "Observation/o"),
            "bundle-reference-unresolved",
            "/entry/0/resource/subject/reference",
        );
        assert_one(
            document("Patient/1", "Observation/o/_history/1"),
            "bundle-reference-unresolved",
            "/entry/0/resource/section/0/entry/0/reference",
        );
        assert_one(
            document("http://elsewhere.org/Patient/1", "Observation/o"),
            "bundle-reference-unresolved",
            "/entry/0/resource/subject/reference",
        );
    }

    #[test]
    fn passes_a_self_contained_document() {
        assert_clean(document("Patient/1", "Observation/o"));
        assert_clean(document(
            &format!("{BASE}Patient/1"),
            "Observation/o/_history/2",
        ));
        // A cited definition lives in a registry.
        assert_clean(document(
            "Patient/1",
            "http://example.org/fhir/Questionnaire/q",
        ));
    }

    #[test]
    fn a_relative_reference_needs_a_server_url_to_resolve_against() {
        let mut bundle = document("Patient/1", "Observation/o");
        bundle["entry"][0]["fullUrl"] = json!(UUID);
        // Both the subject and the author are relative to a urn: fullUrl.
        assert_eq!(
            issues(bundle),
            vec![
                (
                    "bundle-reference-unresolved",
                    "/entry/0/resource/author/0/reference".to_string()
                ),
                (
                    "bundle-reference-unresolved",
                    "/entry/0/resource/section/0/entry/0/reference".to_string()
                ),
                (
                    "bundle-reference-unresolved",
                    "/entry/0/resource/subject/reference".to_string()
                ),
            ]
        );
    }

    #[test]
    fn a_wrong_full_url_is_one_issue_not_one_per_reference() {
        let mut bundle = document("Patient/1", "Observation/o");
        bundle["entry"][0]["fullUrl"] = json!("Composition/c");
        assert_one(bundle, "bundle-fullurl-invalid", "/entry/0/fullUrl");
        let mut bundle = document("Patient/1", "Observation/o");
        bundle["entry"][1]["fullUrl"] = json!(format!("{BASE}Patient/12"));
        assert_one(bundle, "bundle-fullurl-mismatch", "/entry/1/fullUrl");
    }

    fn transaction(reference: &str) -> serde_json::Value {
        json!({"resourceType": "Bundle", "type": "transaction", "entry": [
            {"fullUrl": UUID, "resource": {"resourceType": "Patient"},
             "request": {"method": "POST", "url": "Patient"}},
            {"fullUrl": "urn:uuid:0c3a2b1e-5d4f-4e6a-9b8c-7d6e5f4a3b2c",
             "resource": {"resourceType": "Observation", "status": "final", "code": {"text": "x"},
                          "subject": {"reference": reference}},
             "request": {"method": "POST", "url": "Observation"}}]})
    }

    #[test]
    fn fails_on_a_transactions_urn_reference_to_no_entry() {
        assert_one(
            transaction("urn:uuid:ffffffff-f293-4fb7-ad4c-2851cac77162"),
            "bundle-reference-unresolved",
            "/entry/1/resource/subject/reference",
        );
    }

    #[test]
    fn passes_a_transactions_references_to_entries_and_to_the_server() {
        assert_clean(transaction(UUID));
        // Already on the server: a transaction may refer to it.
        assert_clean(transaction("Patient/123"));
        assert_clean(transaction("http://example.org/fhir/Patient/123"));
    }

    #[test]
    fn a_message_holds_its_focus() {
        let message = |focus: &str| {
            json!({"resourceType": "Bundle", "type": "message", "timestamp": "2024-05-01T10:00:00Z", "entry": [
                {"fullUrl": UUID, "resource": {"resourceType": "MessageHeader",
                    "eventCoding": {"system": "http://example.org/events", "code": "admit"},
                    "source": {"endpoint": "http://example.org/app"},
                    "focus": [{"reference": focus}]}},
                {"fullUrl": "urn:uuid:0c3a2b1e-5d4f-4e6a-9b8c-7d6e5f4a3b2c",
                 "resource": {"resourceType": "Patient"}}]})
        };
        assert_clean(message("urn:uuid:0c3a2b1e-5d4f-4e6a-9b8c-7d6e5f4a3b2c"));
        assert_one(
            message("http://example.org/fhir/Patient/1"),
            "bundle-reference-unresolved",
            "/entry/0/resource/focus/0/reference",
        );
    }

    #[test]
    fn collections_and_searchsets_may_point_anywhere() {
        let mut bundle = document("Patient/2", "urn:uuid:ffffffff-f293-4fb7-ad4c-2851cac77162");
        bundle["type"] = json!("collection");
        assert_clean(bundle);
    }
}
