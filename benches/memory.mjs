// Peak memory of the native CLI against the size of its input: `ehrlint validate` on generated
// Bundles of Patients and their Observations (1 MB and 20 MB by default; the 20 MB one also
// with a warning in every entry) and on the same entries as an NDJSON stream, each measured with /usr/bin/time -v (maximum resident set
// size). Prints, per input, its size, the peak RSS, the peak above the CLI's own (a one-record
// run: the model and code tables) and both divided by the size.
//
//   node benches/memory.mjs                    1 MB and 20 MB Bundles, the 20 MB as NDJSON
//   node benches/memory.mjs --entries 100000   one Bundle of that many entries, and as NDJSON
//                                              (at most 100,000: limits.maxArrayLength)
//   node benches/memory.mjs --bin PATH         another build of the CLI (default target/release/ehrlint)
//
// Run after `cargo build --release` (or scripts/build.sh). Files go to target/bench/memory/.
// The entries are generated from a fixed seed: every run and every build reads the same bytes.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rng } from './records.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
const opt = (name) => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
const bin = opt('--bin') ?? join(root, 'target', 'release', 'ehrlint');
const dir = join(root, 'target', 'bench', 'memory');
const AS_OF = '2026-04-01';

if (!existsSync(bin)) throw new Error(`${bin} is missing: run cargo build --release first`);
if (!existsSync('/usr/bin/time')) throw new Error('/usr/bin/time (GNU time) is needed for the peak RSS');

const pad = (n) => String(n).padStart(2, '0');
const GIVEN = ['Mary', 'Linh', 'Aisha', 'Sofia', 'James', 'Peter', 'Omar', 'Diego', 'Wei', 'Noah'];
const FAMILY = ['Nguyen', 'Smith', 'Garcia', 'Chalmers', 'Okafor', 'Kowalski', 'Haddad', 'Tanaka'];
// LOINC vital signs with their UCUM units: [code, unit, low, high].
const VITALS = [['8867-4', '/min', 55, 100], ['9279-1', '/min', 12, 20], ['8310-5', 'Cel', 36, 37],
  ['29463-7', 'kg', 50, 100], ['8302-2', 'cm', 155, 190], ['59408-5', '%', 94, 99]];

/** The entries, about 440 bytes each, valid under the default profile (no issues): every fifth a Patient, the four after it that Patient's
 *  vital signs (coded, dated, with a UCUM quantity, referring to the Patient's entry). */
function* entries(count, seed = 1) {
  const r = rng(seed);
  let patient = 0;
  for (let i = 0; i < count; i++) {
    if (i % 5 === 0) {
      patient = i;
      yield {
        fullUrl: `http://example.org/fhir/Patient/p${i}`,
        resource: {
          resourceType: 'Patient', id: `p${i}`,
          identifier: [{ system: 'http://hospital.example.org/mrn', value: `${r.int(100000, 999999)}` }],
          name: [{ family: r.pick(FAMILY), given: [r.pick(GIVEN)] }],
          gender: r.pick(['female', 'male']),
          birthDate: `${r.int(1940, 2000)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`,
          telecom: [{ system: 'phone', value: `555-01${r.int(10, 99)}` }],
          address: [{ city: 'Boston', state: 'MA', postalCode: `021${r.int(10, 99)}` }],
        },
      };
    } else {
      const [code, unit, lo, hi] = r.pick(VITALS);
      yield {
        fullUrl: `http://example.org/fhir/Observation/o${i}`,
        resource: {
          resourceType: 'Observation', id: `o${i}`, status: 'final',
          category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs' }] }],
          code: { coding: [{ system: 'http://loinc.org', code }] },
          subject: { reference: `Patient/p${patient}` },
          effectiveDateTime: `2025-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`,
          valueQuantity: { value: r.int(lo, hi), system: 'http://unitsofmeasure.org', code: unit },
        },
      };
    }
  }
}

/** Writes a Bundle of `count` entries (one per line, as exporters pretty-print less), the
 *  same resources as NDJSON, and the Bundle with a warning in every entry (no identifier on a
 *  Patient, no category on an Observation: the report is then as large as the input); returns
 *  the three paths. */
function write(count) {
  mkdirSync(dir, { recursive: true });
  const bundle = join(dir, `bundle-${count}.json`);
  const warned = join(dir, `bundle-${count}-warnings.json`);
  const ndjson = join(dir, `resources-${count}.ndjson`);
  const list = [...entries(count)];
  const asBundle = (items) => `{"resourceType":"Bundle","type":"collection","entry":[\n${items.map((e) => JSON.stringify(e)).join(',\n')}\n]}\n`;
  writeFileSync(bundle, asBundle(list));
  const withWarnings = list.map(({ fullUrl, resource: { identifier, category, ...rest } }) => ({ fullUrl, resource: rest }));
  writeFileSync(warned, asBundle(withWarnings));
  writeFileSync(ndjson, `${list.map((e) => JSON.stringify(e.resource)).join('\n')}\n`);
  return { bundle, warned, ndjson };
}

/** Peak RSS in bytes of one `ehrlint validate` of `file`. */
function peak(file) {
  const args = ['-v', bin, 'validate', '--as-of', AS_OF, '--max-bytes', '1000000000', file];
  const run = spawnSync('/usr/bin/time', args, { encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'ignore', 'pipe'] });
  const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr);
  if (!m) throw new Error(`no RSS from /usr/bin/time: ${run.stderr.slice(-500)}`);
  if (run.status !== 0 && run.status !== 1) throw new Error(`ehrlint exited ${run.status}: ${run.stderr.slice(-500)}`);
  return Number(m[1]) * 1024;
}

const mb = (n) => (n / 1e6).toFixed(1);
// Entries for a Bundle of about `megabytes` MB, from the size of the first 1,000.
const perEntry = [...entries(1000)].reduce((n, e) => n + JSON.stringify(e).length + 2, 0) / 1000;
const forSize = (megabytes) => Math.round((megabytes * 1e6) / perEntry);
const counts = opt('--entries') ? [Number(opt('--entries'))] : [forSize(1), forSize(20)];
const one = join(dir, 'one.json');
mkdirSync(dir, { recursive: true });
writeFileSync(one, JSON.stringify([...entries(1)][0].resource));
const base = peak(one);
console.log(`ehrlint validate of one Patient: peak RSS ${mb(base)} MB (the model and code tables)`);
console.log('input | size MB | peak RSS MB | RSS / size | (RSS - one record) / size');
console.log('---|---|---|---|---');
for (const count of counts) {
  const { bundle, warned, ndjson } = write(count);
  const files = [[`Bundle of ${count} entries`, bundle]];
  // For the largest input only: the Bundle with a warning in every entry, and the NDJSON
  // stream (its memory does not grow with the file).
  if (count === Math.max(...counts)) {
    files.push([`Bundle of ${count} entries, a warning in each`, warned]);
    files.push([`NDJSON, ${count} lines`, ndjson]);
  }
  for (const [name, file] of files) {
    const size = statSync(file).size;
    const rss = peak(file);
    console.log(`${name} | ${mb(size)} | ${mb(rss)} | ${(rss / size).toFixed(1)} | ${((rss - base) / size).toFixed(1)}`);
  }
}
