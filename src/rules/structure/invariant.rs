//! # invariant
//!
//! **What it checks**: every invariant of the FHIR R4 definitions (the FHIRPath constraints of
//! each resource type and datatype: obs-6, con-4, ait-2, pat-1, ref-1, dom-3, qty-3, cpt-2 and
//! the other 230), at each element it applies to. The issue names the invariant's key
//! (`invariant: "obs-6"`), and `rules.disable` or `rules.severity` take a key as they take a
//! rule code. Its severity is the definition's: error, or warning. The two the definitions
//! mark best practice (dom-6: no narrative; con-3) are not reported unless `rules.severity`
//! names them: a record that lacks them is not wrong, and a clinician typing one would see
//! dom-6 on every record. The command line, the Rust library and the npm package's Node
//! and full/ builds evaluate them; its default browser build (web/, bundler/, worker/) does
//! not, as the FHIRPath engine does not fit its download budget (it takes invariant keys in
//! its options all the same, and `evaluatesInvariants` says which build is running). Invariants the walk checks
//! itself with better words (ele-1, ext-1, txt-1, txt-2) and those a rule already reports
//! (per-1 as `period-end-before-start`, con-3 and ait-1 as `conditional-required`) are not
//! reported twice. An invariant that gives nothing (the data it compares is missing) holds,
//! unless a value of the record did not convert where it needed to (eld-3 on a max of "n").
//! A record that claims an Implementation Guide's profile (`meta.profile`, loaded with `--ig`
//! or the `ig` option) is also held to the invariants that profile adds (US Core's
//! `us-core-2`: a vital sign has a value or a reason it is missing), on the resource or on
//! each occurrence of their element, with the definition's severity; those inside a slice or
//! that read other resources (`resolve()`) are not evaluated yet.
//! Every invariant of the datatypes and of the 20 clinical resource types most used in the R4
//! examples has a failing and a passing record in tests/invariants/.
//!
//! **Why it matters**: the invariants are where FHIR says what a record must mean, not only
//! what shape it has: a result with both a value and a reason it is missing, a resolved
//! condition still marked active, a contained resource nobody refers to. Receiving systems
//! that validate (HL7's validator, most FHIR servers) reject such records.
//!
//! **Example**: fails: `{"resourceType": "Observation", "status": "final", "code": {"text":
//! "Glucose"}, "valueQuantity": {"value": 5.4}, "dataAbsentReason": {"text": "not done"}}`
//! (obs-6, at the root); passes: the same without the dataAbsentReason.
//!
//! **Authority**: the constraints of the FHIR R4 StructureDefinitions
//! (http://hl7.org/fhir/R4/conformance-rules.html#constraints), evaluated as FHIRPath
//! (http://hl7.org/fhirpath/N1/).

use crate::fhir::invariants::Level;
use crate::fhir::path::Location;
use crate::messages::{text, Catalogue, Text};
use crate::report::{Category, Issue, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "invariant",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "invariant",
    title: "A constraint of the FHIR definitions that does not hold",
};

/// Plain words for the invariants clinicians and coders meet most; the others say the
/// definition's own text.
fn plain(key: &str) -> Option<Text> {
    Some(match key {
        "ait-1" => text!("invariant.ait-1"),
        "ait-2" => text!("invariant.ait-2"),
        "app-1" => text!("invariant.app-1"),
        "app-2" => text!("invariant.app-2"),
        "app-3" => text!("invariant.app-3"),
        "att-1" => text!("invariant.att-1"),
        "con-1" => text!("invariant.con-1"),
        "con-2" => text!("invariant.con-2"),
        "con-3" => text!("invariant.con-3"),
        "con-4" => text!("invariant.con-4"),
        "con-5" => text!("invariant.con-5"),
        "cpt-2" => text!("invariant.cpt-2"),
        "dom-2" => text!("invariant.dom-2"),
        "dom-3" => text!("invariant.dom-3"),
        "dom-4" => text!("invariant.dom-4"),
        "dom-5" => text!("invariant.dom-5"),
        "dom-6" => text!("invariant.dom-6"),
        "fhs-1" => text!("invariant.fhs-1"),
        "gol-1" => text!("invariant.gol-1"),
        "mad-1" => text!("invariant.mad-1"),
        "obs-3" => text!("invariant.obs-3"),
        "obs-6" => text!("invariant.obs-6"),
        "obs-7" => text!("invariant.obs-7"),
        "org-1" => text!("invariant.org-1"),
        "pat-1" => text!("invariant.pat-1"),
        "prr-1" => text!("invariant.prr-1"),
        "qty-3" => text!("invariant.qty-3"),
        "rat-1" => text!("invariant.rat-1"),
        "ref-1" => text!("invariant.ref-1"),
        "rng-2" => text!("invariant.rng-2"),
        _ => return None,
    })
}

/// At the element the invariant applies to.
pub(crate) fn issue(
    location: &Location,
    messages: &Catalogue,
    suffix: &str,
    key: &'static str,
    level: Level,
    human: &str,
) -> Issue {
    let text = plain(key).unwrap_or_else(|| text!("invariant", key, human));
    let mut issue = RULE.issue(location, suffix, messages, text);
    issue.severity = match level {
        Level::Error => Severity::Error,
        Level::Warning => Severity::Warning,
        Level::BestPractice => Severity::Information,
    };
    issue.invariant = Some(key);
    issue
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::report;
    use serde_json::json;

    fn invariants(resource: serde_json::Value) -> Vec<(String, String)> {
        report(resource)
            .issues
            .into_iter()
            .filter(|i| i.code == "invariant")
            .map(|i| (i.invariant.unwrap_or_default().to_string(), i.path))
            .collect()
    }

    fn observation() -> serde_json::Value {
        json!({"resourceType": "Observation", "status": "final", "code": {"text": "Glucose"},
               "valueQuantity": {"value": 5.4, "unit": "mmol/L",
                                 "system": "http://unitsofmeasure.org", "code": "mmol/L"}})
    }

    #[test]
    fn fails_on_a_value_and_a_reason_it_is_missing() {
        let mut o = observation();
        o["dataAbsentReason"] = json!({"text": "not done"});
        assert_eq!(invariants(o), [("obs-6".to_string(), String::new())]);
    }

    #[test]
    fn fails_at_the_element_an_element_invariant_is_on() {
        let p = json!({"resourceType": "Patient", "contact": [{"gender": "male"}]});
        assert_eq!(
            invariants(p),
            [("pat-1".to_string(), "/contact/0".to_string())]
        );
        let local = json!({"resourceType": "Observation", "status": "final",
            "code": {"text": "x"}, "subject": {"reference": "#p1"}});
        assert_eq!(
            invariants(local),
            [("ref-1".to_string(), "/subject".to_string())]
        );
    }

    #[test]
    fn options_name_invariants_by_key() {
        let with = |options: serde_json::Value| {
            let v = crate::Validator::new(
                crate::Options::from_json(options).unwrap_or_else(|e| panic!("{e}")),
            )
            .unwrap_or_else(|e| panic!("{e}"));
            let mut o = observation();
            o["dataAbsentReason"] = json!({"text": "not done"});
            v.validate(&o, &crate::Context::default())
                .issues
                .into_iter()
                .filter(|i| i.code == "invariant")
                .map(|i| (i.invariant.unwrap_or_default(), i.severity))
                .collect::<Vec<_>>()
        };
        assert!(with(json!({"rules": {"disable": ["obs-6"]}})).is_empty());
        assert_eq!(
            with(json!({"rules": {"severity": {"obs-6": "warning"}}})),
            [("obs-6", crate::Severity::Warning)]
        );
        // Best practice (dom-6, no narrative): only when asked for.
        assert_eq!(
            with(json!({"rules": {"severity": {"dom-6": "information"}}})),
            [
                ("obs-6", crate::Severity::Error),
                ("dom-6", crate::Severity::Information)
            ]
        );
        let typo = crate::Options::from_json(json!({"rules": {"disable": ["obs-66"]}}))
            .map_err(|e| e.to_string())
            .and_then(|o| {
                crate::Validator::new(o)
                    .map(|_| ())
                    .map_err(|e| e.to_string())
            });
        assert!(typo.is_err_and(|e| e.contains("obs-66")));
    }

    #[test]
    fn passes_a_record_that_keeps_them() {
        assert!(invariants(observation()).is_empty());
        let with_contained = json!({"resourceType": "Observation", "status": "final",
            "code": {"text": "x"}, "subject": {"reference": "#p1"},
            "contained": [{"resourceType": "Patient", "id": "p1"}]});
        assert!(invariants(with_contained).is_empty());
    }

    /// dom-3 reads `%resource.descendants()` again for each contained resource (the walk is
    /// kept between them): it holds only when every one is referred to, whichever it is.
    #[test]
    fn dom_3_holds_only_when_every_contained_resource_is_referred_to() {
        let contained = |subject: &str, performer: &str| {
            json!({"resourceType": "Observation", "status": "final", "code": {"text": "x"},
                "subject": {"reference": subject}, "performer": [{"reference": performer}],
                "contained": [{"resourceType": "Patient", "id": "p1"},
                    {"resourceType": "Practitioner", "id": "d1"},
                    {"resourceType": "Organization", "id": "o1"}]})
        };
        let unreferenced =
            |found: Vec<(String, String)>| found.into_iter().filter(|(k, _)| k == "dom-3").count();
        assert_eq!(unreferenced(invariants(contained("#p1", "#d1"))), 1);
        assert_eq!(unreferenced(invariants(contained("#p1", "#o1"))), 1);
        assert_eq!(unreferenced(invariants(contained("Patient/x", "#x"))), 1);
        let mut all = contained("#p1", "#d1");
        all["performer"] = json!([{"reference": "#d1"}, {"reference": "#o1"}]);
        assert_eq!(unreferenced(invariants(all)), 0);
    }

    /// The test guide's Patient profile adds test-1 (error, on the resource) and test-2
    /// (warning, on each name).
    #[test]
    fn a_claimed_profile_adds_its_own() {
        use crate::rules::testing::{ig_patient_profile, report_with, test_patient};
        let found = |fields: serde_json::Value| -> Vec<(String, String, crate::report::Severity)> {
            let mut record = test_patient(fields);
            record["identifier"] = json!([{"system": "http://example.org/mrn", "value": "1"}]);
            report_with(ig_patient_profile(), record)
                .issues
                .into_iter()
                .map(|i| {
                    (
                        i.invariant.unwrap_or_default().to_string(),
                        i.path,
                        i.severity,
                    )
                })
                .collect()
        };
        use crate::report::Severity::{Error, Warning};
        assert_eq!(
            found(json!({"deceasedBoolean": true, "name": [{"text": "Peter Chalmers"}]})),
            [
                ("test-1".to_string(), String::new(), Error),
                ("test-2".to_string(), "/name".to_string(), Warning)
            ]
        );
        let kept =
            json!({"deceasedBoolean": true, "gender": "male", "name": [{"family": "Chalmers"}]});
        assert_eq!(found(kept), []);
        // Options name a guide's invariants by key, as they name R4's.
        let validator =
            crate::rules::testing::ig_with_rules(&["test-1"], &[("test-2", "information")]);
        let mut record = test_patient(json!({"deceasedBoolean": true, "name": [{"text": "P"}]}));
        record["identifier"] = json!([{"system": "http://example.org/mrn", "value": "1"}]);
        let issues = report_with(&validator, record).issues;
        let found: Vec<_> = issues.iter().map(|i| (i.invariant, i.severity)).collect();
        assert_eq!(
            found,
            [(Some("test-2"), crate::report::Severity::Information)]
        );
    }
}
