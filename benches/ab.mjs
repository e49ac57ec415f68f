// Two or more Wasm builds side by side, in one Node process and in turn, so that a change
// smaller than the drift between separate runs still shows: each round validates every spec
// example under 1 MB with each build (validateJson, then validate(object)) and times one
// new Validator(); the median round is printed per build.
// Usage: node benches/ab.mjs DIR DIR...  (each a wasm-bindgen --target web output directory,
// e.g. target/npm/ehrlint/web and a copy of it built another way).
import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dirs = process.argv.slice(2).map((d) => resolve(d));
if (dirs.length < 2) {
  console.error('usage: node benches/ab.mjs DIR DIR...');
  process.exit(2);
}
const builds = [];
for (const dir of dirs) {
  const glue = await import(join(dir, 'ehrlint.js'));
  glue.initSync({ module: readFileSync(join(dir, 'ehrlint_bg.wasm')) });
  builds.push({ dir, glue, validator: new glue.Validator(), json: [], object: [], start: [] });
}
const examples = join(root, 'tools', 'node_modules', 'hl7.fhir.r4.examples');
const records = [];
for (const f of readdirSync(examples)) {
  if (!f.endsWith('.json') || f === 'package.json') continue;
  const text = readFileSync(join(examples, f), 'utf8');
  if (text.length < 1_000_000) records.push({ text, value: JSON.parse(text) });
}
for (const b of builds) for (const r of records) b.validator.validateJson(r.text); // warm up

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const perRecord = (ms) => (ms * 1000) / records.length;
for (let round = 0; round < 7; round++) {
  for (const b of builds) {
    let t = performance.now();
    for (const r of records) b.validator.validateJson(r.text);
    b.json.push(perRecord(performance.now() - t));
    t = performance.now();
    for (const r of records) b.validator.validate(r.value);
    b.object.push(perRecord(performance.now() - t));
    t = performance.now();
    new b.glue.Validator().free();
    b.start.push(performance.now() - t);
  }
}
console.log(`${records.length} spec examples, mean per record, median of 7 rounds:`);
for (const b of builds) {
  console.log(`${b.dir}: validateJson ${median(b.json).toFixed(1)} us, validate(object) ${median(b.object).toFixed(1)} us, new Validator() ${median(b.start).toFixed(2)} ms`);
}
