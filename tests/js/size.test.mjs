// The browser build's download stays within the budget written in benches/size-budget.json:
// the .wasm and its JS (the entry, ehrlint.js, the wasm-bindgen glue it wraps and the glue's
// snippets), each gzipped at level 9, summed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { root } from './helpers.mjs';

const web = join(root, 'target', 'npm', 'ehrlint', 'web');
const budget = JSON.parse(readFileSync(join(root, 'benches', 'size-budget.json'), 'utf8'));

test('the browser build (gzipped .wasm + JS entry, glue and snippets) is within the size budget', (t) => {
  const snippets = readdirSync(join(web, 'snippets'), { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.js'))
    .map((f) => join('snippets', f));
  assert.ok(snippets.length > 0, 'the glue has its snippets (src/wasm.rs, inline_js)');
  const sizes = ['ehrlint_bg.wasm', 'ehrlint.js', 'ehrlint_glue.js', ...snippets].map((name) => {
    const bytes = readFileSync(join(web, name));
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const total = sizes.reduce((sum, s) => sum + s.gzip, 0);
  for (const s of sizes) t.diagnostic(`${s.name}: ${s.raw} bytes, ${s.gzip} gzipped`);
  t.diagnostic(`total ${total} bytes gzipped; budget ${budget.maxGzipBytes} (benches/size-budget.json)`);
  assert.ok(Number.isInteger(budget.maxGzipBytes) && budget.maxGzipBytes > 0, 'maxGzipBytes is a positive integer');
  assert.ok(
    total <= budget.maxGzipBytes,
    `the browser build is ${total} bytes gzipped (${sizes.map((s) => `${s.name} ${s.gzip}`).join(', ')}), over the budget of ${budget.maxGzipBytes} in benches/size-budget.json`,
  );
});
