// Quick Wasm figures in Node: module instantiation, `new Validator()`, per-resource time of
// `validate` (JS object in) and `validateJson` (text in) over the FHIR R4 spec examples of the
// supported types, and the gzipped size of the browser build.
// Run after scripts/build.sh: `node benches/quick.mjs`.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const web = process.env.EHRLINT_WEB_DIR ?? join(root, 'target', 'npm', 'ehrlint', 'web');
const { initSync, Validator } = await import(join(web, 'ehrlint.js'));

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const bytes = readFileSync(join(web, 'ehrlint_bg.wasm'));

let t = performance.now();
initSync({ module: bytes });
const instantiate = performance.now() - t;
const starts = [];
for (let i = 0; i < 20; i++) {
  t = performance.now();
  new Validator().free();
  starts.push(performance.now() - t);
}

const dir = join(root, 'tools', 'node_modules', 'hl7.fhir.r4.examples');
const validator = new Validator();
const supported = new Set(validator.supportedTypes);
const records = [];
for (const f of readdirSync(dir)) {
  if (!f.endsWith('.json') || f === 'package.json') continue;
  const text = readFileSync(join(dir, f), 'utf8');
  // Records, not the specification's own definition Bundles (3-35 MB, above the 10 MB input
  // limit): those are timed natively (`cargo bench --bench quick`).
  if (text.length > 1_000_000) continue;
  const value = JSON.parse(text);
  if (supported.has(value.resourceType)) records.push({ text, value });
}
for (const r of records) validator.validateJson(r.text); // warm up

const rounds = 50;
const perObject = [];
const perText = [];
for (const r of records) {
  const a = [];
  const b = [];
  for (let i = 0; i < rounds; i++) {
    t = performance.now();
    validator.validate(r.value);
    a.push(performance.now() - t);
    t = performance.now();
    validator.validateJson(r.text);
    b.push(performance.now() - t);
  }
  perObject.push(median(a));
  perText.push(median(b));
}
const glue = readFileSync(join(web, 'ehrlint.js'));
console.log(`Wasm instantiate: ${instantiate.toFixed(1)} ms; new Validator(): median ${median(starts).toFixed(2)} ms`);
console.log(`${records.length} spec examples: validate(object) median ${(median(perObject) * 1000).toFixed(1)} us, validateJson(text) median ${(median(perText) * 1000).toFixed(1)} us per resource`);
console.log(`browser build: .wasm ${(bytes.length / 1024).toFixed(0)} KB raw, ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(0)} KB gzipped; JS glue ${(gzipSync(glue, { level: 9 }).length / 1024).toFixed(1)} KB gzipped`);

// The same records as one NDJSON text (a Bulk export): validateNdjson, which copies the text
// into Wasm memory a piece at a time, against validateJson called line by line.
const ndjsonLines = records.map((r) => JSON.stringify(r.value));
const ndjson = ndjsonLines.join('\n');
const ndjsonRuns = [];
const lineRuns = [];
for (let i = 0; i < 3; i++) {
  t = performance.now();
  validator.validateNdjson(ndjson);
  ndjsonRuns.push(performance.now() - t);
  t = performance.now();
  for (const line of ndjsonLines) validator.validateJson(line);
  lineRuns.push(performance.now() - t);
}
const mbPerS = (ms) => (ndjson.length / 1e3 / ms).toFixed(1);
console.log(`NDJSON of the same records (${(ndjson.length / 1e6).toFixed(1)} MB): validateNdjson ${mbPerS(median(ndjsonRuns))} MB/s, validateJson line by line ${mbPerS(median(lineRuns))} MB/s`);

// Code lookup as a coder types, with the descriptions loaded.
validator.loadDescriptions(readFileSync(join(root, 'data', 'icd10cm-descriptions.tsv'), 'utf8'));
t = performance.now();
validator.lookup('icd10cm', 'dia', { asOf: '2026-04-01' });
const indexMs = performance.now() - t;
for (const [label, query] of [['code prefix "E11"', 'E11'], ['3 letters "dia"', 'dia'],
  ['words "type 2 diabetes"', 'type 2 diabetes'], ['words "fracture femur"', 'fracture femur']]) {
  const times = [];
  for (let i = 0; i < 50; i++) {
    t = performance.now();
    validator.lookup('icd10cm', query, { limit: 20, asOf: '2026-04-01' });
    times.push(performance.now() - t);
  }
  console.log(`lookup ${label.padEnd(26)} median ${(median(times) * 1000).toFixed(1)} us (20 results)`);
}
console.log(`lookup word index, built on the first word query: ${indexMs.toFixed(0)} ms`);

// Entry-time checks in Wasm: one field, and one session edit, on common fields.
const patient = JSON.parse(readFileSync(join(root, 'tests', 'fixtures', 'valid', 'patient.json'), 'utf8'));
const timeIt = (f) => {
  const times = [];
  for (let i = 0; i < 200; i++) {
    t = performance.now();
    f(i);
    times.push(performance.now() - t);
  }
  return (median(times) * 1000).toFixed(1);
};
console.log(`validateField Patient.birthDate median ${timeIt(() => validator.validateField('Patient', 'Patient.birthDate', '1974-12-25'))} us`);
console.log(`validate, the same Patient whole (for comparison) median ${timeIt(() => validator.validate(patient))} us`);
const session = validator.session('Patient', patient);
console.log(`session.set Patient.birthDate median ${timeIt((i) => session.set('Patient.birthDate', i % 2 ? '1974-12-25' : '1974-12-26'))} us`);
