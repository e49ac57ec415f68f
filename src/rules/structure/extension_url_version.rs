//! # extension-url-version
//!
//! **What it checks**: an extension's `url` carries no version (`|4.0.0` at its end).
//!
//! **Why it matters**: an extension is identified by its url alone; a versioned url matches
//! no definition, so systems that look for the extension do not find it and its data is lost.
//!
//! **Example**: fails: `{"url": "http://hl7.org/fhir/StructureDefinition/patient-congregation|4.0.0",
//! "valueString": "St Mary"}`; passes: the same url without `|4.0.0`.
//!
//! **Authority**: FHIR R4 Extension.url (http://hl7.org/fhir/R4/extensibility.html#Extension),
//! the reference validator's "The extension URL must not contain a version"
//! (fhir-test-cases `versioned-extension`).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{excerpt, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "extension-url-version",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "An extension url that carries a version",
};

/// The issue sits on the extension's `url`; the suggestion is the url without the version.
pub(crate) fn issue(location: &Location, messages: &Catalogue, suffix: &str, url: &str) -> Issue {
    let (base, version) = url.split_once('|').unwrap_or((url, ""));
    let text = text!(
        "extension-url-version",
        base = excerpt(base),
        version = excerpt(version)
    );
    let mut issue = RULE.issue(location, suffix, messages, text);
    issue.suggestions = vec![base.to_string()];
    issue
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    const URL: &str = "http://hl7.org/fhir/StructureDefinition/patient-congregation";

    #[test]
    fn fails_on_a_versioned_url() {
        let patient = json!({"resourceType": "Patient",
            "extension": [{"url": format!("{URL}|4.0.0"), "valueString": "St Mary"}]});
        assert_one(patient.clone(), "extension-url-version", "/extension/0/url");
        assert_eq!(report(patient).issues[0].suggestions, [URL]);
    }

    #[test]
    fn passes_the_url_without_version() {
        assert_clean(json!({"resourceType": "Patient",
            "extension": [{"url": URL, "valueString": "St Mary"}]}));
    }
}
