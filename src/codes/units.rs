//! UCUM units (the Unified Code for Units of Measure), through the `ucum-units` crate, which
//! builds its tables from UCUM's own ucum-essence.xml: validity, dimensions and conversion,
//! plus the molar-mass step UCUM leaves to the caller (mmol/L of glucose to mg/dL).

pub use ucum::Analysis;

/// Longest unit expression analysed: real units are short, and this keeps the work per input
/// bounded whatever a record holds.
const MAX_LEN: usize = 64;

/// What parsing a unit gave: its analysis, or why it is not UCUM.
type Parsed = Result<Analysis, String>;

/// Units seen so far, parsed once: a record repeats a handful of units (mm[Hg], /min, kg), and
/// parsing one costs about a microsecond. Bounded, so odd input cannot grow it without end.
static SEEN: std::sync::Mutex<Option<std::collections::HashMap<String, Parsed>>> =
    std::sync::Mutex::new(None);
const SEEN_MAX: usize = 2048;

fn parsed(unit: &str) -> Parsed {
    if unit.len() > MAX_LEN {
        return Err(format!("longer than {MAX_LEN} characters"));
    }
    let Ok(mut guard) = SEEN.lock() else {
        return parse(unit);
    };
    let seen = guard.get_or_insert_with(Default::default);
    if let Some(p) = seen.get(unit) {
        return p.clone();
    }
    let p = parse(unit);
    if seen.len() >= SEEN_MAX {
        seen.clear();
    }
    seen.insert(unit.to_string(), p.clone());
    p
}

fn parse(unit: &str) -> Parsed {
    ucum::analyze(unit).map_err(|e| match e {
        ucum::UcumError::UnknownAtom { code } => format!("{code} is not a UCUM unit"),
        e => e.to_string(),
    })
}

pub fn analyze(unit: &str) -> Option<Analysis> {
    parsed(unit).ok()
}

/// Why a unit is not UCUM, in words.
pub fn problem(unit: &str) -> Option<String> {
    parsed(unit).err()
}

/// `value` in `from` as a value in `to` when both are ordinary (multiplicative or affine, like
/// Cel) units of one dimension, through the cached analyses.
fn linear(value: f64, from: &str, to: &str) -> Option<f64> {
    let (a, b) = (analyze(from)?, analyze(to)?);
    if a.is_special || b.is_special {
        return ucum::convert(value, from, to).ok();
    }
    if a.dimension != b.dimension || b.factor == 0.0 {
        return None;
    }
    Some((value * a.factor + a.offset - b.offset) / b.factor)
}

/// `value` in `from` as a value in `to`, through the molar mass (g/mol) when one is molar and
/// the other a mass: None when the two cannot measure the same thing.
pub fn convert(value: f64, from: &str, to: &str, molar_mass: Option<f64>) -> Option<f64> {
    if let Some(v) = linear(value, from, to) {
        return v.is_finite().then_some(v);
    }
    let m = molar_mass?;
    // Through base units: mol/L <-> g/L.
    if let Some(molar) = linear(value, from, "mol/L") {
        return linear(molar * m, "g/L", to).filter(|v| v.is_finite());
    }
    if let Some(mass) = linear(value, from, "g/L") {
        return linear(mass / m, "mol/L", to).filter(|v| v.is_finite());
    }
    None
}

/// Can a value in `unit` be compared with bounds in `bounds_unit`?
pub fn commensurable(unit: &str, bounds_unit: &str, molar_mass: Option<f64>) -> bool {
    convert(1.0, unit, bounds_unit, molar_mass).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn converts_temperatures_lengths_and_molar_masses() {
        let c = convert(98.6, "[degF]", "Cel", None).unwrap();
        assert!((c - 37.0).abs() < 1e-9, "{c}");
        let cm = convert(70.0, "[in_i]", "cm", None).unwrap();
        assert!((cm - 177.8).abs() < 1e-9, "{cm}");
        // 5.5 mmol/L of glucose is 99.1 mg/dL.
        let mg = convert(5.5, "mmol/L", "mg/dL", Some(180.156)).unwrap();
        assert!((mg - 99.0858).abs() < 1e-3, "{mg}");
        assert_eq!(convert(1.0, "kg", "/min", None), None);
        assert!(commensurable("meq/L", "mmol/L", None));
    }

    #[test]
    fn says_why_a_unit_is_not_ucum() {
        assert_eq!(problem("mm[Hg]"), None);
        assert!(problem("mmHg").is_some());
        assert!(
            problem("bpm").unwrap().contains("bpm"),
            "{:?}",
            problem("bpm")
        );
        assert!(problem(&"m".repeat(10_000)).is_some());
    }
}
