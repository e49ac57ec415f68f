//! Input as users hand it over, read the same way by every binding: NDJSON line by line (a
//! FHIR Bulk Data export), one record's outcome (its report, or why it was not checked) and
//! that outcome as JSON and as a FHIR OperationOutcome.

use std::io::{self, BufRead};

use serde::Serialize;
use serde_json::Value;

use super::context::InputError;
use crate::limits::Limits;
use crate::report::{Issue, OperationOutcome, OutcomeIssue, Report};

/// One record of an input: its resourceType and id as given, and its report, or the reason it
/// is not a resource that could be checked (not JSON, not an object, over a limit).
#[derive(Debug)]
pub struct Checked {
    pub resource_type: Option<String>,
    pub id: Option<String>,
    pub result: Result<Report, InputError>,
}

/// A writer that passes everything on but its last byte, kept in `last`.
struct HoldLast<'a, W: io::Write> {
    out: &'a mut W,
    last: Option<u8>,
}

impl<W: io::Write> io::Write for HoldLast<'_, W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let Some((&end, rest)) = buf.split_last() else {
            return Ok(0);
        };
        if let Some(b) = self.last.take() {
            self.out.write_all(&[b])?;
        }
        self.out.write_all(rest)?;
        self.last = Some(end);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

impl Checked {
    /// No error in the report; an input that could not be checked is not valid.
    pub fn valid(&self) -> bool {
        matches!(&self.result, Ok(report) if report.valid)
    }

    /// The outcome in its JSON form (`RecordOutcome`).
    pub fn outcome(&self) -> RecordOutcome<'_> {
        match &self.result {
            Ok(report) => RecordOutcome::Checked {
                resource_type: self.resource_type.as_deref().unwrap_or_default(),
                id: self.id.as_deref(),
                valid: report.valid,
                issues: &report.issues,
            },
            Err(e) => RecordOutcome::NotChecked {
                valid: false,
                error: e.to_string(),
            },
        }
    }

    /// The outcome's JSON form with `place` added, saying where the record was read: one line
    /// of the CLI's `--format json` (`"source"`: file and line), one item of the JS API's
    /// `validateNdjson` (`"line"`).
    pub fn to_json(&self, place: (&str, Value)) -> Value {
        let mut out = serde_json::to_value(self.outcome()).unwrap_or_default();
        if let Some(fields) = out.as_object_mut() {
            fields.insert(place.0.to_string(), place.1);
        }
        out
    }

    /// `to_json`, written as JSON text to `out` as it is made: a Bundle with many issues has a
    /// report as large as itself, and its JSON value would take several times that again.
    pub fn write_json(&self, place: (&str, &Value), out: &mut impl io::Write) -> io::Result<()> {
        // The outcome is an object: its closing brace is held back, and the place goes in
        // before it as its last member, as `to_json` puts it.
        let mut held = HoldLast { out, last: None };
        serde_json::to_writer(&mut held, &self.outcome())?;
        let empty = held.last == Some(b'{');
        if let Some(b) = held.last.take().filter(|&b| b != b'}') {
            held.out.write_all(&[b])?;
        }
        let out = held.out;
        if !empty {
            out.write_all(b",")?;
        }
        serde_json::to_writer(&mut *out, place.0)?;
        out.write_all(b":")?;
        serde_json::to_writer(&mut *out, place.1)?;
        out.write_all(b"}")
    }

    /// The report as a FHIR OperationOutcome; an input that is not a resource is one `fatal`
    /// issue of type `structure` saying why.
    pub fn to_operation_outcome(&self) -> OperationOutcome {
        match &self.result {
            Ok(report) => report.to_operation_outcome(),
            Err(e) => OperationOutcome::new(vec![OutcomeIssue::text(
                "fatal",
                "structure",
                e.to_string(),
            )]),
        }
    }
}

/// One record's outcome as JSON: its report's issues, or why it could not be checked (not
/// JSON, not a resource, over a limit).
#[derive(Debug, Serialize)]
#[serde(untagged)]
#[cfg_attr(feature = "typescript", derive(ts_rs::TS))]
pub enum RecordOutcome<'a> {
    Checked {
        #[serde(rename = "resourceType")]
        resource_type: &'a str,
        id: Option<&'a str>,
        /// No issue is an error.
        valid: bool,
        issues: &'a [Issue],
    },
    NotChecked {
        #[cfg_attr(feature = "typescript", ts(type = "false"))]
        valid: bool,
        /// Why the record could not be checked.
        error: String,
    },
}

/// Why reading NDJSON stopped before its end.
#[derive(Debug)]
pub enum NdjsonStop {
    /// The input could not be read at this line (numbered from 1).
    Read { line: usize, error: io::Error },
    /// The caller's function failed (standard output closed, say): its error.
    Caller(io::Error),
}

impl std::fmt::Display for NdjsonStop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NdjsonStop::Read { line, error } => {
                write!(f, "reading stopped at line {line}: {error}")
            }
            NdjsonStop::Caller(error) => write!(f, "{error}"),
        }
    }
}

/// Calls `f` with each non-blank line of NDJSON, numbered from 1 (a final `\r` removed),
/// holding at most `limits.max_bytes` of one line in memory: a longer line is passed as its
/// limit error and one that is not UTF-8 as an input error, and the lines after it go on.
pub fn ndjson_lines(
    mut reader: impl BufRead,
    limits: &Limits,
    mut f: impl FnMut(usize, Result<&str, InputError>) -> io::Result<()>,
) -> Result<(), NdjsonStop> {
    let mut line = Vec::new();
    let (mut number, mut size) = (0usize, 0u64);
    loop {
        let buf = match reader.fill_buf() {
            Ok(b) => b,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(error) => {
                return Err(NdjsonStop::Read {
                    line: number + 1,
                    error,
                })
            }
        };
        let end = buf.is_empty();
        let (chunk, newline) = match memchr::memchr(b'\n', buf) {
            Some(i) => (buf.get(..i).unwrap_or_default(), true),
            None => (buf, false),
        };
        size += chunk.len() as u64;
        if size <= limits.max_bytes {
            line.extend_from_slice(chunk);
        }
        let used = chunk.len() + usize::from(newline);
        reader.consume(used);
        if newline || (end && size > 0) {
            number += 1;
            let result = match limits.check_size(size) {
                Err(e) => Err(InputError::Limit(e)),
                Ok(()) => std::str::from_utf8(&line)
                    .map_err(|_| InputError::Context("this line is not UTF-8 text".to_string())),
            };
            let blank = matches!(&result, Ok(text) if text.trim().is_empty());
            if !blank {
                f(number, result.map(|t| t.strip_suffix('\r').unwrap_or(t)))
                    .map_err(NdjsonStop::Caller)?;
            }
            line.clear();
            size = 0;
        } else if end {
            return Ok(());
        }
    }
}

/// Is this text NDJSON rather than one JSON document? It is when its first non-blank line is
/// a JSON value by itself (a pretty-printed document's first line, `{`, is not).
pub fn looks_like_ndjson(text: &str) -> bool {
    text.lines()
        .find(|l| !l.trim().is_empty())
        .is_some_and(|l| serde_json::from_str::<serde::de::IgnoredAny>(l).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(text: &[u8], limits: &Limits) -> Vec<(usize, Result<String, String>)> {
        let mut seen = Vec::new();
        ndjson_lines(text, limits, |n, line| {
            seen.push((n, line.map(str::to_string).map_err(|e| e.to_string())));
            Ok(())
        })
        .unwrap();
        seen
    }

    #[test]
    fn reads_each_non_blank_line_with_its_number() {
        let text = b"{\"a\":1}\r\n\n  \n{\"b\":2}\n{\"c\":3}";
        let got = lines(text, &Limits::default());
        let want = [(1, "{\"a\":1}"), (4, "{\"b\":2}"), (5, "{\"c\":3}")];
        assert_eq!(
            got,
            want.map(|(n, l)| (n, Ok(l.to_string()))).to_vec(),
            "blank lines are skipped but counted, a final \\r is dropped, a last line needs no newline"
        );
    }

    #[test]
    fn a_long_or_broken_line_is_reported_for_itself_and_the_rest_go_on() {
        let limits = Limits {
            max_bytes: 10,
            ..Limits::default()
        };
        let mut text = b"{\"a\":1}\n".to_vec();
        text.extend_from_slice(&[b'x'; 50]);
        text.extend_from_slice(b"\n\xff\xfe\n{\"b\":2}\n");
        let got = lines(&text, &limits);
        assert_eq!(got.len(), 4);
        assert_eq!(got[0], (1, Ok("{\"a\":1}".to_string())));
        assert!(
            matches!(&got[1], (2, Err(e)) if e.contains("50 bytes")),
            "{:?}",
            got[1]
        );
        assert!(
            matches!(&got[2], (3, Err(e)) if e.contains("not UTF-8")),
            "{:?}",
            got[2]
        );
        assert_eq!(got[3], (4, Ok("{\"b\":2}".to_string())));
    }

    #[test]
    fn the_callers_error_stops_reading() {
        let mut calls = 0;
        let stop = ndjson_lines(&b"{}\n{}\n{}\n"[..], &Limits::default(), |_, _| {
            calls += 1;
            Err(io::Error::new(io::ErrorKind::BrokenPipe, "closed"))
        });
        assert!(matches!(stop, Err(NdjsonStop::Caller(_))));
        assert_eq!(calls, 1);
    }

    #[test]
    fn tells_ndjson_from_one_document() {
        assert!(looks_like_ndjson("\n{\"resourceType\":\"Patient\"}\n{}"));
        assert!(!looks_like_ndjson("{\n  \"resourceType\": \"Patient\"\n}"));
        assert!(!looks_like_ndjson(""));
    }

    #[test]
    fn an_input_that_is_not_a_resource_is_one_fatal_issue() {
        let checked = Checked {
            resource_type: None,
            id: None,
            result: Err(InputError::NoResourceType),
        };
        assert!(!checked.valid());
        let outcome = serde_json::to_value(checked.to_operation_outcome()).unwrap();
        assert_eq!(outcome["resourceType"], "OperationOutcome");
        assert_eq!(outcome["issue"][0]["severity"], "fatal");
        assert_eq!(outcome["issue"][0]["code"], "structure");
        assert_eq!(
            outcome["issue"][0]["details"]["text"],
            InputError::NoResourceType.to_string()
        );
        let line = checked.to_json(("line", 7.into()));
        assert_eq!(line["line"], 7);
        assert_eq!(line["valid"], false);
        assert_eq!(line["error"], InputError::NoResourceType.to_string());
        assert_eq!(written(&checked, ("line", &7.into())), line.to_string());
    }

    fn written(checked: &Checked, place: (&str, &Value)) -> String {
        let mut out = Vec::new();
        checked.write_json(place, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn written_as_it_is_made_the_json_is_to_json_as_text() {
        let v = crate::Validator::new(crate::Options::default()).unwrap();
        let ctx = crate::Context::default();
        for text in [
            r#"{"resourceType":"Patient","id":"p\"1","birthDate":"2099-01-01","gender":"x"}"#,
            r#"{"resourceType":"Patient","id":"ok","identifier":[{"value":"1"}],"name":[{"family":"A"}],"gender":"male","birthDate":"1970-01-01"}"#,
            r#"[1]"#,
        ] {
            let checked = v.check_text(Ok(text), &ctx);
            let place = Value::from("file.ndjson:3 {\"}");
            let json = checked.to_json(("source", place.clone()));
            assert_eq!(
                written(&checked, ("source", &place)),
                json.to_string(),
                "{text}"
            );
        }
    }
}
