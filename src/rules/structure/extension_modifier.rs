//! # extension-modifier
//!
//! **What it checks**: a modifier extension defined by FHIR R4 (one that changes the meaning
//! of the element it sits on) is in `modifierExtension`, and any other extension is in
//! `extension`.
//!
//! **Why it matters**: systems must refuse or handle a record with a modifier they do not
//! understand, and may ignore other extensions. A modifier in `extension` is ignored though it
//! changes the meaning; a plain extension in `modifierExtension` makes receivers reject a
//! record for nothing.
//!
//! **Example**: fails: `{"url": "http://hl7.org/fhir/StructureDefinition/patient-birthPlace",
//! ...}` in `modifierExtension`; passes: the same in `extension`.
//!
//! **Authority**: FHIR R4 modifier extensions (http://hl7.org/fhir/R4/extensibility.html#modifierExtension);
//! the reference validator's "The Extension ... must be used as a modifierExtension" and "...
//! must not be used as an extension (it's a modifierExtension)".

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{excerpt, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "extension-modifier",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "A modifier extension in extension, or another in modifierExtension",
};

/// At the extension. `modifier`: the definition makes it a modifier (and it is in `extension`).
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    url: &str,
    modifier: bool,
) -> Issue {
    let url = excerpt(url);
    let text = if modifier {
        text!("extension-modifier.modifier", url)
    } else {
        text!("extension-modifier", url)
    };
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    const BIRTH_PLACE: &str = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace";
    // R4's modifier extension on a NutritionOrder: the order is not to be done.
    const DO_NOT_PERFORM: &str = "http://hl7.org/fhir/StructureDefinition/request-doNotPerform";

    #[test]
    fn fails_on_a_plain_extension_as_modifier() {
        assert_one(
            json!({"resourceType": "Patient", "modifierExtension": [
                {"url": BIRTH_PLACE, "valueAddress": {"city": "Oslo"}}]}),
            "extension-modifier",
            "/modifierExtension/0",
        );
    }

    #[test]
    fn fails_on_a_modifier_as_plain_extension() {
        assert_one(
            json!({"resourceType": "NutritionOrder", "status": "active", "intent": "order",
                "patient": {"reference": "Patient/1"}, "dateTime": "2020-01-01",
                "oralDiet": {"type": [{"text": "Regular"}]},
                "extension": [{"url": DO_NOT_PERFORM, "valueBoolean": true}]}),
            "extension-modifier",
            "/extension/0",
        );
    }

    #[test]
    fn passes_each_in_its_place() {
        assert_clean(
            json!({"resourceType": "NutritionOrder", "status": "active", "intent": "order",
            "patient": {"reference": "Patient/1"}, "dateTime": "2020-01-01",
            "oralDiet": {"type": [{"text": "Regular"}]},
            "modifierExtension": [{"url": DO_NOT_PERFORM, "valueBoolean": true}]}),
        );
    }
}
