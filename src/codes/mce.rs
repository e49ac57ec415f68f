//! CMS Medicare Code Editor age groups (data/mce-age-ranges.tsv): the ages the newborn,
//! pediatric, maternity and adult edits allow, with the dates each range was in force.

use crate::fhir::clock::Day;

pub struct AgeGroup {
    /// The MCE flag it belongs to: `newborn`, `pediatric`, `maternity`, `adult`.
    pub flag: String,
    pub min: u32,
    pub max: u32,
    from: Day,
    /// 0: still in force.
    to: Day,
}

pub struct AgeGroups(Vec<AgeGroup>);

impl AgeGroups {
    pub fn load() -> Result<Self, String> {
        let text = include_str!("../../data/mce-age-ranges.tsv");
        let mut groups = Vec::new();
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let cols: Vec<&str> = line.split('\t').collect();
            let num = |i: usize| -> Result<u32, String> {
                let s = cols.get(i).copied().unwrap_or("");
                if s.is_empty() {
                    return Ok(0);
                }
                s.parse()
                    .map_err(|_| format!("the built-in MCE age table has a bad value {s:?}"))
            };
            groups.push(AgeGroup {
                flag: cols.first().copied().unwrap_or("").to_lowercase(),
                min: num(1)?,
                max: num(2)?,
                from: num(3)?,
                to: num(4)?,
            });
        }
        Ok(AgeGroups(groups))
    }

    /// The range of an age flag in force on `day`.
    pub fn range(&self, flag: &str, day: Day) -> Option<&AgeGroup> {
        self.0
            .iter()
            .find(|g| g.flag == flag && g.from <= day && (g.to == 0 || g.to >= day))
    }
}

/// Whole years from a birth day to a day (YYYYMMDD both).
pub fn age(birth: Day, on: Day) -> i64 {
    let years = i64::from(on / 10_000) - i64::from(birth / 10_000);
    if on % 10_000 < birth % 10_000 {
        years - 1
    } else {
        years
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_and_groups() {
        assert_eq!(age(19_740_225, 20_240_224), 49);
        assert_eq!(age(19_740_225, 20_240_225), 50);
        let groups = AgeGroups::load().unwrap();
        let m = groups.range("maternity", 20_250_101).unwrap();
        assert_eq!((m.min, m.max), (9, 64));
        let m = groups.range("maternity", 20_180_101).unwrap();
        assert_eq!((m.min, m.max), (12, 55));
        assert_eq!(groups.range("newborn", 20_250_101).map(|g| g.max), Some(0));
    }
}
