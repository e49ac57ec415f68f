// Shared by the Node tests: the repository, its fixtures and their expected issues.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const fixtures = join(root, 'tests', 'fixtures');

/** [name, expected sorted [code, path] pairs] for every fixture. */
export function expected() {
  const map = JSON.parse(readFileSync(join(fixtures, 'expected.json'), 'utf8'));
  return Object.entries(map)
    .filter(([k]) => !k.startsWith('_'))
    .map(([k, v]) => [k, v.map(([c, p]) => [c, p]).sort(cmp)]);
}

export const fixtureText = (name) => readFileSync(join(fixtures, name), 'utf8');

export function pairs(issues) {
  return issues.map((i) => [i.code, i.path]).sort(cmp);
}

function cmp(a, b) {
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}
