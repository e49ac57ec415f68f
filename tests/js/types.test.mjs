// The package's TypeScript declarations, as a vendor's strict TypeScript project sees them:
// types/consumer.ts must compile with --strict under Node's and bundlers' module resolution.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { root } from './helpers.mjs';

const tsc = join(root, 'tools', 'node_modules', 'typescript', 'bin', 'tsc');

for (const config of ['tsconfig.node.json', 'tsconfig.bundler.json']) {
  test(`a strict TypeScript consumer compiles (${config})`, () => {
    const out = spawnSync(process.execPath, [tsc, '-p', join(root, 'tests', 'js', 'types', config)], { encoding: 'utf8' });
    assert.equal(out.status, 0, out.stdout + out.stderr);
  });
}
