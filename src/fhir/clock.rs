//! Today's date and the current instant, for "not in the future" and "valid on the date of
//! service" when the caller gives no date. In the browser they come from JavaScript:
//! `SystemTime::now()` panics on wasm32-unknown-unknown.

/// A calendar day as YYYYMMDD: orders like the date and prints as one.
pub type Day = u32;

/// Today (UTC).
pub fn today() -> Day {
    day_of(now())
}

/// The UTC day of an instant in seconds since 1970-01-01 UTC.
pub fn day_of(secs: i64) -> Day {
    civil_from_days(secs.div_euclid(86_400))
}

/// Now, in seconds since 1970-01-01 UTC: for "not in the future" of timed values.
#[cfg(not(target_arch = "wasm32"))]
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

#[cfg(target_arch = "wasm32")]
pub fn now() -> i64 {
    (js_sys::Date::now() / 1000.0).floor() as i64
}

/// Days since 1970-01-01 to YYYYMMDD (proleptic Gregorian; H. Hinnant's algorithm).
pub fn civil_from_days(z: i64) -> Day {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y * 10_000 + m * 100 + d) as Day
}

/// `20241001` -> `2024-10-01`.
pub fn show(day: Day) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day / 10_000,
        day / 100 % 100,
        day % 100
    )
}

/// An instant in seconds since 1970-01-01 UTC as a reader sees it: `2024-10-01 14:05 UTC`.
pub fn show_instant(secs: i64) -> String {
    let minute = secs.rem_euclid(86_400) / 60;
    format!(
        "{} {:02}:{:02} UTC",
        show(day_of(secs)),
        minute / 60,
        minute % 60
    )
}

/// The US federal fiscal year a day falls in (FY2025 runs 2024-10-01 to 2025-09-30): ICD-10
/// code sets change on October 1.
pub fn fiscal_year(day: Day) -> u32 {
    let (year, month) = (day / 10_000, day / 100 % 100);
    if month >= 10 {
        year + 1
    } else {
        year
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_to_dates() {
        assert_eq!(civil_from_days(0), 19_700_101);
        assert_eq!(civil_from_days(19_723), 20_240_101);
        assert_eq!(civil_from_days(20_513), 20_260_301);
        assert!(today() > 20_260_000);
        assert_eq!(day_of(0), 19_700_101);
        assert_eq!(day_of(-1), 19_691_231);
        assert_eq!(day_of(now()), today());
        assert_eq!(show(20_241_001), "2024-10-01");
        assert_eq!(show_instant(1_727_791_500), "2024-10-01 14:05 UTC");
        assert_eq!(fiscal_year(20_241_001), 2025);
        assert_eq!(fiscal_year(20_240_930), 2024);
    }
}
