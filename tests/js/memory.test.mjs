// A long shift: 200,000 varied records (the FHIR R4 spec examples of the supported types and
// mutated copies: other dates, codes and values, fields removed, unknown properties added)
// through validate, validateJson, validateField and editing sessions. The WebAssembly memory
// (sampled every 20,000 records) must stop growing once every kind of record has been seen:
// nothing leaks per record.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { initSync, Validator } from 'ehrlint/web';
import { root } from './helpers.mjs';

const TOTAL = 200_000;
const EVERY = 20_000;

/** A small deterministic random source (mulberry32), so that a failure can be replayed. */
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

test('200,000 varied records: the WebAssembly memory stops growing', { timeout: 180_000 }, (t) => {
  const exports = initSync({ module: readFileSync(join(root, 'target', 'npm', 'ehrlint', 'web', 'ehrlint_bg.wasm')) });
  const validator = new Validator({ asOf: '2024-05-01' });
  const supported = new Set(validator.supportedTypes);
  const dir = join(root, 'tools', 'node_modules', 'hl7.fhir.r4.examples');
  const bases = [];
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json') || name === 'package.json') continue;
    const text = readFileSync(join(dir, name), 'utf8');
    // Records as a form or an interface sends them (the median spec example is 2.8 KB); the
    // whole-specification Bundles (megabytes of definitions) are not records.
    if (text.length > 8_000) continue;
    const record = JSON.parse(text);
    if (supported.has(record.resourceType)) bases.push(record);
  }
  assert.ok(bases.length > 120, `${bases.length} spec examples`);

  const rand = random(20240501);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const digits = (n) => String(Math.floor(rand() * 10 ** n)).padStart(n, '0');
  const date = () => `${1900 + Math.floor(rand() * 130)}-${pick(['01', '02', '06', '12', '13'])}-${pick(['01', '15', '28', '30', '31'])}`;
  const codes = ['E11.9', 'E11', 'I10', 'Z00.00', 'O80', 'P07.30', 'J45.909', '8867-4', '8480-6', '29463-7', 'XYZ', '0DTJ4ZZ'];
  /** A copy of a spec example, changed in one to four ways (what is changed is copied). */
  function variant() {
    const record = { ...pick(bases) };
    for (let n = 1 + Math.floor(rand() * 4); n > 0; n--) {
      const keys = Object.keys(record).filter((k) => k !== 'resourceType');
      switch (Math.floor(rand() * 6)) {
        case 0: delete record[pick(keys)]; break;
        case 1: record[`unknown${digits(4)}`] = digits(6); break;
        case 2: record.id = `v-${digits(8)}`; break;
        case 3:
          for (const k of ['birthDate', 'effectiveDateTime', 'onsetDateTime', 'recordedDate', 'authoredOn', 'occurrenceDateTime', 'performedDateTime']) {
            if (k in record) record[k] = date();
          }
          break;
        case 4: {
          for (const k of ['code', 'vaccineCode']) {
            if (record[k]?.coding?.[0]) {
              record[k] = structuredClone(record[k]);
              record[k].coding[0].code = pick(codes);
            }
          }
          break;
        }
        default: record.text = { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml">${digits(12)}</div>` };
      }
    }
    return record;
  }

  const samples = [];
  let errors = 0;
  const start = Date.now();
  for (let i = 1; i <= TOTAL; i++) {
    const kind = i % 20;
    try {
      if (kind < 9) validator.validate(variant());
      else if (kind < 18) validator.validateJson(JSON.stringify(variant()));
      else if (kind === 18) {
        const field = pick([['Patient', 'Patient.birthDate', date()], ['Patient', 'Patient.gender', pick(['male', 'mal', 'female'])],
          ['Observation', 'Observation.valueQuantity.value', Math.floor(rand() * 300)], ['Condition', 'Condition.onsetDateTime', date()]]);
        validator.validateField(...field);
      } else {
        const session = validator.session('Patient', { resourceType: 'Patient', id: `s-${digits(6)}` }, { asOf: '2024-05-01' });
        session.set('Patient.birthDate', date());
        session.set('Patient.gender', pick(['male', 'mal', 'female']));
        session.set('Patient.name.family', `Family ${digits(5)}`);
        session.report();
        session.free();
      }
    } catch {
      errors += 1; // a variant that is not a resource any more: an Error, as for any input
    }
    if (i % EVERY === 0) samples.push(exports.memory.buffer.byteLength);
  }
  const seconds = (Date.now() - start) / 1000;
  t.diagnostic(`${TOTAL} records in ${seconds.toFixed(1)} s (${errors} refused as input errors); memory every ${EVERY}: ${samples.map((b) => (b / 2 ** 20).toFixed(1) + ' MiB').join(', ')}`);
  // After the first 40,000 (every spec example seen many times), the memory stays as it is.
  const settled = samples.slice(2);
  assert.deepEqual(settled, settled.map(() => settled[0]), `memory grew after the warm-up: ${samples.join(', ')}`);
});
