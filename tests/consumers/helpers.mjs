// Shared by the consumer tests: the records every consumer validates (fixtures with known
// issues, structure to code consistency) and the issues each must give (tests/fixtures/expected.json).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expected, fixtures, pairs } from '../js/helpers.mjs';

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
