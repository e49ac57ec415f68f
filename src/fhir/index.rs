//! The walk's index: every value of the datatypes the record rules read, with its JSON Pointer
//! and FHIR type, collected by the structure walk as it goes (`fhir::walk`). A rule reads the
//! index instead of walking the resource again, so it applies wherever its datatype appears,
//! in any resource type: a UCUM unit in MedicationDispense, an NPI in Organization.identifier,
//! an ICD-10-CM code in Claim.diagnosis.
//!
//! The datatype comes from the definitions, not from the shape of the JSON: an object with a
//! `system` and a `value` is an Identifier only where the model says so (a ContactPoint has
//! both too).

use crate::json::{Map, Value};

/// The datatypes the index holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Datatype {
    Coding,
    CodeableConcept,
    /// Quantity and its specialisations (Age, Count, Distance, Duration; SimpleQuantity and
    /// MoneyQuantity are profiles of Quantity, typed Quantity in the definitions).
    Quantity,
    Identifier,
    Reference,
    Period,
    HumanName,
    Address,
    ContactPoint,
    Attachment,
    /// The temporal primitives, indexed only when their text is lexically valid.
    Date,
    DateTime,
    Instant,
}

impl Datatype {
    /// The indexed datatype a FHIR type code is, if any.
    pub fn of(type_code: &str) -> Option<Datatype> {
        Some(match type_code {
            "Coding" => Datatype::Coding,
            "CodeableConcept" => Datatype::CodeableConcept,
            "Quantity" | "Age" | "Count" | "Distance" | "Duration" => Datatype::Quantity,
            "Identifier" => Datatype::Identifier,
            "Reference" => Datatype::Reference,
            "Period" => Datatype::Period,
            "HumanName" => Datatype::HumanName,
            "Address" => Datatype::Address,
            "ContactPoint" => Datatype::ContactPoint,
            "Attachment" => Datatype::Attachment,
            "date" => Datatype::Date,
            "dateTime" => Datatype::DateTime,
            "instant" => Datatype::Instant,
            _ => return None,
        })
    }
}

/// One indexed value.
#[derive(Debug, Clone)]
pub struct Entry<'v> {
    /// JSON Pointer below the resource.
    pub pointer: String,
    pub datatype: Datatype,
    /// The FHIR type as the definitions give it (`Age` for an Age, `Quantity` for a Quantity).
    pub type_code: &'static str,
    /// The object, or for a temporal primitive its string.
    pub value: &'v Value,
}

impl<'v> Entry<'v> {
    /// The value as an object (every datatype but the temporal primitives).
    pub fn object(&self) -> Option<&'v Map> {
        self.value.as_object()
    }

    /// A string property of the object (`system`, `code`, `value`).
    pub fn text(&self, key: &str) -> Option<&'v str> {
        self.object()?.get(key)?.as_str()
    }

    /// The element path, without list positions: `/diagnosis/0/diagnosisCodeableConcept`
    /// -> `diagnosis.diagnosisCodeableConcept` (FHIR JSON names are never all digits).
    pub fn element_path(&self) -> String {
        let mut out = String::with_capacity(self.pointer.len());
        for token in super::path::tokens(&self.pointer) {
            if token.bytes().all(|b| b.is_ascii_digit()) {
                continue;
            }
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(&token);
        }
        out
    }

    /// The top-level element of the resource the value sits in (`code`, `effectivePeriod`).
    pub fn top_element(&self) -> &str {
        self.pointer
            .strip_prefix('/')
            .and_then(|p| p.split('/').next())
            .unwrap_or("")
    }
}

/// The values of one resource, in document order (the walk's order).
#[derive(Debug, Default)]
pub struct Index<'v> {
    pub entries: Vec<Entry<'v>>,
}

impl<'v> Index<'v> {
    /// The values of one datatype.
    pub fn of(&self, datatype: Datatype) -> impl Iterator<Item = &Entry<'v>> + '_ {
        self.entries.iter().filter(move |e| e.datatype == datatype)
    }

    /// The value at a pointer, if indexed.
    pub fn at(&self, pointer: &str) -> Option<&Entry<'v>> {
        self.entries.iter().find(|e| e.pointer == pointer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fhir::model::Model;
    use crate::json::record as json;

    fn index_of(resource: &Value, datatype: Datatype) -> Vec<String> {
        let model = Model::r4().expect("the model decodes");
        let object = resource.as_object().expect("an object");
        let rt = resource["resourceType"].as_str().expect("a resourceType");
        crate::fhir::walk::walk(&model, rt, object)
            .index
            .of(datatype)
            .map(|e| e.pointer.clone())
            .collect()
    }

    #[test]
    fn finds_datatypes_where_the_definitions_put_them_not_in_nested_resources() {
        let r = json!({"resourceType": "Patient",
            "telecom": [{"system": "phone"}, "not an object", {"system": "email"}],
            "contact": [{"telecom": [{"system": "fax"}]}],
            "extension": [{"url": "x", "valueContactPoint": {"system": "sms"}}],
            "contained": [{"resourceType": "Patient", "telecom": [{"system": "pager"}]}]});
        assert_eq!(
            index_of(&r, Datatype::ContactPoint),
            // In the record's order.
            [
                "/telecom/0",
                "/telecom/2",
                "/contact/0/telecom/0",
                "/extension/0/valueContactPoint"
            ]
        );
    }

    #[test]
    fn takes_only_values_of_the_right_shape() {
        let r = json!({"resourceType": "Patient",
            "name": {"family": "a list belongs here"},
            "address": [{"city": "A"}],
            "contact": [{"name": {"text": "one"}, "address": {"city": "B"}}],
            "extension": [{"url": "x", "valueHumanName": [{"text": "a list"}]}]});
        assert_eq!(index_of(&r, Datatype::HumanName), ["/contact/0/name"]);
        assert_eq!(
            index_of(&r, Datatype::Address),
            ["/address/0", "/contact/0/address"]
        );
    }

    #[test]
    fn types_come_from_the_definitions_in_every_resource_type() {
        // An Organization's address and contact name, a Claim's diagnosis coding, a
        // MedicationDispense's quantity (SimpleQuantity is typed Quantity), an Age.
        let org = json!({"resourceType": "Organization", "address": [{"city": "A"}],
            "contact": [{"name": {"family": "B"}}], "name": "not a HumanName"});
        assert_eq!(index_of(&org, Datatype::Address), ["/address/0"]);
        assert_eq!(index_of(&org, Datatype::HumanName), ["/contact/0/name"]);
        let claim = json!({"resourceType": "Claim", "diagnosis": [{"sequence": 1,
            "diagnosisCodeableConcept": {"coding": [{"system": "s", "code": "c"}]}}]});
        assert_eq!(
            index_of(&claim, Datatype::Coding),
            ["/diagnosis/0/diagnosisCodeableConcept/coding/0"]
        );
        let dispense = json!({"resourceType": "MedicationDispense",
            "quantity": {"value": 1, "unit": "tab"}, "whenHandedOver": "2024-02-30",
            "whenPrepared": "2024-02-01"});
        assert_eq!(index_of(&dispense, Datatype::Quantity), ["/quantity"]);
        // An impossible date is the structure rules'; the index holds real dates only.
        assert_eq!(index_of(&dispense, Datatype::DateTime), ["/whenPrepared"]);
        let history = json!({"resourceType": "FamilyMemberHistory",
            "ageAge": {"value": 40}});
        let model = Model::r4().expect("the model decodes");
        let walked = crate::fhir::walk::walk(
            &model,
            "FamilyMemberHistory",
            history.as_object().expect("an object"),
        );
        let age = walked.index.at("/ageAge").expect("indexed");
        assert_eq!((age.datatype, age.type_code), (Datatype::Quantity, "Age"));
    }

    #[test]
    fn element_paths_leave_out_list_positions() {
        let entry = Entry {
            pointer: "/diagnosis/0/diagnosisCodeableConcept/coding/1".into(),
            datatype: Datatype::Coding,
            type_code: "Coding",
            value: &Value::Null,
        };
        assert_eq!(
            entry.element_path(),
            "diagnosis.diagnosisCodeableConcept.coding"
        );
        assert_eq!(entry.top_element(), "diagnosis");
    }
}
