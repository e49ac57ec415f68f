// Assembles the npm package target/npm/ehrlint from wasm-bindgen's four outputs
// (target/wasm/{web,nodejs,bundler,full}) and pkg-templates/, then packs it with `npm pack`.
// pkg-templates/ holds what is hand-written: package.json (its exports map says which build
// each consumer gets), the npm README, guard.js (each build's entry, ehrlint.js, over the
// wasm-bindgen glue, renamed ehrlint_glue.js: it restarts the module after a trap), node/
// (Node's ES module entry, added to the nodejs build) and worker/ (createValidatorWorker and
// its worker script, which run the web build). With target/wasm-fault/ present (the test-only
// fault-injection build of scripts/build.sh), the same web and Node builds of it are assembled
// into target/wasm-fault/pkg/ (with worker/), for tests/js/guard.test.mjs and
// tests/consumers/guard.test.mjs; that one is never packed.
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'target', 'npm', 'ehrlint');
const version = readFileSync(join(root, 'Cargo.toml'), 'utf8').match(/^version = "([^"]+)"/m)[1];

/** JavaScript without its doc comments and comment lines (never inside a string in these files). */
const uncomment = (text) => text.replace(/^[ \t]*\/\*\*[\s\S]*?\*\/\n/gm, '')
  .split('\n').filter((line) => !/^\s*\/\//.test(line)).join('\n');

// Shipped without its comments (they count in the browser build's download); the template
// keeps them.
const guard = uncomment(readFileSync(join(root, 'pkg-templates', 'guard.js'), 'utf8'));
// The API's description (pkg-templates/api.js): inlined into each build's entry, which is
// CommonJS in the Node build, and copied beside the worker, which is always an ES module.
const api = readFileSync(join(root, 'pkg-templates', 'api.js'), 'utf8');

/** guard.js as the entry of one build: an ES module (web: with init and initSync) or CommonJS. */
function entry(target) {
  const edit = (text, from, to) => {
    if (!text.includes(from)) throw new Error(`pkg-templates/guard.js: no ${JSON.stringify(from)} to replace`);
    return text.replace(from, to);
  };
  const reexport = "export { default, initSync } from './ehrlint_glue.js'; // web build only\n";
  const imports = "import * as glue from './ehrlint_glue.js';\n";
  const exports = 'export { Session, Validator, toOperationOutcome };\n';
  let text = edit(guard, reexport, target === 'web' ? reexport.replace(' // web build only', '') : '');
  text = edit(text, "import { API, forwardAll } from './api.js';\n", uncomment(api).replaceAll('export ', ''));
  if (target === 'bundler') {
    // The bundler instantiates this build's module itself: there is no fresh instance to take.
    text = edit(text, 'const restart = () => glue.__wbg_reset_state();', "const restart = () => {\n  throw new Error('no restart');\n};");
  }
  if (target === 'nodejs') {
    text = edit(text, imports, "'use strict';\nconst glue = require('./ehrlint_glue.js');\n");
    text = edit(text, exports, ['Session', 'Validator', 'toOperationOutcome'].map((n) => `exports.${n} = ${n};\n`).join(''));
  }
  return text;
}

/**
 * wasm-bindgen copies the crate's JS snippets (src/wasm.rs, `inline_js`) as ES modules and has
 * the Node build's CommonJS glue require() them, which Node 20 refuses: each snippet's
 * `export function` becomes a function and an `exports.` line here.
 */
function commonJsSnippets(dir) {
  if (!existsSync(dir)) return;
  for (const entry of readdirSync(dir, { recursive: true })) {
    const file = join(dir, String(entry));
    if (!file.endsWith('.js')) continue;
    const names = [];
    let text = readFileSync(file, 'utf8').replace(/^export function (\w+)/gm, (_, name) => {
      names.push(name);
      return `function ${name}`;
    });
    if (/^export /m.test(text)) throw new Error(`${file}: only \`export function\` is turned into CommonJS`);
    text = "'use strict';\n" + text + names.map((n) => `exports.${n} = ${n};\n`).join('');
    writeFileSync(file, text);
  }
}

/**
 * Copies wasm-bindgen's output for `target` into `dest`, its glue renamed ehrlint_glue.js under
 * the guarded entry ehrlint.js, and the glue's reset function left out of the types.
 */
function build(from, dest, target, type) {
  cpSync(from, dest, {
    recursive: true,
    filter: (src) => !src.endsWith('.gitignore'),
  });
  // The glue's doc comments repeat the types' (ehrlint.d.ts keeps them): left out, as they
  // count in the browser build's download.
  const glueFile = uncomment(readFileSync(join(dest, 'ehrlint.js'), 'utf8'));
  if (target === 'bundler') writeFileSync(join(dest, 'ehrlint_bg.js'), uncomment(readFileSync(join(dest, 'ehrlint_bg.js'), 'utf8')));
  if (target !== 'bundler' && !glueFile.includes('__wbg_reset_state')) {
    throw new Error(`${from}: the glue has no __wbg_reset_state (wasm-bindgen --experimental-reset-state-function)`);
  }
  writeFileSync(join(dest, 'ehrlint_glue.js'), glueFile);
  if (target === 'nodejs') commonJsSnippets(join(dest, 'snippets'));
  writeFileSync(join(dest, 'ehrlint.js'), entry(target));
  // The classes declare [Symbol.dispose] (for `using`): name the library that types it, so a
  // strict project targeting ES2022 compiles without skipLibCheck.
  const dts = join(dest, 'ehrlint.d.ts');
  let types = readFileSync(dts, 'utf8').replace('export function __wbg_reset_state(): void;\n', '');
  if (types.includes('__wbg_reset_state')) throw new Error(`${dts}: __wbg_reset_state left in the types`);
  if (types.includes('Symbol.dispose') && !types.includes('reference lib="esnext.disposable"')) {
    types = '/// <reference lib="esnext.disposable" />\n' + types;
  }
  writeFileSync(dts, types);
  // Each build says how Node should load it, whatever the consumer's own package type is.
  const sideEffects = target === 'bundler' ? ['./ehrlint.js', './ehrlint_glue.js'] : false;
  writeFileSync(join(dest, 'package.json'), JSON.stringify({ type, sideEffects }, null, 2) + '\n');
}

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

// wasm-bindgen's output (target/wasm/FROM) for each build: the package's folder, wasm-bindgen's
// target and the module type. full/ is the web glue over the module with the invariants
// (scripts/build.sh); web/ and bundler/ are the default module, node/ the full one.
const parts = {
  web: ['web', 'web', 'module'],
  nodejs: ['node', 'nodejs', 'commonjs'],
  bundler: ['bundler', 'bundler', 'module'],
  full: ['full', 'web', 'module'],
};
for (const [from, [dir, target, type]] of Object.entries(parts)) {
  build(join(root, 'target', 'wasm', from), join(out, dir), target, type);
}

const fault = join(root, 'target', 'wasm-fault');
if (existsSync(join(fault, 'web'))) {
  const pkg = join(fault, 'pkg');
  rmSync(pkg, { recursive: true, force: true });
  for (const target of ['web', 'nodejs']) {
    const [dir, , type] = parts[target];
    build(join(fault, target), join(pkg, dir), target, type);
  }
  cpSync(join(root, 'pkg-templates', 'worker'), join(pkg, 'worker'), { recursive: true });
  writeFileSync(join(pkg, 'worker', 'api.js'), api);
  writeFileSync(join(pkg, 'worker', 'package.json'), JSON.stringify({ type: 'module', sideEffects: false }, null, 2) + '\n');
  console.log('== test-only fault-injection build: target/wasm-fault/pkg (web/, node/, worker/)');
}

// Hand-written entries, next to the builds they use. worker/ is ES modules whatever the
// consumer's package type; node/ehrlint.mjs is one by its extension.
for (const dir of ['node', 'worker']) {
  cpSync(join(root, 'pkg-templates', dir), join(out, dir), { recursive: true });
}
writeFileSync(join(out, 'worker', 'package.json'), JSON.stringify({ type: 'module', sideEffects: false }, null, 2) + '\n');
writeFileSync(join(out, 'worker', 'api.js'), api);

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
