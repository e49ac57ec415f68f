//! Rule configuration (`Options.rules`): which rules run and how severe their issues are,
//! checked once when a validator is built so that a typo is an error, not a silent no-op.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Deserialize;

use crate::report::{Issue, Severity};
use crate::rules::{self, RuleMeta};

/// Which rules run and how severe their issues are (`Options.rules`), checked when the
/// validator is built: an unknown code is refused.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
#[non_exhaustive]
pub struct RuleOptions {
    /// Rule codes (`value-implausible`) or families (`accuracy`) that do not run.
    #[serde(default)]
    #[cfg_attr(
        feature = "typescript",
        ts(type = "Array<RuleCode | Category>", optional)
    )]
    pub disable: Vec<String>,
    /// Severity per rule code: `{"must-support-missing": "information"}`.
    #[serde(default)]
    #[cfg_attr(
        feature = "typescript",
        ts(type = "Partial<Record<RuleCode, Severity>>", optional)
    )]
    pub severity: BTreeMap<String, String>,
}

const FAMILIES: &[&str] = &["structure", "completeness", "accuracy", "consistency"];

/// `RuleOptions`, checked and ready for the engine.
#[derive(Debug, Default)]
pub(crate) struct RuleConfig {
    disabled: HashSet<&'static str>,
    severity: HashMap<&'static str, Severity>,
}

fn rule(code: &str, key: &str) -> Result<&'static RuleMeta, String> {
    rules::meta(code).ok_or_else(|| {
        let near = rules::nearest(code, rules::ALL.iter().map(|m| m.code), 1);
        let hint = match near.first() {
            Some(n) => format!(" (did you mean {n}?)"),
            None => String::new(),
        };
        format!("invalid options: {key}: {code:?} is not a rule code{hint}; the codes are listed in docs/rules.md")
    })
}

impl RuleConfig {
    pub fn new(options: Option<&RuleOptions>) -> Result<Self, String> {
        let mut config = RuleConfig::default();
        let Some(options) = options else {
            return Ok(config);
        };
        for name in &options.disable {
            if FAMILIES.contains(&name.as_str()) {
                config.disabled.extend(
                    rules::ALL
                        .iter()
                        .filter(|m| m.category.as_str() == name)
                        .map(|m| m.code),
                );
            } else {
                config.disabled.insert(rule(name, "rules.disable")?.code);
            }
        }
        for (code, level) in &options.severity {
            let key = format!("rules.severity.{code}");
            let meta = rule(code, "rules.severity")?;
            let level = match level.as_str() {
                "error" => Severity::Error,
                "warning" => Severity::Warning,
                "information" => Severity::Information,
                other => {
                    return Err(format!(
                        "invalid options: {key}: {other:?} is not a severity (error, warning or information)"
                    ))
                }
            };
            config.severity.insert(meta.code, level);
        }
        Ok(config)
    }

    /// Whether a rule runs at all.
    pub fn runs(&self, code: &str) -> bool {
        !self.disabled.contains(code)
    }

    /// Drops the issues of disabled rules and sets configured severities.
    pub fn apply(&self, issues: &mut Vec<Issue>) {
        if self.disabled.is_empty() && self.severity.is_empty() {
            return;
        }
        issues.retain(|i| self.runs(i.code));
        for issue in issues {
            if let Some(s) = self.severity.get(issue.code) {
                issue.severity = *s;
            }
        }
    }
}
