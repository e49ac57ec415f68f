//! Code consistency rules: do the codes exist, on the date of service, and agree with each
//! other and with the patient? What they share: where ICD-10 codes live in a record, and the
//! date of service.

// One module per file of this folder, one rule each (build.rs `write_rule_registry`).
include!(concat!(env!("OUT_DIR"), "/rules-consistency.rs"));

use crate::fhir::path::AtPointer;
use crate::json::Value;

use crate::codes::checkdigit;
use crate::codes::{CodeStatus, Icd10};
use crate::fhir::clock::Day;
use crate::fhir::coding::{
    codings, CodingRef, SystemValue, CVX, ICD10CM, ICD10PCS, LOINC, NDC, SNOMED,
};
use crate::fhir::facts;
use crate::rules::RuleInput;

/// One ICD-10 code of the record, looked up on the date of service.
pub(crate) struct LookedUpCode<'a> {
    pub coding: CodingRef<'a>,
    /// Upper case, no dot; None when the text is not code-shaped at all.
    pub code: Option<String>,
    pub status: CodeStatus,
    pub days: (Day, Day),
}

/// Which codings of a system a rule judges.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Where {
    /// Every coding of the system, wherever it is: a code is valid in its system or not.
    Anywhere,
    /// Only where the resource states the patient's own diagnoses or procedures
    /// (`fhir::facts`): the age and sex edits judge the patient's codes, not a relative's.
    Stated(&'static [(&'static str, &'static str)]),
}

fn found<'a>(
    resource: &'a Value,
    cx: &RuleInput,
    table: &Icd10,
    system: &'static str,
    at: Where,
) -> Vec<LookedUpCode<'a>> {
    let rt = resource
        .get("resourceType")
        .and_then(Value::as_str)
        .unwrap_or("");
    let codings: Vec<CodingRef<'a>> = if std::ptr::eq(resource, cx.resource) {
        // The rule's own resource: the walk's index has every coding of the system.
        cx.codes_of(system)
            .filter(|c| match at {
                Where::Anywhere => true,
                Where::Stated(elements) => {
                    concept_path(&c.pointer).is_some_and(|p| facts::states(elements, rt, &p))
                }
            })
            // The same text, borrowed from the resource the caller holds.
            .filter_map(|c| {
                Some(CodingRef {
                    code: resource.at_pointer(&c.pointer)?.as_str()?,
                    pointer: c.pointer.clone(),
                    system: Some(system),
                })
            })
            .collect()
    } else {
        // Another resource of the Bundle (the cross-resource rules): the stated elements at
        // its top level.
        let elements = match at {
            Where::Stated(elements) => elements,
            Where::Anywhere => facts::DIAGNOSIS_ELEMENTS,
        };
        elements
            .iter()
            .filter(|(t, e)| *t == rt && !e.contains('.'))
            .flat_map(|(_, element)| codings(resource, element))
            .filter(|c| c.system == Some(system))
            .collect()
    };
    if codings.is_empty() {
        return Vec::new();
    }
    let days = crate::rules::service_days(resource, cx);
    codings
        .into_iter()
        .filter(|c| likely_system(cx, system, c.code).is_none())
        .map(|coding| {
            let code = table.normalize(coding.code);
            let status = code
                .as_deref()
                .map_or(CodeStatus::Unknown, |c| table.status(c, days.0, days.1));
            LookedUpCode {
                coding,
                code,
                status,
                days,
            }
        })
        .collect()
}

/// The element path (no list positions) of the CodeableConcept holding the coding whose code
/// is at `pointer` (`/diagnosis/0/diagnosisCodeableConcept/coding/1/code` ->
/// `diagnosis.diagnosisCodeableConcept`); None for a coding not in a CodeableConcept.
fn concept_path(pointer: &str) -> Option<String> {
    let concept = pointer.strip_suffix("/code")?;
    let concept = concept.rsplit_once('/')?.0.strip_suffix("/coding")?;
    let steps: Vec<&str> = concept
        .split('/')
        .filter(|s| !s.is_empty() && !s.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    Some(steps.join("."))
}

/// Every ICD-10-CM code of a resource, wherever it is (system
/// `http://hl7.org/fhir/sid/icd-10-cm` only: WHO ICD-10 is another code system).
pub(crate) fn icd10cm<'a>(resource: &'a Value, cx: &RuleInput) -> Vec<LookedUpCode<'a>> {
    found(resource, cx, &cx.codes.icd10cm, ICD10CM, Where::Anywhere)
}

/// The ICD-10-CM codes where the resource states the patient's own diagnoses.
pub(crate) fn patient_icd10cm<'a>(resource: &'a Value, cx: &RuleInput) -> Vec<LookedUpCode<'a>> {
    let at = Where::Stated(facts::DIAGNOSIS_ELEMENTS);
    found(resource, cx, &cx.codes.icd10cm, ICD10CM, at)
}

/// Every ICD-10-PCS code of a resource, wherever it is.
pub(crate) fn icd10pcs<'a>(resource: &'a Value, cx: &RuleInput) -> Vec<LookedUpCode<'a>> {
    found(resource, cx, &cx.codes.icd10pcs, ICD10PCS, Where::Anywhere)
}

/// The ICD-10-PCS codes where the resource states the patient's own procedures.
pub(crate) fn patient_icd10pcs<'a>(resource: &'a Value, cx: &RuleInput) -> Vec<LookedUpCode<'a>> {
    let at = Where::Stated(facts::PROCEDURE_ELEMENTS);
    found(resource, cx, &cx.codes.icd10pcs, ICD10PCS, at)
}

/// The day ICD-10-CM and ICD-10-PCS took effect in the US (services on and after 2015-10-01,
/// 45 CFR 162.1002(c)). A record dated before was coded later or converted from ICD-9: its
/// codes are not judged on its date as if ICD-10 had existed then.
pub(crate) const ICD10_US_START: Day = 20151001;

/// Why a code is not valid on the date of service, with the days its message names.
pub(crate) enum Validity {
    /// Every window of the code starts after the day: it takes effect on `start`.
    NotYet { start: Day },
    /// The code was deleted: it was last valid on `until`.
    NoLonger { until: Day },
}

impl Validity {
    /// Whether the finding stands as an error: the service date lies within the code
    /// system's lifetime. Before it, a code present since the system began is in order, and a
    /// code added later is worth only a note (`Some(false)`); None: nothing to say.
    pub(crate) fn within_lifetime(&self, days: (Day, Day)) -> Option<bool> {
        if days.1 >= ICD10_US_START {
            return Some(true);
        }
        match self {
            Validity::NotYet { start } if *start > ICD10_US_START => Some(false),
            _ => None,
        }
    }

    /// The validity of a code with these windows on `day`, on which it is not valid.
    pub(crate) fn of(windows: &[crate::codes::Window], day: Day) -> Validity {
        match windows
            .iter()
            .filter(|w| w.start() > day)
            .map(|w| w.start())
            .min()
        {
            Some(start) if windows.iter().all(|w| w.start() > day) => Validity::NotYet { start },
            _ => Validity::NoLonger {
                until: windows
                    .iter()
                    .filter_map(|w| w.end())
                    .filter(|&e| e < day)
                    .max()
                    .unwrap_or(0),
            },
        }
    }
}

/// The systems ehrlint recognizes codes of, with the names people know them by.
pub(crate) const SYSTEM_NAMES: &[(&str, &str)] = &[
    (ICD10CM, "ICD-10-CM"),
    (ICD10PCS, "ICD-10-PCS"),
    (LOINC, "LOINC"),
    (SNOMED, "SNOMED CT"),
    (CVX, "CVX"),
    (NDC, "NDC"),
];

pub(crate) fn system_name(uri: &str) -> &str {
    SYSTEM_NAMES
        .iter()
        .find(|(u, _)| *u == uri)
        .map_or(uri, |(_, n)| n)
}

/// Is `code` valid in `system` (as far as ehrlint can tell without licensed content)?
fn fits(cx: &RuleInput, system: &str, code: &str) -> bool {
    match system {
        ICD10CM => cx
            .codes
            .icd10cm
            .normalize(code)
            .is_some_and(|c| cx.codes.icd10cm.exists(&c)),
        ICD10PCS => cx.codes.icd10pcs.windows(code).is_some(),
        LOINC => checkdigit::loinc(code).is_ok(),
        // Expressions are SNOMED CT too.
        SNOMED => checkdigit::sctid_concept(code).is_ok() || code.contains(['|', ':']),
        CVX => checkdigit::cvx(code),
        NDC => checkdigit::ndc(code) != checkdigit::Ndc::Invalid,
        _ => true,
    }
}

/// The system a code evidently belongs to when it does not fit the one given: an ICD-10-CM
/// code under the SNOMED CT URI, a LOINC code under ICD-10-CM... None when it fits its own
/// system, or no other. Only unmistakable shapes count: an existing ICD-10-CM or ICD-10-PCS
/// code, a LOINC code with its check digit, a SNOMED CT id with its check digit.
pub(crate) fn likely_system(cx: &RuleInput, system: &str, code: &str) -> Option<&'static str> {
    if !SYSTEM_NAMES.iter().any(|(u, _)| *u == system) || fits(cx, system, code) {
        return None;
    }
    let candidates: &[&'static str] = match system {
        // Numeric systems: a number there is normal, so only lettered or hyphenated shapes.
        CVX | NDC => &[ICD10CM, LOINC],
        _ => RECOGNIZABLE,
    };
    recognize(cx, code, candidates, system)
}

/// The systems whose codes have unmistakable shapes, most distinctive first.
const RECOGNIZABLE: &[&str] = &[ICD10CM, LOINC, SNOMED, ICD10PCS];

/// The first of `candidates` (other than `except`) that `code` fits.
fn recognize(
    cx: &RuleInput,
    code: &str,
    candidates: &[&'static str],
    except: &str,
) -> Option<&'static str> {
    let starts_with_letter = code.starts_with(|c: char| c.is_ascii_alphabetic());
    candidates.iter().copied().find(|&other| {
        other != except
            && match other {
                // ICD-10-CM codes start with a letter; short numbers would match categories.
                ICD10CM => starts_with_letter && fits(cx, ICD10CM, code),
                _ => fits(cx, other, code),
            }
    })
}

/// The system a code with no system evidently comes from.
pub(crate) fn recognize_any(cx: &RuleInput, code: &str) -> Option<&'static str> {
    recognize(cx, code, RECOGNIZABLE, "")
}

/// A system's codes in the resource that fit it or no other system (those that belong to
/// another system are code-system-mismatch's, one issue per defect).
pub(crate) fn own_codes<'c, 'a>(
    cx: &'c RuleInput<'a>,
    system: &'static str,
) -> impl Iterator<Item = &'c SystemValue<'a>> {
    cx.codes_of(system)
        .filter(move |c| likely_system(cx, system, c.value).is_none())
}

/// One ICD-10-CM code among an Encounter's diagnoses, resolved through its Bundle.
pub(crate) struct Diagnosis {
    /// Index in Encounter.diagnosis.
    pub index: usize,
    /// Rank 1, or use `billing`: the claim's principal diagnosis.
    pub principal: bool,
    /// Normalized code.
    pub code: String,
    /// MCE flags of the code on the encounter's date of service (0 if not valid then).
    pub flags: u32,
}

/// The ICD-10-CM codes of an Encounter's diagnoses, in order, judged on its date of service.
pub(crate) fn diagnoses(encounter: &Value, cx: &RuleInput) -> Vec<Diagnosis> {
    let table = &cx.codes.icd10cm;
    let (first, last) = crate::rules::service_days(encounter, cx);
    let Some(list) = encounter.get("diagnosis").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, d) in list.iter().enumerate() {
        let Some(condition) = d
            .at_pointer("/condition/reference")
            .and_then(Value::as_str)
            .and_then(|r| crate::fhir::reference::resolve(r, encounter, cx.bundle))
        else {
            continue;
        };
        for coding in codings(condition, "code")
            .into_iter()
            .filter(|c| c.system == Some(ICD10CM))
        {
            let Some(code) = table.normalize(coding.code) else {
                continue;
            };
            let flags = match table.status(&code, first, last) {
                CodeStatus::Valid(w) => w.2,
                _ => 0,
            };
            out.push(Diagnosis {
                index,
                principal: is_principal(d),
                code,
                flags,
            });
        }
    }
    out
}

/// Rank 1, or use `billing`: an Encounter.diagnosis that is the claim's principal diagnosis.
pub(crate) fn is_principal(diagnosis: &Value) -> bool {
    diagnosis.get("rank").and_then(Value::as_u64) == Some(1)
        || diagnosis
            .at_pointer("/use/coding")
            .and_then(Value::as_array)
            .is_some_and(|cs| {
                cs.iter()
                    .any(|c| c.get("code").and_then(Value::as_str) == Some("billing"))
            })
}

/// The principal diagnoses carrying an MCE flag: (diagnosis, its pointer in the Encounter).
pub(crate) fn flagged_principals(
    encounter: &Value,
    cx: &RuleInput,
    flag: &str,
) -> Vec<(Diagnosis, String)> {
    let bit = cx.codes.icd10cm.records().flag(flag).unwrap_or(0);
    diagnoses(encounter, cx)
        .into_iter()
        .filter(|d| d.principal && d.flags & bit != 0)
        .map(|d| {
            let at = format!("/diagnosis/{}/condition", d.index);
            (d, at)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::icd10cm_unknown::tests::condition;
    use super::mce_age_conflict::tests::bundle as patient;
    use super::principal_duplicate::tests::encounter_bundle as encounter;
    use crate::fhir::coding::{CVX, ICD10CM, ICD10PCS, LOINC, NDC, NPI, SNOMED};
    use crate::rules::testing::validator;
    use crate::{Context, Validator};
    use serde_json::{json, Value};

    fn spanish() -> &'static Validator {
        static ES: std::sync::OnceLock<Validator> = std::sync::OnceLock::new();
        ES.get_or_init(|| {
            Validator::new(crate::Options {
                locale: Some("es".into()),
                profile: Some(crate::ProfileChoice::BuiltIn("none".into())),
                ..Default::default()
            })
            .expect("built-in schemas compile")
        })
    }

    /// A resource with one coding (no system when `system` is empty) in `element`.
    fn coded(resource_type: &str, element: &str, system: &str, code: &str) -> Value {
        let mut coding = json!({"code": code});
        if !system.is_empty() {
            coding["system"] = json!(system);
        }
        json!({"resourceType": resource_type, "subject": {"reference": "Patient/1"},
               "patient": {"reference": "Patient/1"}, element: {"coding": [coding]}})
    }

    /// The resource with this date of service.
    fn on(mut resource: Value, date: &str) -> Value {
        let element = match resource["resourceType"].as_str() {
            Some("Procedure") => "performedDateTime",
            _ => "recordedDate",
        };
        resource[element] = json!(date);
        resource
    }

    /// Every consistency rule (and each of its messages) says something else in Spanish, in
    /// full: the same issues at the same paths, each message translated, no parameter left
    /// unfilled.
    #[test]
    fn every_message_speaks_spanish() {
        let pcs = |code: &str, date: &str| on(coded("Procedure", "code", ICD10PCS, code), date);
        let cm = |code: &str, date: &str| on(condition(ICD10CM, code), date);
        let ndc = |code: &str| coded("MedicationRequest", "medicationCodeableConcept", NDC, code);
        let npi = |value: &str| {
            let id = json!({"system": NPI, "value": value});
            json!({"resourceType": "Practitioner", "identifier": [id]})
        };
        #[rustfmt::skip]
        let cases: Vec<(&str, Value)> = vec![
            ("code-system-mismatch", condition(SNOMED, "E11.9")),
            ("coding-system-missing", coded("Condition", "code", "", "E11.9")),
            ("coding-system-missing", coded("Condition", "code", "", "xyz")),
            ("cvx-format", coded("Immunization", "vaccineCode", CVX, "COVID")),
            ("excludes1-conflict", encounter("E10.9", "E11.9", 1)),
            ("icd10cm-not-billable", condition(ICD10CM, "E11")),
            ("icd10cm-not-billable", condition(ICD10CM, "S72")),
            ("icd10cm-not-billable", encounter("E11", "I10", 1)),
            ("icd10cm-not-valid-on-date", cm("T81.32XA", "2025-03-01")),
            ("icd10cm-not-valid-on-date", cm("C78.31", "2025-03-01")),
            ("icd10cm-unknown", condition(ICD10CM, "E11.99")),
            ("icd10cm-unknown", condition(ICD10CM, "diabetes")),
            ("icd10pcs-not-valid-on-date", pcs("X27H385", "2025-01-15")),
            ("icd10pcs-not-valid-on-date", pcs("X27H385", "2016-01-15")),
            ("icd10pcs-unknown", pcs("0DTJ4ZX", "2026-04-01")),
            ("icd10pcs-unknown", pcs("0DTJ4Z", "2026-04-01")),
            ("icd10pcs-unknown", pcs("ZZZZZZZ", "2026-04-01")),
            ("loinc-check-digit", coded("Observation", "code", LOINC, "8876-4")),
            ("loinc-check-digit", coded("Observation", "code", LOINC, "heart rate")),
            ("mce-age-conflict", patient("O80", "1955-01-10", "female")),
            ("mce-age-conflict", patient("O80", "1955", "female")),
            ("mce-age-conflict", patient("A33", "1980-05-01", "male")),
            ("mce-age-conflict", patient("A33", "1980", "male")),
            ("mce-age-conflict", patient("N40.0", "2020-05-01", "male")),
            ("mce-sex-conflict", patient("C61", "1950-05-01", "female")),
            ("mce-sex-conflict", patient("O80", "1990-05-01", "male")),
            ("ndc-ambiguous", ndc("0777310502")),
            ("ndc-format", ndc("777-3105-02")),
            ("npi-check-digit", npi("1234567890")),
            ("npi-check-digit", npi("12345")),
            ("principal-duplicate", encounter("E11.9", "E11.9", 1)),
            ("principal-external-cause", encounter("V00.01XA", "E11.9", 1)),
            ("principal-manifestation", encounter("D63.1", "E11.9", 1)),
            ("principal-unacceptable", encounter("B95.0", "E11.9", 1)),
            ("snomed-check-digit", condition(SNOMED, "44054007")),
            ("snomed-check-digit", condition(SNOMED, "diabetes")),
            // A description id, a relationship id, partition 03: check digits right.
            ("snomed-check-digit", condition(SNOMED, "125706012")),
            ("snomed-check-digit", condition(SNOMED, "125706020")),
            ("snomed-check-digit", condition(SNOMED, "125706031")),
            ("system-not-absolute", coded("Observation", "code", "LOINC", "8867-4")),
            ("system-not-absolute", coded("Observation", "code", "#local", "8867-4")),
            ("icd10cm-not-valid-on-date", cm("C78.31", "2009-06-01")),
            ("icd10pcs-not-valid-on-date", pcs("XW033E5", "2009-06-01")),
        ];
        let mut covered = std::collections::BTreeSet::new();
        for (code, record) in cases {
            let of = |v: &Validator| -> Vec<(String, String)> {
                v.validate(&record, &Context::default())
                    .issues
                    .into_iter()
                    .filter(|i| i.code == code)
                    .map(|i| (i.path, i.message))
                    .collect()
            };
            let (en, es) = (of(validator()), of(spanish()));
            assert!(!en.is_empty(), "no {code} in {record}");
            assert_eq!(en.len(), es.len(), "{code}: {en:?} / {es:?}");
            for ((en_path, en), (es_path, es)) in en.iter().zip(&es) {
                assert_eq!(en_path, es_path, "{code}");
                assert_ne!(en, es, "{code}: not translated");
                assert!(
                    !en.contains('{') && !es.contains('{'),
                    "{code}: {en} / {es}"
                );
            }
            covered.insert(code);
        }
        let mut family: Vec<&str> = crate::rules::ALL
            .iter()
            .filter(|r| r.category == crate::Category::Consistency)
            .map(|r| r.code)
            .collect();
        family.sort_unstable();
        let covered: Vec<&str> = covered.into_iter().collect();
        assert_eq!(covered, family, "every consistency rule has a case");
    }
}
