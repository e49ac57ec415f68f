//! JavaScript bindings (wasm-bindgen). Thin: convert the input, call the core, convert back.
//! Bad input throws a JS `Error`; nothing here can trap, so the instance stays usable. Should
//! the Wasm trap all the same, the package's JS wrapper restarts it (pkg-templates/guard.js).
//! No panic hook is set: a panic writes nothing to the console (its message could quote the
//! record); the wrapper's Error is the report.

#![deny(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;

use crate::{Context, InputError, Limits, Options};

// The types the calls take and return, written from the Rust types by src/typescript.rs
// (tests/typescript.rs keeps the file up to date).
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &str = include_str!("../pkg-templates/types.d.ts");

fn js_error(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

/// A JS string as Rust text. One longer than `maxBytes` in UTF-16 units is refused before it
/// is copied into Wasm memory (its UTF-8 bytes are never fewer), so an oversized input leaves
/// no lasting growth of the Wasm memory; the exact byte count is checked when parsing.
fn js_text(text: &JsValue, limits: &Limits) -> Result<String, String> {
    let Some(js) = text.dyn_ref::<js_sys::JsString>() else {
        return Err("JSON text must be a string".into());
    };
    limits
        .check_size(u64::from(js.length()))
        .map_err(|e| e.to_string().replacen("is ", "is at least ", 1))?;
    let text = utf8(js)?;
    fault_injection(&text);
    Ok(text)
}

#[wasm_bindgen]
extern "C" {
    /// The platform's UTF-8 encoder (every browser and Node has one).
    type TextEncoder;
    #[wasm_bindgen(constructor)]
    fn new() -> TextEncoder;
    #[wasm_bindgen(method, js_name = encodeInto)]
    fn encode_into(
        this: &TextEncoder,
        source: &js_sys::JsString,
        destination: &js_sys::Uint8Array,
    ) -> EncodeIntoResult;
    type EncodeIntoResult;
    #[wasm_bindgen(method, getter)]
    fn read(this: &EncodeIntoResult) -> u32;
    #[wasm_bindgen(method, getter)]
    fn written(this: &EncodeIntoResult) -> u32;
}

thread_local! {
    static ENCODER: TextEncoder = TextEncoder::new();
}

/// A JS string's UTF-8 bytes, encoded by the platform straight into Wasm memory: the glue's
/// own copy of a `String` argument goes character by character in JS, which was a tenth of a
/// typical record's validation. Room for one byte per UTF-16 unit first (all of ASCII text);
/// only what is left after a non-ASCII character gets three per unit, as the glue does, so a
/// large ASCII input never reserves three times its size.
fn utf8(js: &js_sys::JsString) -> Result<String, String> {
    let units = js.length();
    let mut bytes: Vec<u8> = Vec::with_capacity(units as usize);
    let mut read = 0u32;
    // Two rounds at most: the second has room for three bytes per unit left.
    for round in 0..2 {
        if read >= units {
            break;
        }
        let rest;
        let source = if read == 0 {
            js
        } else {
            rest = js.slice(read, units);
            &rest
        };
        let left = (units - read) as usize;
        bytes.reserve(if round == 0 { left } else { left * 3 });
        let spare = bytes.spare_capacity_mut();
        let done = ENCODER.with(|encoder| {
            // SAFETY: the view covers capacity that `bytes` owns and nothing else, and lives
            // only for this call of encodeInto, which allocates nothing in Wasm memory (so the
            // memory cannot grow under the view) and writes at most the view's length.
            let view =
                unsafe { js_sys::Uint8Array::view_mut_raw(spare.as_mut_ptr().cast(), spare.len()) };
            encoder.encode_into(source, &view)
        });
        let written = (done.written() as usize).min(spare.len());
        // SAFETY: encodeInto initialised the first `written` bytes of the spare capacity.
        unsafe { bytes.set_len(bytes.len() + written) };
        read += done.read();
    }
    if read < units {
        return Err("the text could not be read".into());
    }
    String::from_utf8(bytes).map_err(|_| "the text is not valid Unicode".into())
}

/// A JS string read as UTF-8 a piece at a time (`PIECE` UTF-16 units), so that NDJSON of any
/// length enters Wasm memory one piece and one line at a time, never whole: the memory a
/// Bulk export takes is bounded by the per-line limit, not by the export.
struct JsStringReader<'a> {
    js: &'a js_sys::JsString,
    /// The next UTF-16 unit to read.
    at: u32,
    piece: Vec<u8>,
    /// Bytes of `piece` already consumed.
    used: usize,
}

impl<'a> JsStringReader<'a> {
    const PIECE: u32 = 1 << 16;

    fn new(js: &'a js_sys::JsString) -> Self {
        JsStringReader {
            js,
            at: 0,
            piece: Vec::new(),
            used: 0,
        }
    }
}

impl std::io::Read for JsStringReader<'_> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = {
            let available = std::io::BufRead::fill_buf(self)?;
            for (to, from) in out.iter_mut().zip(available) {
                *to = *from;
            }
            available.len().min(out.len())
        };
        std::io::BufRead::consume(self, n);
        Ok(n)
    }
}

impl std::io::BufRead for JsStringReader<'_> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        let units = self.js.length();
        if self.used >= self.piece.len() && self.at < units {
            let mut end = self.at.saturating_add(Self::PIECE).min(units);
            // A piece never ends between the two halves of a surrogate pair: each half alone
            // would be encoded as U+FFFD. PIECE > 1, so the piece is never empty.
            let last = self.js.char_code_at(end - 1) as u32;
            if end < units && (0xD800..0xDC00).contains(&last) {
                end -= 1;
            }
            let text = utf8(&self.js.slice(self.at, end))
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
            fault_injection(&text);
            self.piece = text.into_bytes();
            self.used = 0;
            self.at = end;
        }
        Ok(self.piece.get(self.used..).unwrap_or_default())
    }

    fn consume(&mut self, n: usize) {
        self.used = (self.used + n).min(self.piece.len());
    }
}

/// Test builds only (the `fault-injection` feature, never in the published package): input
/// holding a marker makes the Wasm fail as a bug would, so that tests/js can show that the
/// package's JS wrapper reports it and restarts the validator.
#[cfg(feature = "fault-injection")]
#[allow(clippy::panic)]
fn fault_injection(text: &str) {
    if text.contains("ehrlint-fault-injection:panic") {
        panic!("fault injection");
    }
    if text.contains("ehrlint-fault-injection:memory") {
        // Past the end of any Wasm memory: the engine traps ("memory access out of bounds").
        // SAFETY: none; the point is the trap, in test builds only.
        unsafe { core::ptr::read_volatile(0xffff_fff0 as *const u64) };
    }
}

#[cfg(not(feature = "fault-injection"))]
fn fault_injection(_: &str) {}

/// The JSON text of a JS value (JSON.stringify, which refuses cycles and BigInts with a clear
/// error), or undefined for one that has none (a function, a symbol). JSON.stringify itself
/// overflows the JS stack on an object some thousands of levels deep: that is the depth limit.
fn stringify(value: &JsValue, what: &str, limits: &Limits) -> Result<JsValue, JsError> {
    js_sys::JSON::stringify(value).map(JsValue::from).map_err(|e| {
        let error = e.dyn_ref::<js_sys::Error>();
        let name = error.map(|e| String::from(e.name())).unwrap_or_default();
        if name == "RangeError" || name == "InternalError" {
            return js_error(format!(
                "{what}: nesting deeper than {} levels, too deep even to be read as JSON (limits.maxDepth)",
                limits.max_depth
            ));
        }
        let detail = error.map(|e| String::from(e.message())).unwrap_or_default();
        js_error(format!("{what} cannot be read as JSON: {detail}"))
    })
}

/// A JS value given as JSON (options, context, a field's value); `undefined` and `null` mean
/// none. It goes through JSON.stringify and the parser, within `limits`: a 10,000-deep value is
/// refused at the depth limit, never overflowing the Wasm stack.
fn json_arg(
    value: Option<&JsValue>,
    what: &str,
    limits: &Limits,
) -> Result<Option<crate::json::Value>, JsError> {
    let Some(value) = value.filter(|v| !v.is_undefined() && !v.is_null()) else {
        return Ok(None);
    };
    let text = stringify(value, what, limits)?;
    // A function or a symbol stringifies to undefined, not to text.
    if text.is_undefined() {
        return Err(js_error(format!("{what} cannot be read as JSON")));
    }
    let text = js_text(&text, limits).map_err(|e| js_error(format!("{what}: {e}")))?;
    crate::parse_with_limits(&text, limits)
        .map(Some)
        .map_err(|e| js_error(format!("{what}: {e}")))
}

fn context_arg(value: Option<&JsValue>, limits: &Limits) -> Result<Context, JsError> {
    match json_arg(value, "context", limits)? {
        None => Ok(Context::default()),
        Some(v) => Context::from_value(v).map_err(|e| js_error(format!("context: {e}"))),
    }
}

/// Reports and report-shaped values are the library's own output: only depth is limited.
fn unlimited() -> Limits {
    Limits {
        max_bytes: u64::MAX,
        max_array_length: u64::MAX,
        max_string_length: u64::MAX,
        ..Limits::default()
    }
}

/// A value handed to JS: written as JSON text here and parsed by the platform's JSON.parse,
/// so that one string crosses the boundary instead of a call for every property and string.
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(js_error)?;
    js_sys::JSON::parse(&text).map_err(|_| js_error("the result could not be handed to JS"))
}

// A report (and a session's change, and a field's issues) is handed to JS as its strings in
// one text and the rest as numbers, and built into objects by the snippet below: V8's
// JSON.parse took 1.5 µs for a report of one issue, and 3 µs or more for a few, a sixth of a
// typical validation; building the objects from the pieces takes a fifth of that. The objects are those `to_js` would give, property for
// property and in the same order (tests/js/parity.test.mjs compares them with the Rust
// report's JSON for every fixture, one with text that is not ASCII among them).
#[wasm_bindgen(inline_js = r#"
const SEVERITY = ['error', 'warning', 'information'];
const CATEGORY = ['structure', 'completeness', 'accuracy', 'consistency'];
export function ehrlintIssues(text, layout) {
  return read(text, layout, { at: 0, k: 0 });
}
export function ehrlintChange(text, layout) {
  const pos = { at: 0, k: 0 };
  const added = read(text, layout, pos);
  const removed = read(text, layout, pos);
  const now = read(text, layout, pos);
  const later = read(text, layout, pos);
  return { added, removed, now, later, issues: read(text, layout, pos) };
}
export function ehrlintReport(text, layout, score) {
  const pos = { at: 0, k: 0 };
  const valid = layout[pos.k++] === 1;
  const issues = read(text, layout, pos);
  const required = { present: layout[pos.k++], total: layout[pos.k++] };
  const mustSupport = { present: layout[pos.k++], total: layout[pos.k++] };
  const missing = new Array(layout[pos.k++]);
  for (let i = 0; i < missing.length; i++) missing[i] = next(text, layout, pos);
  return { valid, issues, completeness: { score, required, mustSupport, missing } };
}
// The next string: its length is the next number.
function next(text, layout, pos) {
  const n = layout[pos.k++];
  const s = text.substring(pos.at, pos.at + n);
  pos.at += n;
  return s;
}
function read(text, layout, pos) {
  const str = () => next(text, layout, pos);
  const issues = new Array(layout[pos.k++]);
  for (let i = 0; i < issues.length; i++) {
    const severity = SEVERITY[layout[pos.k++]];
    const category = CATEGORY[layout[pos.k++]];
    const issue = { severity, category, code: str(), path: str(), expression: str(), message: str() };
    const suggestions = layout[pos.k++];
    if (suggestions > 0) {
      issue.suggestions = new Array(suggestions);
      for (let j = 0; j < suggestions; j++) issue.suggestions[j] = str();
    }
    if (layout[pos.k++] === 1) issue.invariant = str();
    issues[i] = issue;
  }
  return issues;
}
"#)]
extern "C" {
    #[wasm_bindgen(js_name = ehrlintReport)]
    fn report_from(text: &str, layout: &[u32], score: f64) -> JsValue;
    #[wasm_bindgen(js_name = ehrlintIssues)]
    fn issues_from(text: &str, layout: &[u32]) -> JsValue;
    #[wasm_bindgen(js_name = ehrlintChange)]
    fn change_from(text: &str, layout: &[u32]) -> JsValue;
}

/// The strings of a report in one text, and its numbers and string lengths (in UTF-16 units,
/// as JS indexes strings) in one list, in the order the snippet above reads them.
#[derive(Default)]
struct Pieces {
    text: String,
    layout: Vec<u32>,
}

impl Pieces {
    fn number(&mut self, n: usize) {
        self.layout.push(u32::try_from(n).unwrap_or(u32::MAX));
    }

    fn string(&mut self, s: &str) {
        self.text.push_str(s);
        let units = if s.is_ascii() {
            s.len()
        } else {
            s.encode_utf16().count()
        };
        self.number(units);
    }

    fn issues(&mut self, issues: &[crate::Issue]) {
        use crate::report::{Category, Severity};
        self.number(issues.len());
        for i in issues {
            self.number(match i.severity {
                Severity::Error => 0,
                Severity::Warning => 1,
                Severity::Information => 2,
            });
            self.number(match i.category {
                Category::Structure => 0,
                Category::Completeness => 1,
                Category::Accuracy => 2,
                Category::Consistency => 3,
            });
            for s in [i.code, &i.path, &i.expression, &i.message] {
                self.string(s);
            }
            self.number(i.suggestions.len());
            for s in &i.suggestions {
                self.string(s);
            }
            match i.invariant {
                Some(key) => {
                    self.number(1);
                    self.string(key);
                }
                None => self.number(0),
            }
        }
    }
}

/// A report as JS objects (see the snippet above).
fn report_to_js(report: &crate::Report) -> JsValue {
    let mut p = Pieces::default();
    p.number(usize::from(report.valid));
    p.issues(&report.issues);
    let c = &report.completeness;
    for n in [
        c.required.present,
        c.required.total,
        c.must_support.present,
        c.must_support.total,
        c.missing.len(),
    ] {
        p.number(n);
    }
    for m in &c.missing {
        p.string(m);
    }
    report_from(&p.text, &p.layout, c.score)
}

/// A session's change as JS objects (see the snippet above).
fn change_to_js(change: &crate::session::Change) -> JsValue {
    let mut p = Pieces::default();
    for list in [
        &change.added,
        &change.removed,
        &change.now,
        &change.later,
        &change.issues,
    ] {
        p.issues(list);
    }
    change_from(&p.text, &p.layout)
}

/// Issues as JS objects (see the snippet above).
fn issues_to_js(issues: &[crate::Issue]) -> JsValue {
    let mut p = Pieces::default();
    p.issues(issues);
    issues_from(&p.text, &p.layout)
}

/// The compiled guides (`ehrlint ig pack`'s files, as a Uint8Array or an ArrayBuffer) among
/// `options.ig`, taken out: the other options, and the guides given as JSON, go on as JSON in a
/// copy of the options (the caller's object is left as it is). Compiled guides load before the
/// guides given as JSON.
fn take_packs(options: Option<JsValue>) -> Result<(Option<JsValue>, Vec<Vec<u8>>), JsError> {
    let Some(object) = options.filter(JsValue::is_object) else {
        return Ok((None, Vec::new()));
    };
    let key = JsValue::from_str("ig");
    let ig = js_sys::Reflect::get(&object, &key)
        .map_err(|_| js_error("invalid options: ig cannot be read"))?;
    if !js_sys::Array::is_array(&ig) {
        return Ok((Some(object), Vec::new()));
    }
    let (mut packs, rest) = (Vec::new(), js_sys::Array::new());
    for item in js_sys::Array::from(&ig).iter() {
        if let Some(bytes) = item.dyn_ref::<js_sys::Uint8Array>() {
            packs.push(bytes.to_vec());
        } else if let Some(buffer) = item.dyn_ref::<js_sys::ArrayBuffer>() {
            packs.push(js_sys::Uint8Array::new(buffer).to_vec());
        } else {
            rest.push(&item);
        }
    }
    if packs.is_empty() {
        return Ok((Some(object), packs));
    }
    let copy = js_sys::Object::assign(&js_sys::Object::new(), object.unchecked_ref());
    let copied = match rest.length() {
        0 => js_sys::Reflect::delete_property(&copy, &key),
        _ => js_sys::Reflect::set(&copy, &key, &rest),
    };
    copied.map_err(|_| js_error("invalid options: ig cannot be read"))?;
    Ok((Some(copy.into()), packs))
}

/// Validates FHIR R4 resources. Build once, validate many.
#[wasm_bindgen(js_name = Validator)]
pub struct WasmValidator {
    // Shared with the sessions it starts, which outlive no validator in JS terms but cannot
    // borrow across the boundary.
    inner: std::rc::Rc<crate::Validator>,
}

#[wasm_bindgen(js_class = Validator)]
impl WasmValidator {
    /// Builds the rule set and profile (the schemas are compiled in). Throws on unknown or
    /// malformed options.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_optional_param_type = "Options")] options: Option<JsValue>,
    ) -> Result<WasmValidator, JsError> {
        let (options, packs) = take_packs(options)?;
        let mut options: Options = match json_arg(options.as_ref(), "options", &unlimited())? {
            None => Options::default(),
            Some(v) => Options::from_json(v.into()).map_err(js_error)?,
        };
        if !packs.is_empty() {
            let mut ig: Vec<_> = packs.into_iter().map(crate::IgSource::Pack).collect();
            ig.extend(options.ig.take().unwrap_or_default());
            options.ig = Some(ig);
        }
        let inner = crate::Validator::new(options).map_err(js_error)?;
        Ok(WasmValidator {
            inner: std::rc::Rc::new(inner),
        })
    }

    /// Validates a resource given as a plain JS object. Throws if it is not an object with a
    /// `resourceType` string (what it is instead, as `validateJson` says it).
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn validate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "object")] resource: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Context")] context: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        // JSON text crosses into Wasm faster than a walk of the object (measured: see
        // ENVIRONMENT.md); JSON.stringify also refuses cycles and BigInts with a clear error.
        // The core then says what the value is if it is not a resource, as for validateJson.
        let text = stringify(&resource, "the resource", self.inner.limits())?;
        if text.is_undefined() {
            let found = if resource.is_undefined() {
                "undefined"
            } else {
                "a function or a symbol, which has no JSON form"
            };
            return Err(js_error(InputError::NotAnObject { found }));
        }
        self.validate_json(text, context)
    }

    /// Validates NDJSON text (one resource per line, as a FHIR Bulk Data export holds), each
    /// non-blank line on its own and within the limits per line (`options.limits`): one result
    /// per line, in order. A line that is not a resource is reported for its line; the others
    /// go on. Throws only when `text` is not a string or the context is malformed.
    #[wasm_bindgen(js_name = validateNdjson, unchecked_return_type = "NdjsonResult[]")]
    pub fn validate_ndjson(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Context")] context: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let Some(js) = text.dyn_ref::<js_sys::JsString>() else {
            return Err(js_error("NDJSON text must be a string"));
        };
        let context = context_arg(context.as_ref(), self.inner.limits())?;
        let lines = self
            .inner
            .validate_ndjson(JsStringReader::new(js), &context)
            .map_err(js_error)?;
        let items: Vec<Value> = lines
            .iter()
            .map(|(n, checked)| checked.to_json(("line", Value::from(*n))))
            .collect();
        to_js(&items)
    }

    /// Validates a resource given as JSON text. Throws if it is not JSON, not a resource, or
    /// over a limit (`options.limits`).
    #[wasm_bindgen(js_name = validateJson, unchecked_return_type = "Report")]
    pub fn validate_json(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] text: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "Context")] context: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let limits = self.inner.limits();
        let text = js_text(&text, limits).map_err(js_error)?;
        let context = context_arg(context.as_ref(), limits)?;
        let report = self
            .inner
            .validate_json(&text, &context)
            .map_err(js_error)?;
        Ok(report_to_js(&report))
    }

    /// Loads ICD-10-CM descriptions (the text of the package's `data/icd10cm-descriptions.tsv`,
    /// fetched when convenient) so that messages name codes. Returns how many were loaded.
    /// Everything works without them.
    #[wasm_bindgen(js_name = loadDescriptions)]
    pub fn load_descriptions(&self, text: String) -> Result<u32, JsError> {
        let n = self.inner.load_descriptions(text).map_err(js_error)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    }

    /// Codes for what is being typed: ICD-10-CM by code prefix or words of the description
    /// (words need the descriptions loaded), ICD-10-PCS by code prefix; only codes valid on
    /// `asOf` (default: the validator's `asOf` option, else today), at most `limit` (default 20,
    /// at most 1,000: `LookupOptions`). Throws on an unknown system or bad options.
    #[wasm_bindgen(unchecked_return_type = "LookupResult[]")]
    pub fn lookup(
        &self,
        system: &str,
        text: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "LookupOptions")] options: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let options = match json_arg(options.as_ref(), "lookup options", &Limits::default())? {
            None => crate::LookupOptions::default(),
            Some(v) => crate::LookupOptions::from_json(v.into()).map_err(js_error)?,
        };
        let found = self
            .inner
            .lookup(system, text, &options)
            .map_err(js_error)?;
        to_js(&found)
    }

    /// The issues of one element: its structure, its own rules, and the rules across fields
    /// that read it when `context.record` holds the rest of the record. `path`: FHIRPath-style
    /// (`Patient.birthDate`) or a JSON Pointer (`/birthDate`).
    #[wasm_bindgen(js_name = validateField, unchecked_return_type = "Issue[]")]
    pub fn validate_field(
        &self,
        #[wasm_bindgen(js_name = resourceType)] resource_type: &str,
        path: &str,
        value: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FieldContext")] context: Option<JsValue>,
    ) -> Result<JsValue, JsError> {
        let limits = self.inner.limits();
        let value = json_arg(Some(&value), "value", limits)?.ok_or_else(|| {
            js_error("validateField: give a value (undefined and null are not values)")
        })?;
        let context = context_arg(context.as_ref(), limits)?;
        let issues = self
            .inner
            .validate_field(resource_type, path, value, &context)
            .map_err(js_error)?;
        Ok(issues_to_js(&issues))
    }

    /// Starts an editing session on a record of `resourceType` (from `initial`, or empty).
    pub fn session(
        &self,
        #[wasm_bindgen(js_name = resourceType)] resource_type: &str,
        #[wasm_bindgen(unchecked_optional_param_type = "object")] initial: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "Context")] context: Option<JsValue>,
    ) -> Result<WasmSession, JsError> {
        let limits = self.inner.limits();
        let initial = json_arg(initial.as_ref(), "initial", limits)?;
        let context = context_arg(context.as_ref(), limits)?;
        let state = self
            .inner
            .session_state(resource_type, initial, context)
            .map_err(js_error)?;
        Ok(WasmSession {
            validator: self.inner.clone(),
            state,
        })
    }

    /// The resource types this validator checks.
    #[wasm_bindgen(getter, js_name = supportedTypes, unchecked_return_type = "string[]")]
    pub fn supported_types(&self) -> Result<JsValue, JsError> {
        to_js(&self.inner.supported_types())
    }

    /// Whether this build evaluates the invariants of the FHIR definitions (obs-6, per-1...):
    /// true in the package's Node and full/ builds, false in its default browser build, which
    /// leaves the FHIRPath engine out to keep its download small.
    #[wasm_bindgen(getter, js_name = evaluatesInvariants)]
    pub fn evaluates_invariants(&self) -> bool {
        crate::fhir::invariants::EVALUATED
    }
}

/// A record being edited: each `set` re-checks only what the edit can affect.
#[wasm_bindgen(js_name = Session)]
pub struct WasmSession {
    validator: std::rc::Rc<crate::Validator>,
    state: crate::session::SessionState,
}

#[wasm_bindgen(js_class = Session)]
impl WasmSession {
    /// Sets one element (FHIRPath-style or JSON Pointer path); `undefined` or `null` removes
    /// it, and marks it reached. Returns the change: the issues to show now and those held
    /// back (`later`: completeness issues about elements not reached yet), and what the edit
    /// added to and removed from those shown.
    #[wasm_bindgen(unchecked_return_type = "Change")]
    pub fn set(&mut self, path: &str, value: JsValue) -> Result<JsValue, JsError> {
        let value = json_arg(Some(&value), "value", self.validator.limits())?;
        let change = self
            .validator
            .session_set(&mut self.state, path, value)
            .map_err(js_error)?;
        Ok(change_to_js(&change))
    }

    /// Marks an element reached without changing it (the user left its field or section):
    /// completeness issues about it move from `later` to `now`. Returns the change.
    #[wasm_bindgen(unchecked_return_type = "Change")]
    pub fn touch(&mut self, path: &str) -> Result<JsValue, JsError> {
        let change = self
            .validator
            .session_touch(&mut self.state, path)
            .map_err(js_error)?;
        Ok(change_to_js(&change))
    }

    /// Marks the whole record reached (the user asks to check it, or submits): every issue
    /// moves to `now`. Returns the change.
    #[wasm_bindgen(js_name = touchAll, unchecked_return_type = "Change")]
    pub fn touch_all(&mut self) -> Result<JsValue, JsError> {
        Ok(change_to_js(&self.state.touch_all()))
    }

    /// The issues as they stand, split into `now` and `later` (`added` and `removed` empty).
    #[wasm_bindgen(unchecked_return_type = "Change")]
    pub fn current(&self) -> Result<JsValue, JsError> {
        Ok(change_to_js(&self.state.current()))
    }

    /// The full report of the record as it stands.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn report(&self) -> Result<JsValue, JsError> {
        Ok(report_to_js(self.state.report()))
    }

    /// The record as it stands.
    #[wasm_bindgen(unchecked_return_type = "object")]
    pub fn resource(&self) -> Result<JsValue, JsError> {
        to_js(self.state.resource())
    }

    /// How many record rules this session has run (the first check runs them all).
    #[wasm_bindgen(getter, js_name = ruleRuns)]
    pub fn rule_runs(&self) -> f64 {
        self.state.rule_runs() as f64
    }

    /// The codes of the rules the last edit re-ran.
    #[wasm_bindgen(getter, js_name = lastRun, unchecked_return_type = "string[]")]
    pub fn last_run(&self) -> Result<JsValue, JsError> {
        to_js(&self.state.last_run())
    }
}

/// Converts a report (as returned by `validate`) into a FHIR R4 OperationOutcome.
#[wasm_bindgen(js_name = toOperationOutcome, unchecked_return_type = "OperationOutcome")]
pub fn to_operation_outcome(
    #[wasm_bindgen(unchecked_param_type = "Report")] report: JsValue,
) -> Result<JsValue, JsError> {
    let report = json_arg(Some(&report), "report", &unlimited())?
        .ok_or_else(|| js_error("toOperationOutcome needs a report"))?;
    let outcome = crate::engine::operation_outcome_from_json(&report.into()).map_err(js_error)?;
    to_js(&outcome)
}
