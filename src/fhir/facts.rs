//! What a resource type means, for the rules that need more than its datatypes: which of its
//! dates are clinical dates and what a clinician calls them, which statuses say its event has
//! happened, which element is its date of service, where it states the patient's diagnoses and
//! procedures, and which element names the patient. One table per fact, by resource type, so
//! that a rule file holds no list of resource types and a new type is one row here.
//!
//! These facts come from each resource's definition in FHIR R4 (its element definitions and
//! status value sets), read by hand: the StructureDefinitions do not say which date is the
//! clinical one.

use crate::json::Value;

use super::path::AtPointer;

/// What a clinical date says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// When something happened to the patient: an onset, an observation, a procedure, a
    /// vaccination, an encounter's start. A planned one may lie ahead.
    Event,
    /// When the record was written: recordedDate, issued, recorded, authoredOn.
    Record,
}

/// What a clinician calls a clinical date (the rules word it in the user's language).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Label {
    Onset,
    Abatement,
    Recorded,
    ObservationTime,
    ObservationStart,
    Issued,
    ProcedureDate,
    ProcedureStart,
    Vaccination,
    Prescription,
    EncounterStart,
    Administration,
    HandedOver,
    ReportTime,
}

/// One clinical date of a resource type: (type, pointer, label, kind). A Period counts by its
/// start: an end may lie ahead (a planned end), and an end before a start is another rule's.
pub type DateFact = (&'static str, &'static str, Label, Kind);

/// The clinical dates, by resource type, the main clinical date first.
pub const CLINICAL_DATES: &[DateFact] = &[
    ("Condition", "/onsetDateTime", Label::Onset, Kind::Event),
    ("Condition", "/onsetPeriod/start", Label::Onset, Kind::Event),
    (
        "Condition",
        "/abatementDateTime",
        Label::Abatement,
        Kind::Event,
    ),
    ("Condition", "/recordedDate", Label::Recorded, Kind::Record),
    (
        "Observation",
        "/effectiveDateTime",
        Label::ObservationTime,
        Kind::Event,
    ),
    (
        "Observation",
        "/effectivePeriod/start",
        Label::ObservationStart,
        Kind::Event,
    ),
    (
        "Observation",
        "/effectiveInstant",
        Label::ObservationTime,
        Kind::Event,
    ),
    ("Observation", "/issued", Label::Issued, Kind::Record),
    (
        "Procedure",
        "/performedDateTime",
        Label::ProcedureDate,
        Kind::Event,
    ),
    (
        "Procedure",
        "/performedPeriod/start",
        Label::ProcedureStart,
        Kind::Event,
    ),
    (
        "Immunization",
        "/occurrenceDateTime",
        Label::Vaccination,
        Kind::Event,
    ),
    ("Immunization", "/recorded", Label::Recorded, Kind::Record),
    (
        "AllergyIntolerance",
        "/onsetDateTime",
        Label::Onset,
        Kind::Event,
    ),
    (
        "AllergyIntolerance",
        "/onsetPeriod/start",
        Label::Onset,
        Kind::Event,
    ),
    (
        "AllergyIntolerance",
        "/recordedDate",
        Label::Recorded,
        Kind::Record,
    ),
    (
        "MedicationRequest",
        "/authoredOn",
        Label::Prescription,
        Kind::Record,
    ),
    (
        "Encounter",
        "/period/start",
        Label::EncounterStart,
        Kind::Event,
    ),
    (
        "MedicationAdministration",
        "/effectiveDateTime",
        Label::Administration,
        Kind::Event,
    ),
    (
        "MedicationAdministration",
        "/effectivePeriod/start",
        Label::Administration,
        Kind::Event,
    ),
    (
        "MedicationDispense",
        "/whenHandedOver",
        Label::HandedOver,
        Kind::Event,
    ),
    (
        "DiagnosticReport",
        "/effectiveDateTime",
        Label::ReportTime,
        Kind::Event,
    ),
    (
        "DiagnosticReport",
        "/effectivePeriod/start",
        Label::ReportTime,
        Kind::Event,
    ),
    ("DiagnosticReport", "/issued", Label::Issued, Kind::Record),
];

/// The clinical dates of a resource type, in table order.
pub fn clinical_dates(resource_type: &str) -> impl Iterator<Item = &'static DateFact> + '_ {
    CLINICAL_DATES.iter().filter(move |d| d.0 == resource_type)
}

/// Whether the record says its event dates are facts, not plans: only these statuses say the
/// event has begun. Planned, registered, in-preparation, not-done, cancelled and unknown
/// statuses may carry a planned date ahead; a missing status says nothing. Types without a
/// planned state (Condition, AllergyIntolerance) always have.
pub fn happened(resource: &Value) -> bool {
    let status = resource.get("status").and_then(Value::as_str);
    match resource.get("resourceType").and_then(Value::as_str) {
        Some("Encounter") => matches!(status, Some("in-progress" | "onleave" | "finished")),
        Some("Procedure") => matches!(
            status,
            Some("in-progress" | "on-hold" | "stopped" | "completed")
        ),
        Some("Observation") => matches!(
            status,
            Some("preliminary" | "final" | "amended" | "corrected")
        ),
        Some("DiagnosticReport") => matches!(
            status,
            Some("partial" | "preliminary" | "final" | "amended" | "corrected" | "appended")
        ),
        Some("MedicationAdministration") => matches!(
            status,
            Some("in-progress" | "on-hold" | "completed" | "stopped")
        ),
        // A dispense is handed over once completed; before that the date is a plan.
        Some("MedicationDispense") => status == Some("completed"),
        Some("Immunization") => status == Some("completed"),
        _ => true,
    }
}

/// A record marked entered-in-error (status, or a verificationStatus coding): its dates are
/// known to be wrong, often because it was filed to the wrong patient.
pub fn entered_in_error(resource: &Value) -> bool {
    resource.get("status").and_then(Value::as_str) == Some("entered-in-error")
        || resource
            .at_pointer("/verificationStatus/coding")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c.get("code").and_then(Value::as_str) == Some("entered-in-error"))
            })
}

/// Where a resource type gives its date of service, best first. A Condition's onset is not
/// one: it says when the illness began (often before its code system existed), not when it
/// was coded; recordedDate is. Types not listed use `DEFAULT_SERVICE_DATE`.
const SERVICE_DATES: &[(&str, &[&str])] = &[
    ("Condition", &["/recordedDate"]),
    (
        "Procedure",
        &["/performedDateTime", "/performedPeriod/start"],
    ),
    ("Encounter", &["/period/start"]),
    (
        "Observation",
        &[
            "/effectiveDateTime",
            "/effectivePeriod/start",
            "/effectiveInstant",
        ],
    ),
    (
        "DiagnosticReport",
        &["/effectiveDateTime", "/effectivePeriod/start", "/issued"],
    ),
    ("Claim", &["/billablePeriod/start", "/created"]),
    (
        "ExplanationOfBenefit",
        &["/billablePeriod/start", "/created"],
    ),
    ("MedicationRequest", &["/authoredOn"]),
    ("ServiceRequest", &["/authoredOn"]),
    ("Immunization", &["/occurrenceDateTime"]),
    ("AllergyIntolerance", &["/recordedDate"]),
    (
        "MedicationAdministration",
        &["/effectiveDateTime", "/effectivePeriod/start"],
    ),
    ("MedicationDispense", &["/whenHandedOver", "/whenPrepared"]),
];

/// The service-date elements a type without a row of its own may have.
const DEFAULT_SERVICE_DATE: &[&str] = &[
    "/recordedDate",
    "/performedDateTime",
    "/performedPeriod/start",
    "/period/start",
    "/effectiveDateTime",
    "/effectivePeriod/start",
];

/// The pointers of a resource type's date of service, best first.
pub fn service_date(resource_type: &str) -> &'static [&'static str] {
    SERVICE_DATES
        .iter()
        .find(|(t, _)| *t == resource_type)
        .map_or(DEFAULT_SERVICE_DATE, |(_, p)| p)
}

/// Every top-level element some type's date of service is read from (what a rule judging
/// codes on the service date reads, for editing sessions).
pub const SERVICE_DATE_ELEMENTS: &[&str] = &[
    "recordedDate",
    "performed[x]",
    "period",
    "effective[x]",
    "issued",
    "billablePeriod",
    "created",
    "authoredOn",
    "occurrence[x]",
    "whenHandedOver",
    "whenPrepared",
];

/// Where a resource states the patient's own diagnoses (ICD-10-CM), as element paths without
/// list positions (`fhir::index::Entry::element_path`). A FamilyMemberHistory's conditions are
/// a relative's: not listed.
pub const DIAGNOSIS_ELEMENTS: &[(&str, &str)] = &[
    ("Condition", "code"),
    ("Encounter", "reasonCode"),
    ("Procedure", "reasonCode"),
    ("Procedure", "complication"),
    ("Claim", "diagnosis.diagnosisCodeableConcept"),
    ("ExplanationOfBenefit", "diagnosis.diagnosisCodeableConcept"),
    ("ServiceRequest", "reasonCode"),
    ("MedicationRequest", "reasonCode"),
];

/// Where a resource states the patient's own procedures (ICD-10-PCS).
pub const PROCEDURE_ELEMENTS: &[(&str, &str)] = &[
    ("Procedure", "code"),
    ("Claim", "procedure.procedureCodeableConcept"),
    ("ExplanationOfBenefit", "procedure.procedureCodeableConcept"),
];

/// Whether a CodeableConcept at `element_path` (without list positions) of a resource type
/// states one of the patient's own diagnoses or procedures, by `table`.
pub fn states(table: &[(&str, &str)], resource_type: &str, element_path: &str) -> bool {
    table
        .iter()
        .any(|(t, e)| *t == resource_type && *e == element_path)
}

/// Elements outside Coding, Quantity and Identifier that name a code system by its URI
/// (dotted paths from the resource, without list positions).
const SYSTEM_ELEMENTS: &[(&str, &str)] = &[
    ("ValueSet", "compose.include.system"),
    ("ValueSet", "compose.exclude.system"),
    ("ValueSet", "expansion.contains.system"),
    ("ConceptMap", "group.source"),
    ("ConceptMap", "group.target"),
];

/// The elements of a resource type that name a code system, besides its datatypes' `system`.
pub fn system_elements(resource_type: &str) -> impl Iterator<Item = &'static str> + '_ {
    SYSTEM_ELEMENTS
        .iter()
        .filter(move |(t, _)| *t == resource_type)
        .map(|(_, e)| *e)
}

/// The elements that name the patient a resource is about, by type; `subject` and `patient`
/// for the others (the name R4 gives it in most clinical resources).
pub fn subject_elements(resource_type: &str) -> &'static [&'static str] {
    match resource_type {
        "Coverage" => &["beneficiary"],
        "Claim" | "ExplanationOfBenefit" | "ClaimResponse" => &["patient"],
        _ => &["subject", "patient"],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::model::Model;

    /// Every fact names a real resource type and, for top-level elements, a real element of
    /// it: a typo here would silently turn a rule off.
    #[test]
    fn every_fact_names_real_types_and_elements() {
        let model = Model::r4().expect("the model decodes");
        let element = |rt: &str, pointer: &str| {
            let top = pointer
                .trim_start_matches('/')
                .split('/')
                .next()
                .unwrap_or("");
            let dotted = format!("{rt}.{top}");
            model.element(&dotted).is_some()
                || ["DateTime", "Period", "Instant"].iter().any(|t| {
                    top.strip_suffix(t)
                        .is_some_and(|base| model.element(&format!("{rt}.{base}")).is_some())
                })
        };
        for (rt, pointer, _, _) in CLINICAL_DATES {
            assert!(model.is_resource_type(rt), "{rt}");
            assert!(element(rt, pointer), "{rt}{pointer}");
        }
        for (rt, pointers) in SERVICE_DATES {
            for p in *pointers {
                assert!(element(rt, p), "{rt}{p}");
            }
        }
        for (rt, path) in DIAGNOSIS_ELEMENTS
            .iter()
            .chain(PROCEDURE_ELEMENTS)
            .chain(SYSTEM_ELEMENTS)
        {
            let first = path.split('.').next().unwrap_or("");
            assert!(element(rt, first), "{rt}.{path}");
        }
    }

    #[test]
    fn service_dates_fall_back_for_other_types() {
        assert_eq!(service_date("Claim"), ["/billablePeriod/start", "/created"]);
        assert_eq!(service_date("CarePlan"), DEFAULT_SERVICE_DATE);
    }
}
