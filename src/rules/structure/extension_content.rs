//! # extension-content
//!
//! **What it checks**: every extension has either a value (`valueString`, `valueCoding`, ...)
//! or sub-extensions, not both and not neither.
//!
//! **Why it matters**: an extension with both leaves readers to guess which one carries the
//! data; one with neither carries nothing but its url, which is a sign that its value was lost
//! on the way.
//!
//! **Example**: fails: `{"url": "http://example.org/x", "valueString": "a", "extension":
//! [{"url": "b", "valueString": "c"}]}`; passes: either part alone.
//!
//! **Authority**: FHIR R4 invariant ext-1, "Must have either extensions or value[x], not both"
//! (http://hl7.org/fhir/R4/extensibility.html#Extension).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "extension-content",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "invariant",
    title: "An extension with both a value and sub-extensions, or neither (ext-1)",
};

/// At the extension.
pub(crate) fn issue(location: &Location, messages: &Catalogue, suffix: &str, both: bool) -> Issue {
    let text = if both {
        text!("extension-content.both")
    } else {
        text!("extension-content")
    };
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_one, issues};
    use serde_json::json;

    const URL: &str = "http://example.org/fhir/x";

    #[test]
    fn fails_on_both_and_on_neither() {
        let both = json!({"resourceType": "Patient", "extension": [{"url": URL, "valueString": "a",
            "extension": [{"url": "b", "valueString": "c"}]}]});
        assert!(issues(both).contains(&("extension-content", "/extension/0".to_string())));
        assert_one(
            json!({"resourceType": "Patient", "_birthDate": {"extension": [
                {"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason"}]}}),
            "extension-content",
            "/_birthDate/extension/0",
        );
    }

    #[test]
    fn passes_a_value_or_sub_extensions() {
        let found = issues(json!({"resourceType": "Patient", "extension": [
            {"url": URL, "valueString": "a"},
            {"url": URL, "extension": [{"url": "b", "valueString": "c"}]}]}));
        assert!(
            found.iter().all(|(code, _)| *code != "extension-content"),
            "{found:?}"
        );
    }
}
