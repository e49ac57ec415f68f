// Builds the demo page (www/: an encounter-entry form in TypeScript) with Vite into target/www:
// the page and its worker bundled like any app that depends on ehrlint (www/node_modules/ehrlint
// is a link to the built package, target/npm/ehrlint, so the page imports `ehrlint/worker`
// exactly as an embedder does), the ICD-10-CM descriptions the worker loads after first paint,
// the compiled IPS guide the page offers (guides/), and rules.html, the rules reference
// generated from the rules' doc comments.
// Usage: node tools/build-www.mjs   (after scripts/build.sh)
import { copyFileSync, existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rulesPage } from './gen-rules-page.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const www = join(root, 'www');
const out = join(root, 'target', 'www');
const pkg = join(root, 'target', 'npm', 'ehrlint');

if (!existsSync(join(pkg, 'package.json'))) {
  console.error('build-www: target/npm/ehrlint is missing: run scripts/build.sh first');
  process.exit(1);
}
mkdirSync(join(www, 'node_modules'), { recursive: true });
rmSync(join(www, 'node_modules', 'ehrlint'), { force: true, recursive: true });
symlinkSync(join('..', '..', 'target', 'npm', 'ehrlint'), join(www, 'node_modules', 'ehrlint'), 'dir');

const { build } = await import('vite');
await build({
  root: www,
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  build: {
    outDir: out,
    emptyOutDir: true,
    // The .wasm stays a file of its own (fetched and compiled in the worker), never inlined.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 4096,
  },
  worker: { format: 'es' },
});

copyFileSync(join(pkg, 'data', 'icd10cm-descriptions.tsv'), join(out, 'icd10cm-descriptions.tsv'));
// The guide the page offers beside the built-in US Core, compiled (data/README.md).
mkdirSync(join(out, 'guides'), { recursive: true });
copyFileSync(join(root, 'data', 'ips-2.0.0.pack'), join(out, 'guides', 'ips-2.0.0.pack'));
const assets = readdirSync(join(out, 'assets'));
const css = assets.find((f) => f.endsWith('.css'));
const icon = assets.find((f) => f.startsWith('favicon') && f.endsWith('.svg'));
writeFileSync(join(out, 'rules.html'), rulesPage(`assets/${css}`, icon && `assets/${icon}`));
console.log(`demo page built in ${out}`);
