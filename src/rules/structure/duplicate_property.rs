//! # duplicate-property
//!
//! **What it checks**: no object of the record gives the same property twice, as JSON text
//! can (`"gender": "male", ..., "gender": "female"`). Checked where the record is JSON text: a
//! file or standard input on the command line, each line of NDJSON, `validateJson` and
//! `validateNdjson`; a JS object or a parsed value cannot hold a name twice. The record is
//! checked with the first value of each such property, as the HL7 reference validator reads
//! it; with `resourceType` given twice, as the type named first.
//!
//! **Why it matters**: JSON does not say which of the two counts, and readers differ: most keep
//! the last, some the first, some refuse the record. Two systems reading the same bytes then
//! hold two different records; with `resourceType` given twice, not even the same kind of
//! record.
//!
//! **Example**: fails: `{"resourceType": "Patient", "gender": "male", "gender": "female"}`;
//! passes: `{"resourceType": "Patient", "gender": "male"}`.
//!
//! **Authority**: RFC 8259 §4 (https://www.rfc-editor.org/rfc/rfc8259#section-4): "The names
//! within an object SHOULD be unique", and when they are not, "the behavior of software that
//! receives such an object is unpredictable"; the HL7 reference validator reports each later
//! occurrence as an error (`DUPLICATE_JSON_PROPERTY`, elementmodel/JsonParser.java in
//! hapifhir/org.hl7.fhir.core) and reads the first.

use crate::fhir::path::Location;
use crate::limits::Duplicate;
use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue, Severity};
use crate::rules::{excerpt, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "duplicate-property",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "structure",
    title: "A property given twice in one JSON object",
};

/// The issue of one later occurrence, at the pointer every occurrence shares, below the
/// input's root `location`.
pub(crate) fn issue(location: &Location, messages: &Catalogue, duplicate: &Duplicate) -> Issue {
    let text = match &duplicate.types {
        Some((first, later)) => text!(
            "duplicate-property.resource-type",
            first = excerpt(first),
            later = excerpt(later)
        ),
        None => text!("duplicate-property", name = excerpt(&duplicate.name)),
    };
    RULE.issue(location, &duplicate.pointer, messages, text)
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::validator;
    use crate::{Context, Report};

    fn report(text: &str) -> Report {
        validator()
            .validate_json(text, &Context::default())
            .expect("a resource")
    }

    fn issues(text: &str) -> Vec<(&'static str, String)> {
        let r = report(text);
        r.issues.into_iter().map(|i| (i.code, i.path)).collect()
    }

    #[test]
    fn fails_on_a_property_given_twice() {
        let r = report(r#"{"resourceType": "Patient", "gender": "male", "gender": "female"}"#);
        assert!(!r.valid);
        assert_eq!(r.issues.len(), 1, "{:#?}", r.issues);
        assert_eq!(r.issues[0].code, "duplicate-property");
        assert_eq!(r.issues[0].path, "/gender");
        assert_eq!(r.issues[0].expression, "Patient.gender");
        assert!(
            r.issues[0]
                .message
                .starts_with("'gender' is given more than once"),
            "{}",
            r.issues[0].message
        );
    }

    #[test]
    fn passes_each_property_once() {
        assert_eq!(
            issues(
                r#"{"resourceType": "Patient", "gender": "male", "name": [{"given": ["Ann"], "family": "Lee"}]}"#
            ),
            vec![]
        );
    }

    #[test]
    fn the_first_value_is_the_one_checked() {
        // The first is wrong, the second right: the first is what the record holds.
        assert_eq!(
            issues(r#"{"resourceType": "Patient", "gender": "mal", "gender": "male"}"#),
            vec![
                ("duplicate-property", "/gender".to_string()),
                ("invalid-value", "/gender".to_string())
            ]
        );
        assert_eq!(
            issues(r#"{"resourceType": "Patient", "gender": "male", "gender": "mal"}"#),
            vec![("duplicate-property", "/gender".to_string())]
        );
    }

    #[test]
    fn a_second_resource_type_does_not_change_what_the_record_is_checked_as() {
        // As an Observation, `gender` would be unknown and `status` and `code` missing.
        let r = report(
            r#"{"resourceType": "Patient", "gender": "male", "resourceType": "Observation"}"#,
        );
        assert_eq!(r.issues.len(), 1, "{:#?}", r.issues);
        assert_eq!(r.issues[0].code, "duplicate-property");
        assert_eq!(r.issues[0].path, "/resourceType");
        assert_eq!(
            r.issues[0].message,
            "This resource names two types, Patient and then Observation: readers disagree on which counts. It was checked as Patient, the one named first. Keep one resourceType."
        );
        // And the other way round: the Observation's elements are checked as an Observation's.
        assert_eq!(
            issues(
                r#"{"resourceType": "Observation", "resourceType": "Patient", "status": "final", "code": {"text": "x"}, "gender": "male"}"#
            ),
            vec![
                ("duplicate-property", "/resourceType".to_string()),
                ("unknown-property", "/gender".to_string())
            ]
        );
        // The same type twice is a duplicate like any other.
        let r = report(r#"{"resourceType": "Patient", "resourceType": "Patient"}"#);
        assert!(r.issues[0]
            .message
            .starts_with("'resourceType' is given more than once"));
    }

    #[test]
    fn found_at_any_depth_and_in_every_resource_of_a_bundle() {
        let bundle = r#"{"resourceType": "Bundle", "type": "collection", "entry": [
            {"resource": {"resourceType": "Patient", "name": [{"family": "Lee", "family": "Li"}]}},
            {"resource": {"resourceType": "Patient", "resourceType": "Observation", "active": true}}
        ]}"#;
        let r = report(bundle);
        let found: Vec<(&str, &str, &str)> = r
            .issues
            .iter()
            .map(|i| (i.code, i.path.as_str(), i.expression.as_str()))
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    "duplicate-property",
                    "/entry/0/resource/name/0/family",
                    "Bundle.entry[0].resource.name[0].family"
                ),
                (
                    "duplicate-property",
                    "/entry/1/resource/resourceType",
                    "Bundle.entry[1].resource.resourceType"
                )
            ]
        );
    }

    #[test]
    fn each_later_copy_is_one_issue_and_a_dropped_copy_says_nothing_of_its_insides() {
        assert_eq!(
            issues(
                r#"{"resourceType": "Patient", "active": true, "active": true, "active": false}"#
            ),
            vec![
                ("duplicate-property", "/active".to_string()),
                ("duplicate-property", "/active".to_string())
            ]
        );
        // The second `name` is not read at all: its own repeated `family` is not reported.
        assert_eq!(
            issues(
                r#"{"resourceType": "Patient", "name": [{"family": "Lee"}], "name": [{"family": "A", "family": "B"}]}"#
            ),
            vec![("duplicate-property", "/name".to_string())]
        );
    }

    #[test]
    fn can_be_turned_off_or_down_as_any_rule() {
        let text = r#"{"resourceType": "Patient", "gender": "male", "gender": "female"}"#;
        for (rules, want) in [
            (serde_json::json!({"disable": ["duplicate-property"]}), None),
            (
                serde_json::json!({"severity": {"duplicate-property": "warning"}}),
                Some(crate::Severity::Warning),
            ),
        ] {
            let options =
                crate::Options::from_json(serde_json::json!({"profile": "none", "rules": rules}))
                    .expect("options");
            let v = crate::Validator::new(options).expect("validator");
            let r = v
                .validate_json(text, &Context::default())
                .expect("a resource");
            assert_eq!(
                r.issues.first().map(|i| i.severity),
                want,
                "{:#?}",
                r.issues
            );
            assert!(r.valid);
        }
    }

    #[test]
    fn speaks_spanish() {
        let mut options =
            crate::Options::with_profile(crate::ProfileChoice::BuiltIn("none".into()));
        options.locale = Some("es".into());
        let v = crate::Validator::new(options).expect("validator");
        let r = v
            .validate_json(
                r#"{"resourceType": "Patient", "resourceType": "Observation"}"#,
                &Context::default(),
            )
            .expect("a resource");
        assert_eq!(
            r.issues[0].message,
            "Este recurso indica dos tipos, Patient y luego Observation: los lectores no coinciden en cuál cuenta. Se comprobó como Patient, el indicado primero. Deje un solo resourceType."
        );
    }
}
