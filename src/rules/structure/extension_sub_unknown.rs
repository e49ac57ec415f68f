//! # extension-sub-unknown
//!
//! **What it checks**: the sub-extensions of a complex extension defined by FHIR R4 are ones
//! it defines: `patient-nationality` has `code` and `period`, `codesystem-history`'s
//! `revision` has `date`, `id`, `author` and `notes`. (A sub-extension with an absolute url is
//! an extension of its own, checked as such.)
//!
//! **Why it matters**: a misspelt part (`peroid`) is ignored by every system that reads the
//! extension, and its data is lost.
//!
//! **Example**: fails: `patient-nationality` with a sub-extension `{"url": "country", ...}`;
//! passes: with `{"url": "code", "valueCodeableConcept": {...}}`.
//!
//! **Authority**: the extension's StructureDefinition, the slices of `Extension.extension`
//! (http://hl7.org/fhir/R4/extensibility.html#Extension); the reference validator's
//! "Sub-extension url '...' is not defined by the Extension".

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{excerpt, nearest, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "extension-sub-unknown",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "A sub-extension its complex extension does not define",
};

/// At the sub-extension's `url`; suggests the nearest defined part.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    url: &str,
    part: &str,
    allowed: &[&str],
) -> Issue {
    let suggestions = nearest(part, allowed.iter().copied(), 3);
    let text = text!(
        "extension-sub-unknown",
        url = excerpt(url),
        part = excerpt(part),
        allowed = allowed.join(", ")
    );
    let mut issue = RULE.issue(location, suffix, messages, text);
    issue.suggestions = suggestions;
    issue
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    const NATIONALITY: &str = "http://hl7.org/fhir/StructureDefinition/patient-nationality";

    fn patient(parts: serde_json::Value) -> serde_json::Value {
        json!({"resourceType": "Patient", "extension": [{"url": NATIONALITY, "extension": parts}]})
    }

    #[test]
    fn fails_on_an_unknown_part() {
        let p = patient(json!([{"url": "peroid", "valuePeriod": {"start": "2001"}}]));
        assert_one(
            p.clone(),
            "extension-sub-unknown",
            "/extension/0/extension/0/url",
        );
        assert_eq!(report(p).issues[0].suggestions, ["period"]);
    }

    #[test]
    fn fails_two_levels_down() {
        assert_one(
            json!({"resourceType": "CodeSystem", "status": "draft", "content": "not-present", "extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/codesystem-history", "extension": [
                    {"url": "revision", "extension": [
                        {"url": "date", "valueDateTime": "2020-01-01"},
                        {"url": "id", "valueString": "1"},
                        {"url": "author", "valueString": "x"},
                        {"url": "reviewer", "valueString": "y"}]}]}]}),
            "extension-sub-unknown",
            "/extension/0/extension/0/extension/3/url",
        );
    }

    #[test]
    fn passes_defined_parts_and_absolute_urls() {
        assert_clean(patient(json!([
            {"url": "code", "valueCodeableConcept": {"text": "Norwegian"}},
            {"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"}])));
    }
}
