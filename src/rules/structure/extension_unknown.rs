//! # extension-unknown
//!
//! **What it checks**: every extension's `url` names an extension whose definition ehrlint
//! has: one of the 393 that HL7 publishes with FHIR R4 (`http://hl7.org/fhir/StructureDefinition/...`).
//! Any other url is reported for information only: its value, place and sub-extensions could
//! not be checked.
//!
//! **Why it matters**: vendors and implementation guides define extensions of their own, so an
//! unknown url is usually expected; but a misspelt core url (`patient-birthplace` for
//! `patient-birthPlace`) makes the data invisible to every system that looks for the real one.
//! Raise the severity (`rules.severity`) where only known extensions may be used.
//!
//! **Example**: reported: `{"url": "http://example.org/fhir/eye-colour", "valueString": "blue"}`
//! in a Patient's `extension`; silent: `{"url":
//! "http://hl7.org/fhir/StructureDefinition/patient-birthPlace", "valueAddress": {"city": "Oslo"}}`.
//!
//! **Authority**: FHIR R4 extensibility (http://hl7.org/fhir/R4/extensibility.html#Extension):
//! "the url SHALL be a URL that identifies the definition of the extension"; the reference
//! validator reports extensions it cannot resolve.

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "extension-unknown",
    category: Category::Structure,
    severity: Severity::Information,
    issue_type: "extension",
    title: "An extension url with no definition ehrlint knows",
};

/// The issue sits on the extension's `url`.
pub(crate) fn issue(location: &Location, messages: &Catalogue, suffix: &str, url: &str) -> Issue {
    RULE.issue(
        location,
        suffix,
        messages,
        text!("extension-unknown", url = crate::rules::excerpt(url)),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, issues_with, report};
    use crate::{Options, Severity, Validator};
    use serde_json::json;

    fn vendor() -> serde_json::Value {
        json!({"resourceType": "Patient",
               "extension": [{"url": "http://example.org/fhir/eye-colour", "valueString": "blue"}]})
    }

    #[test]
    fn reports_an_unknown_url_for_information() {
        assert_one(vendor(), "extension-unknown", "/extension/0/url");
        let r = report(vendor());
        assert!(r.valid);
        assert_eq!(r.issues[0].severity, Severity::Information);
    }

    #[test]
    fn its_severity_is_settable() {
        let options = Options::from_json(json!({
            "profile": "none",
            "rules": {"severity": {"extension-unknown": "error"}}
        }))
        .unwrap();
        let v = Validator::new(options).unwrap();
        let r = v.validate(&vendor(), &crate::Context::default());
        assert!(!r.valid);
        assert_eq!(r.issues[0].severity, Severity::Error);
        assert_eq!(
            issues_with(&v, vendor()),
            [("extension-unknown", "/extension/0/url".to_string())]
        );
    }

    #[test]
    fn passes_a_core_extension() {
        assert_clean(json!({"resourceType": "Patient", "extension": [
            {"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
             "valueAddress": {"city": "Oslo"}}]}));
    }
}
