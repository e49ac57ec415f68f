// The same record gives the same issues in Rust (target/parity/rust.json, written by
// `cargo test --test fixtures`), in the CLI and in the Wasm builds (Node and web).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from 'ehrlint';
import { initSync, Validator as WebValidator } from 'ehrlint/web';
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

test('Rust, CLI, Wasm (Node) and Wasm (web) give identical issues', () => {
  assert.ok(existsSync(rustDump), 'run `cargo test --test fixtures` first (scripts/test.sh does)');
  assert.ok(existsSync(cli), 'run scripts/build.sh first');
  const rust = JSON.parse(readFileSync(rustDump, 'utf8'));
  const node = new Validator();
  const wasmPath = new URL(import.meta.resolve('ehrlint/web')).pathname.replace(/ehrlint\.js$/, 'ehrlint_bg.wasm');
  initSync({ module: readFileSync(wasmPath) });
  const web = new WebValidator();
  let compared = 0;
  for (const [name] of expected()) {
    const text = fixtureText(name);
    const want = rust[name];
    assert.ok(want, `${name} missing from the Rust dump`);
    assert.deepEqual(node.validateJson(text), want, `${name}: Wasm (Node) vs Rust`);
    assert.deepEqual(node.validate(JSON.parse(text)), want, `${name}: Wasm validate(object) vs Rust`);
    assert.deepEqual(web.validateJson(text), want, `${name}: Wasm (web) vs Rust`);
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
