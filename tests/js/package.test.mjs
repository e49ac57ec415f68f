// The package's entries: every path of the exports map is in the packed tarball, typed, with
// `types` first; Node's import and require give the same instance; init() runs in Node too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import init, * as esm from 'ehrlint';
import { root } from './helpers.mjs';

const pkgDir = join(root, 'target', 'npm', 'ehrlint');
const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const require = createRequire(import.meta.url);

/** Every [condition path, target] of an exports entry, depth first. */
function leaves(value, at = []) {
  if (typeof value === 'string') return [[at, value]];
  return Object.entries(value).flatMap(([k, v]) => leaves(v, [...at, k]));
}

test('every file the exports map names is in the tarball, and every code entry is typed first', () => {
  const tarball = join(root, 'target', 'npm', `ehrlint-${pkg.version}.tgz`);
  const packed = new Set(execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' })
    .split('\n').filter(Boolean).map((f) => f.replace(/^package\//, './')));
  for (const [entry, target] of Object.entries(pkg.exports)) {
    for (const [conditions, file] of leaves(target)) {
      assert.ok(packed.has(file), `${entry} ${conditions.join('.')}: ${file} is not in the tarball`);
    }
    // Each object holding a JavaScript file names its declarations, and names them first
    // (TypeScript takes the first condition that matches).
    const objects = [];
    (function walk(v) {
      if (typeof v !== 'object') return;
      objects.push(v);
      Object.values(v).forEach(walk);
    })(target);
    for (const object of objects.filter((o) => typeof o.default === 'string' && o.default.endsWith('js'))) {
      assert.equal(Object.keys(object)[0], 'types', `${entry}: types first in ${JSON.stringify(object)}`);
    }
  }
  for (const file of [pkg.main, pkg.module, pkg.types]) assert.ok(packed.has(file), file);
});

test('Node: import gives the ES module entry, require the CommonJS build, one instance', async () => {
  assert.match(import.meta.resolve('ehrlint'), /\/ehrlint\/node\/ehrlint\.mjs$/);
  assert.match(require.resolve('ehrlint'), /\/ehrlint\/node\/ehrlint\.js$/);
  const cjs = require('ehrlint');
  assert.equal(esm.Validator, cjs.Validator);
  assert.equal(esm.toOperationOutcome, cjs.toOperationOutcome);
  // Everything the CommonJS build exports, the ES module entry exports too.
  assert.deepEqual(Object.keys(esm).filter((k) => k !== 'default').sort(), Object.keys(cjs).sort());
  assert.equal(await init(), undefined);
  assert.equal(new esm.Validator({ profile: 'none' }).validate({ resourceType: 'Patient', gender: 'mal' }).issues[0].path, '/gender');
});

test('the API description (api.js) lists every call of the Wasm classes, and the wrappers have them all', async () => {
  const { API } = await import(join(root, 'pkg-templates', 'api.js'));
  const glue = await import(join(pkgDir, 'web', 'ehrlint_glue.js'));
  // What the Wasm's classes offer, but for memory management (free, dispose) and the glue's own.
  const offered = (cls) => {
    const names = Object.getOwnPropertyNames(cls.prototype)
      .filter((n) => n !== 'constructor' && n !== 'free' && !n.startsWith('__'));
    const kind = (n) => (typeof Object.getOwnPropertyDescriptor(cls.prototype, n).get === 'function' ? 'properties' : 'calls');
    return {
      calls: names.filter((n) => kind(n) === 'calls').sort(),
      properties: names.filter((n) => kind(n) === 'properties').sort(),
    };
  };
  const sorted = ({ calls, properties }) => ({ calls: [...calls].sort(), properties: [...properties].sort() });
  assert.deepEqual(sorted(API.validator), offered(glue.Validator), 'api.js validator vs the Wasm Validator');
  assert.deepEqual(sorted(API.session), offered(glue.Session), 'api.js session vs the Wasm Session');
  // The package's Validator and Session (the guard) answer every call and property.
  for (const [cls, { calls, properties }] of [[esm.Validator, API.validator], [esm.Session, API.session]]) {
    for (const name of calls) assert.equal(typeof cls.prototype[name], 'function', `${cls.name}.${name}`);
    for (const name of properties) {
      assert.equal(typeof Object.getOwnPropertyDescriptor(cls.prototype, name)?.get, 'function', `${cls.name}.${name}`);
    }
  }
  // A forwarded call and property work through the guard.
  const v = new esm.Validator({ profile: 'none' });
  assert.ok(v.supportedTypes.includes('Patient'));
  assert.equal(v.validateNdjson('{"resourceType":"Basic","code":{"text":"x"}}')[0].valid, true);
  const s = v.session('Patient');
  assert.equal(s.report().valid, true);
  assert.equal(typeof s.ruleRuns, 'number');
  s.free();
  v.free();
});

test('each build declares the types written from the Rust types (pkg-templates/types.d.ts), whole', () => {
  // tests/typescript.rs checks the file against the Rust types; this, the file against what
  // is published.
  // wasm-bindgen indents the declarations its own way: compared with spaces folded.
  const fold = (text) => text.replace(/\s+/g, ' ').trim();
  const types = fold(readFileSync(join(root, 'pkg-templates', 'types.d.ts'), 'utf8'));
  for (const build of ['web', 'node', 'bundler']) {
    const published = fold(readFileSync(join(pkgDir, build, 'ehrlint.d.ts'), 'utf8'));
    assert.ok(published.includes(types), `${build}/ehrlint.d.ts lacks pkg-templates/types.d.ts`);
  }
});
