//! # required-choice
//!
//! **What it checks**: a mandatory choice element is present in one of its forms:
//! `MedicationRequest.medication[x]` (`medicationCodeableConcept` or `medicationReference`).
//!
//! **Why it matters**: a prescription that does not say which medication cannot be dispensed.
//!
//! **Example**: fails: a MedicationRequest with neither form; passes: one with
//! `"medicationCodeableConcept": {"text": "amoxicillin 500 mg capsule"}`.
//!
//! **Authority**: FHIR R4 StructureDefinition MedicationRequest, `medication[x]` min 1
//! (http://hl7.org/fhir/R4/medicationrequest-definitions.html#MedicationRequest.medication_x_).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "required-choice",
    category: Category::Completeness,
    severity: Severity::Error,
    issue_type: "required",
    title: "A mandatory choice element (like medication[x]) is missing",
};

/// The path names the choice element (`/medication[x]`), as no single property is missing.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    object: &str,
    owner: &str,
    name: &str,
    forms: &[&str],
) -> Issue {
    let text = text!("required-choice", owner, name, forms = forms.join(", "));
    let mut issue = RULE.issue(location, &format!("{object}/{name}[x]"), messages, text);
    issue.suggestions = forms.iter().map(|f| f.to_string()).collect();
    issue
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn request() -> serde_json::Value {
        json!({"resourceType": "MedicationRequest", "status": "active", "intent": "order", "subject": {"reference": "Patient/1"}})
    }

    #[test]
    fn fails_without_medication() {
        assert_one(request(), "required-choice", "/medication[x]");
    }

    #[test]
    fn passes_with_one_form() {
        let mut r = request();
        r["medicationCodeableConcept"] = json!({"text": "amoxicillin 500 mg capsule"});
        assert_clean(r);
    }
}
