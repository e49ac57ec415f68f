// A Node service that require()s ehrlint from CommonJS, in a fresh project that installs the
// packed tarball.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { project } from '../../tools/consumers.mjs';
import { expectedIssues, fixture, records, sorted } from './helpers.mjs';

test('Node CommonJS: require("ehrlint") validates JSON text with the expected issues', () => {
  const dir = project('node-cjs', { from: fixture('node-cjs'), files: { 'records.json': JSON.stringify(records()) } });
  const out = JSON.parse(execFileSync(process.execPath, ['main.js'], { cwd: dir, encoding: 'utf8' }));
  assert.equal(out.entry, join(dir, 'node_modules', 'ehrlint', 'node', 'ehrlint.js'));
  for (const name of Object.keys(records())) {
    const result = out.results[name];
    assert.deepEqual(sorted(result.issues), expectedIssues(name), name);
    assert.equal(result.valid, false, `${name} has errors`);
    assert.equal(result.outcome, result.issues.length, `${name}: one OperationOutcome issue per issue`);
  }
  assert.match(out.error, /no "resourceType"/);
});
