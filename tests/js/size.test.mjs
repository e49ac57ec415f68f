// The default browser build's download stays within the budget written in
// benches/size-budget.json: the .wasm and its JS (the entry, ehrlint.js, the wasm-bindgen glue
// it wraps and the glue's snippets), each gzipped at level 9, summed. The full build (full/,
// with the invariants) has no budget of its own: its size is reported.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root } from './helpers.mjs';

const pkg = join(root, 'target', 'npm', 'ehrlint');
const budget = JSON.parse(readFileSync(join(root, 'benches', 'size-budget.json'), 'utf8'));

/** A browser build's download, file by file, and its total (gzipped). */
function download(dir) {
  const snippets = readdirSync(join(dir, 'snippets'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js'))
    .map((f) => join('snippets', f));
  assert.ok(snippets.length > 0, 'the glue has its snippets (src/wasm.rs, inline_js)');
  const sizes = ['ehrlint_bg.wasm', 'ehrlint.js', 'ehrlint_glue.js', ...snippets].map((name) => {
    const bytes = readFileSync(join(dir, name));
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  return { sizes, total: sizes.reduce((sum, s) => sum + s.gzip, 0) };
}

test('the browser build (gzipped .wasm + JS entry, glue and snippets) is within the size budget', (t) => {
  const { sizes, total } = download(join(pkg, 'web'));
  for (const s of sizes) t.diagnostic(`${s.name}: ${s.raw} bytes, ${s.gzip} gzipped`);
  t.diagnostic(`total ${total} bytes gzipped; budget ${budget.maxGzipBytes} (benches/size-budget.json)`);
  assert.ok(Number.isInteger(budget.maxGzipBytes) && budget.maxGzipBytes > 0, 'maxGzipBytes is a positive integer');
  assert.ok(
    total <= budget.maxGzipBytes,
    `the browser build is ${total} bytes gzipped (${sizes.map((s) => `${s.name} ${s.gzip}`).join(', ')}), over the budget of ${budget.maxGzipBytes} in benches/size-budget.json`,
  );
});

test('the full browser build carries the FHIRPath engine and the invariants the default one leaves out', (t) => {
  const full = download(join(pkg, 'full'));
  const lean = download(join(pkg, 'web'));
  t.diagnostic(`full/: ${full.total} bytes gzipped (web/: ${lean.total})`);
  // The engine and the definitions' invariants: tens of KB, gzipped (README, "Performance").
  assert.ok(full.total > lean.total + 50_000, `full/ ${full.total} against web/ ${lean.total}`);
});
