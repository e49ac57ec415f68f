//! The structure walk on what the definitions say and the old 9-type schema could not: every
//! resource type, a primitive given only as `_name`, null padding of primitive arrays,
//! contentReferences, resources held in any Resource-typed element, required bindings on
//! every type. Each case checks the exact (code, path) pairs, with FHIR R4 alone (no profile).

use ehrlint::{Category, Context, Options, Validator};
use serde_json::{json, Value};

fn structure(resource: Value) -> Vec<(&'static str, String)> {
    let options = Options::from_json(json!({ "profile": "none" })).unwrap();
    let validator = Validator::new(options).unwrap();
    validator
        .validate(&resource, &Context::default())
        .issues
        .into_iter()
        .filter(|i| i.category == Category::Structure || i.code == "required-element")
        .map(|i| (i.code, i.path))
        .collect()
}

fn pairs(list: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    list.iter().map(|(c, p)| (*c, p.to_string())).collect()
}

#[test]
fn a_claim_is_checked_against_its_definition() {
    let good = json!({
        "resourceType": "Claim", "status": "active", "use": "claim",
        "type": { "coding": [{ "system": "http://terminology.hl7.org/CodeSystem/claim-type", "code": "professional" }] },
        "patient": { "reference": "Patient/1" }, "created": "2024-05-01",
        "provider": { "reference": "Organization/1" },
        "priority": { "coding": [{ "code": "normal" }] },
        "insurance": [{ "sequence": 1, "focal": true, "coverage": { "reference": "Coverage/1" } }],
        "diagnosis": [{ "sequence": 1, "diagnosisCodeableConcept": { "coding": [{ "system": "http://hl7.org/fhir/sid/icd-10-cm", "code": "E11.9" }] } }]
    });
    assert_eq!(structure(good.clone()), vec![]);

    let mut bad = good;
    bad["status"] = json!("finished");
    bad["use"] = json!(7);
    bad["insurance"][0]["sequence"] = json!(0);
    bad["diagnosis"][0]["diagnosisReference"] = json!({ "reference": "Condition/1" });
    // Claim.diagnosis.diagnosis[x] has no string form.
    bad["diagnosis"][0]["diagnosisString"] = json!("diabetes");
    bad["created"] = json!("2024-02-30");
    bad.as_object_mut().unwrap().remove("patient");
    assert_eq!(
        structure(bad),
        pairs(&[
            ("invalid-date", "/created"),
            ("choice-conflict", "/diagnosis/0/diagnosisReference"),
            ("unknown-property", "/diagnosis/0/diagnosisString"),
            ("value-out-of-range", "/insurance/0/sequence"),
            ("required-element", "/patient"),
            ("invalid-value", "/status"),
            ("wrong-type", "/use"),
        ])
    );
}

#[test]
fn a_primitive_given_only_with_its_extension_is_present() {
    let absent = json!({ "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown" });
    let obs = json!({
        "resourceType": "Observation",
        "_status": { "extension": [absent] },
        "code": { "text": "x" }
    });
    // Present (no required-element); but status is bound to a required value set, so the
    // extension alone is not enough: a code is due.
    assert_eq!(structure(obs), pairs(&[("code-missing", "/_status")]));
    // A birth date has no binding: the extension alone is a birth date present and unknown.
    let absent = json!({ "url": "http://hl7.org/fhir/StructureDefinition/data-absent-reason", "valueCode": "unknown" });
    let patient = json!({ "resourceType": "Patient", "_birthDate": { "extension": [absent] } });
    assert_eq!(structure(patient), vec![]);
    // Neither form: missing.
    let obs = json!({ "resourceType": "Observation", "code": { "text": "x" } });
    assert_eq!(structure(obs), pairs(&[("required-element", "/status")]));
    // `_id` is no form of a plain string: unknown.
    let obs = json!({ "resourceType": "Observation", "status": "final", "code": { "text": "x" }, "_id": {} });
    assert_eq!(structure(obs), pairs(&[("unknown-property", "/_id")]));
}

#[test]
fn nulls_in_primitive_arrays_line_up_with_their_extensions() {
    let ext = json!({ "extension": [{ "url": "http://hl7.org/fhir/StructureDefinition/iso21090-EN-qualifier", "valueCode": "CL" }] });
    let padded = json!({
        "resourceType": "Patient",
        "name": [{ "given": ["Ann", null], "_given": [null, ext] }]
    });
    assert_eq!(structure(padded), vec![]);
    // A null with nothing beside it is no value.
    let lone = json!({ "resourceType": "Patient", "name": [{ "given": ["Ann", null] }] });
    assert_eq!(structure(lone), pairs(&[("wrong-type", "/name/0/given/1")]));
    // Null in a list of objects: wrong too.
    let lone = json!({ "resourceType": "Patient", "name": [null] });
    assert_eq!(structure(lone), pairs(&[("wrong-type", "/name/0")]));
}

#[test]
fn content_references_have_the_referenced_element_s_children() {
    let q = json!({
        "resourceType": "Questionnaire", "status": "active",
        "item": [{ "linkId": "1", "type": "group", "item": [
            { "linkId": "1.1", "type": "string", "item": [{ "linkId": "1.1.1", "type": "boolen" }] },
            { "type": "string", "txet": "?" }
        ] }]
    });
    assert_eq!(
        structure(q),
        pairs(&[
            ("invalid-value", "/item/0/item/0/item/0/type"),
            ("required-element", "/item/0/item/1/linkId"),
            ("unknown-property", "/item/0/item/1/txet"),
        ])
    );
}

#[test]
fn resources_in_any_resource_element_are_checked_as_their_own_type() {
    let params = json!({
        "resourceType": "Parameters",
        "parameter": [
            { "name": "patient", "resource": { "resourceType": "Patient", "gender": "mal" } },
            { "name": "bad", "resource": { "resourceType": "Patientt" } },
            { "name": "n", "valueInteger": 1 }
        ]
    });
    assert_eq!(
        structure(params),
        pairs(&[
            ("invalid-value", "/parameter/0/resource/gender"),
            (
                "unknown-resource-type",
                "/parameter/1/resource/resourceType"
            ),
        ])
    );
    let bundle = json!({
        "resourceType": "Bundle", "type": "batch-response",
        "entry": [{ "response": { "status": "200", "outcome": {
            "resourceType": "OperationOutcome",
            "issue": [{ "severity": "fatal", "code": "nonsense" }]
        } } }]
    });
    assert_eq!(
        structure(bundle),
        pairs(&[("invalid-value", "/entry/0/response/outcome/issue/0/code")])
    );
}

#[test]
fn every_r4_resource_type_is_known_and_a_typo_is_not() {
    let validator = Validator::new(Options::default()).unwrap();
    let types = validator.supported_types();
    assert_eq!(types.len(), 146);
    for rt in [
        "Claim",
        "Coverage",
        "Medication",
        "Organization",
        "ServiceRequest",
        "Specimen",
    ] {
        assert!(types.contains(&rt), "{rt}");
    }
    let report = validator.validate(&json!({ "resourceType": "Medicaton" }), &Context::default());
    let issue = &report.issues[0];
    assert_eq!(
        (issue.code, issue.path.as_str()),
        ("unknown-resource-type", "/resourceType")
    );
    assert_eq!(
        issue.suggestions.first().map(String::as_str),
        Some("Medication")
    );
}
