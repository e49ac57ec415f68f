// A Vite app (no configuration file, no plugin) that imports ehrlint, built with `vite build`
// in a fresh project that installs the packed tarball, and run in Chromium under a strict CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openInChromium, project, recordsModule, viteBuild } from '../../tools/consumers.mjs';
import { assertSameAsCli, expectedIssues, fixture, inputsModule, records, sorted } from './helpers.mjs';

test('Vite app: import init, { Validator } from "ehrlint" validates in Chromium with the expected issues, and NDJSON and non-resources as the command line does', async () => {
  const dir = project('vite', { from: fixture('app'), files: { 'src/records.js': recordsModule(records()), 'src/inputs.js': inputsModule() } });
  const warnings = await viteBuild(dir);
  assert.deepEqual(warnings, [], 'vite build warns');
  assert.ok(readdirSync(join(dir, 'dist', 'assets')).some((f) => /^ehrlint_bg-.*\.wasm$/.test(f)), 'the .wasm is an asset');

  const page = await openInChromium(join(dir, 'dist'));
  assert.equal(page.status, 'done', page.text);
  assert.deepEqual(page.errors, [], 'no console error, failed request or CSP violation');
  const { records: results, ...inputs } = JSON.parse(page.text);
  assertSameAsCli(inputs);
  for (const name of Object.keys(records())) {
    assert.deepEqual(sorted(results[name].issues), expectedIssues(name), name);
    assert.equal(results[name].valid, false, name);
    assert.equal(results[name].outcome, results[name].issues.length, name);
  }
});
