// Assembles the npm package target/npm/ehrlint from wasm-pack's three outputs
// (target/wasm/{web,nodejs,bundler}) and pkg-templates/, then packs it with `npm pack`.
// pkg-templates/ holds what is hand-written: package.json (its exports map says which build
// each consumer gets), the npm README, node/ (Node's ES module entry, added to the nodejs
// build) and worker/ (createValidatorWorker and its worker script, which run the web build).
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'target', 'npm', 'ehrlint');
const version = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

const parts = { web: ['web', 'module'], nodejs: ['node', 'commonjs'], bundler: ['bundler', 'module'] };
for (const [target, [dir, type]] of Object.entries(parts)) {
  const dest = join(out, dir);
  cpSync(join(root, 'target', 'wasm', target), dest, {
    recursive: true,
    filter: (src) => !src.endsWith('.gitignore'),
  });
  // The classes declare [Symbol.dispose] (for `using`): name the library that types it, so a
  // strict project targeting ES2022 compiles without skipLibCheck.
  const dts = join(dest, 'ehrlint.d.ts');
  const types = readFileSync(dts, 'utf8');
  if (types.includes('Symbol.dispose') && !types.includes('reference lib="esnext.disposable"')) {
    writeFileSync(dts, '/// <reference lib="esnext.disposable" />\n' + types);
  }
  // Each build says how Node should load it, whatever the consumer's own package type is.
  writeFileSync(join(dest, 'package.json'), JSON.stringify({ type, sideEffects: target === 'bundler' ? ['./ehrlint.js'] : false }, null, 2) + '\n');
}

// Hand-written entries, next to the builds they use. worker/ is ES modules whatever the
// consumer's package type; node/ehrlint.mjs is one by its extension.
for (const dir of ['node', 'worker']) {
  cpSync(join(root, 'pkg-templates', dir), join(out, dir), { recursive: true });
}
writeFileSync(join(out, 'worker', 'package.json'), JSON.stringify({ type: 'module', sideEffects: false }, null, 2) + '\n');

const pkg = JSON.parse(readFileSync(join(root, 'pkg-templates', 'package.json'), 'utf8'));
pkg.version = version;
writeFileSync(join(out, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
copyFileSync(join(root, 'pkg-templates', 'README.md'), join(out, 'README.md'));
copyFileSync(join(root, 'LICENSE'), join(out, 'LICENSE'));
copyFileSync(join(root, 'CHANGELOG.md'), join(out, 'CHANGELOG.md'));
// Loaded on demand by callers (validator.loadDescriptions), never built into the Wasm.
mkdirSync(join(out, 'data'), { recursive: true });
copyFileSync(join(root, 'data', 'icd10cm-descriptions.tsv'), join(out, 'data', 'icd10cm-descriptions.tsv'));

const tarball = execFileSync('npm', ['pack', '--silent', '--pack-destination', join(root, 'target', 'npm')], {
  cwd: out,
  encoding: 'utf8',
}).trim().split('\n').pop();
console.log(`== npm package: target/npm/ehrlint (packed: target/npm/${tarball})`);
