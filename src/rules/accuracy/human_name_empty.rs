//! # human-name-empty
//!
//! **What it checks**: every HumanName (Patient.name, a patient's contact's name,
//! Practitioner.name, an extension's valueHumanName) names someone: it has a `family`, a `given` or
//! a `text`. A name with only a `use`, a `period`, a prefix or a suffix (`Dr.`) gets a warning. A
//! name that says why it is missing (the data-absent-reason extension, as US Core allows) passes,
//! and so does a text-only name (`{"text": "张无忌"}`): FHIR says the text "may be provided instead of
//! or as well as the specific parts", and its examples use text-only names (a Chinese patient,
//! Dutch practitioners). US Core's stricter rule (us-core-6: a Patient name needs a family or a
//! given) is a profile requirement, for profile-driven completeness checks, not an accuracy defect.
//! An empty object `{}` is left to the structure check (empty-element). A warning: the record may
//! still identify the person by other means.
//!
//! **Why it matters**: a name entry that holds no name is what a form leaves when the name fields
//! were skipped; the person then shows up nameless in lists, cannot be found by name, and patient
//! matching has nothing to compare.
//!
//! **Example**: fails: `"name": [{"use": "official", "prefix": ["Dr."]}]`; passes: `"name":
//! [{"family": "Chalmers", "given": ["Peter"]}]` or `[{"text": "Peter Chalmers"}]`.
//!
//! **Authority**: FHIR R4 HumanName (http://hl7.org/fhir/R4/datatypes.html#HumanName): the name is
//! carried by `family`, `given` and `text` ("Specifies the entire name as it should be displayed
//! ... This may be provided instead of or as well as the specific parts"); `use`, `prefix`,
//! `suffix` and `period` only qualify it. US Core Patient invariant us-core-6 and the
//! data-absent-reason extension (http://hl7.org/fhir/R4/extension-data-absent-reason.html).

use crate::json::{Map, Value};

use super::of_datatype;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "human-name-empty",
    category: Category::Accuracy,
    severity: Severity::Warning,
    issue_type: "required",
    title: "A name with no family name, given name or text",
};

const DATA_ABSENT_REASON: &str = "http://hl7.org/fhir/StructureDefinition/data-absent-reason";

/// Whether a HumanName holds no name and does not say why.
fn is_empty(name: &Map) -> bool {
    // A primitive's extension (`_family`) counts as the element: it may say why it is absent.
    let named = ["family", "given", "text", "_family", "_given", "_text"]
        .iter()
        .any(|k| name.contains_key(k));
    let absent_reason = name
        .get("extension")
        .and_then(Value::as_array)
        .is_some_and(|list| {
            list.iter()
                .any(|e| e.get("url").and_then(Value::as_str) == Some(DATA_ABSENT_REASON))
        });
    !name.is_empty() && !named && !absent_reason
}

record_rule! {
    reads: crate::rules::Reads::CONTACTS,
    fn check(_resource, cx, out) {
        for (at, name) in of_datatype(cx.contact_values(), crate::fhir::index::Datatype::HumanName) {
            if is_empty(name) {
                out.push(RULE.issue(cx.location, at, cx.messages, text!("human-name-empty")));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn patient(second: serde_json::Value) -> serde_json::Value {
        json!({"resourceType": "Patient", "name": [{"family": "Chalmers", "given": ["Peter"]}, second]})
    }

    #[test]
    fn fails_on_a_name_with_no_name_in_it() {
        assert_one(
            patient(json!({"use": "official", "prefix": ["Dr."]})),
            "human-name-empty",
            "/name/1",
        );
        assert_one(
            json!({"resourceType": "Patient", "contact": [{"name": {"use": "usual"}}]}),
            "human-name-empty",
            "/contact/0/name",
        );
        assert_one(
            json!({"resourceType": "Practitioner", "name": [{"period": {"start": "2020"}}]}),
            "human-name-empty",
            "/name/0",
        );
    }

    #[test]
    fn passes_names_text_only_names_and_absent_reasons() {
        assert_clean(patient(json!({"family": "Chalmers"})));
        assert_clean(patient(json!({"given": ["Jim"], "use": "nickname"})));
        assert_clean(patient(json!({"use": "official", "text": "张无忌"})));
        assert_clean(patient(json!({"extension": [{
            "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason",
            "valueCode": "unknown"}]})));
    }
}
