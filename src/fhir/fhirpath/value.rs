//! FHIRPath's system values: decimals that keep their digits, partial dates and times that
//! keep their precision, quantities, and how they compare.

use std::cmp::Ordering;
use std::fmt;

use super::super::{clock, primitives};

/// A decimal as FHIRPath means it: digits and a scale (`1.50` is 150 at scale 2), so that
/// `1.0.toString()` is `1.0` and `0.1 + 0.2 = 0.3` holds, which binary floats get wrong.
#[derive(Clone, Copy, Debug)]
pub struct Decimal {
    pub digits: i128,
    pub scale: u32,
}

/// The largest scale kept: FHIRPath asks for at least 8 decimal places; the digits then stay
/// well inside i128 for any value a record holds.
const MAX_SCALE: u32 = 18;

fn pow10(n: u32) -> Option<i128> {
    10i128.checked_pow(n)
}

impl Decimal {
    pub fn from_int(i: i64) -> Decimal {
        Decimal {
            digits: i128::from(i),
            scale: 0,
        }
    }

    /// `-12.50`, `3`, `1e3` (JSON numbers may have exponents).
    pub fn parse(text: &str) -> Option<Decimal> {
        let (mantissa, exponent) = match text.find(['e', 'E']) {
            Some(at) => (text.get(..at)?, text.get(at + 1..)?.parse::<i32>().ok()?),
            None => (text, 0),
        };
        let (negative, unsigned) = match mantissa.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, mantissa.strip_prefix('+').unwrap_or(mantissa)),
        };
        let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
        if whole.is_empty()
            || !whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return None;
        }
        if unsigned.contains('.') && fraction.is_empty() {
            return None;
        }
        let mut digits: i128 = 0;
        for b in whole.bytes().chain(fraction.bytes()) {
            digits = digits.checked_mul(10)?.checked_add(i128::from(b - b'0'))?;
        }
        let mut scale = i64::try_from(fraction.len()).ok()? - i64::from(exponent);
        while scale < 0 {
            digits = digits.checked_mul(10)?;
            scale += 1;
        }
        let mut d = Decimal {
            digits: if negative { -digits } else { digits },
            scale: u32::try_from(scale).ok()?,
        };
        while d.scale > MAX_SCALE {
            d = d.rescale(d.scale - 1)?;
        }
        Some(d)
    }

    /// The same value at another scale (rounding half away from zero when it drops digits).
    pub fn rescale(self, scale: u32) -> Option<Decimal> {
        match scale.cmp(&self.scale) {
            Ordering::Equal => Some(self),
            Ordering::Greater => Some(Decimal {
                digits: self.digits.checked_mul(pow10(scale - self.scale)?)?,
                scale,
            }),
            Ordering::Less => {
                let div = pow10(self.scale - scale)?;
                let q = self.digits / div;
                let r = self.digits % div;
                let q = if r.unsigned_abs() * 2 >= div.unsigned_abs() {
                    q + self.digits.signum()
                } else {
                    q
                };
                Some(Decimal { digits: q, scale })
            }
        }
    }

    /// Drops digits without rounding (toward zero).
    pub fn truncate_to(self, scale: u32) -> Decimal {
        if scale >= self.scale {
            return self;
        }
        match pow10(self.scale - scale) {
            Some(div) => Decimal {
                digits: self.digits / div,
                scale,
            },
            None => Decimal { digits: 0, scale },
        }
    }

    fn aligned(self, other: Decimal) -> Option<(i128, i128, u32)> {
        let scale = self.scale.max(other.scale);
        Some((
            self.rescale(scale)?.digits,
            other.rescale(scale)?.digits,
            scale,
        ))
    }

    pub fn plus(self, other: Decimal) -> Option<Decimal> {
        let (a, b, scale) = self.aligned(other)?;
        Some(Decimal {
            digits: a.checked_add(b)?,
            scale,
        })
    }

    pub fn minus(self, other: Decimal) -> Option<Decimal> {
        self.plus(other.negated())
    }

    pub fn negated(self) -> Decimal {
        Decimal {
            digits: self.digits.saturating_neg(),
            scale: self.scale,
        }
    }

    pub fn times(self, other: Decimal) -> Option<Decimal> {
        let mut d = Decimal {
            digits: self.digits.checked_mul(other.digits)?,
            scale: self.scale + other.scale,
        };
        while d.scale > MAX_SCALE {
            d = d.rescale(d.scale - 1)?;
        }
        Some(d)
    }

    /// Division to 8 decimal places beyond the inputs', trailing zeros dropped; None for a
    /// zero divisor.
    pub fn divided_by(self, other: Decimal) -> Option<Decimal> {
        if other.digits == 0 {
            return None;
        }
        let scale = 8u32.max(self.scale).max(other.scale);
        // a/b at `scale`: a * 10^(scale + b.scale - a.scale) / b.digits, rounded.
        let shift = (scale + other.scale).checked_sub(self.scale)?;
        let num = self.digits.checked_mul(pow10(shift + 1)?)?;
        let q = num / other.digits;
        let q = (q + q.signum() * 5) / 10;
        Some(Decimal { digits: q, scale }.normalized())
    }

    /// Without trailing zeros after the point.
    pub fn normalized(mut self) -> Decimal {
        while self.scale > 0 && self.digits % 10 == 0 {
            self.digits /= 10;
            self.scale -= 1;
        }
        self
    }

    pub fn is_integer(self) -> bool {
        self.normalized().scale == 0
    }

    pub fn to_f64(self) -> f64 {
        let p = 10f64.powi(i32::try_from(self.scale).unwrap_or(i32::MAX));
        self.digits as f64 / p
    }

    pub fn from_f64(f: f64) -> Option<Decimal> {
        if !f.is_finite() {
            return None;
        }
        Decimal::parse(&format!("{:.8}", f)).map(Decimal::normalized)
    }

    /// The whole part, rounded toward negative infinity.
    pub fn floor(self) -> Option<i128> {
        let div = pow10(self.scale)?;
        Some(self.digits.div_euclid(div))
    }

    pub fn cmp_value(self, other: Decimal) -> Option<Ordering> {
        let (a, b, _) = self.aligned(other)?;
        Some(a.cmp(&b))
    }

    pub fn to_i64(self) -> Option<i64> {
        if !self.is_integer() {
            return None;
        }
        i64::try_from(self.normalized().digits).ok()
    }
}

impl fmt::Display for Decimal {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let sign = if self.digits < 0 { "-" } else { "" };
        let abs = self.digits.unsigned_abs().to_string();
        let scale = self.scale as usize;
        if scale == 0 {
            return write!(f, "{sign}{abs}");
        }
        let padded = format!("{abs:0>width$}", width = scale + 1);
        let (whole, fraction) = padded.split_at(padded.len() - scale);
        write!(f, "{sign}{whole}.{fraction}")
    }
}

/// How far a date or time is given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Precision {
    Year,
    Month,
    Day,
    Hour,
    Minute,
    Second,
    Millisecond,
}

/// Which of FHIRPath's temporal types a value is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TemporalKind {
    Date,
    DateTime,
    Time,
}

/// A date, date-time or time as far as it is given (`@2015`, `@2015-02-04T14:34`, `@T10`).
/// Fields beyond the precision are zero (month and day: 1).
#[derive(Clone, Copy, Debug)]
pub struct Temporal {
    pub kind: TemporalKind,
    pub precision: Precision,
    pub year: i32,
    pub month: u8,
    pub day: u8,
    pub hour: u8,
    pub minute: u8,
    pub second: u8,
    pub millis: u16,
    /// Minutes east of UTC; None when no zone is given.
    pub offset: Option<i16>,
}

fn digits(s: &str, n: usize) -> Option<(u32, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, s.get(n..)?))
}

/// Days in a month of a year, for this module's years (four digits; an out-of-range year is
/// refused by the caller afterwards).
pub fn days_in_month(year: i32, month: u8) -> u8 {
    primitives::days_in_month(u16::try_from(year).unwrap_or(0), month)
}

/// Days since 1970-01-01 of a civil date.
fn days_from_civil(y: i32, m: u8, d: u8) -> i64 {
    primitives::days_from_civil(u32::try_from(y).unwrap_or(0), u32::from(m), u32::from(d))
}

/// The civil date of a day count: year, month, day. A year outside four digits comes out
/// outside them too, which the callers refuse.
fn civil_from_days(z: i64) -> (i32, u8, u8) {
    let day = clock::civil_from_days(z);
    (
        i32::try_from(day / 10_000).unwrap_or(i32::MAX),
        (day / 100 % 100) as u8,
        (day % 100) as u8,
    )
}

impl Temporal {
    fn empty(kind: TemporalKind) -> Temporal {
        Temporal {
            kind,
            precision: Precision::Year,
            year: 0,
            month: 1,
            day: 1,
            hour: 0,
            minute: 0,
            second: 0,
            millis: 0,
            offset: None,
        }
    }

    /// A date (`2015`, `2015-02`, `2015-02-04`).
    pub fn parse_date(s: &str) -> Option<Temporal> {
        let (t, rest) = Temporal::parse_date_part(s)?;
        rest.is_empty().then_some(t)
    }

    fn parse_date_part(s: &str) -> Option<(Temporal, &str)> {
        let mut t = Temporal::empty(TemporalKind::Date);
        let (year, mut rest) = digits(s, 4)?;
        t.year = i32::try_from(year).ok()?;
        if let Some(r) = rest.strip_prefix('-') {
            let (month, r) = digits(r, 2)?;
            if !(1..=12).contains(&month) {
                return None;
            }
            t.month = month as u8;
            t.precision = Precision::Month;
            rest = r;
            if let Some(r) = rest.strip_prefix('-') {
                let (day, r) = digits(r, 2)?;
                if day < 1 || day > u32::from(days_in_month(t.year, t.month)) {
                    return None;
                }
                t.day = day as u8;
                t.precision = Precision::Day;
                rest = r;
            }
        }
        Some((t, rest))
    }

    /// A time of day (`10`, `10:30`, `10:30:00.123`), as after `@T` or in a FHIR `time`.
    pub fn parse_time(s: &str) -> Option<Temporal> {
        let (t, rest) = Temporal::parse_time_part(s, TemporalKind::Time)?;
        rest.is_empty().then_some(t)
    }

    fn parse_time_part(s: &str, kind: TemporalKind) -> Option<(Temporal, &str)> {
        let mut t = Temporal::empty(kind);
        let (hour, mut rest) = digits(s, 2)?;
        if hour > 23 {
            return None;
        }
        t.hour = hour as u8;
        t.precision = Precision::Hour;
        if let Some(r) = rest.strip_prefix(':') {
            let (minute, r) = digits(r, 2)?;
            if minute > 59 {
                return None;
            }
            t.minute = minute as u8;
            t.precision = Precision::Minute;
            rest = r;
            if let Some(r) = rest.strip_prefix(':') {
                let (second, r) = digits(r, 2)?;
                if second > 59 {
                    return None;
                }
                t.second = second as u8;
                t.precision = Precision::Second;
                rest = r;
                if let Some(r) = rest.strip_prefix('.') {
                    let n = r.bytes().take_while(u8::is_ascii_digit).count();
                    if n == 0 {
                        return None;
                    }
                    let mut millis = 0u32;
                    for (b, weight) in r.bytes().take(n).zip([100, 10, 1]) {
                        millis += u32::from(b - b'0') * weight;
                    }
                    let r = r.get(n..)?;
                    t.millis = millis as u16;
                    t.precision = Precision::Millisecond;
                    rest = r;
                }
            }
        }
        Some((t, rest))
    }

    /// A date-time (`2015`, `2015-02-04T14`, `2015-02-04T14:34:28.123+09:00`, `2015-02-04T`),
    /// as after `@` or in a FHIR `dateTime` or `instant`.
    pub fn parse_date_time(s: &str) -> Option<Temporal> {
        let (mut t, rest) = Temporal::parse_date_part(s)?;
        t.kind = TemporalKind::DateTime;
        let Some(rest) = rest.strip_prefix('T') else {
            return rest.is_empty().then_some(t);
        };
        if rest.is_empty() {
            return Some(t);
        }
        if t.precision != Precision::Day {
            return None;
        }
        let (time, rest) = Temporal::parse_time_part(rest, TemporalKind::DateTime)?;
        t.hour = time.hour;
        t.minute = time.minute;
        t.second = time.second;
        t.millis = time.millis;
        t.precision = time.precision;
        t.offset = match rest {
            "" => None,
            "Z" => Some(0),
            _ => {
                let (sign, r) = match rest.as_bytes().first()? {
                    b'+' => (1i16, rest.get(1..)?),
                    b'-' => (-1i16, rest.get(1..)?),
                    _ => return None,
                };
                let (h, r) = digits(r, 2)?;
                let r = r.strip_prefix(':')?;
                let (m, r) = digits(r, 2)?;
                if !r.is_empty() || h > 14 || m > 59 {
                    return None;
                }
                Some(sign * (h as i16 * 60 + m as i16))
            }
        };
        Some(t)
    }

    /// Milliseconds since 1970 in UTC (a missing zone read as UTC), for the fields given.
    fn epoch_millis(&self) -> i64 {
        let days = days_from_civil(self.year, self.month, self.day);
        let ms = ((days * 24 + i64::from(self.hour)) * 60 + i64::from(self.minute)) * 60_000
            + i64::from(self.second) * 1000
            + i64::from(self.millis);
        ms - i64::from(self.offset.unwrap_or(0)) * 60_000
    }

    fn at_epoch_millis(&self, ms: i64) -> Temporal {
        let local = ms + i64::from(self.offset.unwrap_or(0)) * 60_000;
        let days = local.div_euclid(86_400_000);
        let rest = local.rem_euclid(86_400_000);
        let (year, month, day) = civil_from_days(days);
        Temporal {
            year,
            month,
            day,
            hour: (rest / 3_600_000) as u8,
            minute: (rest / 60_000 % 60) as u8,
            second: (rest / 1000 % 60) as u8,
            millis: (rest % 1000) as u16,
            ..*self
        }
    }

    /// The fields in order, as far as `precision` (seconds and milliseconds as one, as
    /// FHIRPath compares them), after moving date-times with a time to UTC.
    fn fields(&self) -> ([i64; 6], usize) {
        let t = if self.kind != TemporalKind::Time
            && self.precision >= Precision::Hour
            && self.offset.is_some()
        {
            let utc = Temporal {
                offset: Some(0),
                ..*self
            };
            utc.at_epoch_millis(self.epoch_millis())
        } else {
            *self
        };
        let all = [
            i64::from(t.year),
            i64::from(t.month),
            i64::from(t.day),
            i64::from(t.hour),
            i64::from(t.minute),
            i64::from(t.second) * 1000 + i64::from(t.millis),
        ];
        let n: usize = match self.precision {
            Precision::Year => 1,
            Precision::Month => 2,
            Precision::Day => 3,
            Precision::Hour => 4,
            Precision::Minute => 5,
            Precision::Second | Precision::Millisecond => 6,
        };
        if self.kind == TemporalKind::Time {
            (
                [all[3], all[4], all[5], 0, 0, 0],
                n.saturating_sub(3).max(1),
            )
        } else {
            (all, n)
        }
    }

    /// FHIRPath comparison: None when the two are given to different precisions and agree as
    /// far as both go (`@2012 < @2012-01` is unknown), or are of kinds that do not compare.
    pub fn compare(&self, other: &Temporal) -> Option<Ordering> {
        let time = |t: &Temporal| t.kind == TemporalKind::Time;
        if time(self) != time(other) {
            return None;
        }
        let timed =
            |t: &Temporal| t.kind == TemporalKind::DateTime && t.precision >= Precision::Hour;
        if timed(self) && timed(other) && self.offset.is_some() != other.offset.is_some() {
            // One in a known zone, one not: which came first is not known.
            return None;
        }
        let (a, na) = self.fields();
        let (b, nb) = other.fields();
        for (x, y) in a.iter().zip(&b).take(na.min(nb)) {
            match x.cmp(y) {
                Ordering::Equal => continue,
                unequal => return Some(unequal),
            }
        }
        (na == nb).then_some(Ordering::Equal)
    }

    /// Adds a calendar duration (`unit`: year, month, week, day, hour, minute, second,
    /// millisecond, plural or UCUM's definite units); None when it does not apply.
    pub fn shifted(&self, amount: Decimal, unit: &str) -> Option<Temporal> {
        // Dates have four-digit years: anything moved beyond them has no value.
        self.shifted_any(amount, unit)
            .filter(|t| (1..=9999).contains(&t.year))
    }

    fn shifted_any(&self, amount: Decimal, unit: &str) -> Option<Temporal> {
        let unit = calendar_unit(unit)?;
        let whole = amount.truncate_to(0).to_i64()?;
        let mut t = *self;
        match unit {
            "year" => t.year = t.year.checked_add(i32::try_from(whole).ok()?)?,
            "month" => {
                let months = i64::from(t.year) * 12 + i64::from(t.month) - 1 + whole;
                t.year = i32::try_from(months.div_euclid(12)).ok()?;
                t.month = (months.rem_euclid(12) + 1) as u8;
            }
            _ => {
                let ms = match unit {
                    "week" => whole.checked_mul(7 * 86_400_000)?,
                    "day" => whole.checked_mul(86_400_000)?,
                    "hour" => whole.checked_mul(3_600_000)?,
                    "minute" => whole.checked_mul(60_000)?,
                    "second" => whole.checked_mul(1000)?,
                    _ => whole,
                };
                if t.kind == TemporalKind::Time {
                    let day = 86_400_000i64;
                    let now = ((i64::from(t.hour) * 60 + i64::from(t.minute)) * 60
                        + i64::from(t.second))
                        * 1000
                        + i64::from(t.millis);
                    let then = now.checked_add(ms)?.rem_euclid(day);
                    t.hour = (then / 3_600_000) as u8;
                    t.minute = (then / 60_000 % 60) as u8;
                    t.second = (then / 1000 % 60) as u8;
                    t.millis = (then % 1000) as u16;
                    return Some(t);
                }
                if t.precision <= Precision::Day && ms % 86_400_000 != 0 {
                    // A date moves by whole days only.
                    let days = ms / 86_400_000;
                    let (y, m, d) = civil_from_days(days_from_civil(t.year, t.month, t.day) + days);
                    t.year = y;
                    t.month = m;
                    t.day = d;
                    return Some(t);
                }
                let moved = t.at_epoch_millis(t.epoch_millis().checked_add(ms)?);
                return Some(Temporal {
                    precision: t.precision,
                    ..moved
                });
            }
        }
        t.day = t.day.min(days_in_month(t.year, t.month));
        Some(t)
    }

    /// Lowest or highest instant this value may stand for, to `digits` of precision
    /// (FHIRPath's lowBoundary and highBoundary).
    pub fn boundary(&self, high: bool, digits: Option<i64>) -> Option<Temporal> {
        let target = match (self.kind, digits) {
            (TemporalKind::Time, None | Some(9)) => Precision::Millisecond,
            (TemporalKind::Date, None | Some(8)) => Precision::Day,
            (TemporalKind::DateTime, None | Some(17)) => Precision::Millisecond,
            (TemporalKind::Time, Some(2)) => Precision::Hour,
            (TemporalKind::Time, Some(4)) => Precision::Minute,
            (TemporalKind::Time, Some(6)) => Precision::Second,
            (_, Some(4)) => Precision::Year,
            (_, Some(6)) => Precision::Month,
            (TemporalKind::DateTime, Some(8)) => Precision::Day,
            (TemporalKind::DateTime, Some(10)) => Precision::Hour,
            (TemporalKind::DateTime, Some(12)) => Precision::Minute,
            (TemporalKind::DateTime, Some(14)) => Precision::Second,
            _ => return None,
        };
        let mut t = *self;
        // A date-time to the hour is read as hh:00 (an hour alone is not a FHIR dateTime).
        let p = match (self.kind, self.precision) {
            (TemporalKind::DateTime, Precision::Hour) => Precision::Minute,
            (_, p) => p,
        };
        if p < Precision::Month {
            t.month = if high { 12 } else { 1 };
        }
        if p < Precision::Day {
            t.day = if high {
                days_in_month(t.year, t.month)
            } else {
                1
            };
        }
        if p < Precision::Hour {
            t.hour = if high { 23 } else { 0 };
        }
        if p < Precision::Minute {
            t.minute = if high { 59 } else { 0 };
        }
        if p < Precision::Second {
            t.second = if high { 59 } else { 0 };
        }
        if p < Precision::Millisecond {
            t.millis = if high { 999 } else { 0 };
        }
        if t.kind == TemporalKind::DateTime && target >= Precision::Hour && t.offset.is_none() {
            // With no zone the value could be in any: the earliest is +14:00, the latest -12:00.
            t.offset = Some(if high { -12 * 60 } else { 14 * 60 });
        }
        t.precision = target;
        if t.kind == TemporalKind::DateTime && target <= Precision::Day {
            t.kind = TemporalKind::DateTime;
        }
        Some(t)
    }
}

/// The calendar unit a duration names (`years`, `'a'`, `'wk'`, `'ms'` ...); None otherwise.
pub fn calendar_unit(unit: &str) -> Option<&'static str> {
    Some(match unit {
        "year" | "years" | "a" => "year",
        "month" | "months" | "mo" => "month",
        "week" | "weeks" | "wk" => "week",
        "day" | "days" | "d" => "day",
        "hour" | "hours" | "h" => "hour",
        "minute" | "minutes" | "min" => "minute",
        "second" | "seconds" | "s" => "second",
        "millisecond" | "milliseconds" | "ms" => "millisecond",
        _ => return None,
    })
}

impl fmt::Display for Temporal {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        let p = self.precision;
        if self.kind != TemporalKind::Time {
            write!(f, "{:04}", self.year)?;
            if p >= Precision::Month {
                write!(f, "-{:02}", self.month)?;
            }
            if p >= Precision::Day {
                write!(f, "-{:02}", self.day)?;
            }
            if self.kind == TemporalKind::Date || p < Precision::Hour {
                return Ok(());
            }
            f.write_str("T")?;
        }
        write!(f, "{:02}", self.hour)?;
        if p >= Precision::Minute {
            write!(f, ":{:02}", self.minute)?;
        }
        if p >= Precision::Second {
            write!(f, ":{:02}", self.second)?;
        }
        if p >= Precision::Millisecond {
            write!(f, ".{:03}", self.millis)?;
        }
        match self.offset {
            Some(0) if self.kind == TemporalKind::DateTime => f.write_str("Z"),
            Some(o) if self.kind == TemporalKind::DateTime => {
                let sign = if o < 0 { '-' } else { '+' };
                write!(f, "{sign}{:02}:{:02}", o.abs() / 60, o.abs() % 60)
            }
            _ => Ok(()),
        }
    }
}

/// A quantity: a decimal and a unit (UCUM code or a calendar duration word).
#[derive(Clone, Debug)]
pub struct Quantity {
    pub value: Decimal,
    pub unit: String,
}

impl Quantity {
    /// The unit as compared: calendar words of a second and below equal their UCUM codes
    /// (`1 second = 1 's'`); years and months do not (`1 year != 1 'a'`).
    fn comparable_unit(&self) -> &str {
        match self.unit.as_str() {
            "week" | "weeks" => "wk",
            "day" | "days" => "d",
            "hour" | "hours" => "h",
            "minute" | "minutes" => "min",
            "second" | "seconds" => "s",
            "millisecond" | "milliseconds" => "ms",
            "years" => "year",
            "months" => "month",
            "" => "1",
            u => u,
        }
    }

    /// This quantity's value in `unit`, when UCUM can convert between them (`4040 'mg'` in
    /// `g`), through binary floats and back to 8 decimal places.
    pub fn value_in(&self, unit: &str) -> Option<Decimal> {
        let from = self.comparable_unit();
        let to = Quantity {
            value: Decimal::from_int(0),
            unit: unit.to_string(),
        };
        let to = to.comparable_unit();
        if from == to {
            return Some(self.value);
        }
        let ucum = |u: &str| !matches!(u, "year" | "month");
        if !ucum(from) || !ucum(to) {
            return None;
        }
        ucum::convert(self.value.to_f64(), from, to)
            .ok()
            .and_then(Decimal::from_f64)
    }

    pub fn compare(&self, other: &Quantity) -> Option<Ordering> {
        let theirs = other.value_in(&self.unit)?;
        self.value.cmp_value(theirs)
    }

    /// FHIRPath `~`: equal when compared to the lesser precision of the two.
    pub fn equivalent(&self, other: &Quantity) -> bool {
        let Some(theirs) = other.value_in(&self.unit) else {
            return false;
        };
        let scale = self.value.scale.min(other.value.scale);
        match (self.value.rescale(scale), theirs.rescale(scale)) {
            (Some(a), Some(b)) => a.cmp_value(b) == Some(Ordering::Equal),
            _ => false,
        }
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        if calendar_unit(&self.unit).is_some() && self.unit.len() > 2 {
            write!(f, "{} {}", self.value, self.unit)
        } else {
            write!(f, "{} '{}'", self.value, self.unit)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_keep_their_digits() {
        let d = |s: &str| Decimal::parse(s).unwrap_or_else(|| Decimal::from_int(i64::MIN));
        assert_eq!(d("1.0").to_string(), "1.0");
        assert_eq!(
            d("0.1").plus(d("0.2")).map(|x| x.to_string()),
            Some("0.3".into())
        );
        assert_eq!(d("-0.05").to_string(), "-0.05");
        assert_eq!(d("1e3").to_string(), "1000");
        assert_eq!(
            d("1").divided_by(d("3")).map(|x| x.to_string()),
            Some("0.33333333".into())
        );
        assert_eq!(
            d("10").divided_by(d("4")).map(|x| x.to_string()),
            Some("2.5".into())
        );
        assert!(d("1").divided_by(d("0")).is_none());
        assert_eq!(d("1.5").rescale(0).map(|x| x.to_string()), Some("2".into()));
        assert_eq!(d("-1.5").floor(), Some(-2));
        assert!(Decimal::parse("1.").is_none());
        assert!(Decimal::parse(".5").is_none());
    }

    #[test]
    fn temporals_compare_by_precision() {
        let dt = |s: &str| Temporal::parse_date_time(s);
        let (Some(a), Some(b), Some(c)) = (
            dt("2023-06-21"),
            dt("2023-06-21T06:20:00Z"),
            dt("2023-06-22T06:20:00+02:00"),
        ) else {
            panic!("parse");
        };
        assert_eq!(a.compare(&b), None);
        assert_eq!(a.compare(&c), Some(Ordering::Less));
        let (Some(x), Some(y)) = (dt("2012-04-15T15:00:00Z"), dt("2012-04-15T10:00:00-05:00"))
        else {
            panic!("parse");
        };
        assert_eq!(x.compare(&y), Some(Ordering::Equal));
        let (Some(s), Some(ms)) = (dt("2012-04-15T15:00:00"), dt("2012-04-15T15:00:00.000")) else {
            panic!("parse");
        };
        assert_eq!(s.compare(&ms), Some(Ordering::Equal));
        assert!(dt("2023-02-29").is_none());
        assert_eq!(
            dt("2015-02-04T14:34:28.123+09:00").map(|t| t.to_string()),
            Some("2015-02-04T14:34:28.123+09:00".into())
        );
    }

    #[test]
    fn date_arithmetic_keeps_the_calendar() {
        let t = Temporal::parse_date("2024-01-31");
        let next = t.and_then(|t| t.shifted(Decimal::from_int(1), "month"));
        assert_eq!(next.map(|t| t.to_string()), Some("2024-02-29".into()));
        let t = Temporal::parse_date_time("2024-12-31T23:00:00Z");
        let next = t.and_then(|t| t.shifted(Decimal::from_int(2), "hours"));
        assert_eq!(
            next.map(|t| t.to_string()),
            Some("2025-01-01T01:00:00Z".into())
        );
    }
}
