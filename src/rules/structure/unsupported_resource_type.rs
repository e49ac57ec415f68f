//! # unsupported-resource-type
//!
//! **What it checks**: nothing is wrong: this notes that a record of a real FHIR R4 type that
//! ehrlint does not check yet (`Medication`, `DiagnosticReport`, ...) was passed over.
//!
//! **Why it matters**: silence would read as "checked and clean"; the note says it was not
//! checked, so nobody relies on a check that did not run. Information only, never an error.
//!
//! **Example**: noted: `{"resourceType": "Medication"}`; not noted: `{"resourceType": "Patient"}`.
//!
//! **Authority**: ehrlint's supported types (README); FHIR R4 resource list
//! (http://hl7.org/fhir/R4/resourcelist.html).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "unsupported-resource-type",
    category: Category::Structure,
    severity: Severity::Information,
    issue_type: "not-supported",
    title: "A FHIR R4 resource type that ehrlint does not check (noted, not an error)",
};

pub(crate) fn issue<'a>(
    location: &Location,
    messages: &Catalogue,
    name: &str,
    supported: impl IntoIterator<Item = &'a str>,
) -> Issue {
    let supported = supported.into_iter().collect::<Vec<_>>().join(", ");
    RULE.issue(
        location,
        "",
        messages,
        text!("unsupported-resource-type", name, supported),
    )
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, report};
    use crate::Severity;
    use serde_json::json;

    #[test]
    fn notes_unsupported_type_once_as_information() {
        let r = report(json!({"resourceType": "Medication", "anything": 1}));
        assert_eq!(r.issues.len(), 1);
        assert_eq!(
            (r.issues[0].code, r.issues[0].path.as_str()),
            ("unsupported-resource-type", "")
        );
        assert_eq!(r.issues[0].severity, Severity::Information);
        assert!(r.valid);
    }

    #[test]
    fn silent_for_supported_type() {
        assert_clean(json!({"resourceType": "Practitioner"}));
    }
}
