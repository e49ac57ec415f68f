// A webpack 5 app (entry and output only: no loader, no experiments flag) that imports ehrlint,
// built in production mode in a fresh project that installs the packed tarball, and run in
// Chromium under a strict CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { openInChromium, project, recordsModule, webpackBuild } from '../../tools/consumers.mjs';
import { assertSameAsCli, expectedIssues, fixture, inputsModule, records, sorted } from './helpers.mjs';

// webpack's advice that a 2-3 MB asset is big: the only warnings expected.
const SIZE_HINTS = ['AssetsOverSizeLimitWarning', 'EntrypointsOverSizeLimitWarning', 'NoAsyncChunksWarning'];

test('webpack 5 app: import init, { Validator } from "ehrlint" validates in Chromium with the expected issues, and NDJSON and non-resources as the command line does', async () => {
  const dir = project('webpack', { from: fixture('app'), files: { 'src/records.js': recordsModule(records()), 'src/inputs.js': inputsModule() } });
  const warnings = await webpackBuild(dir);
  assert.deepEqual(warnings.filter((w) => !SIZE_HINTS.includes(w.name)).map((w) => w.message), [], 'webpack warns');
  assert.ok(readdirSync(join(dir, 'dist')).some((f) => f.endsWith('.wasm')), 'the .wasm is an asset');
  copyFileSync(join(dir, 'webpack.html'), join(dir, 'dist', 'index.html'));
  copyFileSync(join(dir, 'public', 'favicon.svg'), join(dir, 'dist', 'favicon.svg'));

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
