//! Compile once, validate many: the pipeline from a parsed record to a report.
//!
//! parse (serde) -> dispatch on resourceType -> structure (JSON Schema per type) -> rules ->
//! report. Nested resources (Bundle entries, `contained`) go through the same dispatch, with
//! paths from the root of the input.

use serde_json::Value;

use crate::fhir::path::Location;
use crate::report::{Completeness, Issue, Report};
use crate::rules::structure::{
    resource_type_missing, unknown_resource_type, unsupported_resource_type, wrong_type,
};
use crate::structure::Structure;
use crate::Context;

pub(crate) struct Engine {
    structure: Structure,
}

/// Counts for the completeness score.
#[derive(Default)]
struct Tally {
    present: usize,
    total: usize,
    missing: Vec<String>,
}

impl Engine {
    pub(crate) fn new() -> Result<Self, String> {
        Ok(Engine {
            structure: Structure::new()?,
        })
    }

    pub(crate) fn structure(&self) -> &Structure {
        &self.structure
    }

    pub(crate) fn run(&self, resource: &Value, _context: &Context) -> Report {
        let mut issues = Vec::new();
        let mut tally = Tally::default();
        match resource.get("resourceType").and_then(Value::as_str) {
            Some(rt) => self.resource(rt, resource, &Location::root(rt), &mut issues, &mut tally),
            None => self.untyped(resource, &Location::root("Resource"), &mut issues),
        }
        let score = if tally.total == 0 {
            1.0
        } else {
            tally.present as f64 / tally.total as f64
        };
        Report::new(
            issues,
            Completeness {
                score,
                missing: tally.missing,
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

    fn resource(
        &self,
        rt: &str,
        resource: &Value,
        location: &Location,
        out: &mut Vec<Issue>,
        tally: &mut Tally,
    ) {
        if !self.structure.is_supported(rt) {
            if self.structure.resource_types().any(|t| t == rt) {
                let supported = self.structure.supported_types();
                out.push(unsupported_resource_type::issue(location, rt, supported));
            } else {
                out.push(unknown_resource_type::issue(
                    location,
                    rt,
                    self.structure.resource_types(),
                ));
            }
            return;
        }
        self.structure.check(rt, resource, location, out);
        for element in self.structure.required_elements(rt) {
            tally.total += 1;
            if resource.get(element).is_some() {
                tally.present += 1;
            } else {
                tally
                    .missing
                    .push(format!("{}/{element}", location.pointer));
            }
        }
        self.nested(rt, resource, location, out, tally);
    }

    /// Resources inside this one: `contained`, and a Bundle's entries and response outcomes.
    fn nested(
        &self,
        rt: &str,
        resource: &Value,
        location: &Location,
        out: &mut Vec<Issue>,
        tally: &mut Tally,
    ) {
        if let Some(contained) = resource.get("contained").and_then(Value::as_array) {
            for (i, item) in contained.iter().enumerate() {
                self.child(
                    item,
                    &location.child(&format!("/contained/{i}")),
                    out,
                    tally,
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
                    out,
                    tally,
                );
            }
            if let Some(r) = entry.get("response").and_then(|x| x.get("outcome")) {
                self.child(
                    r,
                    &location.child(&format!("/entry/{i}/response/outcome")),
                    out,
                    tally,
                );
            }
        }
    }

    fn child(&self, value: &Value, location: &Location, out: &mut Vec<Issue>, tally: &mut Tally) {
        match value.get("resourceType").and_then(Value::as_str) {
            Some(rt) => self.resource(rt, value, location, out, tally),
            None => self.untyped(value, location, out),
        }
    }
}
