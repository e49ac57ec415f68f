//! Completeness rules: is anything missing that must be there? FHIR's own required elements
//! are found by the structure walk; the profile's requirements by the profile's check
//! (`profile::check`), which words them with these rules.

// One module per file of this folder, one rule each (build.rs `write_rule_registry`).
include!(concat!(env!("OUT_DIR"), "/rules-completeness.rs"));

use std::collections::BTreeMap;

use crate::messages::{text, Catalogue};
use crate::report::{Category, Issue};

/// Words a missing element by the caller's label for it (`Context::labels`, the words of the
/// form the user fills in) instead of its FHIR path: the label of the issue's own element, or
/// else of the one element labelled inside it (a name whose one field is "Family name").
/// Conditional requirements keep the profile's own message, which is already in words.
pub(crate) fn name_by_labels(
    issues: &mut [Issue],
    labels: &BTreeMap<String, String>,
    messages: &Catalogue,
) {
    for issue in issues.iter_mut() {
        if issue.category != Category::Completeness || issue.code == "conditional-required" {
            continue;
        }
        let Some(label) = label_of(&issue.path, labels) else {
            continue;
        };
        let text = match issue.code {
            "must-support-missing" => text!("must-support-missing.labelled", label),
            "profile-required" => text!("profile-required.labelled", label),
            _ => text!("required-element.labelled", label),
        };
        issue.message = messages.render(&text);
    }
}

fn label_of<'l>(path: &str, labels: &'l BTreeMap<String, String>) -> Option<&'l str> {
    if let Some(label) = labels.get(path) {
        return Some(label);
    }
    let mut inside = labels.range(format!("{path}/")..).take_while(|(k, _)| {
        k.strip_prefix(path)
            .is_some_and(|rest| rest.starts_with('/'))
    });
    match (inside.next(), inside.next()) {
        (Some((_, label)), None) => Some(label),
        _ => None,
    }
}
