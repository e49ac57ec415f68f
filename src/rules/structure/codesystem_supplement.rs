//! # codesystem-supplement
//!
//! **What it checks**: a CodeSystem that names the code system it supplements
//! (`supplements`) has `content` `supplement`, and one whose `content` is `supplement` names
//! the code system it supplements.
//!
//! **Why it matters**: a supplement adds designations and properties to another code system
//! and defines no codes of its own. Marked `complete` or `fragment`, a terminology server
//! takes its concepts for a code system of their own; without `supplements`, nobody can tell
//! which code system its translations belong to.
//!
//! **Example**: fails: `"supplements": "http://loinc.org", "content": "complete"`; passes:
//! `"supplements": "http://loinc.org", "content": "supplement"`.
//!
//! **Authority**: FHIR R4 CodeSystemContentMode `supplement`
//! (http://hl7.org/fhir/R4/codesystem-codesystem-content-mode.html): "The resource doesn't
//! define any new concepts; it just provides additional designations and properties to another
//! code system"; the HL7 reference validator: "CodeSystem Supplements SHALL have a content
//! value of 'supplement'".

use crate::json::Value;

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "codesystem-supplement",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "business-rule",
    title: "A CodeSystem supplement not marked as one, or marked as one without saying what it supplements",
};

record_rule! {
    types: crate::rules::Types::Only(&["CodeSystem"]),
    fn check(resource, cx, out) {
        let supplements = resource.get("supplements").and_then(Value::as_str);
        let content = resource.get("content").and_then(Value::as_str);
        let message = match (supplements, content) {
            (Some(url), Some(content)) if content != "supplement" => {
                text!("codesystem-supplement", url, content)
            }
            (None, Some("supplement")) => text!("codesystem-supplement.no-supplements"),
            _ => return,
        };
        out.push(RULE.issue(cx.location, "/content", cx.messages, message));
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, issues};
    use serde_json::json;

    fn code_system(supplements: Option<&str>, content: &str) -> serde_json::Value {
        let mut cs = json!({"resourceType": "CodeSystem", "url": "http://example.org/cs",
            "status": "active", "content": content});
        if let Some(s) = supplements {
            cs["supplements"] = json!(s);
        }
        cs
    }

    #[test]
    fn fails_on_a_supplement_marked_as_a_code_system_of_its_own() {
        let found = vec![("codesystem-supplement", "/content".to_string())];
        assert_eq!(
            issues(code_system(Some("http://loinc.org"), "complete")),
            found
        );
        assert_eq!(
            issues(code_system(Some("http://loinc.org"), "fragment")),
            found
        );
    }

    #[test]
    fn fails_on_a_supplement_that_does_not_say_what_it_supplements() {
        assert_eq!(
            issues(code_system(None, "supplement")),
            vec![("codesystem-supplement", "/content".to_string())]
        );
    }

    #[test]
    fn passes_a_supplement_and_a_code_system() {
        assert_clean(code_system(Some("http://loinc.org"), "supplement"));
        assert_clean(code_system(None, "complete"));
    }
}
