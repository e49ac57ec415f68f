// A Node service that imports ehrlint as an ES module, in a fresh project that installs the
// packed tarball.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { project } from '../../tools/consumers.mjs';
import { expectedIssues, fixture, records, sorted } from './helpers.mjs';

test('Node ES module: import init, { Validator } from "ehrlint" validates with the expected issues', () => {
  const dir = project('node-esm', { from: fixture('node-esm'), files: { 'records.json': JSON.stringify(records()) } });
  const out = JSON.parse(execFileSync(process.execPath, ['main.mjs'], { cwd: dir, encoding: 'utf8' }));
  // The installed package's ES module entry, not the repository's build.
  assert.equal(out.entry, pathToFileURL(join(dir, 'node_modules', 'ehrlint', 'node', 'ehrlint.mjs')).href);
  for (const name of Object.keys(records())) {
    const result = out.results[name];
    assert.deepEqual(sorted(result.issues), expectedIssues(name), name);
    assert.equal(result.valid, false, `${name} has errors`);
    assert.equal(result.outcome, result.issues.length, `${name}: one OperationOutcome issue per issue`);
  }
  assert.match(out.error, /^not valid JSON at line 1, column 2/);
});
