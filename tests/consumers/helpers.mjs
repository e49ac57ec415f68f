// Shared by the consumer tests: the records every consumer validates (fixtures with known
// issues, structure to code consistency) and the issues each must give (tests/fixtures/expected.json).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { cliError, cliNdjson, expected, fixtures, fixtureText, pairs } from '../js/helpers.mjs';

export const fixture = (name) => join(dirname(fileURLToPath(import.meta.url)), 'fixtures', name);

const NAMES = ['invalid/bundle-entry-errors.json', 'invalid/encounter-bundle-codes.json'];
const want = new Map(expected());

/** { fixture name: record } */
export function records() {
  return Object.fromEntries(NAMES.map((n) => [n, JSON.parse(readFileSync(join(fixtures, n), 'utf8'))]));
}

/** The expected [code, path] pairs of a record, sorted. */
export function expectedIssues(name) {
  return want.get(name);
}

/** [code, path] pairs, sorted as expectedIssues are. */
export function sorted(codePaths) {
  return pairs(codePaths.map(([code, path]) => ({ code, path })));
}

/** Inputs that are not resources: not JSON, an array, a number, an object without resourceType. */
const NOT_RESOURCES = ['{not json', '[]', '42', '{"id": "x"}'];

/** The app's src/inputs.js: NDJSON with a line that is not JSON, and NOT_RESOURCES. */
export function inputsModule() {
  return `// Written by the consumer test.\nexport const ndjson = ${JSON.stringify(fixtureText('batch.ndjson'))};\n`
    + `export const notResources = ${JSON.stringify(NOT_RESOURCES)};\n`;
}

/** What the page made of inputsModule()'s inputs is what the command line makes of them. */
export function assertSameAsCli(results) {
  assert.deepEqual(results.ndjson, cliNdjson('batch.ndjson'), 'validateNdjson in the page vs the command line');
  assert.deepEqual(results.errors, NOT_RESOURCES.map(cliError), 'validateJson errors in the page vs the command line');
}
