// Web Worker use: an app that validates through createValidatorWorker ('ehrlint/worker', and
// 'ehrlint/full/worker'), built with Vite and with webpack 5 (no configuration for either) in a
// fresh project that installs the packed tarball, run in Chromium under a strict CSP. The worker
// must answer what a Validator answers in Node, and reject with the Error messages a Validator
// throws; the full build's worker must report the invariants Node reports.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { openInChromium, project, recordsModule, viteBuild, webpackBuild } from '../../tools/consumers.mjs';
import { expectedIssues, fixture, records, sorted } from './helpers.mjs';

const SIZE_HINTS = ['AssetsOverSizeLimitWarning', 'EntrypointsOverSizeLimitWarning', 'NoAsyncChunksWarning'];

/** A record that breaks obs-6: a value and a reason it is missing. */
const BREAKS_INVARIANT = {
  resourceType: 'Observation',
  status: 'final',
  code: { text: 'Glucose' },
  valueQuantity: { value: 5.4, unit: 'mmol/L', system: 'http://unitsofmeasure.org', code: 'mmol/L' },
  dataAbsentReason: { text: 'not done' },
};

/** The app's generated modules: the records, and the record that breaks an invariant. */
const generated = () => ({
  'src/records.js': recordsModule(records()),
  'src/breaks-invariant.js': `export default ${JSON.stringify(BREAKS_INVARIANT)};\n`,
});

/** What the installed package's Validator gives in Node for the calls the page makes. */
function inNode(dir) {
  const require = createRequire(join(dir, 'package.json'));
  const { Validator } = require('ehrlint');
  const validator = new Validator();
  const descriptions = readFileSync(require.resolve('ehrlint/data/icd10cm-descriptions.tsv'), 'utf8');
  const message = (call) => {
    try {
      call();
    } catch (e) {
      return e.message;
    }
    throw new Error('expected to throw');
  };
  const first = Object.values(records())[0];
  return {
    fromText: validator.validateJson(JSON.stringify(first)).issues.map((i) => [i.code, i.path]),
    field: validator.validateField('Patient', 'Patient.birthDate', '2020-02-30').map((i) => [i.code, i.path]),
    lookup: validator.lookup('icd10cm', 'E11.6', { limit: 3, asOf: '2024-05-01' }).map((r) => r.code),
    types: validator.supportedTypes,
    onInvariant: validator.validate(BREAKS_INVARIANT).issues.map((i) => [i.code, i.path, i.invariant ?? null]),
    descriptions: validator.loadDescriptions(descriptions),
    byWords: validator.lookup('icd10cm', 'type 2 diabetes', { limit: 3, asOf: '2024-05-01' }),
    notJson: message(() => validator.validateJson('{not json')),
    noType: message(() => validator.validate({ id: 'x' })),
    unknownSystem: message(() => validator.lookup('icd9', '250')),
    badOptions: message(() => new Validator({ profile: 'strictest' })),
  };
}

/** What the app's build folder gets besides the bundle: its icon and the descriptions file. */
function publish(dir) {
  const dist = join(dir, 'dist');
  copyFileSync(join(dir, 'public', 'favicon.svg'), join(dist, 'favicon.svg'));
  copyFileSync(join(dir, 'node_modules', 'ehrlint', 'data', 'icd10cm-descriptions.tsv'), join(dist, 'icd10cm-descriptions.tsv'));
  return dist;
}

function check(page, dir) {
  assert.equal(page.status, 'done', page.text);
  assert.deepEqual(page.errors, [], 'no console error, failed request or CSP violation');
  assert.equal(page.workers, 3, 'one worker per createValidatorWorker');
  const got = JSON.parse(page.text);
  const node = inNode(dir);
  for (const name of Object.keys(records())) {
    assert.deepEqual(sorted(got.records[name].issues), expectedIssues(name), name);
    assert.equal(got.records[name].valid, false, name);
  }
  assert.deepEqual(got.fromText, node.fromText);
  assert.equal(got.outcome, 'OperationOutcome');
  assert.deepEqual(got.field, node.field);
  assert.deepEqual(got.field, [['invalid-date', '/birthDate']]);
  assert.deepEqual(got.lookup, node.lookup);
  assert.ok(got.lookup.length > 0 && got.lookup.every((c) => c.startsWith('E11.6')), String(got.lookup));
  assert.deepEqual(got.types, node.types);
  // The default worker runs the default browser build, without the invariants; the full one
  // reports them as Node does.
  const invariants = (issues) => issues.filter(([code]) => code === 'invariant');
  assert.equal(got.evaluatesInvariants, false);
  assert.deepEqual(invariants(got.defaultOnInvariant), []);
  assert.deepEqual(got.defaultOnInvariant, node.onInvariant.filter(([code]) => code !== 'invariant'));
  assert.equal(got.full.evaluatesInvariants, true);
  assert.deepEqual(got.full.onInvariant, node.onInvariant);
  assert.deepEqual(invariants(got.full.onInvariant), [['invariant', '', 'obs-6']]);
  assert.deepEqual(got.full.fromText, node.fromText);
  assert.equal(got.descriptions, node.descriptions);
  assert.ok(got.descriptions > 70_000, String(got.descriptions));
  assert.deepEqual(got.byWords, node.byWords);
  assert.ok(got.byWords.length > 0 && got.byWords.every((r) => r.code.startsWith('E11') && r.display), JSON.stringify(got.byWords));

  assert.deepEqual(got.session.added, [['invalid-value', '/gender']]);
  assert.deepEqual(got.session.removed, [['invalid-value', '/gender']]);
  assert.equal(got.session.stillThere, false);
  assert.deepEqual(got.session.resource, { resourceType: 'Patient', gender: 'male' });
  assert.equal(got.session.valid, true);
  assert.ok(got.session.ruleRuns > 0);
  assert.deepEqual(got.session.afterFree, { isError: true, message: 'ehrlint: this session has been freed' });

  const error = (message) => ({ isError: true, message });
  assert.deepEqual(got.rejections, {
    notJson: error(node.notJson),
    noType: error(node.noType),
    unknownSystem: error(node.unknownSystem),
  });
  assert.match(node.notJson, /not valid JSON/);
  assert.equal(got.afterErrors, true);
  assert.deepEqual(got.badOptions, { ready: error(node.badOptions), call: error(node.badOptions) });
  assert.match(node.badOptions, /strictest/);
  assert.deepEqual(got.terminated, error('ehrlint: the validator worker was terminated'));
}

test('Web Worker (Vite): createValidatorWorker answers as a Validator does, in Promises', async () => {
  const dir = project('worker-vite', { from: fixture('worker'), files: generated() });
  assert.deepEqual(await viteBuild(dir), [], 'vite build warns');
  check(await openInChromium(publish(dir)), dir);
});

test('Web Worker (webpack 5): createValidatorWorker answers as a Validator does, in Promises', async () => {
  const dir = project('worker-webpack', { from: fixture('worker'), files: generated() });
  const warnings = await webpackBuild(dir);
  assert.deepEqual(warnings.filter((w) => !SIZE_HINTS.includes(w.name)).map((w) => w.message), [], 'webpack warns');
  copyFileSync(join(dir, 'webpack.html'), join(dir, 'dist', 'index.html'));
  check(await openInChromium(publish(dir)), dir);
});
