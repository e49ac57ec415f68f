//! Compile once, validate many: the pipeline from a parsed record to a report.
//!
//! parse (serde) -> dispatch on resourceType -> structure (JSON Schema per type) -> rules ->
//! report. Nested resources (Bundle entries, `contained`) go through the same dispatch, with
//! paths from the root of the input.

use serde_json::Value;

use crate::codes::Codes;
use crate::fhir::clock;
use crate::fhir::path::Location;
use crate::report::{Completeness, Issue, Report};
use crate::rules::structure::{
    resource_type_missing, unknown_resource_type, unsupported_resource_type, wrong_type,
};
use crate::rules::{Cx, RECORD_RULES};
use crate::structure::Structure;
use crate::Context;

pub(crate) struct Engine {
    structure: Structure,
    codes: Codes,
}

/// What one validation collects: the issues, and the counts for the completeness score.
struct Run<'c> {
    context: &'c Context,
    today: clock::Day,
    /// Now, in seconds since 1970-01-01 UTC (`today` is its UTC day).
    now: i64,
    /// The input's Bundles, indexed for resolving references.
    indexes: crate::fhir::reference::Indexes,
    issues: Vec<Issue>,
    present: usize,
    total: usize,
    missing: Vec<String>,
}

impl Engine {
    pub(crate) fn new() -> Result<Self, String> {
        Ok(Engine {
            structure: Structure::new()?,
            codes: Codes::load()?,
        })
    }

    pub(crate) fn codes(&self) -> &Codes {
        &self.codes
    }

    pub(crate) fn structure(&self) -> &Structure {
        &self.structure
    }

    pub(crate) fn run(&self, resource: &Value, context: &Context) -> Report {
        let now = clock::now();
        let mut run = Run {
            context,
            today: clock::day_of(now),
            now,
            indexes: Default::default(),
            issues: Vec::new(),
            present: 0,
            total: 0,
            missing: Vec::new(),
        };
        match resource.get("resourceType").and_then(Value::as_str) {
            Some(rt) => self.resource(rt, resource, &Location::root(rt), None, &mut run),
            None => self.untyped(resource, &Location::root("Resource"), &mut run.issues),
        }
        let score = if run.total == 0 {
            1.0
        } else {
            run.present as f64 / run.total as f64
        };
        Report::new(
            run.issues,
            Completeness {
                score,
                missing: run.missing,
            },
        )
    }

    /// A value where a resource belongs that has no usable resourceType.
    fn untyped(&self, value: &Value, location: &Location, out: &mut Vec<Issue>) {
        match value.get("resourceType") {
            Some(rt) => out.push(wrong_type::issue(location, "/resourceType", "string", rt)),
            None if value.is_object() => out.push(resource_type_missing::issue(location)),
            // Not an object: the containing schema already reported it (or, at the root, this).
            None if location.pointer.is_empty() => {
                out.push(wrong_type::issue(location, "", "object", value))
            }
            None => {}
        }
    }

    /// `bundle`: the Bundle this resource is an entry of (directly or through `contained`).
    fn resource(
        &self,
        rt: &str,
        resource: &Value,
        location: &Location,
        bundle: Option<&Value>,
        run: &mut Run,
    ) {
        if !self.structure.is_supported(rt) {
            if self.structure.resource_types().any(|t| t == rt) {
                let supported = self.structure.supported_types();
                run.issues
                    .push(unsupported_resource_type::issue(location, rt, supported));
            } else {
                run.issues.push(unknown_resource_type::issue(
                    location,
                    rt,
                    self.structure.resource_types(),
                ));
            }
            return;
        }
        self.structure
            .check(rt, resource, location, &mut run.issues);
        let cx = Cx {
            found: std::cell::OnceCell::new(),
            resource,
            patient: std::cell::OnceCell::new(),
            bundle,
            indexes: &run.indexes,
            location,
            context: run.context,
            codes: &self.codes,
            today: run.today,
            now: run.now,
        };
        for rule in RECORD_RULES {
            if rule.resource_types().contains(&rt) {
                rule.check(resource, &cx, &mut run.issues);
            }
        }
        for element in self.structure.required_elements(rt) {
            run.total += 1;
            if resource.get(element).is_some() {
                run.present += 1;
            } else {
                run.missing.push(format!("{}/{element}", location.pointer));
            }
        }
        self.nested(rt, resource, location, bundle, run);
    }

    /// Resources inside this one: `contained`, and a Bundle's entries and response outcomes.
    fn nested(
        &self,
        rt: &str,
        resource: &Value,
        location: &Location,
        bundle: Option<&Value>,
        run: &mut Run,
    ) {
        if let Some(contained) = resource.get("contained").and_then(Value::as_array) {
            for (i, item) in contained.iter().enumerate() {
                self.child(
                    item,
                    &location.child(&format!("/contained/{i}")),
                    bundle,
                    run,
                );
            }
        }
        if rt != "Bundle" {
            return;
        }
        let Some(entries) = resource.get("entry").and_then(Value::as_array) else {
            return;
        };
        for (i, entry) in entries.iter().enumerate() {
            if let Some(r) = entry.get("resource") {
                self.child(
                    r,
                    &location.child(&format!("/entry/{i}/resource")),
                    Some(resource),
                    run,
                );
            }
            if let Some(r) = entry.get("response").and_then(|x| x.get("outcome")) {
                self.child(
                    r,
                    &location.child(&format!("/entry/{i}/response/outcome")),
                    Some(resource),
                    run,
                );
            }
        }
    }

    fn child(&self, value: &Value, location: &Location, bundle: Option<&Value>, run: &mut Run) {
        match value.get("resourceType").and_then(Value::as_str) {
            Some(rt) => self.resource(rt, value, location, bundle, run),
            None => self.untyped(value, location, &mut run.issues),
        }
    }
}
