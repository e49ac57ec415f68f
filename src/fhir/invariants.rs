//! The definitions' invariants (FHIRPath constraints), compiled once when the validator is
//! built and found by where they apply: a type's own and its bases' (Period's per-1 wherever a
//! Period is, DomainResource's dom-* on every resource), and an element's own (Patient.contact's
//! pat-1). The walk evaluates them at each element it visits ([`super::walk`]).

use std::collections::HashMap;
use std::sync::OnceLock;

use crate::json::Value;

use super::fhirpath::{Elem, Env, Expr, Item};
use super::model::{ElementDef, Kind, Model};

/// Whether this build evaluates the invariants: the `invariants` feature, on by default. The
/// npm package's default browser build leaves it out, as the FHIRPath engine and the invariants
/// would take its download (600 KB gzipped, benches/size-budget.json) about 120 KB over budget;
/// the package's full/ build has them. Options still take invariant keys in every build, so one
/// configuration serves all. A constant, so that a build without them leaves the engine out.
pub const EVALUATED: bool = cfg!(feature = "invariants");

/// How much breaking an invariant weighs, as the definition says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    Error,
    Warning,
    /// A warning the definitions mark as best practice (dom-6, con-3): information by
    /// default, as a record that lacks it is not wrong.
    BestPractice,
}

/// One compiled invariant.
#[derive(Debug)]
pub struct Compiled {
    pub key: &'static str,
    pub level: Level,
    /// The definition's own words: the fallback message.
    pub human: String,
    expr: Expr,
    /// The expression as written.
    text: String,
}

/// Invariants the walk checks itself, with better messages: not evaluated again.
const NATIVE: [&str; 4] = [
    // Every element has a value or children: empty-element and empty-value.
    "ele-1", // An extension has a value or sub-extensions: extension-content.
    "ext-1",
    // Narrative is safe XHTML with content: invalid-format's narrative checks.
    "txt-1", "txt-2",
];

/// Every invariant of the model, by type and by element.
#[derive(Debug, Default)]
pub struct Invariants {
    list: Vec<Compiled>,
    /// A type's invariants and its bases', by the type's position in the model's types.
    by_type: Vec<Vec<Slot>>,
    /// An element's own, keyed by the element's address in the model (which never moves
    /// once built: the model is not changed after decoding, and elements live on the heap).
    by_element: HashMap<usize, Vec<Slot>, std::hash::BuildHasherDefault<super::model::NameHasher>>,
    /// Resource types with an element invariant that reads beyond its element (`%resource`,
    /// `%rootResource`, `resolve()`: CareTeam's ctm-1, StructureDefinition's sdf-8).
    reads_record: Vec<&'static str>,
}

/// An invariant where it applies (a type, an element), with its result on an element that
/// lacks every child it reads: worked out the first time one is met, as that result depends
/// on the element's type and on nothing else.
#[derive(Debug)]
pub struct Slot {
    index: usize,
    when_absent: OnceLock<Option<bool>>,
}

impl Slot {
    fn new(index: usize) -> Slot {
        Slot {
            index,
            when_absent: OnceLock::new(),
        }
    }
}

impl Invariants {
    /// Compiles every invariant of `model`. Err names one that does not compile: a defect of
    /// the engine or of the definitions, caught by the tests before it ships.
    pub fn compile(model: &Model) -> Result<Invariants, String> {
        let mut out = Invariants::default();
        let mut own_of_type: HashMap<&'static str, Vec<usize>> = HashMap::new();
        for t in model.types() {
            let own = out.add_all(&t.invariants)?;
            own_of_type.insert(t.name, own);
            let before = out.list.len();
            out.add_elements(&t.elements)?;
            let reads = |c: &Compiled| {
                ["%resource", "%rootResource", "resolve()"]
                    .iter()
                    .any(|r| c.text.contains(r))
            };
            if out.list.get(before..).unwrap_or_default().iter().any(reads) {
                out.reads_record.push(t.name);
            }
        }
        for t in model.types() {
            let mut all = Vec::new();
            let mut next = Some(t.name);
            while let Some(name) = next {
                all.extend(own_of_type.get(name).into_iter().flatten().copied());
                next = model.type_def(name).and_then(|d| d.base);
            }
            out.by_type.push(all.into_iter().map(Slot::new).collect());
        }
        Ok(out)
    }

    fn add_elements(&mut self, elements: &[ElementDef]) -> Result<(), String> {
        for e in elements {
            let own = self.add_all(&e.invariants)?;
            if !own.is_empty() {
                let slots = own.into_iter().map(Slot::new).collect();
                self.by_element
                    .insert(e as *const ElementDef as usize, slots);
            }
            self.add_elements(&e.children)?;
        }
        Ok(())
    }

    fn add_all(&mut self, defs: &[super::model::Invariant]) -> Result<Vec<usize>, String> {
        let mut added = Vec::new();
        for d in defs {
            if NATIVE.contains(&d.key()) {
                continue;
            }
            let expr =
                Expr::compile(d.expression()).map_err(|e| format!("invariant {}: {e}", d.key()))?;
            let level = match d.1 {
                "e" => Level::Error,
                "b" => Level::BestPractice,
                _ => Level::Warning,
            };
            added.push(self.list.len());
            self.list.push(Compiled {
                key: d.key(),
                level,
                human: d.human().to_string(),
                expr,
                text: d.expression().to_string(),
            });
        }
        Ok(added)
    }

    #[cfg(test)]
    fn get(&self, i: usize) -> Option<&Compiled> {
        self.list.get(i)
    }

    /// The invariants of a type and its bases, by the type's position in `model.types()`.
    pub fn of_type_at(&self, index: Option<usize>) -> &[Slot] {
        index
            .and_then(|i| self.by_type.get(i))
            .map_or(&[], Vec::as_slice)
    }

    /// The invariants of the type named `name` and its bases.
    pub fn of_type(&self, model: &Model, name: &str) -> &[Slot] {
        self.of_type_at(model.index_of_name(name))
    }

    /// An element's own invariants.
    pub fn of_element(&self, element: &ElementDef) -> &[Slot] {
        if element.invariants.is_empty() {
            return &[];
        }
        self.by_element
            .get(&(element as *const ElementDef as usize))
            .map_or(&[], Vec::as_slice)
    }

    /// Leaves out of evaluation the invariants `on` turns off (by key and level): the options'
    /// disabled keys, and best-practice ones nobody asked for. Nothing is evaluated for them.
    pub fn keep(&mut self, on: impl Fn(&'static str, Level) -> bool) {
        let list = &self.list;
        let wanted = |s: &Slot| list.get(s.index).is_some_and(|c| on(c.key, c.level));
        for ids in self.by_type.iter_mut().chain(self.by_element.values_mut()) {
            ids.retain(wanted);
        }
    }

    /// The invariant at `slot` when it is broken on `focus`. An evaluation that fails (values
    /// of types the expression does not expect, often beside a structure issue) is not a
    /// violation.
    pub fn broken<'v>(
        &self,
        slot: &Slot,
        model: &'v Model,
        scope: &Scope<'v>,
        focus: Elem<'v>,
    ) -> Option<&Compiled> {
        let inv = self.list.get(slot.index)?;
        let holds = match focus.value {
            Some(Value::Object(members))
                if !super::fhirpath::plain() && inv.expr.decided_by_absence(members) =>
            {
                *slot.when_absent.get_or_init(|| {
                    let empty = Value::Object(Default::default());
                    let bare = Elem::typed(Some(&empty), None, focus.ty, focus.elements);
                    inv.holds(model, scope, bare)
                })
            }
            _ => inv.holds(model, scope, focus),
        };
        (holds == Some(false)).then_some(inv)
    }

    /// Whether an element invariant of `resource_type` reads the rest of the record.
    pub fn reads_record(&self, resource_type: &str) -> bool {
        self.reads_record.contains(&resource_type)
    }

    /// Every key, for options that name invariants (`rules.disable`).
    pub fn keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.list.iter().map(|c| c.key)
    }

    pub fn len(&self) -> usize {
        self.list.len()
    }

    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// Where an evaluation stands: the resource (`%resource`), the resource holding it
/// (`%rootResource`, for a contained one), and the Bundle it is an entry of (`resolve()`).
#[derive(Clone, Copy)]
pub struct Scope<'v> {
    /// `%resource`, typed (worked out once per walk, not per evaluation).
    pub resource: Option<Elem<'v>>,
    /// `%rootResource` when it is another resource.
    pub container: Option<Elem<'v>>,
    pub bundle: Option<&'v Value>,
    pub now_millis: i64,
}

impl<'v> Scope<'v> {
    pub fn new(
        model: &'v Model,
        resource: &'v Value,
        container: Option<&'v Value>,
        bundle: Option<&'v Value>,
        now_millis: i64,
    ) -> Scope<'v> {
        Scope {
            resource: Elem::resource(model, resource),
            container: container.and_then(|c| Elem::resource(model, c)),
            bundle,
            now_millis,
        }
    }
}

impl Compiled {
    /// Whether the invariant holds on `focus` (a value of type `ty` with `elements`); None when
    /// its evaluation fails.
    fn holds<'v>(&self, model: &'v Model, scope: &Scope<'v>, focus: Elem<'v>) -> Option<bool> {
        let env = Env {
            model,
            resource: scope.resource.map(Item::Elem),
            root: scope.container.map(Item::Elem),
            bundle: scope.bundle,
            now_millis: scope.now_millis,
            lenient_types: true,
        };
        self.expr.holds(&env, Item::Elem(focus)).ok()
    }
}

/// The elements of a value of type `ty`, for the focus of an evaluation.
pub fn elements_of<'m>(model: &'m Model, ty: &str) -> Option<&'m [ElementDef]> {
    model
        .type_def(ty)
        .filter(|t| t.kind != Kind::Primitive)
        .map(|t| t.elements.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_invariant_of_r4_compiles_and_is_found_by_type() {
        let model = Model::r4().unwrap_or_else(|e| panic!("{e}"));
        let inv = Invariants::compile(&model).unwrap_or_else(|e| panic!("{e}"));
        assert!(inv.len() > 200, "{}", inv.len());
        let keys = |name: &str| -> Vec<&str> {
            inv.of_type(&model, name)
                .iter()
                .filter_map(|s| inv.get(s.index))
                .map(|c| c.key)
                .collect()
        };
        assert!(keys("Period").contains(&"per-1"));
        assert!(
            keys("Patient").contains(&"dom-3"),
            "a resource has DomainResource's"
        );
        assert!(
            !keys("Patient").contains(&"ele-1"),
            "checked by the walk itself"
        );
        let contact = model.element("Patient.contact");
        let own: Vec<&str> = contact
            .map(|e| inv.of_element(e))
            .unwrap_or_default()
            .iter()
            .filter_map(|s| inv.get(s.index))
            .map(|c| c.key)
            .collect();
        assert_eq!(own, ["pat-1"]);
    }

    /// The shortcuts (an element decided by the absence of what an invariant reads, parts of
    /// an expression kept) give what full evaluation gives, on the official examples and the
    /// reference validator's test records (valid and invalid ones).
    #[test]
    fn shortcuts_give_what_full_evaluation_gives() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut files = Vec::new();
        let mut add = |dir: std::path::PathBuf| {
            let entries = std::fs::read_dir(&dir)
                .unwrap_or_else(|e| panic!("{}: {e} (run scripts/setup.sh)", dir.display()));
            for entry in entries.flatten() {
                let path = entry.path();
                let small = entry.metadata().is_ok_and(|m| m.len() < 300_000);
                if path.extension().is_some_and(|x| x == "json") && small {
                    files.push(path);
                }
            }
        };
        add(root.join("tools/node_modules/hl7.fhir.r4.examples"));
        add(root.join("../shared/conformance/fhir-test-cases-r4/validator"));
        assert!(files.len() > 4000, "{}", files.len());
        let validator =
            crate::Validator::new(crate::Options::default()).unwrap_or_else(|e| panic!("{e}"));
        let context = crate::Context::default();
        let (mut compared, mut with_invariants) = (0, 0);
        for path in &files {
            let Ok(text) = std::fs::read_to_string(path) else {
                continue;
            };
            let run = |plain: bool| {
                super::super::fhirpath::set_plain(plain);
                let report = validator.validate_json(&text, &context);
                super::super::fhirpath::set_plain(false);
                report.map(|r| format!("{:?}", r.issues)).ok()
            };
            let (fast, full) = (run(false), run(true));
            assert_eq!(fast, full, "{}", path.display());
            compared += 1;
            if full.is_some_and(|f| f.contains("invariant: Some(")) {
                with_invariants += 1;
            }
        }
        assert!(compared > 4000, "{compared}");
        // Broken invariants are among them: the comparison sees both outcomes.
        assert!(with_invariants > 50, "{with_invariants}");
    }
}
