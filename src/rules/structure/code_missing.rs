//! # code-missing
//!
//! **What it checks**: a coded element bound to a required value set (`AllergyIntolerance.category`,
//! `Patient.gender`, `Observation.status`, ...) that is given only as its `_name` object, with
//! extensions and no code.
//!
//! **Why it matters**: a required binding means receivers need one of its codes to process the
//! record; an extension such as `data-absent-reason` says why the code is missing but gives
//! receivers no code to act on. Leave the element out instead, or give the code.
//!
//! **Example**: fails: `"_category": [{"extension": [{"url":
//! "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown"}]}]` with
//! no `category`; passes: `"category": ["food"]`.
//!
//! **Authority**: FHIR R4 required bindings (http://hl7.org/fhir/R4/terminologies.html#required);
//! the reference validator's "No code provided, and a code is required from the value set"
//! (fhir-test-cases `allergy`).

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "code-missing",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "A code with a required binding given only as extensions",
};

/// At the `_name` object (or its item).
pub(crate) fn issue(location: &Location, messages: &Catalogue, suffix: &str, name: &str) -> Issue {
    RULE.issue(location, suffix, messages, text!("code-missing", name))
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn absent() -> serde_json::Value {
        json!({"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
                              "valueCode": "unknown"}]})
    }

    #[test]
    fn fails_on_extensions_without_a_code() {
        // fhir-test-cases allergy.json
        assert_one(
            json!({"resourceType": "AllergyIntolerance", "patient": {"reference": "Patient/1"},
                   "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]},
                   "_category": [absent()]}),
            "code-missing",
            "/_category/0",
        );
        assert_one(
            json!({"resourceType": "Patient", "_gender": absent()}),
            "code-missing",
            "/_gender",
        );
    }

    #[test]
    fn passes_extensions_beside_a_code() {
        assert_clean(
            json!({"resourceType": "AllergyIntolerance", "patient": {"reference": "Patient/1"},
            "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]},
                   "category": ["food", "medication"], "_category": [null, absent()]}),
        );
        assert_clean(json!({"resourceType": "Patient", "gender": "unknown", "_gender": absent()}));
        // Not bound: a birth date given only by extensions is fine.
        assert_clean(json!({"resourceType": "Patient", "_birthDate": absent()}));
        // A later FHIR version's code in a cross-version extension (fhir-test-cases vsac.json).
        let found = crate::rules::testing::issues(
            json!({"resourceType": "ValueSet", "status": "draft",
            "compose": {"include": [{"system": "urn:oid:2.16.840.1.113883.6.238", "filter": [
                {"property": "concept", "value": "2133-7", "_op": {"extension": [
                    {"url": "http://hl7.org/fhir/5.0/StructureDefinition/extension-ValueSet.compose.include.filter.op",
                     "valueCode": "child-of"}]}}]}]}}),
        );
        assert!(
            found.iter().all(|(code, _)| *code != "code-missing"),
            "{found:?}"
        );
    }
}
