//! # conditional-required
//!
//! **What it checks**: the requirements of the validator's profile that hold only in some
//! states of a record. The default profile has these: a Condition needs a clinical status
//! unless it was entered in error, and an inactive, resolved or remitted Condition needs an
//! abatement; an Observation with no value, component or member needs a dataAbsentReason; a
//! vital-sign Observation's quantities need a UCUM unit code; a completed or ongoing Procedure
//! needs its performed date; an AllergyIntolerance needs a clinical status unless entered in
//! error; an Immunization not given needs a status reason. The message says which one. Each
//! is a warning, except the two FHIR R4 itself makes (vital-sign units and the allergy's
//! clinical status), which are errors.
//!
//! **Why it matters**: these are the gaps that make a record misleading rather than merely
//! short: a resolved problem with no end date looks current on a timeline, an Observation with
//! neither value nor reason reads as a lost result, and a blood pressure without a unit cannot
//! be charted or checked.
//!
//! **Example**: fails: `{"resourceType": "Condition", "clinicalStatus": {"coding": [{"system":
//! "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}]}, ...}` with
//! no `abatement[x]` (at `/abatement[x]`); passes: the same with `"abatementDateTime":
//! "2024-03-01"`.
//!
//! **Authority**: FHIR R4 invariants con-3 and con-4 (Condition), ait-1 (AllergyIntolerance),
//! obs-6 and the vital signs profile (Observation, http://hl7.org/fhir/R4/observation-vitalsigns.html);
//! HL7 US Core 5.0.1 (us-core-2 data-absent-reason, Procedure performed[x]); CDC/HL7
//! immunization guidance on documenting refusals.

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "conditional-required",
    category: Category::Completeness,
    severity: Severity::Warning,
    issue_type: "required",
    title: "An element the record's state requires is missing",
};

/// `message` is the profile's own wording of the requirement.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    message: &str,
    severity: Severity,
) -> Issue {
    let text = text!("conditional-required", message);
    let mut issue = RULE.issue(location, suffix, messages, text);
    issue.severity = severity;
    issue
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_one_with, default_profile, issues_with};
    use serde_json::json;

    fn condition(status: &str) -> serde_json::Value {
        json!({"resourceType": "Condition",
               "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": status}]},
               "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]},
               "category": [{"text": "Problem"}], "code": {"text": "Asthma"},
               "subject": {"reference": "Patient/1"}})
    }

    #[test]
    fn fails_on_resolved_condition_without_abatement() {
        assert_one_with(
            default_profile(),
            condition("resolved"),
            "conditional-required",
            "/abatement[x]",
        );
    }

    #[test]
    fn passes_active_condition_and_resolved_one_with_abatement() {
        assert!(issues_with(default_profile(), condition("active")).is_empty());
        let mut c = condition("resolved");
        c["abatementDateTime"] = json!("2024-03-01");
        assert!(issues_with(default_profile(), c).is_empty());
    }

    #[test]
    fn fails_on_vital_sign_without_unit_code() {
        assert_one_with(
            default_profile(),
            json!({"resourceType": "Observation", "status": "final",
                   "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs"}]}],
                   "code": {"coding": [{"system": "http://loinc.org", "code": "8867-4"}]},
                   "subject": {"reference": "Patient/1"}, "effectiveDateTime": "2024-05-02",
                   "valueQuantity": {"value": 72, "unit": "bpm"}}),
            "conditional-required",
            "/valueQuantity/code",
        );
    }

    #[test]
    fn fails_on_observation_with_neither_value_nor_reason() {
        assert_one_with(
            default_profile(),
            json!({"resourceType": "Observation", "status": "final",
                   "category": [{"text": "Laboratory"}], "code": {"text": "Glucose"},
                   "subject": {"reference": "Patient/1"}, "effectiveDateTime": "2024-05-02"}),
            "conditional-required",
            "/dataAbsentReason",
        );
    }

    #[test]
    fn passes_observation_with_reason_or_components() {
        let found = issues_with(
            default_profile(),
            json!({"resourceType": "Observation", "status": "final",
                   "category": [{"text": "Laboratory"}], "code": {"text": "Glucose"},
                   "subject": {"reference": "Patient/1"}, "effectiveDateTime": "2024-05-02",
                   "dataAbsentReason": {"text": "Sample haemolysed"}}),
        );
        assert!(found.is_empty(), "{found:?}");
    }
}
