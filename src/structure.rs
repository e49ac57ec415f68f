//! The structure layer as the engine, sessions and profiles use it: is this a well-formed FHIR
//! R4 resource? One walk of the resource against the model of every R4 type
//! (`fhir::walk` over `fhir::model`, generated from HL7's StructureDefinitions), its findings
//! worded by the structure rules (`rules::findings`), and the questions about elements that
//! sessions and profiles ask of the model.

use crate::json::Value;

use crate::fhir::index::Index;
use crate::fhir::invariants::{Invariants, Scope};
use crate::fhir::model::{ElementDef, Model};
use crate::fhir::path::{self, Location};
use crate::fhir::walk::{self, Checks, Walked};
use crate::messages::Catalogue;
use crate::report::Issue;
use crate::rules::findings::structure_issues;

use crate::fhir::invariants::EVALUATED as EVALUATES_INVARIANTS;

/// Where a resource stands, for its invariants: `whole` is `%resource` (the record, when a
/// session checks a part of it), `container` the resource holding a contained one
/// (`%rootResource`), `bundle` the Bundle it is an entry of (`resolve()`).
#[derive(Clone, Copy)]
pub struct Around<'v> {
    pub whole: &'v Value,
    pub container: Option<&'v Value>,
    pub bundle: Option<&'v Value>,
    /// Now, for `now()` and `today()` (milliseconds since 1970, UTC).
    pub now_millis: i64,
}

pub struct Structure {
    model: Model,
    /// The definitions' invariants, compiled once.
    invariants: Invariants,
}

impl Structure {
    pub fn new() -> Result<Self, String> {
        let model = Model::r4()?;
        let invariants = if EVALUATES_INVARIANTS {
            Invariants::compile(&model)?
        } else {
            Invariants::default()
        };

        Ok(Structure { model, invariants })
    }

    /// Whether `resource_type` is checked: every concrete resource type of FHIR R4 is.
    pub fn is_supported(&self, resource_type: &str) -> bool {
        self.model.is_resource_type(resource_type)
    }

    /// Ok for a resource type of FHIR R4; else an error that suggests the nearest one.
    pub fn known_type(&self, resource_type: &str) -> Result<(), String> {
        if self.is_supported(resource_type) {
            return Ok(());
        }
        Err(
            match crate::rules::nearest(resource_type, self.supported_types(), 1).first() {
                Some(h) => {
                    format!("{resource_type} is not a FHIR R4 resource type (did you mean {h}?)")
                }
                None => format!("{resource_type} is not a FHIR R4 resource type"),
            },
        )
    }

    /// Every resource type of FHIR R4, sorted.
    pub fn supported_types(&self) -> impl Iterator<Item = &str> {
        self.model.resource_types().iter().copied()
    }

    /// Whether a resource may hold other resources (`contained`, or a type with an element
    /// of type Resource: Bundle, Parameters): a session then checks it whole at every step.
    pub fn holds_resources(&self, resource_type: &str, resource: &Value) -> bool {
        resource.get("contained").is_some() || self.model.holds_resources(resource_type)
    }

    fn elements(&self, resource_type: &str) -> &[ElementDef] {
        self.model
            .type_def(resource_type)
            .map(|t| t.elements.as_slice())
            .unwrap_or_default()
    }

    /// The elements a resource type requires (min cardinality 1), choice elements aside.
    pub fn required_elements(&self, resource_type: &str) -> impl Iterator<Item = &str> {
        self.elements(resource_type)
            .iter()
            .filter(|e| e.min > 0 && !e.choice)
            .map(|e| e.name)
    }

    /// The element list of the object at `pointer` (relative to a resource of type
    /// `resource_type`), following properties through types, backbones and contentReferences.
    pub fn elements_at(&self, resource_type: &str, pointer: &str) -> Option<&[ElementDef]> {
        let mut elements = self.elements(resource_type);
        for token in path::tokens(pointer) {
            if token.bytes().all(|b| b.is_ascii_digit()) {
                continue; // array index: the same elements as the array's items
            }
            let property = self.model.property(elements, &token)?;
            elements = self.model.children(&property)?;
        }
        Some(elements)
    }

    /// Can the top-level element `key` of a `resource_type` be checked on its own (with its
    /// `_key` sibling)? Not a choice element's form (checked against its other forms) and not
    /// a name the type does not have (checked against the names it has).
    /// Nor `contained`, which every local reference's ref-1 reads, nor an element of a type
    /// whose element invariants read the rest of the record (`%resource`, `resolve()`).
    pub fn element_local(&self, resource_type: &str, key: &str) -> bool {
        key != "contained"
            && !self.invariants.reads_record(resource_type)
            && self
                .model
                .property(self.elements(resource_type), key)
                .is_some_and(|p| !p.element.choice)
    }

    /// Is `name`, inside the object at `pointer` of a `resource_type`, a list element?
    pub fn is_list(&self, resource_type: &str, pointer: &str, name: &str) -> bool {
        self.elements_at(resource_type, pointer)
            .and_then(|elements| self.model.property(elements, name))
            .is_some_and(|p| p.element.repeats())
    }

    /// Does a dotted element path (`name.family`, `effective[x]`, `valueQuantity.code`) name
    /// an element of `resource_type`? The error says which step is unknown, with a suggestion.
    pub fn element_exists(&self, resource_type: &str, dotted: &str) -> Result<(), String> {
        self.known_type(resource_type)?;
        let mut elements = self.elements(resource_type);
        let mut owner = resource_type.to_string();
        let steps: Vec<&str> = dotted.split('.').collect();
        for (i, step) in steps.iter().enumerate() {
            let last = i + 1 == steps.len();
            if let Some(base) = step.strip_suffix("[x]") {
                let Some(choice) = elements.iter().find(|e| e.choice && e.name == base) else {
                    return Err(format!("{owner} has no choice element {step}"));
                };
                if !last {
                    let first = walk::json_names(&self.model, std::slice::from_ref(choice))
                        .into_iter()
                        .find(|n| !n.starts_with('_'))
                        .unwrap_or_default();
                    return Err(format!(
                        "{step} has several types: name one form (e.g. {first}) to go below it"
                    ));
                }
                return Ok(());
            }
            let Some(property) = self
                .model
                .property(elements, step)
                .filter(|p| !p.extension_form)
            else {
                let names = walk::json_names(&self.model, elements);
                let names = names
                    .iter()
                    .map(String::as_str)
                    .filter(|n| !n.starts_with('_'));
                return Err(match crate::rules::nearest(step, names, 1).first() {
                    Some(h) => format!("{owner} has no element {step} (did you mean {h}?)"),
                    None => format!("{owner} has no element {step}"),
                });
            };
            if last {
                return Ok(());
            }
            owner = format!("{owner}.{step}");
            elements = self
                .model
                .children(&property)
                .ok_or_else(|| format!("{owner} has no elements below it"))?;
        }
        Ok(())
    }

    /// Checks one resource (an object whose `resourceType` is `resource_type`); issues carry
    /// `location`'s prefix and say what is wrong in the locale of `messages`. Returns the
    /// resources held in it, for the engine to check in turn, and the walk's index of it for
    /// the record rules. `around` says where the resource stands, for its invariants (None:
    /// none are evaluated).
    pub fn check<'v>(
        &'v self,
        resource_type: &str,
        resource: &'v Value,
        location: &Location,
        messages: &Catalogue,
        around: Option<Around<'v>>,
        out: &mut Vec<Issue>,
    ) -> (Vec<(String, &'v Value)>, Index<'v>) {
        let Some(object) = resource.as_object() else {
            return Default::default();
        };
        let Walked {
            findings,
            nested,
            index,
        } = match around {
            Some(around) if EVALUATES_INVARIANTS => walk::walk_checked(
                &self.model,
                resource_type,
                object,
                self.checks(around, true),
            ),
            _ => walk::walk(&self.model, resource_type, object),
        };
        if !findings.is_empty() {
            structure_issues(&findings, resource_type, location, messages, out);
        }
        (nested, index)
    }

    /// Checks `part` (some top-level elements of `around.whole`, as a session re-checks the
    /// element an edit changed) with the invariants evaluated against the whole record, and
    /// the resource type's own invariants on the whole record.
    pub fn check_part<'v>(
        &'v self,
        resource_type: &str,
        part: &'v Value,
        location: &Location,
        messages: &Catalogue,
        around: Around<'v>,
        out: &mut Vec<Issue>,
    ) {
        let Some(object) = part.as_object() else {
            return;
        };
        if !EVALUATES_INVARIANTS {
            self.check(resource_type, part, location, messages, None, out);
            return;
        }
        let checks = self.checks(around, false);
        let mut findings = walk::walk_checked(&self.model, resource_type, object, checks).findings;
        findings.extend(walk::root_invariants(&self.model, resource_type, checks));
        if !findings.is_empty() {
            structure_issues(&findings, resource_type, location, messages, out);
        }
    }

    fn checks<'v>(&'v self, around: Around<'v>, root: bool) -> Checks<'v, 'v> {
        Checks {
            invariants: &self.invariants,
            scope: Scope::new(
                &self.model,
                around.whole,
                around.container,
                around.bundle,
                around.now_millis,
            ),
            root,
        }
    }

    /// Evaluates only the invariants `on` keeps (see [`Invariants::keep`]).
    pub fn keep_invariants(
        &mut self,
        on: impl Fn(&'static str, crate::fhir::invariants::Level) -> bool,
    ) {
        self.invariants.keep(on);
    }

    /// The invariants' keys (`per-1`), for options that name one.
    pub fn invariant_key(&self, key: &str) -> Option<&'static str> {
        let keys = self.model.invariant_keys();
        keys.binary_search(&key)
            .ok()
            .and_then(|at| keys.get(at))
            .copied()
    }

    /// The model the walk reads.
    pub fn model(&self) -> &Model {
        &self.model
    }
}
