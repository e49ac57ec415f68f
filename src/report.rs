//! The report: one issue shape everywhere (Rust, JS, CLI), and its FHIR OperationOutcome form.

use serde::Serialize;
use serde_json::{json, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
    Information,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Information => "information",
        }
    }
}

/// The family of a check (DESIGN.md): every issue names one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Category {
    Structure,
    Completeness,
    Accuracy,
    Consistency,
}

impl Category {
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Structure => "structure",
            Category::Completeness => "completeness",
            Category::Accuracy => "accuracy",
            Category::Consistency => "consistency",
        }
    }
}

/// One defect, at the element that is wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Issue {
    pub severity: Severity,
    pub category: Category,
    /// Stable rule id (kebab-case), documented in the rules reference.
    pub code: &'static str,
    /// JSON Pointer into the record (from the root of the input, Bundles included).
    pub path: String,
    /// FHIRPath-style location, e.g. `Bundle.entry[2].resource.code`.
    pub expression: String,
    pub message: String,
    /// Machine-usable fixes, best first; absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub suggestions: Vec<String>,
}

/// How complete a record is against FHIR R4 and the validator's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Completeness {
    /// 0 to 1: present elements over expected ones, a required element (FHIR's, the
    /// profile's, or a conditional requirement that applies) weighing twice a must-support one.
    /// 1 when nothing is expected.
    pub score: f64,
    pub required: Tally,
    pub must_support: Tally,
    /// JSON Pointers of the expected elements that are missing, required ones first.
    pub missing: Vec<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub present: usize,
    pub total: usize,
}

impl Tally {
    pub(crate) fn count(&mut self, present: bool) {
        self.total += 1;
        if present {
            self.present += 1;
        }
    }
}

impl Completeness {
    pub(crate) fn new(required: Tally, must_support: Tally, missing: Vec<String>) -> Self {
        let expected = 2 * required.total + must_support.total;
        let score = if expected == 0 {
            1.0
        } else {
            (2 * required.present + must_support.present) as f64 / expected as f64
        };
        Completeness {
            score,
            required,
            must_support,
            missing,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Report {
    /// False exactly when some issue has severity error.
    pub valid: bool,
    pub issues: Vec<Issue>,
    pub completeness: Completeness,
}

impl Report {
    /// Errors come first, then warnings, then information; each group in record order.
    pub fn new(mut issues: Vec<Issue>, completeness: Completeness) -> Self {
        issues.sort_by_key(|i| i.severity);
        let valid = !issues.iter().any(|i| i.severity == Severity::Error);
        Report {
            valid,
            issues,
            completeness,
        }
    }

    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|i| i.severity == Severity::Error)
    }

    /// The report as a FHIR R4 OperationOutcome, each issue's FHIR IssueType given by
    /// `issue_type` from its code (the rule registry knows them; `Report::to_operation_outcome`
    /// passes it).
    pub fn operation_outcome_with(&self, issue_type: IssueTypeOf) -> Value {
        outcome(
            self.issues
                .iter()
                .map(|i| {
                    outcome_issue(
                        i.severity.as_str(),
                        issue_type(i.code),
                        i.code,
                        &i.message,
                        &i.expression,
                    )
                })
                .collect(),
        )
    }
}

/// The FHIR IssueType (http://hl7.org/fhir/valueset-issue-type.html) of an issue code.
pub type IssueTypeOf = fn(&str) -> &'static str;

/// The code system of the `details.coding` that carries ehrlint's rule code.
pub const RULE_SYSTEM: &str = "urn:ehrlint:rule";

fn outcome_issue(
    severity: &str,
    fhir_code: &str,
    code: &str,
    message: &str,
    expression: &str,
) -> Value {
    json!({
        "severity": severity,
        "code": fhir_code,
        "details": {
            "coding": [{ "system": RULE_SYSTEM, "code": code }],
            "text": message
        },
        "expression": [expression]
    })
}

/// OperationOutcome.issue has min cardinality 1: an empty report says so in one issue.
fn outcome(mut issues: Vec<Value>) -> Value {
    if issues.is_empty() {
        issues.push(json!({
            "severity": "information",
            "code": "informational",
            "details": { "text": "No issues found." }
        }));
    }
    json!({ "resourceType": "OperationOutcome", "issue": issues })
}

/// Converts a report given as JSON (what the JS API hands back to `toOperationOutcome`),
/// checking its shape instead of trusting it.
pub fn operation_outcome_from_json(
    report: &Value,
    issue_type: IssueTypeOf,
) -> Result<Value, String> {
    let issues = report
        .get("issues")
        .and_then(Value::as_array)
        .ok_or("toOperationOutcome expects a report with an `issues` array")?;
    let mut out = Vec::with_capacity(issues.len());
    for (n, issue) in issues.iter().enumerate() {
        let field = |name: &str| {
            issue
                .get(name)
                .and_then(Value::as_str)
                .ok_or_else(|| format!("report.issues[{n}].{name} must be a string"))
        };
        let severity = field("severity")?;
        if !matches!(severity, "error" | "warning" | "information") {
            return Err(format!(
                "report.issues[{n}].severity must be error, warning or information"
            ));
        }
        let code = field("code")?;
        out.push(outcome_issue(
            severity,
            issue_type(code),
            code,
            field("message")?,
            field("expression")?,
        ));
    }
    Ok(outcome(out))
}
