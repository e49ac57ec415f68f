// The panic guard in Chromium (tests/consumers/fixtures/guard), on the test-only build with
// fault injection (target/wasm-fault/pkg, built by scripts/build.sh, never published): a panic
// in the page's validator or in the worker's is the guard's clear Error, and the validator,
// the worker and their sessions keep answering, under the strict CSP (the restart compiles
// nothing new: it instantiates the module already compiled).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { openInChromium, project, root } from '../../tools/consumers.mjs';
import { fixture } from './helpers.mjs';

const MESSAGE = 'ehrlint: internal error while validating; the validator was restarted. Please report this.';

test('a panic in the page and in the worker is a clear Error, and both go on', async () => {
  const dir = project('guard', { from: fixture('guard'), install: false });
  cpSync(join(root, 'target', 'wasm-fault', 'pkg'), join(dir, 'node_modules', 'ehrlint'), { recursive: true });
  const page = await openInChromium(dir);
  assert.equal(page.status, 'done', page.text);
  assert.deepEqual(page.errors, [], 'no console error, failed request or CSP violation');
  assert.equal(page.workers, 1);
  const seen = JSON.parse(page.text);
  const invalid = [['invalid-value', '/gender']];
  assert.deepEqual(seen.page, { before: invalid, fault: `${MESSAGE} (cause: RuntimeError)`, after: invalid, session: invalid });
  // Across postMessage the Error keeps its message (its cause stays in the worker).
  assert.deepEqual(seen.worker, { before: invalid, fault: MESSAGE, after: invalid, session: invalid });
});
