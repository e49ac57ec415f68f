//! # coding-system-missing
//!
//! **What it checks**: every Coding that has a code also says which code system it comes from
//! (`system`). When the code has an unmistakable shape, the likely system is suggested.
//!
//! **Why it matters**: a code without its system means nothing to another computer: `E11.9`
//! could be anyone's local code. Receiving systems drop it or guess. A warning: the text may
//! still carry the meaning.
//!
//! **Example**: warns: `{"code": "E11.9"}` (suggests `http://hl7.org/fhir/sid/icd-10-cm`);
//! passes: `{"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9"}`.
//!
//! **Authority**: FHIR R4 Coding (http://hl7.org/fhir/R4/datatypes.html#Coding): "If the
//! system is not present, the code has no defined meaning"; US Core requires Coding.system.

use super::{recognize_any, system_name};
use crate::fhir::path;
use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "coding-system-missing",
    category: Category::Consistency,
    severity: Severity::Warning,
    issue_type: "required",
    title: "A coding with a code but no system",
};

record_rule! {
    reads: crate::rules::Reads::CODINGS,
    fn check(_resource, cx, out) {
        for (pointer, code) in cx.unsystemed() {
            let likely = recognize_any(cx, code);
            let at = format!(
                "{}/system",
                pointer.strip_suffix("/code").unwrap_or(pointer)
            );
            let shown = path::escape_token(code);
            let text = match likely {
                Some(uri) => text!(
                    "coding-system-missing.likely",
                    code = shown,
                    system = system_name(uri),
                    uri
                ),
                None => text!("coding-system-missing", code = shown),
            };
            let mut issue = RULE.issue(cx.location, &at, cx.messages, text);
            issue.suggestions = likely.into_iter().map(str::to_string).collect();
            out.push(issue);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, issues, report};
    use serde_json::json;

    fn condition(coding: serde_json::Value) -> serde_json::Value {
        json!({"resourceType": "Condition", "subject": {"reference": "Patient/1"}, "code": {"coding": [coding]}})
    }

    #[test]
    fn warns_on_a_code_without_system_and_suggests_one() {
        assert_one(
            condition(json!({"code": "E11.9"})),
            "coding-system-missing",
            "/code/coding/0/system",
        );
        let r = report(condition(json!({"code": "E11.9"})));
        assert!(r.valid);
        assert_eq!(
            r.issues[0].suggestions,
            vec!["http://hl7.org/fhir/sid/icd-10-cm"]
        );
    }

    #[test]
    fn passes_with_a_system_and_ignores_quantities() {
        assert_clean(condition(
            json!({"system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9"}),
        ));
        // A quantity's unit code without a system is qty-3's (invariant), not this rule's.
        let quantity = issues(
            json!({"resourceType": "Observation", "status": "final", "code": {"text": "weight"},
                            "valueQuantity": {"value": 70, "unit": "kg", "code": "kg"}}),
        );
        assert!(
            quantity
                .iter()
                .all(|(code, _)| *code != "coding-system-missing"),
            "{quantity:?}"
        );
    }
}
