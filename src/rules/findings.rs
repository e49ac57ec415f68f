//! The structure walk's findings as issues: each finding goes to the rule file that words it,
//! and two findings on one element give one issue.
//!
//! Two things keep cascades out: at most one issue per path (the most basic problem wins: a
//! wrong JSON type hides a bad code or format of the same value), and a misspelt mandatory
//! element (`stauts`) gives only the unknown-property issue that suggests it, not a second
//! "status is missing".

use crate::fhir::path::{self, Location};
use crate::fhir::walk::{Defect, Finding};
use crate::json::Value;
use crate::messages::Catalogue;
use crate::report::Issue;
use crate::rules::completeness::{required_choice, required_element};
use crate::rules::structure::{
    choice_conflict, code_missing, empty_element, empty_value, extension_content,
    extension_context, extension_modifier, extension_sub_unknown, extension_unknown,
    extension_url_version, extension_value_type, invalid_date, invalid_format, invalid_value,
    invariant, string_too_long, unknown_property, value_out_of_range, wrong_type,
};

/// Which issue wins when two land on one path (lower first).
fn rank(defect: &Defect<'_>) -> u8 {
    match defect {
        Defect::WrongType { .. } => 0,
        Defect::UnknownProperty { .. } | Defect::Missing { .. } => 1,
        Defect::Empty { .. } => 2,
        // Information only: any error on the same element says more.
        Defect::ExtensionUnknown { .. } => 4,
        // What an element means, after what it is: any other issue on it comes first.
        Defect::Invariant { .. } => 5,
        _ => 3,
    }
}

/// Words `findings` of a resource of `resource_type` at `location` into `out`, in document
/// order.
pub(crate) fn structure_issues(
    findings: &[Finding<'_>],
    resource_type: &str,
    location: &Location,
    messages: &Catalogue,
    out: &mut Vec<Issue>,
) {
    let owner = |suffix: &str| path::expression(resource_type, suffix);
    // Suggestions made for unknown properties, per object: a missing element they name is the
    // same defect.
    let mut suggested: Vec<(&str, String)> = Vec::new();
    let mut found: Vec<(u8, Issue)> = Vec::with_capacity(findings.len());
    for f in findings {
        if let Defect::UnknownProperty { property, allowed } = &f.defect {
            let issue = unknown_property::issue(
                location,
                messages,
                &f.suffix,
                property,
                allowed.iter().map(String::as_str),
                &owner(&f.suffix),
            );
            if let Some(s) = issue.suggestions.first() {
                suggested.push((&f.suffix, s.clone()));
            }
            found.push((1, issue));
        }
    }
    let was_suggested =
        |suffix: &str, name: &str| suggested.iter().any(|(s, n)| *s == suffix && n == name);

    for f in findings {
        let suffix = f.suffix.as_str();
        let issue = match &f.defect {
            Defect::UnknownProperty { .. } => continue,
            Defect::Missing { name } => {
                if was_suggested(suffix, name) {
                    continue;
                }
                required_element::issue(location, messages, suffix, &owner(suffix), name)
            }
            Defect::MissingChoice { name, forms } => {
                if forms.iter().any(|p| was_suggested(suffix, p)) {
                    continue;
                }
                let forms: Vec<&str> = forms.iter().map(String::as_str).collect();
                required_choice::issue(location, messages, suffix, &owner(suffix), name, &forms)
            }
            Defect::ChoiceConflict { name, present } => {
                choice_conflict::issue(location, messages, suffix, name, present)
            }
            Defect::WrongType { expected, value } => {
                wrong_type::issue(location, messages, suffix, expected, value)
            }
            Defect::NotInValueSet { value, allowed } => {
                let allowed: Vec<Value> = allowed.iter().map(|c| Value::from(*c)).collect();
                invalid_value::issue(location, messages, suffix, value, &allowed)
            }
            Defect::BadFormat {
                type_name,
                value,
                reason,
                temporal: true,
            } => invalid_date::issue(location, messages, suffix, type_name, value, reason),
            Defect::BadFormat {
                type_name,
                value,
                reason,
                temporal: false,
            } => invalid_format::issue(location, messages, suffix, type_name, value, reason),
            Defect::EmptyValue => empty_value::issue(location, messages, suffix),
            Defect::Empty { list } => empty_element::issue(location, messages, suffix, *list),
            Defect::OutOfRange {
                value,
                bound,
                below,
            } => value_out_of_range::issue(
                location,
                messages,
                suffix,
                value,
                &Value::from(*bound),
                *below,
            ),
            Defect::CodeMissing { name } => code_missing::issue(location, messages, suffix, name),
            Defect::StringTooLong { bytes } => {
                string_too_long::issue(location, messages, suffix, *bytes)
            }
            Defect::ExtensionUnknown { url } => {
                extension_unknown::issue(location, messages, suffix, url)
            }
            Defect::ExtensionUrlVersion { url } => {
                extension_url_version::issue(location, messages, suffix, url)
            }
            Defect::ExtensionValueType {
                url,
                found,
                allowed,
            } => extension_value_type::issue(location, messages, suffix, url, *found, allowed),
            Defect::ExtensionContext {
                url,
                holder,
                allowed,
            } => extension_context::issue(location, messages, suffix, url, holder, allowed),
            Defect::ExtensionModifier { url, modifier } => {
                extension_modifier::issue(location, messages, suffix, url, *modifier)
            }
            Defect::ExtensionPartUnknown { url, part, allowed } => {
                extension_sub_unknown::issue(location, messages, suffix, url, part, allowed)
            }
            Defect::ExtensionContent { both } => {
                extension_content::issue(location, messages, suffix, *both)
            }
            Defect::Invariant { key, level, human } => {
                invariant::issue(location, messages, suffix, key, *level, human)
            }
        };
        found.push((rank(&f.defect), issue));
    }

    crate::sort::by(&mut found, |a, b| {
        path::pointer_order(&a.1.path, &b.1.path).then(a.0.cmp(&b.0))
    });
    // Several invariants may fail on one element; one after another issue there is a cascade.
    found.dedup_by(|later, first| {
        later.1.path == first.1.path
            && !(later.1.invariant.is_some() && first.1.invariant.is_some())
    });
    out.extend(found.into_iter().map(|(_, issue)| issue));
}
