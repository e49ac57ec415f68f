//! Code consistency rules: do the codes exist, on the date of service, and agree with each
//! other and with the patient? What they share: where ICD-10 codes live in a record, and the
//! date of service.

pub mod cvx_format;
pub mod icd10cm_not_billable;
pub mod icd10cm_not_valid_on_date;
pub mod icd10cm_unknown;
pub mod icd10pcs_not_valid_on_date;
pub mod icd10pcs_unknown;
pub mod loinc_check_digit;
pub mod ndc_ambiguous;
pub mod ndc_format;
pub mod npi_check_digit;
pub mod snomed_check_digit;

/// The resource types the format and check-digit rules read (codes and identifiers anywhere).
pub(crate) const ALL_TYPES: &[&str] = &[
    "Patient",
    "Practitioner",
    "Encounter",
    "Condition",
    "Observation",
    "Procedure",
    "MedicationRequest",
    "AllergyIntolerance",
    "Immunization",
];

use serde_json::Value;

use crate::codes::{CodeStatus, Icd10};
use crate::fhir::clock::Day;
use crate::fhir::coding::{codings, CodingRef, ICD10CM, ICD10PCS};
use crate::fhir::primitives::day_range;
use crate::rules::Cx;

/// Where ICD-10-CM diagnosis codes live, by resource type.
pub(crate) const CM_TYPES: &[&str] = &["Condition", "Encounter", "Procedure"];
const CM_ELEMENTS: &[(&str, &str)] = &[
    ("Condition", "code"),
    ("Encounter", "reasonCode"),
    ("Procedure", "reasonCode"),
    ("Procedure", "complication"),
];
/// Where ICD-10-PCS procedure codes live.
pub(crate) const PCS_TYPES: &[&str] = &["Procedure"];
const PCS_ELEMENTS: &[(&str, &str)] = &[("Procedure", "code")];

/// The days the record's codes must be valid on: the resource's own date of service, else
/// the caller's `asOf`, else today. A Condition's `onset` is not used: it says when the illness
/// began (often before ICD-10-CM existed), not when it was coded; `recordedDate` is.
pub(crate) fn service_days(resource: &Value, cx: &Cx) -> (Day, Day) {
    let own = [
        "/recordedDate",
        "/performedDateTime",
        "/performedPeriod/start",
        "/period/start",
        "/effectiveDateTime",
        "/effectivePeriod/start",
    ]
    .iter()
    .find_map(|p| {
        resource
            .pointer(p)
            .and_then(Value::as_str)
            .and_then(day_range)
    });
    own.or_else(|| cx.context.as_of.map(|d| d.days()))
        .unwrap_or((cx.today, cx.today))
}

/// One ICD-10 code of the record, looked up on the date of service.
pub(crate) struct Found<'a> {
    pub coding: CodingRef<'a>,
    /// Upper case, no dot; None when the text is not code-shaped at all.
    pub code: Option<String>,
    pub status: CodeStatus,
    pub days: (Day, Day),
}

fn found<'a>(
    resource: &'a Value,
    rt: &str,
    cx: &Cx,
    table: &Icd10,
    elements: &[(&str, &str)],
    system: &str,
) -> Vec<Found<'a>> {
    let days = service_days(resource, cx);
    elements
        .iter()
        .filter(|(t, _)| *t == rt)
        .flat_map(|(_, element)| codings(resource, element))
        .filter(|c| c.system == Some(system))
        .map(|coding| {
            let code = table.normalize(coding.code);
            let status = code
                .as_deref()
                .map_or(CodeStatus::Unknown, |c| table.status(c, days.0, days.1));
            Found {
                coding,
                code,
                status,
                days,
            }
        })
        .collect()
}

/// The ICD-10-CM codes of a resource (system `http://hl7.org/fhir/sid/icd-10-cm` only: WHO
/// ICD-10 is another code system).
pub(crate) fn icd10cm<'a>(resource: &'a Value, cx: &Cx) -> Vec<Found<'a>> {
    let rt = resource
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("");
    found(resource, rt, cx, &cx.codes.icd10cm, CM_ELEMENTS, ICD10CM)
}

/// The ICD-10-PCS codes of a resource.
pub(crate) fn icd10pcs<'a>(resource: &'a Value, cx: &Cx) -> Vec<Found<'a>> {
    let rt = resource
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("");
    found(resource, rt, cx, &cx.codes.icd10pcs, PCS_ELEMENTS, ICD10PCS)
}

/// "C86.0 was deleted on 2024-10-01 (FY2025); it was valid until 2024-09-30." or
/// "C78.31 takes effect on 2026-10-01 (FY2027); it is not valid on 2025-03-01 (FY2025)."
pub(crate) fn validity_message(
    system: &str,
    shown: &str,
    windows: &[crate::codes::Window],
    day: Day,
) -> String {
    use crate::fhir::clock::{fiscal_year, show};
    let on = format!("{} (FY{})", show(day), fiscal_year(day));
    match windows
        .iter()
        .filter(|w| w.start() > day)
        .map(|w| w.start())
        .min()
    {
        Some(start) if windows.iter().all(|w| w.start() > day) => format!(
            "{shown} is not yet an {system} code on {on}: it takes effect on {} (FY{}).",
            show(start),
            fiscal_year(start)
        ),
        _ => {
            let last = windows
                .iter()
                .filter_map(|w| w.end())
                .filter(|&e| e < day)
                .max()
                .unwrap_or(0);
            format!(
                "{shown} is no longer an {system} code on {on}: it was valid until {} (FY{}).",
                show(last),
                fiscal_year(last)
            )
        }
    }
}
