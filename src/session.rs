//! Entry-time checks: one field at a time (`Validator::validate_field`), and editing sessions
//! that re-run only the rules an edit can affect (`Validator::session`). Which rules those are
//! comes from what each rule declares it reads (`rules::Reads`).

use crate::fhir::path::AtPointer;
use crate::json::{Map, Value};
use serde::Serialize;

use crate::engine::context::Context;
use crate::engine::{Engine, KeptResults};
use crate::fhir::path;
use crate::report::{Category, Issue, Report};
use crate::rules::{Reads, RECORD_RULES};

/// What an edit (or a touch) changed in the issues to show, so that a form updates only the
/// fields concerned. Issues are split in two: `now`, about what is wrong in what was entered,
/// to show at once; and `later`, completeness issues about elements the user has not reached
/// yet (neither set nor touched), which are the rest of the form rather than mistakes: hold
/// them back until the user leaves a section (`touch`), asks to check or submits
/// (`touchAll`, or the whole `issues`).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Change {
    /// Issues to show that the edit brought (into `now`).
    pub added: Vec<Issue>,
    /// Issues shown before the edit that are gone from `now`.
    pub removed: Vec<Issue>,
    /// The issues to show now: every issue but `later`.
    pub now: Vec<Issue>,
    /// Completeness issues about elements not reached yet, held back.
    pub later: Vec<Issue>,
    /// Every issue of the record: `now` and `later`, in report order.
    pub issues: Vec<Issue>,
}

/// A JSON Pointer (`/name/0/family`) or a FHIRPath-style path (`Patient.name[0].family`,
/// `name.family`) as a JSON Pointer. In the FHIRPath form, a list element without an index
/// means its first item (`Patient.name.family` is `/name/0/family`).
pub(crate) fn to_pointer(
    engine: &Engine,
    resource_type: &str,
    text: &str,
) -> Result<String, String> {
    let text = text.trim();
    if text.is_empty() || text == "/" {
        return Err(
            "the path is empty: name an element, such as Patient.birthDate or /birthDate".into(),
        );
    }
    if text.len() > 1000 {
        return Err("the path is longer than 1,000 characters".into());
    }
    if text.starts_with('/') {
        return Ok(text.to_string());
    }
    let rest = match text.split_once('.') {
        Some((head, rest)) if head == resource_type => rest,
        Some((head, _)) if head.starts_with(|c: char| c.is_ascii_uppercase()) => {
            return Err(format!(
                "the path {text:?} starts with {head}, but the record is a {resource_type}"
            ))
        }
        _ => text,
    };
    let structure = engine.structure();
    // Element names are checked here, with a suggestion, as the path comes from a form's code.
    let dotted: Vec<&str> = rest
        .split('.')
        .map(|step| step.split('[').next().unwrap_or(step))
        .collect();
    structure.element_exists(resource_type, &dotted.join("."))?;
    let mut pointer = String::new();
    for step in rest.split('.') {
        let (name, index) = match step.split_once('[') {
            Some((name, idx)) => {
                let n: usize = idx
                    .strip_suffix(']')
                    .and_then(|i| i.parse().ok())
                    .ok_or_else(|| format!("the path {text:?} has a bad index in {step:?}"))?;
                (name, Some(n))
            }
            None => (step, None),
        };
        if name.is_empty() {
            return Err(format!("the path {text:?} has an empty step"));
        }
        let is_list = structure.is_list(resource_type, &pointer, name);
        pointer.push('/');
        pointer.push_str(&path::escape_token(name));
        match (index, is_list) {
            (Some(n), _) => pointer.push_str(&format!("/{n}")),
            (None, true) => pointer.push_str("/0"),
            (None, false) => {}
        }
    }
    Ok(pointer)
}

/// Sets (or, with None, removes) the value at `pointer`, creating the objects and lists on the
/// way. Returns the value that was there.
pub(crate) fn set_at(
    resource: &mut Value,
    pointer: &str,
    value: Option<Value>,
) -> Result<Option<Value>, String> {
    let tokens: Vec<String> = path::tokens(pointer).map(|t| t.into_owned()).collect();
    let Some((last, parents)) = tokens.split_last() else {
        return Err("the path names the whole record".into());
    };
    if tokens.first().map(String::as_str) == Some("resourceType") {
        return Err("resourceType cannot be edited in a session: start a new one".into());
    }
    let mut here = resource;
    for (token, next) in parents.iter().zip(tokens.iter().skip(1)) {
        let next_is_index = next.bytes().all(|b| b.is_ascii_digit());
        here = step(here, token, value.is_some(), next_is_index)
            .ok_or_else(|| format!("{pointer}: {token} is not an object or list to go into"))?;
    }
    match here {
        Value::Object(map) => Ok(match value {
            Some(v) => map.insert(last.clone(), v),
            // The other members keep their places: were they reordered, the kept results of
            // rules the edit does not affect would no longer follow the record's order.
            None => map.remove(last),
        }),
        Value::Array(items) => {
            let i: usize = last
                .parse()
                .map_err(|_| format!("{pointer}: {last} is not a list index"))?;
            let len = items.len();
            match value {
                Some(v) => match items.get_mut(i) {
                    Some(item) => Ok(Some(std::mem::replace(item, v))),
                    None if i == len => {
                        items.push(v);
                        Ok(None)
                    }
                    None => Err(format!(
                        "{pointer}: index {i} is past the end of a list of {len}"
                    )),
                },
                None if i < len => Ok(Some(items.remove(i))),
                None => Ok(None),
            }
        }
        _ => Err(format!("{pointer}: the parent is not an object or list")),
    }
}

/// One step down, creating the container when setting (an object, or a list when the next
/// token is an index).
fn step<'a>(
    here: &'a mut Value,
    token: &str,
    create: bool,
    list_next: bool,
) -> Option<&'a mut Value> {
    let fresh = || {
        if list_next {
            Value::Array(Vec::new())
        } else {
            Value::Object(Map::new())
        }
    };
    match here {
        Value::Object(map) => {
            if create
                && !map
                    .get(token)
                    .is_some_and(|v| v.is_object() || v.is_array())
            {
                map.insert(token.to_string(), fresh());
            }
            map.get_mut(token)
        }
        Value::Array(items) => {
            let i: usize = token.parse().ok()?;
            if create && i == items.len() {
                items.push(fresh());
            }
            items.get_mut(i)
        }
        _ => None,
    }
}

/// Which record rules an edit at `pointer` (from `old` to `new`) can affect, by what they read.
pub(crate) fn affected(
    resource: &Value,
    pointer: &str,
    old: Option<&Value>,
    new: Option<&Value>,
) -> Vec<bool> {
    let tokens: Vec<String> = path::tokens(pointer).map(|t| t.into_owned()).collect();
    let top = tokens.first().map(String::as_str).unwrap_or("");
    // The objects on the way to the edit (below the resource itself), and what was and is there.
    let mut ancestors = Vec::new();
    let mut here = resource;
    let parents = tokens.split_last().map_or(&[][..], |(_, parents)| parents);
    for token in parents {
        here = match here {
            Value::Object(m) => match m.get(token.as_str()) {
                Some(v) => v,
                None => break,
            },
            Value::Array(a) => match token.parse::<usize>().ok().and_then(|i| a.get(i)) {
                Some(v) => v,
                None => break,
            },
            _ => break,
        };
        ancestors.push(here);
    }
    RECORD_RULES
        .iter()
        .map(|rule| {
            let reads: Reads = rule.reads();
            reads.element(top)
                || (!reads.anywhere.is_empty()
                    && (ancestors.iter().any(|a| has_key(a, reads.anywhere, false))
                        || old.is_some_and(|v| has_key(v, reads.anywhere, true))
                        || new.is_some_and(|v| has_key(v, reads.anywhere, true))))
        })
        .collect()
}

/// Does the value (an object) hold one of `keys`, itself or (`deep`) anywhere below?
fn has_key(value: &Value, keys: &[&str], deep: bool) -> bool {
    match value {
        Value::Object(m) => {
            m.keys().any(|k| keys.contains(&k))
                || (deep && m.values().any(|v| has_key(v, keys, true)))
        }
        Value::Array(items) => items.iter().any(|v| has_key(v, keys, deep)),
        _ => false,
    }
}

/// Is the JSON Pointer `path` the element `at` or inside it?
fn within(path: &str, at: &str) -> bool {
    path.strip_prefix(at)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// An editing session's state, independent of the validator it runs on (the JS binding keeps
/// both; `Session` pairs them for Rust callers).
pub struct SessionState {
    resource_type: String,
    resource: Value,
    context: Context,
    plan: KeptResults,
    report: Report,
    /// JSON Pointers the user has set or touched; `None`: everything (`touch_all`).
    reached: Option<Vec<String>>,
}

impl SessionState {
    pub(crate) fn new(
        engine: &Engine,
        resource_type: &str,
        initial: Option<Value>,
        context: Context,
    ) -> Result<SessionState, String> {
        engine.structure().known_type(resource_type)?;
        let mut resource = match initial {
            None | Some(Value::Null) => Value::Object(Map::new()),
            Some(Value::Object(m)) => Value::Object(m),
            Some(_) => return Err("the initial record must be an object".into()),
        };
        match resource.get("resourceType").and_then(Value::as_str) {
            Some(rt) if rt != resource_type => {
                return Err(format!(
                    "the initial record is a {rt}, not a {resource_type}"
                ))
            }
            Some(_) => {}
            None => {
                if let Value::Object(m) = &mut resource {
                    m.insert("resourceType", Value::from(resource_type));
                }
            }
        }
        let mut plan = KeptResults::new();
        let report = engine.run_planned(&resource, &context, Some(&mut plan));
        Ok(SessionState {
            resource_type: resource_type.to_string(),
            resource,
            context,
            plan,
            report,
            reached: Some(Vec::new()),
        })
    }

    /// Is this issue about an element the user has not reached yet (held back)? Only
    /// completeness issues are: a wrong value is wrong wherever it is.
    fn is_later(&self, issue: &Issue) -> bool {
        let Some(reached) = &self.reached else {
            return false;
        };
        issue.category == Category::Completeness
            && !reached
                .iter()
                .any(|r| within(&issue.path, r) || within(r, &issue.path))
    }

    /// The issues to show now and those held back (`Change::now`, `Change::later`), in
    /// report order.
    pub fn split(&self) -> (Vec<Issue>, Vec<Issue>) {
        self.report
            .issues
            .iter()
            .cloned()
            .partition(|i| !self.is_later(i))
    }

    /// The change from `before` (the issues shown before) to now.
    fn change(&self, before: &[Issue]) -> Change {
        let (now, later) = self.split();
        Change {
            added: now
                .iter()
                .filter(|i| !before.contains(i))
                .cloned()
                .collect(),
            removed: before
                .iter()
                .filter(|i| !now.contains(i))
                .cloned()
                .collect(),
            now,
            later,
            issues: self.report.issues.clone(),
        }
    }

    fn reach(&mut self, pointer: String) {
        if let Some(reached) = &mut self.reached {
            if !reached.contains(&pointer) {
                reached.push(pointer);
            }
        }
    }

    /// Marks an element reached without changing it (the user left its field, or its
    /// section): completeness issues about it are shown from now on.
    pub(crate) fn touch(&mut self, engine: &Engine, path: &str) -> Result<Change, String> {
        let pointer = to_pointer(engine, &self.resource_type, path)?;
        let before = self.split().0;
        self.reach(pointer);
        Ok(self.change(&before))
    }

    /// Marks the whole record reached (the user asked to check it, or submits it): every
    /// issue is shown.
    pub fn touch_all(&mut self) -> Change {
        let before = self.split().0;
        self.reached = None;
        self.change(&before)
    }

    /// The issues as they stand, split into `now` and `later`, as an edit returns them
    /// (`added` and `removed` empty).
    pub fn current(&self) -> Change {
        let (now, _) = self.split();
        self.change(&now)
    }

    /// Sets (None: removes) one element and re-checks what it can affect.
    pub(crate) fn set(
        &mut self,
        engine: &Engine,
        path: &str,
        value: Option<Value>,
    ) -> Result<Change, String> {
        let pointer = to_pointer(engine, &self.resource_type, path)?;
        let new = value.clone();
        // A refused edit (an index past the end) must leave the record as it was. When the
        // parent exists, set_at fails before changing anything; when it must create objects
        // or lists on the way, it works on a copy.
        let parent = pointer.rfind('/').map_or("", |i| &pointer[..i]);
        let in_place = self
            .resource
            .at_pointer(parent)
            .is_some_and(|v| v.is_object() || v.is_array());
        let old = if in_place {
            set_at(&mut self.resource, &pointer, value)?
        } else {
            let mut edited = self.resource.clone();
            let old = set_at(&mut edited, &pointer, value)?;
            self.resource = edited;
            old
        };
        let stale = affected(&self.resource, &pointer, old.as_ref(), new.as_ref());
        self.plan.mark(&stale);
        self.plan.scope = path::tokens(&pointer).next().map(|t| t.into_owned());
        let before = self.split().0;
        self.reach(pointer);
        self.report = engine.run_planned(&self.resource, &self.context, Some(&mut self.plan));
        Ok(self.change(&before))
    }

    pub fn report(&self) -> &Report {
        &self.report
    }

    pub fn resource(&self) -> &Value {
        &self.resource
    }

    /// How many record rules have run in this session (the first check runs them all).
    pub fn rule_runs(&self) -> u64 {
        self.plan.runs
    }

    /// The codes of the record rules the last check ran.
    pub fn last_run(&self) -> &[&'static str] {
        &self.plan.last
    }
}

/// An editing session on a validator (see `Validator::session`).
pub struct Session<'v> {
    pub(crate) engine: &'v Engine,
    pub(crate) state: SessionState,
}

impl Session<'_> {
    /// Sets one element (a JSON Pointer or FHIRPath-style path) to `value`, or removes it with
    /// None, and says which issues came and went.
    pub fn set(&mut self, path: &str, value: Option<Value>) -> Result<Change, String> {
        self.state.set(self.engine, path, value)
    }

    /// Marks an element reached without changing it (see `Change`): its completeness issues
    /// are shown from now on.
    pub fn touch(&mut self, path: &str) -> Result<Change, String> {
        self.state.touch(self.engine, path)
    }

    /// Marks the whole record reached: every issue is shown.
    pub fn touch_all(&mut self) -> Change {
        self.state.touch_all()
    }

    /// The issues as they stand, split into `now` and `later`.
    pub fn current(&self) -> Change {
        self.state.current()
    }

    pub fn report(&self) -> &Report {
        self.state.report()
    }

    pub fn resource(&self) -> &Value {
        self.state.resource()
    }

    pub fn rule_runs(&self) -> u64 {
        self.state.rule_runs()
    }

    pub fn last_run(&self) -> &[&'static str] {
        self.state.last_run()
    }
}

/// The issues of one element: its structure, its own rules, and the rules across fields that
/// read it (with the rest of the record from `record`, when given).
pub(crate) fn validate_field(
    engine: &Engine,
    resource_type: &str,
    path: &str,
    value: Value,
    context: &Context,
    record: Option<&Value>,
) -> Result<Vec<Issue>, String> {
    engine.structure().known_type(resource_type)?;
    let pointer = to_pointer(engine, resource_type, path)?;
    let mut resource = match record {
        Some(Value::Object(m)) => Value::Object(m.clone()),
        Some(_) => return Err("the record in the context must be an object".into()),
        None => Value::Object(Map::new()),
    };
    if let Value::Object(m) = &mut resource {
        m.insert("resourceType", Value::from(resource_type));
    }
    let old = set_at(&mut resource, &pointer, Some(value.clone()))?;
    let stale = affected(&resource, &pointer, old.as_ref(), Some(&value));
    let mut plan = KeptResults::only(stale.clone());
    plan.field = Some(pointer.clone());
    let report = engine.run_planned(&resource, context, Some(&mut plan));
    let codes: Vec<&str> = RECORD_RULES
        .iter()
        .zip(&stale)
        .filter(|(_, s)| **s)
        .map(|(r, _)| r.meta().code)
        .collect();
    let at_or_below = |p: &str| {
        p.starts_with(pointer.as_str())
            && matches!(p.as_bytes().get(pointer.len()), None | Some(b'/'))
    };
    Ok(report
        .issues
        .into_iter()
        .filter(|i| at_or_below(&i.path) || codes.contains(&i.code))
        .collect())
}
