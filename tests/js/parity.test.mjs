// The same record gives the same issues in Rust (target/parity/rust.json, written by
// `cargo test --test fixtures`), in the CLI and in the Wasm builds (Node, web and full); and
// the invariants (tests/invariants/) the same in the CLI, Node and the full browser build,
// while the default browser build says it evaluates none.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from 'ehrlint';
import { initSync, Validator as WebValidator } from 'ehrlint/web';
import { initSync as initFull, Validator as FullValidator } from 'ehrlint/full';
import { cliNdjson, expected, fixtures, fixtureText, root } from './helpers.mjs';

const rustDump = join(root, 'target', 'parity', 'rust.json');
const cli = join(root, 'target', 'release', 'ehrlint');

function cliIssues(name, ...flags) {
  let out;
  try {
    out = execFileSync(cli, ['validate', '--format', 'json', ...flags, name], { cwd: fixtures, encoding: 'utf8' });
  } catch (e) {
    out = e.stdout; // exit 1: the record has errors
  }
  return JSON.parse(out.trim()).issues;
}

/** The .wasm beside a browser build's entry (`ehrlint/web`, `ehrlint/full`). */
const wasmOf = (entry) => readFileSync(new URL(import.meta.resolve(entry)).pathname.replace(/ehrlint\.js$/, 'ehrlint_bg.wasm'));
initSync({ module: wasmOf('ehrlint/web') });
initFull({ module: wasmOf('ehrlint/full') });

test('Rust, CLI, Wasm (Node) and Wasm (web, full) give identical issues', () => {
  assert.ok(existsSync(rustDump), 'run `cargo test --test fixtures` first (scripts/test.sh does)');
  assert.ok(existsSync(cli), 'run scripts/build.sh first');
  const rust = JSON.parse(readFileSync(rustDump, 'utf8'));
  const node = new Validator();
  const web = new WebValidator();
  const full = new FullValidator();
  let compared = 0;
  for (const [name] of expected()) {
    const text = fixtureText(name);
    const want = rust[name];
    assert.ok(want, `${name} missing from the Rust dump`);
    assert.deepEqual(node.validateJson(text), want, `${name}: Wasm (Node) vs Rust`);
    assert.deepEqual(node.validate(JSON.parse(text)), want, `${name}: Wasm validate(object) vs Rust`);
    assert.deepEqual(web.validateJson(text), want, `${name}: Wasm (web) vs Rust`);
    assert.deepEqual(full.validateJson(text), want, `${name}: Wasm (full) vs Rust`);
    assert.deepEqual(cliIssues(name), want.issues, `${name}: CLI vs Rust`);
    compared++;
  }
  assert.equal(compared, expected().length);
});

test('the CLI with --locale es says what the Wasm build with locale es says', () => {
  const es = new Validator({ locale: 'es' });
  const en = new Validator();
  let translated = 0;
  for (const [name] of expected()) {
    const issues = es.validateJson(fixtureText(name)).issues;
    assert.deepEqual(cliIssues(name, '--locale', 'es'), issues, `${name}: CLI vs Wasm, in Spanish`);
    const english = en.validateJson(fixtureText(name)).issues;
    translated += issues.filter((issue, i) => issue.message !== english[i].message).length;
  }
  assert.ok(translated > 20, `only ${translated} messages differ in Spanish`);
});

test('NDJSON and input that is not a resource: the CLI and the Wasm give the same lines', () => {
  const fromCli = cliNdjson('batch.ndjson');
  const text = fixtureText('batch.ndjson');
  const fromWasm = new Validator().validateNdjson(text);
  assert.deepEqual(fromWasm, fromCli);
  // Both kinds of line are there: resources with their issues, and a line that is not JSON.
  assert.ok(fromWasm.some((r) => r.error && r.valid === false), 'a line reported as not JSON');
  assert.ok(fromWasm.some((r) => r.issues?.length > 0), 'a resource with issues');
  assert.deepEqual(fromWasm.map((r) => r.line), [1, 2, 3, 5], 'blank line 4 counted, not reported');
});

test('the invariants: the CLI, Node and the full browser build agree; the default browser build evaluates none', () => {
  // The options of tests/invariant_fixtures.rs: the best-practice invariants reported too.
  const options = { asOf: '2026-04-01', rules: { severity: { 'dom-6': 'warning', 'con-3': 'warning' } } };
  const dir = join(root, 'tests', 'invariants');
  const records = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      const fixture = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      return [fixture.invalid, fixture.valid].map((r) => JSON.stringify(r));
    });
  assert.ok(records.length >= 160, `${records.length} records`);
  const work = join(root, 'target', 'parity');
  mkdirSync(work, { recursive: true });
  writeFileSync(join(work, 'invariants.ndjson'), records.join('\n') + '\n');
  writeFileSync(join(work, 'invariants-config.json'), JSON.stringify(options));
  const fromCli = cliNdjson(join(work, 'invariants.ndjson'), '--config', join(work, 'invariants-config.json'));
  const node = new Validator(options);
  const full = new FullValidator(options);
  const web = new WebValidator(options);
  assert.equal(node.evaluatesInvariants, true, 'Node build');
  assert.equal(full.evaluatesInvariants, true, 'full browser build');
  assert.equal(web.evaluatesInvariants, false, 'default browser build');
  const text = records.join('\n');
  const fromNode = node.validateNdjson(text);
  assert.deepEqual(fromNode, fromCli, 'Node vs CLI');
  assert.deepEqual(full.validateNdjson(text), fromCli, 'full browser build vs CLI');
  const keys = new Set(fromNode.flatMap((r) => r.issues.filter((i) => i.invariant).map((i) => i.invariant)));
  assert.ok(keys.size >= 70, `only ${keys.size} invariants reported`);
  const fromWeb = web.validateNdjson(text);
  assert.deepEqual(fromWeb.flatMap((r) => r.issues.filter((i) => i.code === 'invariant')), [], 'default browser build');
  // Apart from the invariants, the default build says what the others say.
  const other = (lines) => lines.map((r) => r.issues.filter((i) => i.code !== 'invariant'));
  assert.deepEqual(other(fromWeb).map((l) => l.length), other(fromNode).map((l) => l.length));
});
