// CommonJS consumers: require('ehrlint').
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { Validator, toOperationOutcome } = require('ehrlint');

test('require() gives a working validator', () => {
  const v = new Validator();
  const report = v.validateJson('{"resourceType":"Encounter","status":"finished"}');
  assert.deepEqual(report.issues.map((i) => [i.code, i.path]), [['required-element', '/class']]);
  assert.equal(toOperationOutcome(report).resourceType, 'OperationOutcome');
});
