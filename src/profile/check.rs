//! The completeness pass of a profile over one resource: FHIR's required elements counted,
//! the profile's required, must-support and conditional requirements checked and worded by
//! the completeness rules (`rules::completeness`), the counts for the completeness score.

use crate::json::Value;

use super::{Element, Profile};
use crate::fhir::path::Location;
use crate::messages::Catalogue;
use crate::report::{Issue, Tally};
use crate::rules::completeness::{conditional_required, must_support_missing, profile_required};

/// What the completeness pass adds up over a whole input.
#[derive(Default)]
pub(crate) struct Counts {
    pub required: Tally,
    pub must_support: Tally,
    /// Missing required elements, then missing must-support ones (pointers).
    pub missing_required: Vec<String>,
    pub missing_must_support: Vec<String>,
}

/// Counts FHIR's required elements of a resource (the structure layer reports them) and
/// checks the profile's: required, must-support and conditional requirements; only the
/// conditional ones where `claimed` (the record claims a loaded profile of its type, which says
/// what it requires and supports: the completeness profile, a stand-in for records that claim
/// none, gives way to it). `out[first..]`
/// are the resource's issues so far: nothing is reported at or below one of them but an
/// invariant's (an
/// `identifier` that is an object, not a list, is one defect, not also a missing value).
#[allow(clippy::too_many_arguments)]
pub(crate) fn check_profile(
    profile: &Profile,
    resource_type: &str,
    base_required: &[&str],
    resource: &Value,
    location: &Location,
    messages: &Catalogue,
    counts: &mut Counts,
    out: &mut Vec<Issue>,
    first: usize,
    only_under: Option<&str>,
    claimed: bool,
) {
    // A single field's check reports only at or below the field: the other missing elements
    // are still counted, but no message is made for them.
    let wanted = |pointer: &str| {
        only_under.is_none_or(|f| {
            pointer.starts_with(f) && matches!(pointer.as_bytes().get(f.len()), None | Some(b'/'))
        })
    };
    // Invariants judge what the elements mean, not whether they are there: they hide nothing.
    let flagged: Vec<String> = out
        .get(first..)
        .unwrap_or_default()
        .iter()
        .filter(|i| i.invariant.is_none())
        .map(|i| i.path.clone())
        .collect();
    // Some(true): an issue sits right at the pointer (the element is there, if wrong);
    // Some(false): below an element with an issue (its parts cannot be judged); None: neither.
    let flagged_at = |pointer: &str| {
        flagged.iter().find_map(|f| {
            if !pointer.starts_with(f.as_str()) {
                return None;
            }
            match pointer.as_bytes().get(f.len()) {
                None => Some(true),
                Some(b'/') => Some(false),
                _ => None,
            }
        })
    };
    // A conditional requirement may name an element the profile also requires: one issue.
    // Only this resource's entries can repeat a pointer, so only they are searched.
    let (req_start, ms_start) = (
        counts.missing_required.len(),
        counts.missing_must_support.len(),
    );
    let missing = |pointer: String, counts: &mut Counts, required: bool| {
        let this_resource = |list: &[String], start: usize| -> bool {
            list.get(start..).unwrap_or_default().contains(&pointer)
        };
        if this_resource(&counts.missing_required, req_start)
            || this_resource(&counts.missing_must_support, ms_start)
        {
            return false;
        }
        if required {
            counts.missing_required.push(pointer);
        } else {
            counts.missing_must_support.push(pointer);
        }
        true
    };
    for element in base_required {
        let present = resource.get(*element).is_some_and(|v| !v.is_null());
        counts.required.count(present);
        if !present {
            missing(format!("{}/{element}", location.pointer), counts, true);
        }
    }
    let Some(spec) = profile.resource(resource_type) else {
        return;
    };
    // f(pointer, pointer suffix below the resource, present): one pointer buffer for all,
    // as most elements are present and need no string of their own.
    let mut pointer = String::new();
    let mut each = |element: &Element, f: &mut dyn FnMut(&str, &str, bool)| {
        let last = element.last_suffix();
        for (at, parent) in element.parents(resource) {
            pointer.clear();
            pointer.push_str(&location.pointer);
            pointer.push_str(&at);
            pointer.push_str(&last);
            let suffix = &pointer[location.pointer.len()..];
            match flagged_at(&pointer) {
                None => f(&pointer, suffix, element.present_in(parent)),
                Some(true) => f(&pointer, suffix, true),
                Some(false) => {}
            }
        }
    };
    let lists = if claimed { &[][..] } else { &spec.required[..] };
    for element in lists {
        if element.single().is_some_and(|e| base_required.contains(&e)) {
            continue; // FHIR requires it too: counted above, reported by the structure layer
        }
        each(element, &mut |pointer, suffix, present| {
            counts.required.count(present);
            if !present && missing(pointer.to_string(), counts, true) && wanted(pointer) {
                out.push(profile_required::issue(
                    location,
                    messages,
                    resource_type,
                    suffix,
                    &element.text,
                    &profile.id,
                    profile.required_severity,
                ));
            }
        });
    }
    for conditional in &spec.conditional {
        if !conditional.applies(resource) {
            continue;
        }
        each(&conditional.require, &mut |pointer, suffix, present| {
            counts.required.count(present);
            if !present && missing(pointer.to_string(), counts, true) && wanted(pointer) {
                out.push(conditional_required::issue(
                    location,
                    messages,
                    suffix,
                    conditional.message(messages.locale()),
                    conditional.severity,
                ));
            }
        });
    }
    let lists = if claimed {
        &[][..]
    } else {
        &spec.must_support[..]
    };
    for element in lists {
        each(element, &mut |pointer, suffix, present| {
            counts.must_support.count(present);
            if !present && missing(pointer.to_string(), counts, false) && wanted(pointer) {
                out.push(must_support_missing::issue(
                    location,
                    messages,
                    resource_type,
                    suffix,
                    &element.text,
                    &profile.id,
                ));
            }
        });
    }
}
