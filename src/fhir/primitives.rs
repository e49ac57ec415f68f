//! FHIR R4 primitive data types, checked by hand rather than by regular expression: the checks
//! explain what is wrong (a clinician reads "February 1974 has 28 days", not a regex), they
//! check real calendar dates (the HL7 patterns accept 2020-02-30), and they cost nothing to
//! compile at start-up.
//!
//! Each `check_*` returns `Err(reason)` with a short reason (a `reason.<name>` message, put
//! into words in the validator's locale; `Display` gives English), or `Ok(())`.
//! Authority: FHIR R4 §2.24.0.1 "Primitive Types" (http://hl7.org/fhir/R4/datatypes.html#primitive).

use crate::messages::{text, Text};

/// Why a value is not of its primitive type: a short reason for the message.
pub type Reason = Text;

/// `February 1974 has 28 days`: one template per month, so that each locale names the month
/// in its own words.
fn days_in_month_reason(year: u16, month: u8, days: u8) -> Reason {
    match month {
        1 => text!("reason.days-in-month.1", year, days),
        2 => text!("reason.days-in-month.2", year, days),
        3 => text!("reason.days-in-month.3", year, days),
        4 => text!("reason.days-in-month.4", year, days),
        5 => text!("reason.days-in-month.5", year, days),
        6 => text!("reason.days-in-month.6", year, days),
        7 => text!("reason.days-in-month.7", year, days),
        8 => text!("reason.days-in-month.8", year, days),
        9 => text!("reason.days-in-month.9", year, days),
        10 => text!("reason.days-in-month.10", year, days),
        11 => text!("reason.days-in-month.11", year, days),
        _ => text!("reason.days-in-month.12", year, days),
    }
}

/// A calendar date or partial date, as FHIR `date` allows (year, year-month or full date).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct PartialDate {
    pub year: u16,
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// The first and last day the date may mean (`1974` -> 1974-01-01..1974-12-31).
    pub fn days(&self) -> (u32, u32) {
        let y = u32::from(self.year) * 10_000;
        match (self.month, self.day) {
            (Some(m), Some(d)) => {
                let day = y + u32::from(m) * 100 + u32::from(d);
                (day, day)
            }
            (Some(m), None) => (
                y + u32::from(m) * 100 + 1,
                y + u32::from(m) * 100 + u32::from(days_in_month(self.year, m)),
            ),
            _ => (y + 101, y + 1231),
        }
    }
}

/// `1974`, `1974-05` or `1974-05-02`, as written in FHIR.
impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}", self.year)?;
        if let Some(m) = self.month {
            write!(f, "-{m:02}")?;
            if let Some(d) = self.day {
                write!(f, "-{d:02}")?;
            }
        }
        Ok(())
    }
}

/// The day range of a FHIR date or dateTime value (the date part; a time does not matter for
/// code validity), or None when it is not a valid date.
pub fn day_range(value: &str) -> Option<(u32, u32)> {
    let date = value.split('T').next().unwrap_or(value);
    parse_date(date).ok().map(|d| d.days())
}

/// The earliest and latest instants a FHIR date or dateTime may mean, in seconds since
/// 1970-01-01 UTC. A date without a time spans its whole day in every time zone (-14:00 to
/// +14:00), so only values that cannot overlap compare as ordered. None when not valid.
pub fn instant_range(value: &str) -> Option<(i64, i64)> {
    check_date_time(value).ok()?;
    let (date, time) = match value.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (value, None),
    };
    let (first, last) = day_range(date)?;
    let days = |day: u32| days_from_civil(day / 10_000, day / 100 % 100, day % 100);
    let Some(time) = time else {
        const ZONE: i64 = 14 * 3600;
        return Some((
            days(first) * 86_400 - ZONE,
            days(last) * 86_400 + 86_399 + ZONE,
        ));
    };
    let b = time.as_bytes();
    let num = |r: std::ops::Range<usize>| time.get(r).and_then(|x| x.parse::<i64>().ok());
    let secs = num(0..2)? * 3600 + num(3..5)? * 60 + num(6..8)?;
    let zone_at = time.find(['Z', '+', '-'])?;
    let offset = match b.get(zone_at) {
        Some(b'Z') => 0,
        Some(sign) => {
            let z = &time[zone_at + 1..];
            let mins = z.get(0..2)?.parse::<i64>().ok()? * 60 + z.get(3..5)?.parse::<i64>().ok()?;
            if *sign == b'-' {
                -mins * 60
            } else {
                mins * 60
            }
        }
        None => return None,
    };
    let at = days(first) * 86_400 + secs - offset;
    Some((at, at))
}

/// A FHIR date, dateTime or instant as the span of moments it may mean, for ordering two
/// values: `1974` spans the whole year, a date without a time its whole day in every time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Moment {
    /// First and last day (YYYYMMDD) of the date as written.
    pub days: (u32, u32),
    /// Earliest and latest instant, in seconds since 1970-01-01 UTC.
    pub instants: (i64, i64),
    /// Whether a time (and so a time zone) was given.
    pub timed: bool,
}

impl Moment {
    /// None when the value is not a valid date, dateTime or instant.
    pub fn parse(value: &str) -> Option<Moment> {
        Some(Moment {
            days: day_range(value)?,
            instants: instant_range(value)?,
            timed: value.contains('T'),
        })
    }

    /// Whether every moment this may mean comes before every moment `later` may mean. Two
    /// dates without times share one calendar: their days compare. Once a time is involved,
    /// instants compare, a bare date spanning its day in every time zone (-14:00 to +14:00).
    /// So `1974` is not before `1974-05-02`, and `2024-05-01T23:30:00-05:00` is not before
    /// `2024-05-02T01:00:00Z` (it is 04:30 UTC).
    pub fn surely_before(&self, later: &Moment) -> bool {
        if !self.timed && !later.timed {
            self.days.1 < later.days.0
        } else {
            self.instants.1 < later.instants.0
        }
    }
}

/// Whether the date, dateTime or instant `a` surely comes before `b` (see
/// [`Moment::surely_before`]); false when either is not a valid value.
pub fn surely_before(a: &str, b: &str) -> bool {
    matches!((Moment::parse(a), Moment::parse(b)), (Some(a), Some(b)) if a.surely_before(&b))
}

/// Days since 1970-01-01 of a civil date (H. Hinnant's algorithm).
pub(crate) fn days_from_civil(y: u32, m: u32, d: u32) -> i64 {
    let (y, m, d) = (i64::from(y) - i64::from(m <= 2), i64::from(m), i64::from(d));
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

pub fn is_leap_year(year: u16) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if is_leap_year(year) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0')))
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD`, checking that the date exists.
pub fn parse_date(s: &str) -> Result<PartialDate, Reason> {
    let shape = || text!("reason.date-shape");
    let (year, month, day) = match *s.as_bytes() {
        [y1, y2, y3, y4] => ([y1, y2, y3, y4], None, None),
        [y1, y2, y3, y4, b'-', m1, m2] => ([y1, y2, y3, y4], Some([m1, m2]), None),
        [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2] => {
            ([y1, y2, y3, y4], Some([m1, m2]), Some([d1, d2]))
        }
        _ => return Err(shape()),
    };
    let year = digits(&year).ok_or_else(shape)? as u16;
    let month = month.map(|m| digits(&m).ok_or_else(shape)).transpose()?;
    let day = day.map(|d| digits(&d).ok_or_else(shape)).transpose()?;
    if year == 0 {
        return Err(text!("reason.year-zero"));
    }
    let mut date = PartialDate {
        year,
        month: None,
        day: None,
    };
    if let Some(month) = month {
        let month = month as u8;
        if !(1..=12).contains(&month) {
            return Err(text!("reason.month", month = format!("{month:02}")));
        }
        date.month = Some(month);
        if let Some(day) = day {
            let day = day as u8;
            let max = days_in_month(year, month);
            if day == 0 || day > max {
                return Err(days_in_month_reason(year, month, max));
            }
            date.day = Some(day);
        }
    }
    Ok(date)
}

/// Checks the `hh:mm:ss(.fff)` that `b` starts with and returns what follows it.
fn check_time_part(b: &[u8]) -> Result<&[u8], Reason> {
    let [h1, h2, b':', m1, m2, b':', s1, s2, rest @ ..] = b else {
        return Err(text!("reason.time-shape"));
    };
    let (h, m, s) = (
        digits(&[*h1, *h2]),
        digits(&[*m1, *m2]),
        digits(&[*s1, *s2]),
    );
    match (h, m, s) {
        (Some(h), Some(m), Some(s)) if h <= 23 && m <= 59 && s <= 60 => {}
        (Some(hour), Some(_), Some(_)) if hour > 23 => return Err(text!("reason.hour", hour)),
        (Some(_), Some(minute), Some(_)) if minute > 59 => {
            return Err(text!("reason.minute", minute))
        }
        (Some(_), Some(_), Some(second)) if second > 60 => {
            return Err(text!("reason.second", second))
        }
        _ => return Err(text!("reason.time-shape")),
    }
    match rest {
        [b'.', fraction @ ..] => {
            let n = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
            if n == 0 {
                return Err(text!("reason.seconds-fraction"));
            }
            Ok(fraction.get(n..).unwrap_or_default())
        }
        _ => Ok(rest),
    }
}

fn check_zone(b: &[u8]) -> Result<(), Reason> {
    let need = || text!("reason.time-zone");
    match b {
        [] => Err(need()),
        [b'Z'] => Ok(()),
        [sign, h1, h2, b':', m1, m2] if *sign == b'+' || *sign == b'-' => {
            let h = digits(&[*h1, *h2]).ok_or_else(need)?;
            let m = digits(&[*m1, *m2]).ok_or_else(need)?;
            if m > 59 || h > 14 || (h == 14 && m > 0) {
                Err(text!("reason.time-zone-range"))
            } else {
                Ok(())
            }
        }
        _ => Err(need()),
    }
}

pub fn check_date(s: &str) -> Result<(), Reason> {
    parse_date(s).map(|_| ())
}

/// `dateTime`: a partial or full date, or a full date with a time and a time zone.
pub fn check_date_time(s: &str) -> Result<(), Reason> {
    match s.split_once('T') {
        None => parse_date(s).map(|_| ()).map_err(|e| {
            if s.len() > 10 {
                text!("reason.date-time-shape")
            } else {
                e
            }
        }),
        Some((date, time)) => {
            if date.len() != 10 {
                return Err(text!("reason.time-needs-date"));
            }
            parse_date(date)?;
            check_zone(check_time_part(time.as_bytes())?)
        }
    }
}

/// `instant`: a full date, time and time zone.
pub fn check_instant(s: &str) -> Result<(), Reason> {
    if !s.contains('T') {
        return Err(text!("reason.instant-shape"));
    }
    check_date_time(s)
}

/// `time`: hh:mm:ss with optional fraction, no time zone.
pub fn check_time(s: &str) -> Result<(), Reason> {
    if check_time_part(s.as_bytes())?.is_empty() {
        Ok(())
    } else {
        Err(text!("reason.time-alone"))
    }
}

pub fn check_id(s: &str) -> Result<(), Reason> {
    if s.len() > 64 {
        return Err(text!("reason.id-length"));
    }
    if s.bytes()
        .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'.')
    {
        Ok(())
    } else {
        Err(text!("reason.id-characters"))
    }
}

pub fn check_code(s: &str) -> Result<(), Reason> {
    // The spec's regex `[^\s]+(\s[^\s]+)*` is XML Schema's, whose `\s` is space, tab, CR and
    // LF only: a no-break space is part of a code, not a space in it.
    let xsd_space = |c: char| matches!(c, ' ' | '\t' | '\r' | '\n');
    if s.starts_with(xsd_space) || s.ends_with(xsd_space) {
        return Err(text!("reason.code-edge-spaces"));
    }
    // Bytes, not chars: the four spaces are ASCII, and no byte of a longer UTF-8 sequence is.
    let mut prev_space = false;
    for c in s.bytes() {
        let space = matches!(c, b' ' | b'\t' | b'\r' | b'\n');
        if space && prev_space {
            return Err(text!("reason.code-double-spaces"));
        }
        prev_space = space;
    }
    Ok(())
}

pub fn check_string(s: &str) -> Result<(), Reason> {
    if has_control(s.as_bytes()) {
        return Err(text!("reason.control-characters"));
    }
    Ok(())
}

/// A control character other than tab, CR and LF. Bytes, not chars: a control character is one
/// ASCII byte, and every byte of a longer UTF-8 sequence is 0x80 or above. Every string of
/// every record passes here, so eight bytes at a time: a word with no byte below 0x20 (the
/// "has less than" bit trick) is passed whole, and only a word with one (a line break, say)
/// is looked at byte by byte.
fn has_control(bytes: &[u8]) -> bool {
    let control = |c: &u8| *c < 0x20 && !matches!(c, b'\t' | b'\r' | b'\n');
    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let Ok(word) = <[u8; 8]>::try_from(chunk).map(u64::from_le_bytes) else {
            return chunk.iter().any(control);
        };
        let below = word.wrapping_sub(0x2020_2020_2020_2020) & !word & 0x8080_8080_8080_8080;
        if below != 0 && chunk.iter().any(control) {
            return true;
        }
    }
    words.remainder().iter().any(control)
}

pub fn check_uri(s: &str) -> Result<(), Reason> {
    // ASCII's white space (tab to carriage return, space) by bytes; chars only for the rest of
    // Unicode's, in the rare uri that is not ASCII.
    let space = s.bytes().any(|c| matches!(c, b'\t'..=b'\r' | b' '))
        || (!s.is_ascii() && s.chars().any(char::is_whitespace));
    if space {
        Err(text!("reason.uri-spaces"))
    } else {
        Ok(())
    }
}

pub fn check_oid(s: &str) -> Result<(), Reason> {
    let why = || text!("reason.oid");
    let rest = s.strip_prefix("urn:oid:").ok_or_else(why)?;
    let mut parts = rest.split('.');
    let first = parts.next().ok_or_else(why)?;
    if !matches!(first, "0" | "1" | "2") {
        return Err(why());
    }
    let mut count = 0;
    for p in parts {
        count += 1;
        let ok = !p.is_empty()
            && p.bytes().all(|c| c.is_ascii_digit())
            && (p == "0" || !p.starts_with('0'));
        if !ok {
            return Err(why());
        }
    }
    if count == 0 {
        return Err(why());
    }
    Ok(())
}

pub fn check_uuid(s: &str) -> Result<(), Reason> {
    let why = || text!("reason.uuid");
    let rest = s.strip_prefix("urn:uuid:").ok_or_else(why)?;
    let groups: Vec<&str> = rest.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    if groups.len() != 5 {
        return Err(why());
    }
    for (g, len) in groups.iter().zip(lens) {
        if g.len() != len
            || !g
                .bytes()
                .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c))
        {
            return Err(why());
        }
    }
    Ok(())
}

pub fn check_base64(s: &str) -> Result<(), Reason> {
    let mut n = 0usize;
    let mut pad = 0usize;
    for c in s.bytes().filter(|c| !c.is_ascii_whitespace()) {
        match c {
            b'=' => pad += 1,
            _ if pad > 0 => return Err(text!("reason.base64-padding")),
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'+' | b'/' => {}
            _ => return Err(text!("reason.base64-characters")),
        }
        n += 1;
    }
    if pad > 2 || n % 4 != 0 {
        return Err(text!("reason.base64-groups"));
    }
    Ok(())
}

/// Elements that make a narrative active or interactive: FHIR narrative is display-only
/// (invariant txt-1 allows only basic formatting, links, images and style attributes), and a
/// narrative is shown to clinicians, so script here is an attack, not a format slip.
const ACTIVE_ELEMENTS: [&str; 16] = [
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "form", "input",
    "button", "select", "textarea", "link", "meta", "style", "base",
];

/// The five entities XML defines; HTML's (`&reg;`, `&nbsp;`) make the XHTML malformed.
const XML_ENTITIES: [&str; 5] = ["amp", "lt", "gt", "quot", "apos"];

/// Narrative XHTML: one `<div>`, no active content, only XML's entities. Nearly every record
/// carries a narrative, so this jumps from one `<` or `&` to the next (memchr) and looks only
/// at tags and entities, with no allocation.
pub fn check_xhtml(s: &str) -> Result<(), Reason> {
    let t = s.trim();
    if !(t.starts_with("<div") && (t.ends_with("</div>") || t.ends_with("/>"))) {
        return Err(text!("reason.xhtml-div"));
    }
    let mut rest = t.as_bytes();
    // txt-2: some text that is not white space, or an image; tags alone are no content.
    let mut content = false;
    while let Some(at) = memchr::memchr2(b'<', b'&', rest) {
        content = content || !rest.get(..at).unwrap_or_default().trim_ascii().is_empty();
        // `after`: everything after the `<` or `&`, to the end of the narrative.
        let Some((&mark, after)) = rest.get(at..).and_then(<[u8]>::split_first) else {
            break;
        };
        if mark == b'&' {
            check_entity(after)?;
            content = true;
            rest = after;
            continue;
        }
        let end = memchr::memchr(b'>', after).unwrap_or(after.len());
        let (tag, from_end) = after.split_at_checked(end).unwrap_or((after, &[]));
        check_tag(tag)?;
        content = content || is_image(tag);
        // Entities inside attribute values are checked too.
        for a in memchr::memchr_iter(b'&', tag) {
            check_entity(after.get(a + 1..).unwrap_or_default())?;
        }
        // Past the `>`, which is no content.
        rest = from_end.get(1..).unwrap_or_default();
    }
    content = content || !rest.trim_ascii().is_empty();
    if !content {
        return Err(text!("reason.xhtml-empty"));
    }
    Ok(())
}

/// Whether a tag's inside (`img src="x.png"`) opens an image.
fn is_image(tag: &[u8]) -> bool {
    tag.get(..3).is_some_and(|n| n.eq_ignore_ascii_case(b"img"))
        && tag.get(3).is_none_or(|c| !c.is_ascii_alphanumeric())
}

/// The inside of one tag (`p class="x"`, `/p`): no active element, no event attribute, no
/// `javascript:` URL.
fn check_tag(tag: &[u8]) -> Result<(), Reason> {
    let name = tag.strip_prefix(b"/").unwrap_or(tag);
    let len = name
        .iter()
        .take_while(|c| c.is_ascii_alphanumeric())
        .count();
    // Element names of interest are 4 to 8 letters: only those are compared, ignoring case.
    if (4..=8).contains(&len) {
        let name = name.get(..len).unwrap_or_default();
        if let Some(active) = ACTIVE_ELEMENTS
            .iter()
            .find(|a| a.as_bytes().eq_ignore_ascii_case(name))
        {
            return Err(text!("reason.xhtml-active", element = active));
        }
    }
    // Event attributes and javascript: URLs need an attribute value; most tags have none.
    if memchr::memchr(b'=', tag).is_none() {
        return Ok(());
    }
    // Jumps from one candidate letter to the next (memchr) rather than matching every byte:
    // most attributes are style, class and href values with few o's and j's.
    let event = memchr::memchr2_iter(b'o', b'O', tag).any(|k| is_event_attribute(tag, k));
    let script = memchr::memchr2_iter(b'j', b'J', tag)
        .any(|k| starts_with_ignore_case(tag.get(k..).unwrap_or_default(), b"javascript:"));
    if event || script {
        return Err(text!("reason.xhtml-scripted"));
    }
    Ok(())
}

fn starts_with_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    haystack
        .get(..needle.len())
        .is_some_and(|start| start.eq_ignore_ascii_case(needle))
}

/// `rest` follows an `&`: it must be one of XML's five entities or a numeric reference.
fn check_entity(rest: &[u8]) -> Result<(), Reason> {
    let len = rest.iter().take(12).take_while(|&&c| c != b';').count();
    let (name, after) = rest.split_at_checked(len).unwrap_or((rest, &[]));
    let terminated = after.first() == Some(&b';');
    let numeric = match name {
        [b'#', b'x' | b'X', hex @ ..] => !hex.is_empty() && hex.iter().all(u8::is_ascii_hexdigit),
        [b'#', dec @ ..] => !dec.is_empty() && dec.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if terminated && (numeric || XML_ENTITIES.iter().any(|e| e.as_bytes() == name)) {
        return Ok(());
    }
    Err(text!(
        "reason.xhtml-entity",
        entity = String::from_utf8_lossy(name)
    ))
}

/// An `onclick=`-style attribute starting at `i` inside a tag.
fn is_event_attribute(b: &[u8], i: usize) -> bool {
    let after_space = i
        .checked_sub(1)
        .and_then(|before| b.get(before))
        .is_some_and(u8::is_ascii_whitespace);
    if !after_space || !matches!(b.get(i + 1), Some(b'n' | b'N')) {
        return false;
    }
    let rest = b.get(i + 2..).unwrap_or_default();
    let name_len = rest.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let next = rest
        .iter()
        .skip(name_len)
        .find(|c| !c.is_ascii_whitespace());
    name_len > 0 && next == Some(&b'=')
}

/// Runs the check for a `fhir-*` schema format. Empty strings are reported separately (every
/// FHIR primitive forbids them), so this sees only non-empty values.
pub fn check_format(format: &str, s: &str) -> Result<(), Reason> {
    match format {
        "fhir-date" => check_date(s),
        "fhir-dateTime" => check_date_time(s),
        "fhir-instant" => check_instant(s),
        "fhir-time" => check_time(s),
        "fhir-id" => check_id(s),
        "fhir-code" => check_code(s),
        "fhir-string" => check_string(s),
        "fhir-uri" => check_uri(s),
        "fhir-oid" => check_oid(s),
        "fhir-uuid" => check_uuid(s),
        "fhir-base64Binary" => check_base64(s),
        "fhir-xhtml" => check_xhtml(s),
        _ => Ok(()),
    }
}

/// The formats that are dates or times (reported as `invalid-date` rather than `invalid-format`).
pub fn is_temporal_format(format: &str) -> bool {
    matches!(
        format,
        "fhir-date" | "fhir-dateTime" | "fhir-instant" | "fhir-time"
    )
}

/// The FHIR type name behind a `fhir-*` format, for messages.
pub fn format_type_name(format: &str) -> &str {
    match format {
        "fhir-base64Binary" => "base64Binary",
        other => other.strip_prefix("fhir-").unwrap_or(other),
    }
}

/// Every `fhir-*` format the generated schema uses.
pub const FORMATS: [&str; 12] = [
    "fhir-date",
    "fhir-dateTime",
    "fhir-instant",
    "fhir-time",
    "fhir-id",
    "fhir-code",
    "fhir-string",
    "fhir-uri",
    "fhir-oid",
    "fhir-uuid",
    "fhir-base64Binary",
    "fhir-xhtml",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_at_every_position() {
        let naive = |s: &str| {
            s.bytes()
                .any(|c| c < 0x20 && !matches!(c, b'\t' | b'\r' | b'\n'))
        };
        for len in 0..20 {
            for at in 0..len {
                for c in (0u8..0x20).chain([0x20, 0x7f, b'a']) {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = c;
                    let s = String::from_utf8(bytes).unwrap();
                    assert_eq!(check_string(&s).is_err(), naive(&s), "{s:?}");
                }
            }
        }
        // Multi-byte characters (bytes 0x80 and above) are never control characters.
        assert!(check_string("Ünïcode — 日本語 \u{1F600} text").is_ok());
        assert!(check_string("line one\nline two\ttab\r\n").is_ok());
        assert!(check_string("bell\u{7}").is_err());
    }

    #[test]
    fn dates_must_exist() {
        assert!(check_date("1974").is_ok());
        assert!(check_date("1974-05").is_ok());
        assert!(check_date("2024-02-29").is_ok());
        assert!(check_date("2000-02-29").is_ok());
        assert_eq!(
            check_date("1974-02-30").unwrap_err().to_string(),
            "February 1974 has 28 days"
        );
        assert_eq!(
            check_date("1900-02-29").unwrap_err().to_string(),
            "February 1900 has 28 days"
        );
        assert!(check_date("1974-13").is_err());
        assert!(check_date("1974-04-31").is_err());
        assert!(check_date("0000").is_err());
        assert!(check_date("74-01-01").is_err());
        assert!(check_date("1974-1-1").is_err());
        assert!(check_date("not a date").is_err());
        assert!(check_date("1974-05-02T10:00:00Z").is_err());
    }

    #[test]
    fn month_lengths_name_the_month_in_each_locale() {
        use crate::messages::Locale;
        let (en, es) = (Locale::En.catalogue(), Locale::Es.catalogue());
        let mut seen = std::collections::HashSet::new();
        for month in 1..=12u8 {
            let reason = parse_date(&format!("2023-{month:02}-32")).unwrap_err();
            let days = days_in_month(2023, month);
            assert!(en
                .render(&reason)
                .ends_with(&format!(" 2023 has {days} days")));
            assert!(es
                .render(&reason)
                .ends_with(&format!(" de 2023 tiene {days} días")));
            assert!(seen.insert(es.render(&reason)), "{month}");
        }
        assert_eq!(
            es.render(&parse_date("2024-02-30").unwrap_err()),
            "febrero de 2024 tiene 29 días"
        );
    }

    #[test]
    fn date_times_need_zones_with_times() {
        assert!(check_date_time("2015-02-07T13:28:17-05:00").is_ok());
        assert!(check_date_time("2015-02-07T13:28:17.239+02:00").is_ok());
        assert!(check_date_time("2015-02-07T13:28:17Z").is_ok());
        assert!(check_date_time("2015-02").is_ok());
        assert!(check_date_time("2015-02-07T13:28:17").is_err());
        assert!(check_date_time("2015-02-30T13:28:17Z").is_err());
        assert!(check_date_time("2015-02-07T24:00:00Z").is_err());
        assert!(check_date_time("2015-02-07T13:28Z").is_err());
        assert!(check_date_time("2015-02-07T13:28:17+15:00").is_err());
        assert!(check_date_time("2015-02-07T13:28:17.Z").is_err());
    }

    #[test]
    fn instants_are_complete() {
        assert!(check_instant("2015-02-07T13:28:17.239+02:00").is_ok());
        assert!(check_instant("2015-02-07").is_err());
        assert!(check_time("13:28:17").is_ok());
        assert!(check_time("13:28").is_err());
        assert!(check_time("13:28:17Z").is_err());
    }

    #[test]
    fn instants_order_with_zones_and_precision() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2024, 1, 1), 19_723);
        let a = instant_range("2024-05-02T09:00:00-04:00").unwrap();
        let b = instant_range("2024-05-02T13:30:00Z").unwrap();
        assert!(a.1 < b.0);
        // 09:00 in New York is after 14:00 in London the same day? No: 13:00Z < 13:30Z.
        assert!(instant_range("2024-05-02T14:00:00+01:00").unwrap().1 < b.0);
        // A whole day overlaps any time on it.
        let day = instant_range("2024-05-02").unwrap();
        assert!(day.0 <= a.0 && a.1 <= day.1);
        assert!(
            instant_range("2024").unwrap().1 > instant_range("2024-12-31T23:00:00Z").unwrap().0
        );
        assert_eq!(instant_range("2024-02-30"), None);
    }

    #[test]
    fn surely_before_needs_every_reading_in_order() {
        assert!(surely_before("1973", "1974-05-02"));
        assert!(!surely_before("1974", "1974-05-02"));
        assert!(!surely_before("1974-05-02", "1974"));
        assert!(surely_before("1974-05-01", "1974-05-02"));
        assert!(!surely_before("1974-05-02", "1974-05-02"));
        // 23:30 in Chicago is 04:30 UTC the next day.
        assert!(!surely_before(
            "2024-05-01T23:30:00-05:00",
            "2024-05-02T01:00:00Z"
        ));
        assert!(surely_before(
            "2024-05-02T01:00:00Z",
            "2024-05-01T23:30:00-05:00"
        ));
        // A bare date may be any day-long span from UTC-14 to UTC+14.
        assert!(!surely_before("2024-05-01", "2024-05-02T08:00:00+02:00"));
        assert!(surely_before("2024-04-30", "2024-05-02T08:00:00+02:00"));
        assert!(!surely_before("not a date", "2024-05-02"));
        let birth = parse_date("1974-05").unwrap();
        assert_eq!(birth.to_string(), "1974-05");
        assert_eq!(parse_date("0974-05-02").unwrap().to_string(), "0974-05-02");
    }

    #[test]
    fn other_primitives() {
        assert!(check_id("example-1.a").is_ok());
        assert!(check_id("bad_id").is_err());
        assert!(check_id(&"a".repeat(65)).is_err());
        assert!(check_code("final").is_ok());
        assert!(check_code("two words").is_ok());
        assert!(check_code(" final").is_err());
        assert!(check_code("two  words").is_err());
        assert!(check_string("line\nbreak\ttab").is_ok());
        assert!(check_string("bell\u{7}").is_err());
        assert!(check_uri("http://loinc.org").is_ok());
        assert!(check_uri("http://a b").is_err());
        assert!(check_oid("urn:oid:2.16.840.1.113883").is_ok());
        assert!(check_oid("urn:oid:3.1").is_err());
        assert!(check_oid("urn:oid:1.02").is_err());
        assert!(check_uuid("urn:uuid:a76d9bbf-f293-4fb7-ad4c-2851cac77162").is_ok());
        assert!(check_uuid("urn:uuid:A76D9BBF-f293-4fb7-ad4c-2851cac77162").is_err());
        assert!(check_base64("aGVsbG8=").is_ok());
        assert!(check_base64("aGVs bG8=").is_ok());
        assert!(check_base64("%%%2@()()").is_err());
        assert!(check_base64("aGVsbG8").is_err());
        assert!(check_xhtml("<div xmlns=\"http://www.w3.org/1999/xhtml\">x</div>").is_ok());
        // txt-2: some content that is not white space.
        let empty = |s: &str| check_xhtml(s) == Err(text!("reason.xhtml-empty"));
        assert!(empty(
            "<div xmlns=\"http://www.w3.org/1999/xhtml\">  </div>"
        ));
        assert!(empty("<div xmlns=\"http://www.w3.org/1999/xhtml\"/>"));
        assert!(empty("<div><p> </p>\n<br/></div>"));
        assert!(check_xhtml("<div><p>&#160;</p></div>").is_ok());
        assert!(check_xhtml("<div><img src=\"#photo\"/></div>").is_ok());
        assert!(empty("<div><imgx/></div>"));
        assert!(check_xhtml("plain text").is_err());
    }

    #[test]
    fn narrative_is_display_only_xml() {
        let ok = "<div xmlns=\"http://www.w3.org/1999/xhtml\"><p style=\"color: red\">a &amp; b &#174; &#xAE;</p><a href=\"#x\">link</a><b>online</b></div>";
        assert!(check_xhtml(ok).is_ok(), "{:?}", check_xhtml(ok));
        assert!(check_xhtml("<div><script>alert(1)</script></div>")
            .unwrap_err()
            .to_string()
            .contains("<script>"));
        assert!(check_xhtml("<div><SCRIPT src=x /></div>").is_err());
        assert!(check_xhtml("<div><p onclick=\"steal()\">x</p></div>").is_err());
        assert!(check_xhtml("<div><a href=\"javascript:steal()\">x</a></div>").is_err());
        assert!(check_xhtml("<div>&reg; 2024</div>")
            .unwrap_err()
            .to_string()
            .contains("'&reg;'"));
        assert!(check_xhtml("<div>fish & chips</div>").is_err());
        assert!(check_xhtml("<div><scripture>ok</scripture></div>").is_ok());
        // Any letter case, anywhere in the tag; an `o` or a `j` alone is no event or script.
        assert!(check_xhtml("<div><p class=\"x\" ONMouseOver=\"steal()\">x</p></div>").is_err());
        assert!(
            check_xhtml("<div><a title=\"go\" href=\"JavaScript:steal()\">x</a></div>").is_err()
        );
        assert!(check_xhtml("<div><a href=\"http://joy.example/on\">x</a></div>").is_ok());
    }

    /// The checks that read bytes where they read chars give the same verdicts on text
    /// beyond ASCII: only ASCII bytes can be controls or XML Schema spaces.
    #[test]
    fn byte_checks_agree_with_the_characters() {
        assert!(check_string("café \u{85} 東京").is_ok());
        assert!(check_string("caf\u{e9}\u{1b}").is_err());
        assert!(check_code("a\u{a0}\u{a0}b").is_ok());
        assert!(check_code("é  b").is_err());
        assert!(check_code("é\tb").is_ok());
        assert!(check_uri("http://a\u{b}b").is_err());
        assert!(check_uri("http://a\u{a0}b").is_err());
        assert!(check_uri("http://a\u{3000}b").is_err());
        assert!(check_uri("http://例え.jp/\u{1c}").is_ok());
    }
}
