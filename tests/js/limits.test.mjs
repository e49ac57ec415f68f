// Input limits through the Wasm API (docs/limits.md): a clear Error naming the limit, never a
// trap or a hang, and the instance usable after; a string over maxBytes is refused before it is
// copied into WebAssembly memory, so the memory does not grow for it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Validator } from 'ehrlint';
import { initSync, Validator as WebValidator } from 'ehrlint/web';
import { root } from './helpers.mjs';

const bare = new Validator({ profile: 'none' });
const usable = (v) => assert.deepEqual(
  v.validate({ resourceType: 'Patient', gender: 'mal' }).issues.map((i) => [i.code, i.path]),
  [['invalid-value', '/gender']],
);

test('a 50 MB string is refused with the size error, and the validator keeps working', () => {
  const text = 'x'.repeat(50 * 1024 * 1024);
  const size = /^input is at least 52\.4 MB \(52,428,8\d\d bytes\), above the limit of 10 MB \(limits\.maxBytes\)$/;
  assert.throws(() => bare.validate({ resourceType: 'Patient', name: [{ text }] }), { message: size });
  assert.throws(() => bare.validateJson(`{"resourceType":"Patient","name":[{"text":"${text}"}]}`), { message: size });
  assert.throws(() => bare.validateField('Patient', 'Patient.name', [{ text }]), { message: /^value: input is at least 52\.4 MB/ });
  assert.throws(() => bare.session('Patient', { resourceType: 'Patient', name: [{ text }] }), { message: /^initial: input is at least 52\.4 MB/ });
  const session = bare.session('Patient');
  assert.throws(() => session.set('Patient.name', [{ text }]), { message: /^value: input is at least 52\.4 MB/ });
  assert.deepEqual(session.resource(), { resourceType: 'Patient' });
  usable(bare);
  // Within a raised limit the same record is checked: FHIR allows 1 MB in one string.
  const roomy = new Validator({ profile: 'none', limits: { maxBytes: 60_000_000, maxStringLength: 60_000_000 } });
  const checked = roomy.validate({ resourceType: 'Patient', name: [{ text }] });
  assert.deepEqual(checked.issues.map((i) => [i.code, i.path]), [['string-too-long', '/name/0/text']]);
});

test('10,000-deep nesting is refused at the depth limit with its path, and the validator keeps working', () => {
  const deep = { resourceType: 'Patient' };
  let at = deep;
  for (let i = 0; i < 10_000; i++) at = at.extension = {};
  // As text, the depth limit names where; as an object, JSON.stringify itself cannot follow
  // 10,000 levels, and the error says so.
  const text = '{"resourceType":"Patient","extension":' + '{"extension":'.repeat(9_999) + '{}' + '}'.repeat(10_000);
  const want = `nesting deeper than 64 levels at ${'/extension'.repeat(64)} (limits.maxDepth)`;
  assert.throws(() => bare.validateJson(text), { message: want });
  const tooDeep = { message: 'the resource: nesting deeper than 64 levels, too deep even to be read as JSON (limits.maxDepth)' };
  assert.throws(() => bare.validate(deep), tooDeep);
  assert.throws(() => bare.validateField('Patient', 'Patient.extension', deep.extension),
    { message: 'value: nesting deeper than 64 levels, too deep even to be read as JSON (limits.maxDepth)' });
  // An object within what JSON.stringify follows gets the path.
  const hundred = { resourceType: 'Patient' };
  at = hundred;
  for (let i = 0; i < 100; i++) at = at.extension = {};
  assert.throws(() => bare.validate(hundred), { message: want });
  const arrays = `{"resourceType":"Patient","contained":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
  assert.throws(() => bare.validateJson(arrays), { message: `nesting deeper than 64 levels at /contained${'/0'.repeat(63)} (limits.maxDepth)` });
  usable(bare);
});

test('each limit: at the limit passes, one over throws naming it', () => {
  const v = new Validator({ profile: 'none', limits: { maxBytes: 60, maxDepth: 4, maxArrayLength: 2, maxStringLength: 12 } });
  const ok = (r) => assert.equal(v.validate(r).valid, true, JSON.stringify(r));
  const text = '{"resourceType":"Patient","gender":"male","id":"abcdefghij"}';
  assert.equal(text.length, 60);
  assert.equal(v.validateJson(text).valid, true);
  // Longer than the limit in UTF-16 units already: refused before it is copied into Wasm.
  assert.throws(() => v.validateJson(text + ' '), { message: 'input is at least 61 bytes, above the limit of 60 bytes (limits.maxBytes)' });
  // Within it in UTF-16 units, over it in UTF-8 bytes: refused by the parser's count.
  const accented = text.replace('abcdefghij', 'abcdefghé');
  assert.equal(accented.length, 59);
  assert.throws(() => v.validateJson(accented + ' '), { message: 'input is 61 bytes, above the limit of 60 bytes (limits.maxBytes)' });
  ok({ resourceType: 'Patient', name: [{ given: ['A'] }] });
  assert.throws(() => v.validate({ resourceType: 'Patient', name: [{ given: [{}] }] }),
    { message: 'nesting deeper than 4 levels at /name/0/given/0 (limits.maxDepth)' });
  ok({ resourceType: 'Patient', name: [{ given: ['A', 'B'] }] });
  assert.throws(() => v.validate({ resourceType: 'Patient', name: [{ given: ['A', 'B', 'C'] }] }),
    { message: 'the list at /name/0/given has more than 2 items (limits.maxArrayLength)' });
  ok({ resourceType: 'Patient', id: 'abcdefghijkl' });
  assert.throws(() => v.validate({ resourceType: 'Patient', id: 'abcdefghijklm' }),
    { message: 'a string of 13 characters at /id, above the limit of 12 (limits.maxStringLength)' });
  // The limits apply to values and records given to entry-time checks too.
  assert.throws(() => v.validateField('Patient', 'Patient.name', [{}, {}, {}]),
    { message: 'value: the list at the top level has more than 2 items (limits.maxArrayLength)' });
  assert.throws(() => v.validateField('Patient', 'Patient.gender', 'male', { record: { resourceType: 'Patient', name: [{}, {}, {}] } }),
    { message: 'context: the list at /record/name has more than 2 items (limits.maxArrayLength)' });
  // Each value is limited alone.
  assert.throws(() => v.session('Patient').set('Patient.name', [{ given: [[[]]] }]),
    { message: 'value: nesting deeper than 4 levels at /0/given/0/0 (limits.maxDepth)' });
  usable(v);
});

test('bad limits are refused when the validator is built', () => {
  assert.throws(() => new Validator({ limits: { maxDepth: 101 } }), { message: 'invalid options: limits.maxDepth: must be at most 100, not 101' });
  assert.throws(() => new Validator({ limits: { maxBytes: 0 } }), { message: 'invalid options: limits.maxBytes: must be at least 1' });
  assert.throws(() => new Validator({ limits: { maxbytes: 1 } }),
    { message: 'invalid options: limits: unknown limit `maxbytes`: use maxBytes, maxDepth, maxArrayLength or maxStringLength' });
  assert.throws(() => new Validator({ limits: { maxBytes: '10MB' } }), { message: 'invalid options: limits: maxBytes must be a whole number, not "10MB"' });
  assert.throws(() => new Validator({ limits: { maxBytes: 1.5 } }), { message: 'invalid options: limits: maxBytes must be a whole number, not 1.5' });
  assert.throws(() => bare.validateJson(42), { message: 'JSON text must be a string' });
});

test('an oversized string leaves the WebAssembly memory as it was', () => {
  const exports = initSync({ module: readFileSync(join(root, 'target', 'npm', 'ehrlint', 'web', 'ehrlint_bg.wasm')) });
  const v = new WebValidator({ profile: 'none' });
  usable(v);
  const before = exports.memory.buffer.byteLength;
  const text = 'x'.repeat(50 * 1024 * 1024);
  for (let i = 0; i < 3; i++) {
    assert.throws(() => v.validateJson(`{"resourceType":"Patient","name":[{"text":"${text}"}]}`), /limits\.maxBytes/);
    assert.throws(() => v.validate({ resourceType: 'Patient', name: [{ text }] }), /limits\.maxBytes/);
  }
  assert.equal(exports.memory.buffer.byteLength, before);
  usable(v);
});
