// Shared by the generators: write a generated file, or with `--check` (the test command) fail
// when the committed one differs from what the generator makes now.
import { readFileSync, writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/**
 * Writes `text` to `file`, or checks it when the command line has `--check`. `generator` is the
 * command that regenerates it; `summary`, what the file holds, is printed either way.
 */
export function writeOrCheck(file, text, generator, summary) {
  const name = relative(root, file);
  if (process.argv.includes('--check')) {
    let current = '';
    try { current = readFileSync(file, 'utf8'); } catch { /* missing counts as stale */ }
    if (current !== text) {
      console.error(`${name} is stale: run ${generator}`);
      process.exit(1);
    }
    console.log(`${name} up to date${summary}`);
  } else {
    writeFileSync(file, text);
    console.log(`wrote ${name}${summary}`);
  }
}
