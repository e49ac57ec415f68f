// The panic guard (pkg-templates/guard.js), proven on the test-only build with fault injection
// (target/wasm-fault/pkg, built by scripts/build.sh; never published): input holding a marker
// makes the Wasm panic or trap, as a bug would. The call throws a clear Error with the trap as
// its cause, nothing is written to the console, the module is restarted, and every validator
// and session goes on as before: options, loaded descriptions, a session's record and its
// edits. The published package carries no such hook.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expected, fixtureText, pairs, root } from './helpers.mjs';

const faultPkg = join(root, 'target', 'wasm-fault', 'pkg');
const published = join(root, 'target', 'npm', 'ehrlint');
const MESSAGE = 'ehrlint: internal error while validating; the validator was restarted. Please report this.';
const PANIC = 'ehrlint-fault-injection:panic';
const MEMORY = 'ehrlint-fault-injection:memory';
const descriptions = readFileSync(join(published, 'data', 'icd10cm-descriptions.tsv'), 'utf8');

/** Asserts that `call` throws the guard's Error, caused by a trap whose message matches `trap`. */
function faults(call, trap = /unreachable/) {
  assert.throws(call, (e) => {
    assert.equal(e.message, MESSAGE);
    assert.ok(e.cause instanceof WebAssembly.RuntimeError, `cause: ${e.cause}`);
    assert.match(e.cause.message, trap);
    return true;
  });
}

/** Runs `body` with every console method recording instead of printing; returns what came. */
function quietly(body) {
  const seen = [];
  const saved = {};
  for (const m of ['log', 'info', 'warn', 'error', 'debug', 'trace']) {
    saved[m] = console[m];
    console[m] = (...args) => seen.push([m, args.map(String).join(' ')]);
  }
  try {
    body();
  } finally {
    Object.assign(console, saved);
  }
  return seen;
}

function exercise({ Validator, toOperationOutcome }) {
  const v = new Validator({ profile: 'none', asOf: '2024-05-01' });
  const fixtures = new Validator();
  assert.equal(v.loadDescriptions(descriptions) > 70_000, true);
  const byWords = v.lookup('icd10cm', 'type 2 diabetes', { limit: 3 });
  assert.equal(byWords.length, 3);
  const s = v.session('Patient', { resourceType: 'Patient', gender: 'female' }, { asOf: '2024-05-01' });
  s.set('Patient.birthDate', '1970-01-01');
  s.set('Patient.gender', 'mal');
  // Enough edits for a checkpoint (every 64) and some after it.
  for (let i = 0; i < 70; i++) s.set('Patient.name.family', `Family ${i}`);
  const report = s.report();
  const resource = s.resource();
  // What the user has reached (set and touched) survives a restart too.
  const reaching = fixtures.session('Patient');
  reaching.set('Patient.gender', 'mal');
  reaching.touch('Patient.birthDate');
  const held = reaching.current();
  assert.ok(held.later.length > 0 && held.now.some((i) => i.path === '/birthDate'));
  const orphan = new Validator({ profile: 'none' });
  const orphanSession = orphan.session('Patient');
  orphanSession.set('Patient.gender', 'mal');
  orphan.free();

  const printed = quietly(() => {
    // A panic in validate: the guard's Error, then everything works again.
    faults(() => v.validate({ resourceType: 'Patient', name: [{ text: PANIC }] }));
    assert.deepEqual(pairs(v.validate({ resourceType: 'Patient', gender: 'mal' }).issues), [['invalid-value', '/gender']]);
    for (const [name, want] of expected()) {
      assert.deepEqual(pairs(fixtures.validateJson(fixtureText(name)).issues), want, name);
    }
    assert.deepEqual(v.lookup('icd10cm', 'type 2 diabetes', { limit: 3 }), byWords, 'descriptions loaded again');
    assert.deepEqual(s.report(), report, 'the session is rebuilt with its record');
    assert.deepEqual(s.resource(), resource);
    assert.deepEqual(reaching.current(), held, 'the session is rebuilt with what was reached');
    assert.deepEqual(pairs(s.set('Patient.gender', 'male').removed), [['invalid-value', '/gender']]);
    assert.deepEqual(pairs(orphanSession.report().issues), [['invalid-value', '/gender']], 'a session outlives its freed validator');
    assert.equal(toOperationOutcome(v.validate({ resourceType: 'Patient' })).resourceType, 'OperationOutcome');

    // An out-of-bounds memory access, in validateJson.
    faults(() => v.validateJson(`{"resourceType":"Patient","id":"${MEMORY}"}`), /memory access out of bounds/);
    assert.equal(v.validateJson('{"resourceType":"Patient"}').valid, true);

    // In validateField, a session edit, a session start, a validator's construction.
    faults(() => v.validateField('Patient', 'Patient.gender', PANIC));
    assert.deepEqual(pairs(v.validateField('Patient', 'Patient.gender', 'mal')), [['invalid-value', '/gender']]);
    const before = s.resource();
    faults(() => s.set('Patient.name', [{ text: PANIC }]));
    assert.deepEqual(s.resource(), before, 'the failed edit is not kept');
    assert.deepEqual(pairs(s.set('Patient.birthDate', '2099-01-01').added), [['birth-date-in-future', '/birthDate']]);
    faults(() => v.session('Patient', { resourceType: 'Patient', id: PANIC }));
    faults(() => new Validator({ profile: 'none', locale: PANIC }));
    assert.ok(new Validator({ profile: 'none' }).validate({ resourceType: 'Patient' }).valid);

    // Freed objects say so, and never reach a new instance.
    const gone = new Validator();
    gone.free();
    assert.throws(() => gone.validate({ resourceType: 'Patient' }), { message: 'ehrlint: this Validator has been freed' });
    assert.ok(v.validate({ resourceType: 'Patient' }).valid);
  });
  assert.deepEqual(printed, [], 'nothing is written to the console');
}

test('Node (CommonJS build): a panic or trap is a clear Error and the validator restarts', () => {
  exercise(createRequire(import.meta.url)(join(faultPkg, 'node', 'ehrlint.js')));
});

test('browser build (ES module, initSync): a panic or trap is a clear Error and the validator restarts', async () => {
  const web = await import(pathToFileURL(join(faultPkg, 'web', 'ehrlint.js')).href);
  web.initSync({ module: readFileSync(join(faultPkg, 'web', 'ehrlint_bg.wasm')) });
  exercise(web);
});

test('the published package holds no fault hook, and is guarded', () => {
  const files = (dir) => readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]));
  const marker = Buffer.from('ehrlint-fault-injection');
  assert.ok(readFileSync(join(faultPkg, 'web', 'ehrlint_bg.wasm')).includes(marker), 'the test build has the hook');
  for (const file of files(published)) {
    assert.ok(!readFileSync(file).includes(marker), `${file} holds the fault hook`);
  }
  const version = JSON.parse(readFileSync(join(published, 'package.json'), 'utf8')).version;
  const listing = execFileSync('tar', ['tzf', join(root, 'target', 'npm', `ehrlint-${version}.tgz`)], { encoding: 'utf8' });
  for (const dir of ['web', 'node', 'bundler']) {
    assert.match(listing, new RegExp(`package/${dir}/ehrlint_glue\\.js`));
    assert.match(readFileSync(join(published, dir, 'ehrlint.js'), 'utf8'), /the validator was restarted/);
  }
});
