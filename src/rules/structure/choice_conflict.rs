//! # choice-conflict
//!
//! **What it checks**: a choice element (`value[x]`, `effective[x]`, `deceased[x]`, ...) is
//! given in one form only.
//!
//! **Why it matters**: `valueQuantity` and `valueString` together leave the reader to guess
//! which one is the result; systems keep one and drop the other.
//!
//! **Example**: fails: an Observation with both `valueQuantity` and `valueString`; passes: one
//! of them.
//!
//! **Authority**: FHIR R4 choice of data types (http://hl7.org/fhir/R4/formats.html#choice):
//! "only one of the choices may be present".

use crate::fhir::path::{self, Location};
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "choice-conflict",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "A choice element given in more than one form",
};

/// The issue points at the second form given: the first is taken as meant.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    object: &str,
    name: &str,
    present: &[&str],
) -> Issue {
    let extra = present.get(1).copied().unwrap_or(name);
    // `valueQuantity and valueString`; `a, b and c`: the locale words the last link.
    let (last, others) = present.split_last().unwrap_or((&name, &[]));
    let text = text!("choice-conflict", name, forms = others.join(", "), last);
    RULE.issue(location, &path::join(object, extra), messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    #[test]
    fn fails_on_two_forms() {
        assert_one(
            json!({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
                   "valueQuantity": {"value": 1}, "valueString": "one"}),
            "choice-conflict",
            "/valueString",
        );
    }

    #[test]
    fn passes_one_form() {
        assert_clean(
            json!({"resourceType": "Observation", "status": "final", "code": {"text": "x"}, "valueString": "one"}),
        );
    }
}
