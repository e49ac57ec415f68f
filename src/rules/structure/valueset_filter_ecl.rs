//! # valueset-filter-ecl
//!
//! **What it checks**: a ValueSet filter on SNOMED CT by `constraint` (`"property":
//! "constraint", "op": "="`) gives an expression of SNOMED CT's Expression Constraint Language
//! (ECL) that parses.
//!
//! **Why it matters**: a terminology server expands such a ValueSet by running the ECL against
//! SNOMED CT. An expression that does not parse cannot be run, so the ValueSet holds no codes
//! and every coded element bound to it fails or goes unchecked. ehrlint checks the syntax only:
//! which concepts the expression selects needs SNOMED CT itself.
//!
//! **Example**: fails: `"value": "234234 << 234234"` (a constraint operator after a concept);
//! passes: `"value": "<< 73211009 |Diabetes mellitus|"`.
//!
//! **Authority**: FHIR R4 SNOMED CT (http://hl7.org/fhir/R4/snomedct.html): the filter
//! `constraint` with `=` takes "an ECL expression"; the ECL specification
//! (https://docs.snomed.org/snomed-ct-specifications/snomed-ct-expression-constraint-language);
//! the HL7 reference validator: "The value '…' for the filter constraint is invalid: Invalid
//! ECL".

use crate::codes::ecl;
use crate::json::Value;

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "valueset-filter-ecl",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "invalid",
    title: "A SNOMED CT constraint filter whose expression is not ECL",
};

const SNOMED_CT: &str = "http://snomed.info/sct";

record_rule! {
    types: crate::rules::Types::Only(&["ValueSet"]),
    fn check(resource, cx, out) {
        for (at, set, filter) in super::compose_filters(resource) {
            if set.get("system").and_then(Value::as_str) != Some(SNOMED_CT) {
                continue;
            }
            let field = |name| filter.get(name).and_then(Value::as_str);
            if field("property") != Some("constraint") || field("op") != Some("=") {
                continue;
            }
            let Some(value) = field("value") else { continue };
            if let Err(error) = ecl::check(value) {
                let expression = crate::rules::quote(&Value::from(value));
                let reason = error.to_string();
                let message = text!("valueset-filter-ecl", expression, reason);
                out.push(RULE.issue(cx.location, &format!("{at}/value"), cx.messages, message));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn value_set(system: &str, property: &str, value: &str) -> serde_json::Value {
        json!({"resourceType": "ValueSet", "url": "http://example.org/vs", "status": "active",
            "compose": {"include": [{"system": "http://loinc.org", "concept": [{"code": "8867-4"}]},
                {"system": system, "filter": [{"property": property, "op": "=", "value": value}]}]}})
    }

    #[test]
    fn fails_on_a_constraint_that_is_not_ecl() {
        assert_one(
            value_set("http://snomed.info/sct", "constraint", "234234 << 234234"),
            "valueset-filter-ecl",
            "/compose/include/1/filter/0/value",
        );
    }

    #[test]
    fn passes_ecl_and_other_filters() {
        assert_clean(value_set(
            "http://snomed.info/sct",
            "constraint",
            "<< 73211009 |Diabetes mellitus| MINUS << 46635009",
        ));
        assert_clean(value_set(
            "http://snomed.info/sct",
            "concept",
            "234234 << 234234",
        ));
        assert_clean(value_set(
            "http://example.org/cs",
            "constraint",
            "234234 << 234234",
        ));
    }
}
