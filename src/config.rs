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
    /// Rule codes (`value-implausible`), families (`accuracy`) or the keys of the
    /// definitions' invariants (`dom-6`) that do not run.
    #[serde(default)]
    #[cfg_attr(
        feature = "typescript",
        ts(type = "Array<RuleCode | Category | InvariantKey>", optional)
    )]
    pub disable: Vec<String>,
    /// Severity per rule code or invariant key: `{"must-support-missing": "information"}`.
    #[serde(default)]
    #[cfg_attr(
        feature = "typescript",
        ts(type = "Partial<Record<RuleCode | InvariantKey, Severity>>", optional)
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

/// A rule code, or an invariant key that `invariant` says is one (its `'static` form).
fn code_or_key(
    code: &str,
    key: &str,
    invariant: &dyn Fn(&str) -> Option<&'static str>,
) -> Result<&'static str, String> {
    match invariant(code) {
        Some(k) => Ok(k),
        None => rule(code, key).map(|m| m.code),
    }
}

impl RuleConfig {
    /// `invariant` finds an invariant key of the model (`per-1`), which options may name
    /// where they name rule codes.
    pub fn new(
        options: Option<&RuleOptions>,
        invariant: &dyn Fn(&str) -> Option<&'static str>,
    ) -> Result<Self, String> {
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
                config
                    .disabled
                    .insert(code_or_key(name, "rules.disable", invariant)?);
            }
        }
        for (code, level) in &options.severity {
            let key = format!("rules.severity.{code}");
            let code = code_or_key(code, "rules.severity", invariant)?;
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
            config.severity.insert(code, level);
        }
        Ok(config)
    }

    /// Whether an invariant is evaluated: not disabled by key, and, for one the definitions
    /// call best practice, named in `rules.severity`.
    pub fn invariant_on(&self, key: &str, level: crate::fhir::invariants::Level) -> bool {
        self.runs(key)
            && (level != crate::fhir::invariants::Level::BestPractice
                || self.severity.contains_key(key))
    }

    /// Whether a rule runs at all.
    pub fn runs(&self, code: &str) -> bool {
        !self.disabled.contains(code)
    }

    /// Drops the issues of disabled rules and sets configured severities.
    pub fn apply(&self, issues: &mut Vec<Issue>) {
        // An invariant issue of severity information is one the definitions call best
        // practice (dom-6: no narrative): off unless `rules.severity` names its key.
        let best_practice_off = |i: &Issue| {
            i.invariant.is_some_and(|k| {
                i.severity == Severity::Information && !self.severity.contains_key(k)
            })
        };
        if self.disabled.is_empty() && self.severity.is_empty() {
            issues.retain(|i| !best_practice_off(i));
            return;
        }
        issues.retain(|i| {
            self.runs(i.code) && i.invariant.is_none_or(|k| self.runs(k)) && !best_practice_off(i)
        });
        for issue in issues {
            // An invariant's own setting before the `invariant` rule's.
            let own = issue.invariant.and_then(|k| self.severity.get(k));
            if let Some(s) = own.or_else(|| self.severity.get(issue.code)) {
                issue.severity = *s;
            }
        }
    }
}
