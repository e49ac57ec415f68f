//! UCUM units (the Unified Code for Units of Measure), through the `ucum-units` crate, which
//! builds its tables from UCUM's own ucum-essence.xml: validity, dimensions and conversion,
//! plus the molar-mass step UCUM leaves to the caller (mmol/L of glucose to mg/dL).

pub use ucum::Analysis;

/// Longest unit expression analysed: real units are short, and this keeps the work per input
/// bounded whatever a record holds.
const MAX_LEN: usize = 64;

pub fn analyze(unit: &str) -> Option<Analysis> {
    if unit.len() > MAX_LEN {
        return None;
    }
    ucum::analyze(unit).ok()
}

/// Why a unit is not UCUM, in words.
pub fn problem(unit: &str) -> Option<String> {
    if unit.len() > MAX_LEN {
        return Some(format!("longer than {MAX_LEN} characters"));
    }
    match ucum::validate(unit) {
        Ok(()) => None,
        Err(ucum::UcumError::UnknownAtom { code }) => Some(format!("{code} is not a UCUM unit")),
        Err(e) => Some(e.to_string()),
    }
}

/// `value` in `from` as a value in `to`, through the molar mass (g/mol) when one is molar and
/// the other a mass: None when the two cannot measure the same thing.
pub fn convert(value: f64, from: &str, to: &str, molar_mass: Option<f64>) -> Option<f64> {
    if from.len() > MAX_LEN || to.len() > MAX_LEN {
        return None;
    }
    if let Ok(v) = ucum::convert(value, from, to) {
        return v.is_finite().then_some(v);
    }
    let m = molar_mass?;
    // Through base units: mol/L <-> g/L.
    if let Ok(molar) = ucum::convert(value, from, "mol/L") {
        return ucum::convert(molar * m, "g/L", to)
            .ok()
            .filter(|v| v.is_finite());
    }
    if let Ok(mass) = ucum::convert(value, from, "g/L") {
        return ucum::convert(mass / m, "mol/L", to)
            .ok()
            .filter(|v| v.is_finite());
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
