//! Compile once, validate many: the pipeline from a parsed record to a report.
//!
//! parse (serde) -> dispatch on resourceType -> structure (one walk against the model of
//! every R4 type) -> rules -> report. The resources the walk finds inside a resource
//! (`contained`, Bundle entries, Parameters' resources) go through the same dispatch, with
//! paths from the root of the input.

use crate::json::Value;

pub(crate) mod context;
pub mod input;
pub(crate) mod options;

use crate::codes::Codes;
use crate::config::RuleConfig;
use crate::fhir::clock;
use crate::fhir::index::Index;
use crate::fhir::path::Location;
use crate::profile::check::{check_profile, Counts};
use crate::profile::Profile;
use crate::report::{Completeness, Issue, Report};
use crate::rules::structure::{
    duplicate_property, resource_type_missing, unknown_resource_type, wrong_type,
};
use crate::rules::{RuleInput, RECORD_RULES};
use crate::structure::{Around, Structure};
use context::Context;

/// What the structure walk gives the rest of the pipeline: the resources held inside, and
/// the index of the resource (None when the walk saw only an edited element).
type Walk<'v> = (Vec<(String, &'v Value)>, Option<Index<'v>>);

impl Report {
    /// The report as a FHIR R4 OperationOutcome.
    pub fn to_operation_outcome(&self) -> crate::report::OperationOutcome {
        self.operation_outcome_with(crate::rules::issue_type)
    }
}

/// Converts a report given as JSON (what the JS API hands back to `toOperationOutcome`) into
/// an OperationOutcome, checking its shape instead of trusting it.
pub fn operation_outcome_from_json(
    report: &serde_json::Value,
) -> Result<crate::report::OperationOutcome, String> {
    crate::report::operation_outcome_from_json(report, crate::rules::issue_type)
}

pub(crate) struct Engine {
    structure: Structure,
    codes: Codes,
    profile: Profile,
    config: RuleConfig,
    /// Per resource type, the record rules that run on it (by index in RECORD_RULES): the
    /// options' enabled rules that apply to the type, worked out once, not per record.
    rules_by_type: std::collections::HashMap<&'static str, Vec<usize>>,
    /// The options' date of service, for calls whose context has none.
    as_of: Option<crate::fhir::primitives::PartialDate>,
    /// The message templates of the options' locale.
    messages: &'static crate::messages::Catalogue,
    /// Whether the definitions' invariants are evaluated (the `invariant` rule runs).
    invariants: bool,
    /// The profiles of the Implementation Guides loaded (`Options::ig`).
    ig: crate::ig::Registry,
}

/// Invariants that a rule (or a narrower invariant) reports in its own words, with the rule
/// codes and invariant keys that report the same defect: one defect, one issue. The invariant
/// is dropped when one of them has an issue at its element, or at or below it (per-1 at
/// `/period`, period-end-before-start at `/period/end`); when the rule is disabled or finds
/// nothing, the invariant speaks.
const SAME_DEFECT: &[(&str, &[&str])] = &[
    // A period ending before it starts; a start in the future is that rule's defect instead.
    ("per-1", &["period-end-before-start", "date-in-future"]),
    // A clinical status required unless entered in error (the profile's wording).
    ("con-3", &["conditional-required"]),
    ("ait-1", &["conditional-required"]),
    // fullUrl unique, and not version-specific.
    ("bdl-7", &["bundle-fullurl-duplicate"]),
    ("bdl-8", &["bundle-fullurl-invalid"]),
    // A max that is no number ("n"): eld-3 at the max says so; eld-2 (min <= max) only
    // cannot compare.
    ("eld-2", &["eld-3"]),
];

/// Drops, from `issues[first..]`, the invariants a rule has reported in other words.
fn drop_restated_invariants(issues: &mut Vec<Issue>, first: usize) {
    let tail = issues.get(first..).unwrap_or_default();
    let restated = |i: &Issue| {
        let Some(rules) = i
            .invariant
            .and_then(|k| SAME_DEFECT.iter().find(|(key, _)| *key == k))
            .map(|(_, rules)| *rules)
        else {
            return false;
        };
        tail.iter().any(|other| {
            rules
                .iter()
                .any(|r| *r == other.code || other.invariant == Some(*r))
                && other.path.starts_with(&i.path)
                && matches!(other.path.as_bytes().get(i.path.len()), None | Some(b'/'))
        })
    };
    let drop: Vec<bool> = tail.iter().map(restated).collect();
    if !drop.contains(&true) {
        return;
    }
    let mut n = 0;
    issues.retain(|_| {
        let keep = n < first || !drop.get(n - first).copied().unwrap_or(false);
        n += 1;
        keep
    });
}

/// What holds a resource being checked: the Bundle it is an entry of (directly or through
/// `contained`), the resource it is contained in.
#[derive(Clone, Copy, Default)]
struct Held<'v> {
    bundle: Option<&'v Value>,
    container: Option<&'v Value>,
}

/// What one validation collects: the issues, and the counts for the completeness score.
struct ValidationState<'c> {
    context: &'c Context,
    today: clock::Day,
    /// Now, in seconds since 1970-01-01 UTC (`today` is its UTC day).
    now: i64,
    /// The input's Bundles, indexed for resolving references.
    indexes: crate::fhir::reference::Indexes,
    issues: Vec<Issue>,
    counts: Counts,
    /// For an editing session or a single field: which record rules of the root resource to
    /// run, and the kept results of the others.
    plan: Option<&'c mut KeptResults>,
}

/// The record rules' results for one resource, kept between the steps of a session.
#[derive(Debug)]
pub(crate) struct KeptResults {
    /// Per rule of RECORD_RULES: its issues when last run; None: never run.
    results: Vec<Option<Vec<Issue>>>,
    /// Per rule: run it this time.
    stale: Vec<bool>,
    /// Rules run so far, for tests and traces.
    pub runs: u64,
    /// The codes of the rules the last check ran.
    pub last: Vec<&'static str>,
    /// The structure issues of the record at the last check.
    structure: Option<Vec<Issue>>,
    /// The top-level element the next check follows an edit of: only it needs its structure
    /// checked again, when it can be checked on its own.
    pub scope: Option<String>,
    /// A single field's check: the pointer of the field, the only place issues are wanted.
    pub field: Option<String>,
}

impl KeptResults {
    pub(crate) fn new() -> Self {
        KeptResults {
            results: vec![None; RECORD_RULES.len()],
            stale: vec![true; RECORD_RULES.len()],
            runs: 0,
            last: Vec::new(),
            structure: None,
            scope: None,
            field: None,
        }
    }

    /// Marks the rules to run next time: those `stale` (one flag per rule) says.
    pub(crate) fn mark(&mut self, stale: &[bool]) {
        for (s, &now) in self.stale.iter_mut().zip(stale) {
            *s = *s || now;
        }
    }

    /// Forget every kept result.
    pub(crate) fn reset(&mut self) {
        self.results.iter_mut().for_each(|r| *r = None);
        self.stale.iter_mut().for_each(|s| *s = true);
        self.structure = None;
        self.scope = None;
    }

    /// Only the stale rules, with nothing kept from the others (a single field's check).
    pub(crate) fn only(stale: Vec<bool>) -> Self {
        KeptResults {
            results: vec![Some(Vec::new()); RECORD_RULES.len()],
            stale,
            runs: 0,
            last: Vec::new(),
            structure: None,
            scope: None,
            field: None,
        }
    }
}

impl Engine {
    pub(crate) fn new(options: &options::Options) -> Result<Self, String> {
        let mut structure = Structure::new()?;
        let mut profile = match &options.profile {
            Some(choice) => Profile::from_choice(choice, &structure)?,
            None => Profile::default_profile(&structure)?,
        };
        if let Some(require) = &options.require {
            profile.require(require, &structure)?;
        }
        let as_of = match &options.as_of {
            Some(s) => Some(context::parse_as_of(s).map_err(|e| format!("invalid options: {e}"))?),
            None => None,
        };
        let locale = match &options.locale {
            Some(tag) => crate::messages::Locale::from_tag(tag)
                .map_err(|e| format!("invalid options: {e}"))?,
            None => crate::messages::Locale::default(),
        };
        // US Core is built in; the guides the options give are loaded over it.
        #[cfg(feature = "ig")]
        let ig = {
            let ig = crate::ig::Registry::built_in()?;
            match &options.ig {
                Some(sources) => ig
                    .load(sources, structure.model())
                    .map_err(|e| format!("invalid options: ig: {e}"))?,
                None => ig,
            }
        };
        #[cfg(not(feature = "ig"))]
        let ig = match &options.ig {
            Some(_) => return Err(crate::ig::NO_IG.into()),
            None => crate::ig::Registry::default(),
        };
        // Options name invariants by key: R4's, and those of the guides loaded.
        let key = |key: &str| {
            structure
                .invariant_key(key)
                .or_else(|| ig.invariant_key(key))
        };
        let config = RuleConfig::new(options.rules.as_ref(), &key)?;
        let invariants = config.runs("invariant");
        structure.keep_invariants(|key, level| config.invariant_on(key, level));
        // Each rule's options and types read once, not once per resource type.
        let enabled: Vec<(usize, crate::rules::Types)> = RECORD_RULES
            .iter()
            .enumerate()
            .filter(|(_, r)| config.runs(r.meta().code))
            .map(|(i, r)| (i, r.types()))
            .collect();
        let rules_by_type = structure
            .model()
            .resource_types()
            .iter()
            .map(|&rt| {
                let runs = enabled.iter().filter(|(_, types)| types.contains(rt));
                (rt, runs.map(|(i, _)| *i).collect())
            })
            .collect();
        Ok(Engine {
            ig,
            messages: locale.catalogue(),
            structure,
            codes: Codes::load()?,
            profile,
            config,
            invariants,
            rules_by_type,
            as_of,
        })
    }

    /// The options' date of service.
    pub(crate) fn default_as_of(&self) -> Option<crate::fhir::primitives::PartialDate> {
        self.as_of
    }

    pub(crate) fn codes(&self) -> &Codes {
        &self.codes
    }

    pub(crate) fn structure(&self) -> &Structure {
        &self.structure
    }

    pub(crate) fn run(&self, resource: &Value, context: &Context) -> Report {
        self.run_planned(resource, context, None)
    }

    /// `run` for a record read from JSON text, with the properties the text gave twice
    /// (`limits::parse`): each is an issue of its own, ahead of the others of its severity.
    /// The value holds the first of each, so the other checks see the record as the reference
    /// validator reads it.
    pub(crate) fn run_read(
        &self,
        resource: &Value,
        duplicates: &[crate::limits::Duplicate],
        context: &Context,
    ) -> Report {
        let mut report = self.run(resource, context);
        if duplicates.is_empty() {
            return report;
        }
        let rt = resource.get("resourceType").and_then(Value::as_str);
        let root = Location::root(rt.unwrap_or("Resource"));
        let mut issues: Vec<Issue> = duplicates
            .iter()
            .map(|d| duplicate_property::issue(&root, self.messages, d))
            .collect();
        self.config.apply(&mut issues);
        // Inserted where `Report::new` would sort them, without a second sort of the report.
        for issue in issues.into_iter().rev() {
            let all = &report.issues;
            let at = all.iter().position(|i| i.severity >= issue.severity);
            report.valid &= issue.severity != crate::report::Severity::Error;
            report.issues.insert(at.unwrap_or(all.len()), issue);
        }
        report
    }

    /// `run`, re-running only the stale record rules of the root resource when a plan is
    /// given. A resource holding others (a Bundle, `contained`) runs every rule.
    pub(crate) fn run_planned(
        &self,
        resource: &Value,
        context: &Context,
        mut plan: Option<&mut KeptResults>,
    ) -> Report {
        let nested = resource
            .get("resourceType")
            .and_then(Value::as_str)
            .is_some_and(|rt| self.structure.holds_resources(rt, resource));
        if let Some(p) = plan.as_deref_mut() {
            p.last.clear();
            if nested {
                p.reset();
            }
        }
        let with_as_of;
        let context = match (context.as_of, self.as_of) {
            (None, Some(day)) => {
                with_as_of = Context {
                    as_of: Some(day),
                    ..context.clone()
                };
                &with_as_of
            }
            _ => context,
        };
        let now = clock::now();
        let mut run = ValidationState {
            context,
            today: clock::day_of(now),
            now,
            indexes: Default::default(),
            issues: Vec::new(),
            counts: Counts::default(),
            plan,
        };
        match resource.get("resourceType").and_then(Value::as_str) {
            Some(rt) => {
                let at = Location::root(rt);
                self.resource(rt, resource, &at, Held::default(), &mut run)
            }
            None => self.untyped(resource, &Location::root("Resource"), &mut run.issues),
        }
        let Counts {
            required,
            must_support,
            mut missing_required,
            missing_must_support,
        } = run.counts;
        missing_required.extend(missing_must_support);
        self.config.apply(&mut run.issues);
        if !context.labels.is_empty() {
            crate::rules::completeness::name_by_labels(
                &mut run.issues,
                &context.labels,
                self.messages,
            );
        }
        Report::new(
            run.issues,
            Completeness::new(required, must_support, missing_required),
        )
    }

    /// A value where a resource belongs that has no usable resourceType.
    fn untyped(&self, value: &Value, location: &Location, out: &mut Vec<Issue>) {
        match value.get("resourceType") {
            Some(rt) => out.push(wrong_type::issue(
                location,
                self.messages,
                "/resourceType",
                "string",
                rt,
            )),
            None if value.is_object() => {
                out.push(resource_type_missing::issue(location, self.messages))
            }
            // Not an object: the containing schema already reported it (or, at the root, this).
            None if location.pointer.is_empty() => out.push(wrong_type::issue(
                location,
                self.messages,
                "",
                "object",
                value,
            )),
            None => {}
        }
    }

    /// `held`: what holds this resource (a Bundle, a resource it is contained in).
    fn resource(
        &self,
        rt: &str,
        resource: &Value,
        location: &Location,
        held: Held<'_>,
        run: &mut ValidationState,
    ) {
        let bundle = held.bundle;
        let around = self.invariants.then_some(Around {
            whole: resource,
            container: held.container,
            bundle,
            now_millis: run.now.saturating_mul(1000),
        });
        if !self.structure.is_supported(rt) {
            run.issues.push(unknown_resource_type::issue(
                location,
                self.messages,
                rt,
                self.structure.supported_types(),
            ));
            return;
        }
        let first = run.issues.len();
        let (nested, index) = match run
            .plan
            .as_deref_mut()
            .filter(|_| location.pointer.is_empty())
        {
            Some(plan) => {
                let (issues, walked) = self.structure_planned(rt, resource, location, around, plan);
                run.issues.extend(issues);
                walked
            }
            None => {
                let (nested, index) = self.structure.check(
                    rt,
                    resource,
                    location,
                    self.messages,
                    around,
                    &mut run.issues,
                );
                (nested, Some(index))
            }
        };
        let cx = RuleInput {
            index: index.map_or_else(std::cell::OnceCell::new, std::cell::OnceCell::from),
            model: self.structure.model(),
            views: std::cell::OnceCell::new(),
            dates: std::cell::OnceCell::new(),
            entries: std::cell::OnceCell::new(),
            resource,
            patient: std::cell::OnceCell::new(),
            bundle,
            indexes: &run.indexes,
            location,
            as_of: run.context.as_of,
            given_patient: run.context.patient.as_ref(),
            codes: &self.codes,
            messages: self.messages,
            today: run.today,
            now: run.now,
        };
        let field = match &run.plan {
            Some(plan) if location.pointer.is_empty() => plan.field.clone(),
            _ => None,
        };
        // Only the root resource follows a plan; nested ones always run every rule.
        let plan = if location.pointer.is_empty() {
            run.plan.as_deref_mut()
        } else {
            None
        };
        let rules = self.rules_by_type.get(rt).map_or(&[][..], Vec::as_slice);
        match plan {
            None => {
                for rule in rules.iter().filter_map(|&i| RECORD_RULES.get(i)) {
                    rule.check(resource, &cx, &mut run.issues);
                }
            }
            Some(plan) => {
                for &i in rules {
                    let (Some(rule), Some(result), Some(stale)) = (
                        RECORD_RULES.get(i),
                        plan.results.get_mut(i),
                        plan.stale.get_mut(i),
                    ) else {
                        continue;
                    };
                    if *stale || result.is_none() {
                        let mut found = Vec::new();
                        rule.check(resource, &cx, &mut found);
                        plan.runs += 1;
                        plan.last.push(rule.meta().code);
                        *result = Some(found);
                    }
                    *stale = false;
                    run.issues.extend(result.iter().flatten().cloned());
                }
            }
        }
        let base_required: Vec<&str> = self.structure.required_elements(rt).collect();
        check_profile(
            &self.profile,
            rt,
            &base_required,
            resource,
            location,
            self.messages,
            &mut run.counts,
            &mut run.issues,
            first,
            field.as_deref(),
            self.claims_own_profile(rt, resource),
        );
        self.claimed_profiles(resource, location, &mut run.issues, &mut run.counts, first);
        #[cfg(feature = "ig")]
        self.loaded_extensions(rt, resource, location, &mut run.issues, first);
        drop_restated_invariants(&mut run.issues, first);
        // What the rules read of this resource (a Bundle's entries indexed by fullUrl...) is
        // not needed for the resources it holds: freed before they are checked.
        drop(cx);
        // A Bundle's resources have it as their Bundle; others' keep the one they are in.
        let bundle = if rt == "Bundle" {
            Some(resource)
        } else {
            bundle
        };
        for (suffix, value) in nested {
            // A contained resource's %rootResource is the one holding it.
            let container = suffix.starts_with("/contained/").then_some(resource);
            let held = Held { bundle, container };
            self.child(value, &location.child(&suffix), held, run);
        }
    }

    /// Whether the resource claims a loaded profile of its own type.
    fn claims_own_profile(&self, rt: &str, resource: &Value) -> bool {
        #[cfg(feature = "ig")]
        if let Some(claims) = resource.pointer("/meta/profile").and_then(Value::as_array) {
            return claims.iter().filter_map(Value::as_str).any(|c| {
                matches!(self.ig.claim(c), crate::ig::Claim::Compiled(p) if p.resource_type == rt)
            });
        }
        let _ = (rt, resource);
        false
    }

    /// Checks the resource against each profile its `meta.profile` claims: those loaded
    /// (`Options::ig`) by what they add to FHIR R4, the others noted as not checked. Where a
    /// claimed profile finds an element missing, the completeness profile's own issue about
    /// the same element is dropped: one defect, one issue.
    #[cfg_attr(not(feature = "ig"), allow(unused_variables))]
    fn claimed_profiles(
        &self,
        resource: &Value,
        location: &Location,
        issues: &mut Vec<Issue>,
        counts: &mut crate::profile::check::Counts,
        first: usize,
    ) {
        use crate::ig::Claim;
        use crate::rules::structure::profile_unknown;
        let Some(claims) = resource.pointer("/meta/profile").and_then(Value::as_array) else {
            return;
        };
        // The completeness profile's issues are those before the claimed profiles'.
        let before = issues.len();
        #[cfg(feature = "ig")]
        let (mut missing, mut seen): (Vec<(String, bool)>, Vec<_>) = (Vec::new(), Vec::new());
        for (i, claim) in claims.iter().enumerate() {
            let Some(canonical) = claim.as_str() else {
                continue;
            };
            let base = match self.ig.claim(canonical) {
                #[cfg(feature = "ig")]
                Claim::Compiled(profile) => {
                    if let Some(object) = resource.as_object() {
                        let found = (&mut seen, &mut missing);
                        let empty = self.breaches(profile, object, location, "", issues, found);
                        self.profile_invariants(profile, resource, location, issues, &mut seen);
                        // Its must-support elements count in the completeness score.
                        let total = crate::fhir::conformance::must_support_total(profile, object);
                        for i in 0..total.max(empty.len()) {
                            counts.must_support.count(i >= empty.len());
                        }
                        for pointer in empty {
                            if !counts.missing_must_support.contains(&pointer)
                                && !counts.missing_required.contains(&pointer)
                            {
                                counts.missing_must_support.push(pointer);
                            }
                        }
                    }
                    continue;
                }
                Claim::NotCompiled(base) => Some(base),
                Claim::Unknown => None,
            };
            let at = format!("/meta/profile/{i}");
            let issue = profile_unknown::issue(location, self.messages, &at, canonical, base);
            issues.push(issue);
        }
        #[cfg(feature = "ig")]
        if before < issues.len() {
            self.drop_restated(resource, location, issues, (first, before), &missing);
        }
    }

    /// One defect, one issue: where a claimed profile's issues (those from `before`) and the
    /// record's others (from `first` to `before`: the walk's, the rules', the completeness
    /// profile's) say the same, one gives way. `missing`: the elements the claimed profiles
    /// found missing, each with whether they require it (else it is must-support).
    /// - An element a claimed profile requires: its issue stands, and the completeness
    ///   profile's about the same element (`effective[x]` and `effectiveDateTime` are one)
    ///   give way, and so does a conditional requirement that applies because it is absent
    ///   (a value's data-absent reason, where the profile requires the value).
    /// - An element a claimed profile marks must-support: its note stands, and the
    ///   completeness profile's required or must-support issue gives way; but where a
    ///   conditional requirement asks for it (R4's ait-1, con-3), that issue stands and the
    ///   note gives way.
    /// - A code a claimed profile's binding rejects where the walk found it no valid code of
    ///   R4's own binding: the walk's issue stands.
    #[cfg(feature = "ig")]
    fn drop_restated(
        &self,
        resource: &Value,
        location: &Location,
        issues: &mut Vec<Issue>,
        (first, before): (usize, usize),
        missing: &[(String, bool)],
    ) {
        use crate::rules::completeness::{
            conditional_required, must_support_missing, profile_required,
        };
        use crate::rules::structure::{invalid_value, profile_binding};
        let others = issues.get(first..before).unwrap_or_default();
        let required = |p: &str| missing.iter().any(|(m, r)| *r && same_element(m, p));
        let marked = |p: &str| missing.iter().any(|(m, r)| !*r && same_element(m, p));
        let asked = |p: &str| {
            others
                .iter()
                .any(|i| i.code == conditional_required::RULE.code && same_element(&i.path, p))
        };
        let invalid = |p: &str| {
            others
                .iter()
                .any(|i| i.code == invalid_value::RULE.code && i.path == p)
        };
        // The conditional requirements that apply because an element the claimed profile
        // requires is absent.
        let rt = resource
            .get("resourceType")
            .and_then(Value::as_str)
            .unwrap_or_default();
        let conditionals = self.profile.resource(rt).map(|r| r.conditional.as_slice());
        let follows = |p: &str| {
            conditionals.unwrap_or_default().iter().any(|c| {
                format!("{}/{}", location.pointer, c.require.text.replace('.', "/")) == p
                    && c.applies(resource)
                    && c.absent().any(|e| {
                        required(&format!(
                            "{}/{}",
                            location.pointer,
                            e.text.replace('.', "/")
                        ))
                    })
            })
        };
        let restated = |i: &Issue| {
            let code = i.code;
            if code == profile_required::RULE.code || code == must_support_missing::RULE.code {
                required(&i.path) || marked(&i.path)
            } else if code == conditional_required::RULE.code {
                required(&i.path) || follows(&i.path)
            } else {
                false
            }
        };
        let gives_way = |i: &Issue| {
            (i.code == must_support_missing::RULE.code && asked(&i.path))
                || (i.code == profile_binding::RULE.code && invalid(&i.path))
        };
        let dropped: Vec<bool> = issues
            .iter()
            .enumerate()
            .map(|(n, i)| match n {
                n if n < first => false,
                n if n < before => restated(i),
                _ => gives_way(i),
            })
            .collect();
        let mut dropped = dropped.into_iter();
        issues.retain(|_| !dropped.next().unwrap_or(false));
    }

    /// The issues of one claimed profile (or extension definition), checked on `object` at
    /// `prefix` below the resource: each breach once, though two claimed profiles (one built
    /// on the other) find it both (`seen`: the code, pointer and profile element of each
    /// reported). `missing`: the pointers of the required and must-support elements found
    /// missing, each with whether it is required. Returns those of the must-support ones.
    #[cfg(feature = "ig")]
    fn breaches(
        &self,
        profile: &crate::fhir::conformance::Profile,
        object: &crate::json::Map,
        location: &Location,
        prefix: &str,
        issues: &mut Vec<Issue>,
        (seen, missing): (&mut Vec<Seen>, &mut Vec<(String, bool)>),
    ) -> Vec<String> {
        let mut empty = Vec::new();
        use crate::fhir::conformance::{check, BreachKind};
        use crate::rules::completeness::{must_support_missing, profile_required};
        use crate::rules::structure::{
            profile_binding, profile_closed_slice, profile_max, profile_type, profile_value,
        };
        for breach in check(profile, object) {
            let c = breach.constraint;
            let at = format!("{prefix}{}", breach.pointer);
            let at = at.as_str();
            let issue = match breach.kind {
                BreachKind::TooFew { count } => {
                    missing.push((format!("{}{at}", location.pointer), true));
                    profile_required::ig_issue(location, self.messages, at, profile, c, count)
                }
                BreachKind::TooMany { count } => {
                    profile_max::issue(location, self.messages, at, profile, c, count)
                }
                BreachKind::Value => {
                    let Some(required) = &c.value else {
                        continue;
                    };
                    profile_value::issue(location, self.messages, at, profile, c, required)
                }
                BreachKind::Type => profile_type::issue(location, self.messages, at, profile, c),
                BreachKind::Unsliced => {
                    profile_closed_slice::issue(location, self.messages, at, profile, c)
                }
                BreachKind::Code { found } => {
                    let Some(binding) = &c.binding else {
                        continue;
                    };
                    let m = self.messages;
                    profile_binding::issue(location, m, at, profile, c, binding, &found)
                }
                BreachKind::MustSupport => {
                    // The completeness profile's note of the same element gives way to it.
                    missing.push((format!("{}{at}", location.pointer), false));
                    empty.push(format!("{}{at}", location.pointer));
                    must_support_missing::ig_issue(location, self.messages, at, profile, c)
                }
            };
            // A breach of a profile that another claimed profile builds on is found by both:
            // one issue. Two slices missing at one place are two.
            let key = (issue.code, issue.path.clone(), c.path.clone());
            if !seen.contains(&key) {
                seen.push(key);
                issues.push(issue);
            }
        }
        empty
    }

    /// The invariants a claimed profile adds (US Core's `us-core-*`), evaluated on the
    /// resource; an evaluation that fails is not a violation. Each once, though two claimed
    /// profiles (one built on the other) carry it.
    #[cfg(feature = "ig")]
    fn profile_invariants(
        &self,
        profile: &crate::fhir::conformance::Profile,
        resource: &Value,
        location: &Location,
        issues: &mut Vec<Issue>,
        seen: &mut Vec<Seen>,
    ) {
        use crate::fhir::invariants::Level;
        use crate::rules::structure::invariant;
        // A build that evaluates no invariants reads none from a guide; the constant also
        // leaves the FHIRPath engine out of it.
        if !crate::fhir::invariants::EVALUATED || profile.invariants.is_empty() {
            return;
        }
        let model = self.structure.model();
        let Some(focus) = crate::fhir::fhirpath::resource(model, resource) else {
            return;
        };
        let mut env = crate::fhir::fhirpath::Env::new(model);
        env.resource = Some(focus.clone());
        env.lenient_types = true;
        for inv in &profile.invariants {
            if inv.expr.holds(&env, focus.clone()) != Ok(false) {
                continue;
            }
            let key = (
                invariant::RULE.code,
                inv.pointer.clone(),
                inv.key.to_string(),
            );
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let level = if inv.error {
                Level::Error
            } else {
                Level::Warning
            };
            let m = self.messages;
            issues.push(invariant::issue(
                location,
                m,
                &inv.pointer,
                inv.key,
                level,
                &inv.human,
            ));
        }
    }

    /// Checks each extension of the resource whose definition a loaded guide holds (US Core's
    /// race...): where it is used, as a modifier or not, and its content against the
    /// definition, as a profile on Extension. The walk, which knows only R4's own extensions,
    /// noted it as unknown: that note is dropped.
    #[cfg(feature = "ig")]
    fn loaded_extensions(
        &self,
        rt: &str,
        resource: &Value,
        location: &Location,
        issues: &mut Vec<Issue>,
        first: usize,
    ) {
        use crate::rules::structure::{extension_context, extension_modifier, extension_unknown};
        let Some(object) = resource
            .as_object()
            .filter(|_| self.ig.defines_extensions())
        else {
            return;
        };
        let mut found = Vec::new();
        crate::fhir::conformance::extensions(object, &mut String::new(), &mut found);
        let (mut seen, mut missing) = (Vec::new(), Vec::new());
        for (at, modifier, extension) in found {
            let Some(url) = extension.get("url").and_then(Value::as_str) else {
                continue;
            };
            let Some(definition) = self.ig.extension(url) else {
                continue;
            };
            let unknown = format!("{}{at}/url", location.pointer);
            let mut n = 0;
            issues.retain(|i| {
                n += 1;
                n <= first || !(i.code == extension_unknown::RULE.code && i.path == unknown)
            });
            if let Some(usage) = &definition.extension {
                let model = self.structure.model();
                if usage.modifier != modifier {
                    let issue = extension_modifier::issue(
                        location,
                        self.messages,
                        &at,
                        url,
                        usage.modifier,
                    );
                    issues.push(issue);
                } else if let Some(holder) =
                    crate::fhir::extension::misplaced(model, rt, &at, &usage.contexts)
                {
                    let allowed: Vec<&str> = usage.contexts.iter().map(String::as_str).collect();
                    let issue = extension_context::issue(
                        location,
                        self.messages,
                        &at,
                        url,
                        &holder,
                        &allowed,
                    );
                    issues.push(issue);
                }
            }
            let found = (&mut seen, &mut missing);
            // An extension's must-support parts are reported, not counted: the score is the
            // record's profiles'.
            self.breaches(definition, extension, location, &at, issues, found);
        }
    }

    /// The root resource's structure issues in a session: after an edit of one element that
    /// can be checked on its own, the kept issues of the others and a check of that element
    /// alone; otherwise a full check. With the resources it holds: none on the short way, as a
    /// resource that holds others is checked whole at every step (`KeptResults::reset`).
    fn structure_planned<'v>(
        &'v self,
        rt: &str,
        resource: &'v Value,
        location: &Location,
        around: Option<Around<'v>>,
        plan: &mut KeptResults,
    ) -> (Vec<Issue>, Walk<'v>) {
        let scope = plan.scope.take();
        let kept = plan.structure.take();
        let issues = match (scope, kept) {
            (Some(key), Some(kept))
                if self.structure.element_local(rt, &key)
                    && !kept.iter().any(|i| i.code == "unknown-property") =>
            {
                let base = key.strip_prefix('_').unwrap_or(&key).to_string();
                let under = |path: &str, k: &str| {
                    let p = format!("/{k}");
                    path.starts_with(&p)
                        && matches!(path.as_bytes().get(p.len()), None | Some(b'/'))
                };
                let mine = |path: &str| under(path, &base) || under(path, &format!("_{base}"));
                let mut alone = crate::json::Map::new();
                alone.insert("resourceType", Value::from(rt));
                for k in [base.clone(), format!("_{base}")] {
                    if let Some(v) = resource.get(&k) {
                        alone.insert(k, v.clone());
                    }
                }
                let mut fresh = Vec::new();
                let alone = Value::Object(alone);
                match around {
                    // The edited element's invariants see the whole record, and the resource
                    // type's own are evaluated on the whole record again.
                    Some(around) => self.structure.check_part(
                        rt,
                        &alone,
                        location,
                        self.messages,
                        around,
                        &mut fresh,
                    ),
                    None => {
                        self.structure
                            .check(rt, &alone, location, self.messages, None, &mut fresh);
                    }
                }
                let root_invariant =
                    |i: &Issue| i.invariant.is_some() && i.path == location.pointer;
                let mut issues: Vec<Issue> = kept
                    .into_iter()
                    .filter(|i| !mine(&i.path) && !root_invariant(i))
                    .collect();
                issues.extend(
                    fresh
                        .into_iter()
                        .filter(|i| mine(&i.path) || root_invariant(i)),
                );
                crate::sort::by(&mut issues, |a, b| {
                    crate::fhir::path::pointer_order(&a.path, &b.path)
                });
                // The walk saw only the edited element: the rules build their index of the
                // whole resource if they need it.
                (issues, (Vec::new(), None))
            }
            _ => {
                let mut issues = Vec::new();
                let (nested, index) = self.structure.check(
                    rt,
                    resource,
                    location,
                    self.messages,
                    around,
                    &mut issues,
                );
                (issues, (nested, Some(index)))
            }
        };
        plan.structure = Some(issues.0.clone());
        issues
    }

    fn child(&self, value: &Value, location: &Location, held: Held<'_>, run: &mut ValidationState) {
        match value.get("resourceType").and_then(Value::as_str) {
            Some(rt) => self.resource(rt, value, location, held, run),
            None => self.untyped(value, location, &mut run.issues),
        }
    }
}

/// A claimed profile's issue reported: its code, pointer, and the profile's element.
#[cfg(feature = "ig")]
type Seen = (&'static str, String, String);

/// Whether two JSON Pointers name one element: the same, or a choice and one of its typed
/// forms (`/effective[x]` and `/effectiveDateTime`).
#[cfg(feature = "ig")]
fn same_element(a: &str, b: &str) -> bool {
    let typed = |choice: &str, other: &str| {
        choice.strip_suffix("[x]").is_some_and(|base| {
            other.strip_prefix(base).is_some_and(|t| {
                t.starts_with(|c: char| c.is_ascii_uppercase()) && !t.contains('/')
            })
        })
    };
    a == b || typed(a, b) || typed(b, a)
}
