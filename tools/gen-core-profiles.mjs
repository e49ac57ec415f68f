// Builds data/fhir-r4-profiles.json: FHIR R4's own Vital Signs profiles (vitalsigns and the eleven
// built on it: body weight, blood pressure, BMI...) and the UCUM value sets they bind, which every
// guide loaded with them may build on (US Core's vital signs profiles do). src/ig/ loads them
// before the guides a validator is given, in the builds that read guides.
//   node tools/gen-core-profiles.mjs           writes the file
//   node tools/gen-core-profiles.mjs --check   fails if the committed file differs
//
// Source: HL7's own R4 definitions in the npm package hl7.fhir.r4.examples 4.0.1 (as
// tools/gen-model.mjs). Each StructureDefinition keeps what src/ig/compile.rs reads: its url,
// names, type, base and differential, whose elements keep their ids, paths, cardinality, types,
// fixed and pattern values, bindings, slicing, must-support flags, conditions and constraints
// (their prose and mappings are left out). The LOINC codes the profiles fix are the vital signs codes
// data/plausible-ranges.tsv already names (keys only) and the two panels' codes (vital signs
// panel, blood pressure panel); the generator fails on any other, and leaves out the one value
// set of LOINC content (observation-vitalsignresult), whose binding is then not checked.
import { writeOrCheck } from './generated.mjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const spec = join(here, 'node_modules', 'hl7.fhir.r4.examples');
const read = (file) => JSON.parse(readFileSync(join(spec, file), 'utf8'));
const fail = (why) => { console.error(`gen-core-profiles: ${why}`); process.exit(1); };

const version = read('package.json').version;
if (version !== '4.0.1') fail(`hl7.fhir.r4.examples is ${version}, expected 4.0.1`);

const PROFILES = ['vitalsigns', 'vitalspanel', 'resprate', 'heartrate', 'oxygensat', 'bodytemp',
  'bodyheight', 'headcircum', 'bodyweight', 'bmi', 'bp'];
const VALUE_SETS = ['ucum-bodylength', 'ucum-bodytemp', 'ucum-bodyweight', 'ucum-vitals-common'];

const ELEMENT_KEYS = ['id', 'path', 'sliceName', 'min', 'max', 'type', 'binding', 'slicing',
  'mustSupport', 'isModifier', 'condition', 'constraint'];
const keepElement = (e) => {
  const out = {};
  for (const [key, value] of Object.entries(e)) {
    if (ELEMENT_KEYS.includes(key) || /^(fixed|pattern)[A-Z]/.test(key)) out[key] = value;
  }
  if (out.binding) out.binding = pick(out.binding, ['strength', 'valueSet']);
  if (out.slicing) out.slicing = pick(out.slicing, ['discriminator', 'ordered', 'rules']);
  if (out.constraint) out.constraint = out.constraint.map((c) => pick(c, ['key', 'severity', 'human', 'expression']));
  return out;
};
const pick = (o, keys) => Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));

const PANELS = ['85353-1', '85354-9'];
const loinc = new Set([...PANELS, ...readFileSync(join(here, '..', 'data', 'plausible-ranges.tsv'), 'utf8')
  .split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split('\t')[0])]);

const resources = [];
for (const id of PROFILES) {
  const sd = read(`StructureDefinition-${id}.json`);
  const elements = sd.differential.element.map(keepElement);
  // The LOINC codes a profile fixes are keys ehrlint already carries, and no others.
  const text = JSON.stringify(elements);
  if (text.includes('http://loinc.org')) {
    for (const e of elements) {
      const code = e.fixedCode;
      if (code && /^\d+-\d$/.test(code) && !loinc.has(code)) fail(`${id}: LOINC ${code} is neither a key of data/plausible-ranges.tsv nor a panel`);
    }
  }
  resources.push({
    ...pick(sd, ['resourceType', 'url', 'version', 'name', 'title', 'status', 'kind', 'abstract', 'type',
      'baseDefinition', 'derivation']),
    differential: { element: elements },
  });
}
for (const id of VALUE_SETS) {
  const vs = read(`ValueSet-${id}.json`);
  if (JSON.stringify(vs.compose).includes('http://loinc.org')) fail(`${id}: LOINC content`);
  resources.push(pick(vs, ['resourceType', 'url', 'version', 'name', 'title', 'status', 'compose']));
}

const text = `{"source":"npm hl7.fhir.r4.examples ${version} (CC0-1.0)","resources":[\n`
  + resources.map((r) => JSON.stringify(r)).join(',\n') + '\n]}\n';
writeOrCheck(join(here, '..', 'data', 'fhir-r4-profiles.json'), text, 'node tools/gen-core-profiles.mjs',
  `: ${PROFILES.length} profiles, ${VALUE_SETS.length} value sets`);
