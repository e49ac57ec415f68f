//! # valueset-filter-expression
//!
//! **What it checks**: a ValueSet filter whose value is computed by an expression (the
//! `cqf-expression` extension on `filter.value`): the expression is FHIRPath
//! (`text/fhirpath`), it parses, and every `%name` it reads is a parameter the ValueSet declares
//! (FHIR tools extension `valueset-parameter`) or one of FHIRPath's own environment variables.
//! The syntax is checked where invariants are evaluated (the command line and the Rust crate);
//! the WebAssembly builds check the language and the parameters.
//!
//! **Why it matters**: such a ValueSet is expanded with parameters (`$expand?p-inactive=true`);
//! a terminology server computes each filter's value from them. An expression in another
//! language, one that does not parse, or one that reads a parameter nobody declared cannot be
//! computed, so the ValueSet cannot be expanded at all.
//!
//! **Example**: fails: a ValueSet that declares `p-inactive` and a filter value expression
//! `%p-inactive3`; passes: the expression `%p-inactive`.
//!
//! **Authority**: FHIR R4 Expression (http://hl7.org/fhir/R4/metadatatypes.html#Expression) and
//! the extension cqf-expression (http://hl7.org/fhir/R4/extension-cqf-expression.html); the FHIR
//! tools extension valueset-parameter (http://hl7.org/fhir/tools/StructureDefinition/valueset-parameter);
//! the HL7 reference validator: "The filter parameter expression '…' refers to the unknown
//! parameter '…'", "A ValueSet expression language must be 'text/fhirpath'".

use crate::fhir::{fhirpath, invariants};
use crate::json::Value;

use crate::messages::text;
use crate::report::{Category, Severity};
use crate::rules::RuleMeta;

pub static RULE: RuleMeta = RuleMeta {
    code: "valueset-filter-expression",
    category: Category::Structure,
    severity: Severity::Error,
    issue_type: "business-rule",
    title:
        "A ValueSet filter value expression that is not FHIRPath or reads an undeclared parameter",
};

const CQF_EXPRESSION: &str = "http://hl7.org/fhir/StructureDefinition/cqf-expression";
const PARAMETER: &str = "http://hl7.org/fhir/tools/StructureDefinition/valueset-parameter";

/// FHIRPath's own environment variables, which need no declaring.
const ENVIRONMENT: [&str; 9] = [
    "context",
    "resource",
    "rootResource",
    "ucum",
    "sct",
    "loinc",
    "terminologies",
    "server",
    "factory",
];

record_rule! {
    types: crate::rules::Types::Only(&["ValueSet"]),
    fn check(resource, cx, out) {
        let mut declared: Option<Vec<&str>> = None;
        for (at, _, filter) in super::compose_filters(resource) {
            let extensions = filter
                .as_object()
                .and_then(|f| f.get_underscored("value"))
                .and_then(|v| v.get("extension"))
                .and_then(Value::as_array);
            for (k, ext) in extensions.into_iter().flatten().enumerate() {
                if ext.get("url").and_then(Value::as_str) != Some(CQF_EXPRESSION) {
                    continue;
                }
                let Some(expression) = ext.get("valueExpression") else { continue };
                let declared = declared.get_or_insert_with(|| parameters(resource));
                if let Some((member, message)) = problem(expression, declared) {
                    let path = format!("{at}/_value/extension/{k}/valueExpression/{member}");
                    out.push(RULE.issue(cx.location, &path, cx.messages, message));
                }
            }
        }
    }
}

/// The names of the parameters the ValueSet declares.
fn parameters(resource: &Value) -> Vec<&str> {
    let extensions = resource.get("extension").and_then(Value::as_array);
    extensions
        .into_iter()
        .flatten()
        .filter(|e| e.get("url").and_then(Value::as_str) == Some(PARAMETER))
        .flat_map(|e| {
            e.get("extension")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
        })
        .filter(|sub| sub.get("url").and_then(Value::as_str) == Some("name"))
        .filter_map(|sub| sub.get("valueCode").and_then(Value::as_str))
        .collect()
}

/// The first thing wrong with an Expression: the member it is in and the message.
fn problem(expression: &Value, declared: &[&str]) -> Option<(&'static str, crate::messages::Text)> {
    if let Some(language) = expression.get("language").and_then(Value::as_str) {
        if language != "text/fhirpath" {
            let language = crate::rules::quote(&Value::from(language));
            return Some(("language", text!("valueset-filter-expression", language)));
        }
    }
    let source = expression.get("expression").and_then(Value::as_str)?;
    let (names, normalized) = constants(source);
    let quoted = crate::rules::quote(&Value::from(source));
    // A build without invariants carries no FHIRPath parser (src/fhir/invariants.rs,
    // `EVALUATED`): it checks the language and the parameters, not the syntax.
    let syntax = if invariants::EVALUATED {
        fhirpath::check_syntax(&normalized)
    } else {
        Ok(())
    };
    if let Err(reason) = syntax {
        let reason = crate::rules::excerpt(&reason.to_string());
        return Some((
            "expression",
            text!(
                "valueset-filter-expression.syntax",
                expression = quoted,
                reason
            ),
        ));
    }
    let unknown = names.into_iter().find(|name| {
        !declared.contains(&name.as_str())
            && !ENVIRONMENT.contains(&name.as_str())
            && !name.starts_with("vs-")
            && !name.starts_with("ext-")
    })?;
    let name = crate::rules::excerpt(&unknown);
    let declared = if declared.is_empty() {
        "-".to_string()
    } else {
        declared
            .iter()
            .map(|d| format!("%{d}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    Some((
        "expression",
        text!(
            "valueset-filter-expression.unknown-parameter",
            expression = quoted,
            name,
            declared
        ),
    ))
}

/// The `%names` an expression reads, and the expression with the hyphens of those names made
/// underscores, for the parser: a parameter's name is a code (`p-inactive`), which FHIRPath's
/// grammar would read as a subtraction, and the reference validator reads as one name.
fn constants(source: &str) -> (Vec<String>, String) {
    let bytes = source.as_bytes();
    let mut names = Vec::new();
    let mut normalized = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\'' | b'`' => {
                let end = closing(bytes, i + 1, b);
                normalized.extend_from_slice(bytes.get(i..end).unwrap_or_default());
                i = end;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                let rest = bytes.get(i..).unwrap_or_default();
                let end = rest
                    .iter()
                    .position(|&c| c == b'\n')
                    .map_or(bytes.len(), |p| i + p);
                normalized.extend_from_slice(bytes.get(i..end).unwrap_or_default());
                i = end;
            }
            b'%' => {
                normalized.push(b'%');
                i += 1;
                match bytes.get(i) {
                    Some(&q @ (b'\'' | b'`')) => {
                        let end = closing(bytes, i + 1, q);
                        let inner = bytes.get(i + 1..end.saturating_sub(1)).unwrap_or_default();
                        names.push(String::from_utf8_lossy(inner).into_owned());
                        normalized.extend_from_slice(bytes.get(i..end).unwrap_or_default());
                        i = end;
                    }
                    _ => {
                        let start = i;
                        while let Some(&c) = bytes
                            .get(i)
                            .filter(|c| c.is_ascii_alphanumeric() || **c == b'_' || **c == b'-')
                        {
                            normalized.push(if c == b'-' { b'_' } else { c });
                            i += 1;
                        }
                        if i > start {
                            let name = bytes.get(start..i).unwrap_or_default();
                            names.push(String::from_utf8_lossy(name).into_owned());
                        }
                    }
                }
            }
            _ => {
                normalized.push(b);
                i += 1;
            }
        }
    }
    // Only ASCII bytes were changed (hyphens to underscores), so this is still UTF-8.
    (names, String::from_utf8_lossy(&normalized).into_owned())
}

/// The position after the quote `q` that closes a quoted text starting at `from` (a backslash
/// escapes the next character), or the end.
fn closing(bytes: &[u8], from: usize, q: u8) -> usize {
    let mut i = from;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' => i += 2,
            _ if b == q => return i + 1,
            _ => i += 1,
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::issues;
    use serde_json::json;

    fn value_set(language: &str, expression: &str) -> serde_json::Value {
        json!({"resourceType": "ValueSet", "url": "http://example.org/vs", "status": "active",
            "extension": [{"url": "http://hl7.org/fhir/tools/StructureDefinition/valueset-parameter",
                "extension": [{"url": "name", "valueCode": "p-inactive"},
                    {"url": "documentation", "valueMarkdown": "whether inactive codes are wanted"}]}],
            "compose": {"include": [{"system": "http://snomed.info/sct",
                "filter": [{"property": "inactive", "op": "=", "_value": {"extension": [{
                    "url": "http://hl7.org/fhir/StructureDefinition/cqf-expression",
                    "valueExpression": {"language": language, "expression": expression}}]}}]}]}})
    }

    /// This rule's issues: the parameter extension is FHIR tools', not R4's, so
    /// extension-unknown also reports it (for information).
    fn found(vs: serde_json::Value) -> Vec<String> {
        let all = issues(vs).into_iter();
        all.filter(|(code, _)| *code == super::RULE.code)
            .map(|(_, path)| path)
            .collect()
    }

    fn assert_one(vs: serde_json::Value, path: &str) {
        assert_eq!(found(vs), vec![path.to_string()]);
    }

    fn assert_clean(vs: serde_json::Value) {
        assert_eq!(found(vs), Vec::<String>::new());
    }

    const AT: &str = "/compose/include/0/filter/0/_value/extension/0/valueExpression";

    #[test]
    fn fails_on_a_parameter_the_value_set_does_not_declare() {
        let path = format!("{AT}/expression");
        assert_one(value_set("text/fhirpath", "%p-inactive3"), &path);
        assert_one(value_set("text/fhirpath", "%`p-active`.not()"), &path);
    }

    #[test]
    fn fails_on_an_expression_that_is_not_fhirpath() {
        assert_one(
            value_set("text/fhirpath", "$ and %p-inactive"),
            &format!("{AT}/expression"),
        );
        assert_one(
            value_set("text/cql", "%p-inactive"),
            &format!("{AT}/language"),
        );
    }

    #[test]
    fn passes_declared_parameters_and_fhirpath_variables() {
        assert_clean(value_set("text/fhirpath", "%p-inactive"));
        assert_clean(value_set(
            "text/fhirpath",
            "%p-inactive.not() and %resource.exists()",
        ));
        assert_clean(value_set("text/fhirpath", "'%not-a-name' = %`p-inactive`"));
    }

    #[test]
    fn reads_names_with_hyphens_as_one_name() {
        let (names, normalized) = super::constants("%p-in + '%x-y' - %`a-b`");
        assert_eq!(names, vec!["p-in", "a-b"]);
        assert_eq!(normalized, "%p_in + '%x-y' - %`a-b`");
    }
}
