//! # value-out-of-range
//!
//! **What it checks**: `integer`, `positiveInt` and `unsignedInt` values lie within their
//! type's range (32-bit; at least 1 for positiveInt, at least 0 for unsignedInt).
//!
//! **Why it matters**: `multipleBirthInteger: 0`, a repeat count of -1 or a number past
//! 2,147,483,647 cannot be stored by receiving systems, or means something else there.
//!
//! **Example**: fails: a `Timing.repeat.count` of `0` (positiveInt); passes: `1`.
//!
//! **Authority**: FHIR R4 primitive types `integer`, `positiveInt`, `unsignedInt`
//! (http://hl7.org/fhir/R4/datatypes.html#integer).

use crate::json::Value;

use crate::fhir::path::Location;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{element_name, quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "value-out-of-range",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "value",
    title: "A whole number outside its FHIR type's range",
};

/// `bound` is the limit crossed, `below` whether the value is under it.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    value: &Value,
    bound: &Value,
    below: bool,
) -> Issue {
    let name = element_name(suffix);
    let value = quote(value);
    let text = if below {
        text!("value-out-of-range.min", name, bound, value)
    } else {
        text!("value-out-of-range.max", name, bound, value)
    };
    RULE.issue(location, suffix, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one};
    use serde_json::json;

    fn request(count: i64) -> serde_json::Value {
        json!({"resourceType": "MedicationRequest", "status": "active", "intent": "order",
               "subject": {"reference": "Patient/1"}, "medicationCodeableConcept": {"text": "aspirin"},
               "dosageInstruction": [{"timing": {"repeat": {"count": count}}}]})
    }

    #[test]
    fn fails_below_positive_int() {
        assert_one(
            request(0),
            "value-out-of-range",
            "/dosageInstruction/0/timing/repeat/count",
        );
    }

    #[test]
    fn fails_past_32_bits() {
        assert_one(
            request(3_000_000_000),
            "value-out-of-range",
            "/dosageInstruction/0/timing/repeat/count",
        );
    }

    #[test]
    fn passes_in_range() {
        assert_clean(request(1));
    }
}
