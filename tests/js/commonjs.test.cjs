// CommonJS consumers: require('ehrlint').
const { test } = require('node:test');
const assert = require('node:assert/strict');
const { Validator, toOperationOutcome } = require('ehrlint');

test('require() gives a working validator', () => {
  const v = new Validator();
  const report = v.validateJson('{"resourceType":"Encounter","status":"finished"}');
  // Errors first: FHIR's own requirement, then the default profile's warnings.
  assert.deepEqual(report.issues.map((i) => [i.code, i.path]), [
    ['required-element', '/class'], ['profile-required', '/type'], ['profile-required', '/subject'],
    ['must-support-missing', '/period'],
  ]);
  assert.equal(toOperationOutcome(report).resourceType, 'OperationOutcome');
});
