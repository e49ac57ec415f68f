//! What the structure walk finds wrong: one `Finding` per defect, at the element that is wrong.
//! Its own module so that the walk and the extension checks it calls (`fhir::extension`) both
//! name the defects without depending on each other.

use crate::json::Value;

use super::invariants::Level;
use super::primitives::Reason;

/// One structural defect, at `suffix`: the JSON Pointer below the resource.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding<'v> {
    pub suffix: String,
    pub defect: Defect<'v>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Defect<'v> {
    /// The object at `suffix` has a property its type does not define; `allowed` are the
    /// JSON names it may have (choice forms and `_name` forms included).
    UnknownProperty {
        property: &'v str,
        allowed: Vec<String>,
    },
    /// The value is of another JSON type than the element's (`expected`: object, array,
    /// string, boolean, integer, number).
    WrongType {
        expected: &'static str,
        value: &'v Value,
    },
    /// A code outside the enumerable value set of a required binding.
    NotInValueSet {
        value: &'v Value,
        allowed: Vec<&'static str>,
    },
    /// A primitive whose text breaks its type's lexical rule. `temporal`: a date or time.
    BadFormat {
        type_name: &'static str,
        value: &'v Value,
        reason: Reason,
        temporal: bool,
    },
    /// An empty string.
    EmptyValue,
    /// An empty array (`list`) or object.
    Empty { list: bool },
    /// An integer beyond its type's bounds.
    OutOfRange {
        value: &'v Value,
        bound: i64,
        below: bool,
    },
    /// A mandatory element (min 1) the object at `suffix` lacks.
    Missing { name: &'static str },
    /// A mandatory choice element none of whose forms is present.
    MissingChoice {
        name: &'static str,
        forms: Vec<String>,
    },
    /// Two forms of one choice element.
    ChoiceConflict {
        name: &'static str,
        present: Vec<&'v str>,
    },
    /// A code element with a required binding given only as `_name` (extensions, no code).
    CodeMissing { name: &'static str },
    /// A string (or code, id, markdown) of more than 1 MB.
    StringTooLong { bytes: usize },
    /// An extension url nobody defined (no definition is loaded for it).
    ExtensionUnknown { url: &'v str },
    /// An extension url with a `|version`.
    ExtensionUrlVersion { url: &'v str },
    /// An extension value of a type its definition does not allow (`allowed` empty: a
    /// complex extension, which holds sub-extensions; `found` None: sub-extensions where the
    /// definition wants a value).
    ExtensionValueType {
        url: &'v str,
        found: Option<&'static str>,
        allowed: Vec<&'static str>,
    },
    /// An extension used on an element (`holder`) its definition's contexts do not name.
    ExtensionContext {
        url: &'v str,
        holder: String,
        allowed: Vec<&'static str>,
    },
    /// A modifier extension in `extension` (`modifier`), or another in `modifierExtension`.
    ExtensionModifier { url: &'v str, modifier: bool },
    /// A sub-extension url the complex extension `url` does not define.
    ExtensionPartUnknown {
        url: &'v str,
        part: &'v str,
        allowed: Vec<&'static str>,
    },
    /// An extension with both a value and sub-extensions (`both`), or neither (ext-1).
    ExtensionContent { both: bool },
    /// An invariant of the definitions (a FHIRPath constraint) that does not hold here.
    Invariant {
        key: &'static str,
        level: Level,
        human: String,
    },
}
