//! # profile-value
//!
//! **What it checks**: where a profile the record claims (`meta.profile`, loaded with `--ig`
//! or the `ig` option) fixes an element's value (`fixed[x]`: exactly this) or gives a pattern
//! (`pattern[x]`: at least this, such as a LOINC code among the codings), each occurrence of
//! the element has it. The issue names the profile, the element and the value expected.
//!
//! **Why it matters**: fixed and pattern values are how a profile says what a record is: a
//! blood pressure is an Observation whose code carries LOINC 85354-9. A record claiming the
//! profile without it is read as something else, or refused.
//!
//! **Example**: fails: an Observation claiming a profile whose `code` has the pattern LOINC
//! 85354-9, coded 8480-6 only (at `/code`); passes: the same with 85354-9 among its codings.
//!
//! **Authority**: FHIR R4 ElementDefinition.fixed[x] and pattern[x]
//! (http://hl7.org/fhir/R4/elementdefinition-definitions.html#ElementDefinition.pattern_x_);
//! the Implementation Guide that defines the profile.

#[cfg(feature = "ig")]
use crate::fhir::{
    conformance::{Constraint, Profile, Required},
    path::Location,
};
#[cfg(feature = "ig")]
use crate::json::Value;
#[cfg(feature = "ig")]
use crate::messages::{text, Catalogue};
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "profile-value",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "value",
    title: "An element without the value a claimed profile fixes",
};

/// The longest expected value a message shows.
#[cfg(feature = "ig")]
const SHOWN: usize = 200;

/// `required`: the constraint's fixed or pattern value.
#[cfg(feature = "ig")]
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    profile: &Profile,
    constraint: &Constraint,
    required: &Required,
) -> crate::report::Issue {
    let expected = describe(&required.value);
    let (profile, path) = (&profile.title, &constraint.path);
    let text = if required.exact {
        text!("profile-value.fixed", profile, path, expected)
    } else {
        text!("profile-value.pattern", profile, path, expected)
    };
    RULE.issue(location, suffix, messages, text)
}

/// A fixed or pattern value as a message shows it: codes as `system|code`, other values as
/// JSON, cut at [`SHOWN`] characters.
#[cfg(feature = "ig")]
fn describe(value: &Value) -> String {
    let coding = |c: &Value| -> Option<String> {
        let code = c.get("code")?.as_str()?;
        Some(match c.get("system").and_then(Value::as_str) {
            Some(system) => format!("{system}|{code}"),
            None => code.to_string(),
        })
    };
    let codes: Option<Vec<String>> = match value.get("coding").and_then(Value::as_array) {
        Some(list) => list.iter().map(coding).collect(),
        None => coding(value).map(|c| vec![c]),
    };
    let text = match (codes, value) {
        (Some(codes), _) if !codes.is_empty() => codes.join(" + "),
        (_, Value::String(s)) => format!("\"{s}\""),
        _ => value.to_string(),
    };
    match text.char_indices().nth(SHOWN) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{ig_patient_profile, issues_with, test_patient};
    use serde_json::json;

    #[test]
    fn fails_without_the_fixed_value() {
        let found = issues_with(
            ig_patient_profile(),
            test_patient(
                json!({"identifier": [{"system": "http://example.org/other", "value": "1"}]}),
            ),
        );
        assert_eq!(
            found,
            [("profile-value", "/identifier/0/system".to_string())]
        );
    }

    #[test]
    fn passes_with_the_fixed_value() {
        let found = issues_with(
            ig_patient_profile(),
            test_patient(
                json!({"identifier": [{"system": "http://example.org/mrn", "value": "1"}]}),
            ),
        );
        assert_eq!(found, []);
    }
}
