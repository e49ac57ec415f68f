//! # unknown-property
//!
//! **What it checks**: every property of a resource, and of every element inside it, is one
//! that FHIR R4 defines for that element (or its `_name` sibling carrying extensions).
//!
//! **Why it matters**: a misspelt element (`birthdate`, `gendr`) is silently dropped by every
//! system that reads the record: the data the clinician typed is lost.
//!
//! **Example**: fails: `{"resourceType": "Patient", "gendr": "male"}` (suggests `gender`);
//! passes: `{"resourceType": "Patient", "gender": "male"}`.
//!
//! **Authority**: FHIR R4 JSON representation §3.2.0: "unrecognized elements ... SHALL be
//! rejected" (http://hl7.org/fhir/R4/json.html); the Java validator's "Unrecognized property".

use crate::fhir::path::{self, Location};
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{nearest, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "unknown-property",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "A property that FHIR R4 does not define at that place",
};

/// `object` is the pointer suffix of the object holding `property`; `allowed` its known
/// properties; `owner` what to call the object in the message.
pub(crate) fn issue<'a>(
    location: &Location,
    messages: &Catalogue,
    object: &str,
    property: &str,
    allowed: impl IntoIterator<Item = &'a str>,
    owner: &str,
) -> Issue {
    // `_name` siblings only answer a misspelt `_name`.
    let underscore = property.starts_with('_');
    let candidates = allowed
        .into_iter()
        .filter(|p| p.starts_with('_') == underscore);
    let suggestions = nearest(property, candidates, 3);
    let text = match suggestions.first() {
        Some(suggestion) => text!("unknown-property.suggest", owner, property, suggestion),
        None => text!("unknown-property", owner, property),
    };
    let mut issue = RULE.issue(location, &path::join(object, property), messages, text);
    issue.suggestions = suggestions;
    issue
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    #[test]
    fn fails_on_unknown_property_with_suggestion() {
        assert_one(
            json!({"resourceType": "Patient", "gendr": "male"}),
            "unknown-property",
            "/gendr",
        );
        let r = report(json!({"resourceType": "Patient", "gendr": "male"}));
        assert_eq!(r.issues[0].suggestions, vec!["gender"]);
        assert_eq!(r.issues[0].expression, "Patient.gendr");
    }

    #[test]
    fn fails_deep_inside_elements() {
        assert_one(
            json!({"resourceType": "Patient", "name": [{"family": "Chalmers", "given": ["Peter"], "nickname": "Pete"}]}),
            "unknown-property",
            "/name/0/nickname",
        );
    }

    #[test]
    fn passes_known_properties_underscore_siblings_and_extensions() {
        assert_clean(json!({
            "resourceType": "Patient",
            "gender": "male",
            "_birthDate": {"extension": [{"url": "http://hl7.org/fhir/StructureDefinition/patient-birthTime", "valueDateTime": "1974-12-25T14:35:45-05:00"}]},
            "birthDate": "1974-12-25",
            "extension": [{"url": "http://hl7.org/fhir/StructureDefinition/patient-mothersMaidenName", "valueString": "x"}]
        }));
    }

    #[test]
    fn one_issue_for_a_misspelt_required_element() {
        assert_one(
            json!({"resourceType": "Observation", "stauts": "final", "code": {"text": "x"}}),
            "unknown-property",
            "/stauts",
        );
    }
}
