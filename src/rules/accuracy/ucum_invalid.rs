//! # ucum-invalid
//!
//! **What it checks**: a unit given as a UCUM code (a Quantity or Coding with system
//! `http://unitsofmeasure.org`) is a valid UCUM expression, parsed by a full UCUM
//! implementation built from UCUM's own unit tables: `mm[Hg]`, `/min`, `Cel`, `kg/m2`,
//! `10*3/uL`, `mmol/L` pass; `mmHg`, `bpm`, `degF`, `lbs` do not. Common slips get the right
//! code as a suggestion.
//!
//! **Why it matters**: a unit that is not UCUM cannot be converted or compared, so every
//! downstream check, chart and decision-support rule skips the value or misreads it; FHIR
//! requires a UCUM code wherever the system says UCUM.
//!
//! **Example**: fails: `"valueQuantity": {"value": 120, "unit": "mmHg", "system":
//! "http://unitsofmeasure.org", "code": "mmHg"}` (suggests `mm[Hg]`); passes: the same with
//! `"code": "mm[Hg]"`.
//!
//! **Authority**: The Unified Code for Units of Measure, version 2.2 (https://ucum.org/ucum);
//! FHIR R4 Quantity ("the code SHALL be a UCUM code when the system is UCUM") and the vital
//! signs profile.

use crate::codes::units::{self, Problem};
use crate::messages::{text, Text};
use crate::report::{Category, Severity};
use crate::rules::accuracy::UCUM;
use crate::rules::{quote, RuleMeta};

pub static RULE: RuleMeta = RuleMeta {
    code: "ucum-invalid",
    category: Category::Accuracy,
    severity: Severity::Error,
    issue_type: "code-invalid",
    title: "A unit that is not valid UCUM",
};

/// Spellings often typed for a UCUM unit, with the UCUM code meant.
const SLIPS: &[(&str, &str)] = &[
    ("mmHg", "mm[Hg]"),
    ("mm Hg", "mm[Hg]"),
    ("bpm", "/min"),
    ("beats/min", "/min"),
    ("breaths/min", "/min"),
    ("degC", "Cel"),
    ("°C", "Cel"),
    ("degF", "[degF]"),
    ("°F", "[degF]"),
    ("in", "[in_i]"),
    ("inch", "[in_i]"),
    ("inches", "[in_i]"),
    ("ft", "[ft_i]"),
    ("lb", "[lb_av]"),
    ("lbs", "[lb_av]"),
    ("oz", "[oz_av]"),
    ("kgs", "kg"),
    ("mEq/L", "meq/L"),
    ("mcg", "ug"),
    ("cc", "mL"),
    ("hr", "h"),
    ("hrs", "h"),
    ("sec", "s"),
    ("percent", "%"),
    ("mEq", "meq"),
    ("drop", "[drp]"),
    ("drops", "[drp]"),
    ("gtt", "[drp]"),
    ("tbl", "{tbl}"),
    ("tab", "{tbl}"),
    ("tabs", "{tbl}"),
    ("ea", "{each}"),
    ("each", "{each}"),
];

/// The UCUM code meant, when the slips are whole atoms of the expression (`ml/hr` -> `ml/h`,
/// `mcg/kg/min` -> `ug/kg/min`) or powers written with a caret (`m^2` -> `m2`, `kg/m^2` ->
/// `kg/m2`: UCUM writes an exponent as digits after the unit), and the result is valid UCUM.
fn meant(code: &str) -> Option<String> {
    let mut fixed = String::with_capacity(code.len() + 4);
    let mut changed = false;
    for piece in code.split_inclusive(['/', '.']) {
        let (atom, sep) = match piece.strip_suffix(['/', '.']) {
            Some(atom) => (atom, &piece[atom.len()..]),
            None => (piece, ""),
        };
        // `10^` is a UCUM atom of its own (`10^3`): its caret stays.
        let caret = atom.contains('^') && !atom.starts_with("10^");
        match SLIPS.iter().find(|(slip, _)| *slip == atom) {
            Some((_, ucum)) => {
                fixed.push_str(ucum);
                changed = true;
            }
            None if caret => {
                fixed.extend(atom.split('^'));
                changed = true;
            }
            None => fixed.push_str(atom),
        }
        fixed.push_str(sep);
    }
    (changed && units::problem(&fixed).is_none()).then_some(fixed)
}

/// Why a unit is not UCUM, in words for the message's parentheses.
fn why(problem: &Problem) -> Text {
    match problem {
        Problem::TooLong { max } => text!("ucum-invalid.problem.too-long", max),
        Problem::UnknownUnit { code } => text!("ucum-invalid.problem.unknown-unit", code),
        Problem::MissingUnit { position } => text!("ucum-invalid.problem.missing-unit", position),
        Problem::Unclosed { bracket } => text!("ucum-invalid.problem.unclosed", bracket),
        Problem::Unexpected { symbol, position } => {
            text!("ucum-invalid.problem.unexpected", symbol, position)
        }
        Problem::AnnotationCharacter => text!("ucum-invalid.problem.annotation-character"),
        Problem::Number { position } => text!("ucum-invalid.problem.number", position),
        Problem::Malformed { position } => text!("ucum-invalid.problem.malformed", position),
    }
}

record_rule! {
    reads: crate::rules::Reads::CODINGS,
    fn check(_resource, cx, out) {
        for c in cx.codes_of(UCUM) {
            let Some(problem) = units::problem(c.value) else { continue };
            let meant = meant(c.value);
            let unit = quote(&crate::json::Value::from(c.value));
            let problem = cx.messages.render(&why(&problem));
            let text = match &meant {
                Some(ucum) => text!("ucum-invalid", unit, problem, ucum),
                None => text!("ucum-invalid.no-guess", unit, problem),
            };
            let mut issue = RULE.issue(cx.location, &c.pointer, cx.messages, text);
            issue.suggestions.extend(meant);
            out.push(issue);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::testing::{assert_clean, assert_one, report};
    use serde_json::json;

    fn bp(code: &str) -> serde_json::Value {
        json!({"resourceType": "Observation", "status": "final",
               "code": {"coding": [{"system": "http://loinc.org", "code": "8480-6"}]},
               "valueQuantity": {"value": 120, "unit": "mmHg", "system": "http://unitsofmeasure.org", "code": code}})
    }

    #[test]
    fn fails_on_a_unit_that_is_not_ucum() {
        assert_one(bp("mmHg"), "ucum-invalid", "/valueQuantity/code");
        let r = report(bp("mmHg"));
        assert_eq!(r.issues[0].suggestions, vec!["mm[Hg]"]);
    }

    #[test]
    fn suggests_the_ucum_code_for_slips_inside_expressions() {
        assert_eq!(super::meant("ml/hr").as_deref(), Some("ml/h"));
        assert_eq!(super::meant("mcg/kg/min").as_deref(), Some("ug/kg/min"));
        assert_eq!(super::meant("ea").as_deref(), Some("{each}"));
        assert_eq!(super::meant("xyz"), None);
        // Powers with a caret (mCODE's body surface area example gives "m^2").
        assert_eq!(super::meant("m^2").as_deref(), Some("m2"));
        assert_eq!(super::meant("kg/m^2").as_deref(), Some("kg/m2"));
        assert_eq!(super::meant("cm^3").as_deref(), Some("cm3"));
        assert_eq!(super::meant("m^x"), None);
    }

    #[test]
    fn passes_ucum_units() {
        assert_clean(bp("mm[Hg]"));
        assert_clean(
            json!({"resourceType": "Observation", "status": "final", "code": {"text": "WBC"},
            "valueQuantity": {"value": 7.2, "system": "http://unitsofmeasure.org", "code": "10*3/uL"}}),
        );
    }
}
