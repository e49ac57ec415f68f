//! The report: one issue shape everywhere (Rust, JS, CLI), and its FHIR OperationOutcome form.

use serde::Serialize;
use serde_json::Value;

/// How serious an issue is. A report is valid exactly when no issue is an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
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

/// The family of the check that found an issue (docs/rules.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
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
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Issue {
    pub severity: Severity,
    pub category: Category,
    /// Stable rule id (kebab-case), documented in the rules reference.
    pub code: &'static str,
    /// JSON Pointer into the record, from the root of the input (Bundles included).
    pub path: String,
    /// FHIRPath-style location, e.g. `Bundle.entry[2].resource.code`.
    pub expression: String,
    /// Plain-language description with the fix, in the validator's locale.
    pub message: String,
    /// Machine-usable fixes, best first; absent when there are none.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub suggestions: Vec<String>,
    /// For an `invariant` issue, the key of the definitions' constraint that does not hold
    /// (`per-1`, `obs-6`); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<String>", optional))]
    pub invariant: Option<&'static str>,
}

/// How complete a record is against FHIR R4 and the validator's profile.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Completeness {
    /// 0 to 1: present elements over expected ones, a required element (FHIR's, the
    /// profile's, or a conditional requirement that applies) weighing twice a must-support one.
    /// 1 when nothing is expected.
    pub score: f64,
    /// FHIR's required elements, the profile's, and the conditional requirements that apply.
    pub required: Tally,
    /// The profile's must-support elements.
    pub must_support: Tally,
    /// JSON Pointers of the expected elements that are missing, required ones first.
    pub missing: Vec<String>,
}

/// How many of the expected elements are present.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
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

/// What a validation found: the issues, errors first, and how complete the record is.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct Report {
    /// False exactly when some issue has severity error.
    pub valid: bool,
    /// Errors first, then warnings, then information; each group in record order.
    pub issues: Vec<Issue>,
    pub completeness: Completeness,
}

impl Report {
    /// Errors come first, then warnings, then information; each group in record order.
    pub fn new(mut issues: Vec<Issue>, completeness: Completeness) -> Self {
        crate::sort::by_key(&mut issues, |i| i.severity);
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
    pub fn operation_outcome_with(&self, issue_type: IssueTypeOf) -> OperationOutcome {
        OperationOutcome::new(
            self.issues
                .iter()
                .map(|i| {
                    OutcomeIssue::of_rule(
                        i.severity.as_str(),
                        issue_type(i.code),
                        i.code,
                        i.invariant,
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

/// The code system of the second `details.coding` of an `invariant` issue: the key of the
/// FHIR constraint (`per-1`), as the definitions name it.
pub const INVARIANT_SYSTEM: &str = "urn:ehrlint:invariant";

/// A FHIR R4 OperationOutcome: a report, or why an input could not be checked, in FHIR's form.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OperationOutcome {
    #[cfg_attr(feature = "typescript", ts(type = "\"OperationOutcome\""))]
    pub resource_type: &'static str,
    /// One per issue of the report; a report without issues has one `informational` issue.
    pub issue: Vec<OutcomeIssue>,
}

/// One issue of an OperationOutcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OutcomeIssue {
    #[cfg_attr(
        feature = "typescript",
        ts(type = "\"fatal\" | \"error\" | \"warning\" | \"information\"")
    )]
    pub severity: &'static str,
    /// The FHIR IssueType (http://hl7.org/fhir/valueset-issue-type.html).
    pub code: &'static str,
    pub details: OutcomeDetails,
    /// Where, FHIRPath-style (the issue's `expression`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(feature = "typescript", ts(as = "Option<Vec<String>>", optional))]
    pub expression: Vec<String>,
}

/// An OperationOutcome issue's details: the rule code as a coding, and the message.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OutcomeDetails {
    /// The rule code, under the system `urn:ehrlint:rule`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[cfg_attr(
        feature = "typescript",
        ts(as = "Option<Vec<OutcomeCoding>>", optional)
    )]
    pub coding: Vec<OutcomeCoding>,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub struct OutcomeCoding {
    pub system: &'static str,
    pub code: String,
}

impl OutcomeIssue {
    fn of_rule(
        severity: &'static str,
        fhir_code: &'static str,
        code: &str,
        invariant: Option<&str>,
        message: &str,
        expression: &str,
    ) -> Self {
        let mut coding = vec![OutcomeCoding {
            system: RULE_SYSTEM,
            code: code.to_string(),
        }];
        if let Some(key) = invariant {
            coding.push(OutcomeCoding {
                system: INVARIANT_SYSTEM,
                code: key.to_string(),
            });
        }
        OutcomeIssue {
            severity,
            code: fhir_code,
            details: OutcomeDetails {
                coding,
                text: message.to_string(),
            },
            expression: vec![expression.to_string()],
        }
    }

    /// An issue of this severity and FHIR IssueType that only says something in words.
    pub fn text(severity: &'static str, fhir_code: &'static str, text: String) -> Self {
        OutcomeIssue {
            severity,
            code: fhir_code,
            details: OutcomeDetails {
                coding: Vec::new(),
                text,
            },
            expression: Vec::new(),
        }
    }
}

impl OperationOutcome {
    /// OperationOutcome.issue has min cardinality 1: an empty report says so in one issue.
    pub fn new(mut issue: Vec<OutcomeIssue>) -> Self {
        if issue.is_empty() {
            issue.push(OutcomeIssue::text(
                "information",
                "informational",
                "No issues found.".into(),
            ));
        }
        OperationOutcome {
            resource_type: "OperationOutcome",
            issue,
        }
    }
}

/// The OperationOutcome as JSON text.
impl std::fmt::Display for OperationOutcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = serde_json::to_string(self).map_err(|_| std::fmt::Error)?;
        f.write_str(&text)
    }
}

/// Converts a report given as JSON (what the JS API hands back to `toOperationOutcome`),
/// checking its shape instead of trusting it.
pub fn operation_outcome_from_json(
    report: &Value,
    issue_type: IssueTypeOf,
) -> Result<OperationOutcome, String> {
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
        let severity = match field("severity")? {
            "error" => Severity::Error,
            "warning" => Severity::Warning,
            "information" => Severity::Information,
            _ => {
                return Err(format!(
                    "report.issues[{n}].severity must be error, warning or information"
                ))
            }
        };
        let code = field("code")?;
        let invariant = match issue.get("invariant") {
            None => None,
            Some(v) => Some(
                v.as_str()
                    .ok_or_else(|| format!("report.issues[{n}].invariant must be a string"))?,
            ),
        };
        out.push(OutcomeIssue::of_rule(
            severity.as_str(),
            issue_type(code),
            code,
            invariant,
            field("message")?,
            field("expression")?,
        ));
    }
    Ok(OperationOutcome::new(out))
}
