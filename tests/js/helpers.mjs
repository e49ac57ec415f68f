// Shared by the Node tests: the repository, its fixtures and their expected issues.
import { execFileSync } from 'node:child_process';
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

/**
 * The command line's `--format json` lines for an NDJSON fixture (a path from tests/fixtures/,
 * with the command line's `flags`), each in the JS API's form
 * (`validateNdjson`): the line number in place of the CLI's `source` (file:line).
 */
export function cliNdjson(name, ...flags) {
  let out;
  try {
    out = execFileSync(join(root, 'target', 'release', 'ehrlint'), ['validate', '--format', 'json', ...flags, name], { cwd: fixtures, encoding: 'utf8' });
  } catch (e) {
    out = e.stdout; // exit 1: some line has errors
  }
  return out.trim().split('\n').map((l) => {
    const { source, ...rest } = JSON.parse(l);
    return { line: Number(source.split(':').pop()), ...rest };
  });
}

/** The command line's error for one input that is not a resource, given on standard input. */
export function cliError(text) {
  let out;
  try {
    out = execFileSync(join(root, 'target', 'release', 'ehrlint'), ['validate', '--format', 'json', '-'], { input: text, encoding: 'utf8' });
  } catch (e) {
    out = e.stdout; // exit 1
  }
  return JSON.parse(out.trim()).error;
}
