//! Plausible values of vital signs and common labs by LOINC code (data/plausible-ranges.tsv;
//! sources in data/README.md): the bounds outside which a value is impossible (an error) or
//! implausible (a warning), per age band where age matters.

const TABLE: &str = include_str!("../../data/plausible-ranges.tsv");

/// One row: a LOINC code's bounds for one age band, in `unit`.
#[derive(Debug, Clone)]
pub struct Band {
    pub loinc: String,
    /// What is measured, in plain words ("body temperature").
    pub what: String,
    /// The UCUM unit the bounds are in.
    pub unit: String,
    /// g/mol, to compare a molar value (mmol/L) with mass bounds (mg/dL) or back.
    pub molar_mass: Option<f64>,
    /// Age in years: from (inclusive) and to (exclusive); None: unbounded.
    pub age_from: Option<f64>,
    pub age_to: Option<f64>,
    pub impossible: (f64, f64),
    pub implausible: (f64, f64),
    /// Units a value is often entered in by mistake, for the hint ("looks like [degF]").
    pub confused_with: Vec<String>,
}

pub struct Ranges(Vec<Band>);

impl Ranges {
    pub fn load() -> Result<Self, String> {
        let mut bands = Vec::new();
        let bad = |line: usize, what: &str| {
            format!("data/plausible-ranges.tsv line {}: {what}", line + 1)
        };
        for (n, line) in TABLE.lines().enumerate() {
            if line.starts_with('#') || line.starts_with("loinc\t") || line.trim().is_empty() {
                continue;
            }
            let cols: Vec<&str> = line.split('\t').collect();
            // An array: the column numbers below are checked when the library is compiled.
            let Ok(cols) = <[&str; 12]>::try_from(cols) else {
                return Err(bad(n, "expected 12 columns"));
            };
            let opt = |col: &str| -> Result<Option<f64>, String> {
                match col {
                    "" => Ok(None),
                    s => s.parse().map(Some).map_err(|_| bad(n, "not a number")),
                }
            };
            let num = |col: &str| -> Result<f64, String> {
                opt(col)?.ok_or_else(|| bad(n, "empty bound"))
            };
            let band = Band {
                loinc: cols[0].to_string(),
                what: cols[1].to_string(),
                unit: cols[2].to_string(),
                molar_mass: opt(cols[3])?,
                age_from: opt(cols[4])?,
                age_to: opt(cols[5])?,
                impossible: (num(cols[6])?, num(cols[9])?),
                implausible: (num(cols[7])?, num(cols[8])?),
                confused_with: cols[10].split_whitespace().map(str::to_string).collect(),
            };
            if !(band.impossible.0 <= band.implausible.0
                && band.implausible.0 <= band.implausible.1
                && band.implausible.1 <= band.impossible.1)
            {
                return Err(bad(n, "bounds out of order"));
            }
            bands.push(band);
        }
        Ok(Ranges(bands))
    }

    pub fn knows(&self, loinc: &str) -> bool {
        self.0.iter().any(|b| b.loinc == loinc)
    }

    /// The bands of a code that may apply to a patient whose age in years lies in `age`
    /// (None: unknown, so every band of the code may apply).
    pub fn bands(&self, loinc: &str, age: Option<(f64, f64)>) -> Vec<&Band> {
        self.0
            .iter()
            .filter(|b| {
                b.loinc == loinc
                    && match age {
                        None => true,
                        Some((lo, hi)) => {
                            b.age_from.is_none_or(|from| hi >= from)
                                && b.age_to.is_none_or(|to| lo < to)
                        }
                    }
            })
            .collect()
    }

    pub fn all(&self) -> &[Band] {
        &self.0
    }
}

/// Bounds over several bands: the widest, so that an unknown age never turns a possible value
/// into an error.
pub fn widest(bands: &[&Band]) -> Option<((f64, f64), (f64, f64))> {
    bands.iter().fold(None, |acc, b| match acc {
        None => Some((b.impossible, b.implausible)),
        Some((i, p)) => Some((
            (i.0.min(b.impossible.0), i.1.max(b.impossible.1)),
            (p.0.min(b.implausible.0), p.1.max(b.implausible.1)),
        )),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::codes::units;

    /// Checked here rather than when a validator is built: the UCUM tables are built on the
    /// first unit a record holds, not at start-up.
    #[test]
    fn every_band_is_in_a_ucum_unit() {
        for b in Ranges::load().unwrap().all() {
            assert!(units::analyze(&b.unit).is_some(), "{}: {}", b.loinc, b.unit);
        }
    }

    #[test]
    fn each_code_covers_every_age_once_in_one_unit() {
        let ranges = Ranges::load().unwrap();
        let mut codes: Vec<&str> = ranges.all().iter().map(|b| b.loinc.as_str()).collect();
        codes.dedup();
        assert_eq!(codes.len(), 16, "{codes:?}");
        for code in codes {
            let bands = ranges.bands(code, None);
            assert!(
                bands
                    .iter()
                    .all(|b| b.unit == bands[0].unit && b.molar_mass == bands[0].molar_mass),
                "{code}"
            );
            // Bands follow each other: the first from birth, each from where the last ended.
            let mut from = None;
            for b in &bands {
                assert_eq!(b.age_from, from, "{code}: gap or overlap");
                from = b.age_to;
            }
            assert_eq!(from, None, "{code}: the last band is open-ended");
            for age in [0.0, 0.5, 1.0, 5.0, 12.0, 17.0, 18.0, 90.0] {
                assert_eq!(
                    ranges.bands(code, Some((age, age))).len(),
                    1,
                    "{code} at {age}"
                );
            }
        }
    }
}
