// Implementation Guides in the Wasm (the npm package's Node build, V8 as in Chromium): what
// loading a guide adds to `new Validator()`, compiled from its JSON (US Core 6.1.0's resources,
// ../shared/ig/us-core-6.1.0) and from its compiled form (data/us-core-6.1.0.pack, what
// `ehrlint ig pack` writes), each the median over 41 builds of its time less that of the
// `new Validator()` built just before (which decodes the built-in US Core). Run after
// scripts/build.sh: `node benches/ig.mjs`.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const { Validator } = createRequire(import.meta.url)(join(root, 'target', 'npm', 'ehrlint', 'node', 'ehrlint.js'));

const folder = join(root, '..', 'shared', 'ig', 'us-core-6.1.0');
const resources = readdirSync(folder)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')));
const pack = new Uint8Array(readFileSync(join(root, 'data', 'us-core-6.1.0.pack')));

const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const build = (options) => {
  const t = performance.now();
  new Validator(options).free();
  return performance.now() - t;
};
/** `new Validator()`'s time, and what `options` add to it: the median of 41 paired builds. */
function added(options) {
  build({});
  build(options); // warm up
  const base = [];
  const more = [];
  for (let i = 0; i < 41; i++) {
    const b = build({});
    base.push(b);
    more.push(build(options) - b);
  }
  return [median(base), median(more)];
}

const [base, compiled] = added({ ig: [resources] });
const [, packed] = added({ ig: [pack] });
const ms = (x) => `${x.toFixed(2)} ms`;
console.log(`new Validator() (built-in US Core decoded): ${ms(base)}`);
console.log(`US Core 6.1.0 compiled from its JSON (${resources.length} resources): +${ms(compiled)}`);
console.log(`US Core 6.1.0 loaded from its compiled form (${pack.length} bytes): +${ms(packed)}`);
