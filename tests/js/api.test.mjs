// The package's API as Node code uses it (ESM import through the package's exports map).
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';
import { Validator, toOperationOutcome } from 'ehrlint';
import { expected, fixtureText, pairs } from './helpers.mjs';

const validator = new Validator();
// FHIR R4 alone, for tests about one defect rather than the default profile's warnings.
const bare = new Validator({ profile: 'none' });

test('every fixture gives exactly its expected issues, from an object and from text', () => {
  for (const [name, want] of expected()) {
    const text = fixtureText(name);
    assert.deepEqual(pairs(validator.validate(JSON.parse(text)).issues), want, name);
    assert.deepEqual(pairs(validator.validateJson(text).issues), want, name);
  }
});

test('text that is not ASCII crosses into the Wasm whole', () => {
  // Accents, CJK and an emoji before the defect: the copy into Wasm memory switches to three
  // bytes per unit after the first non-ASCII character, and must still reach the end.
  const family = 'Müller 日本 😀'.repeat(50);
  const text = `{"resourceType":"Patient","name":[{"family":"${family}"}],"gender":"mal"}`;
  for (const report of [validator.validateJson(text), validator.validate(JSON.parse(text))]) {
    assert.ok(report.issues.some((i) => i.path === '/gender' && i.severity === 'error'));
    assert.ok(!report.issues.some((i) => i.path.startsWith('/name')), 'the name is read as written');
  }
  // A control character after non-ASCII text is found where it is.
  const bell = validator.validateJson('{"resourceType":"Patient","name":[{"family":"é\\u0007"}]}');
  assert.ok(bell.issues.some((i) => i.path === '/name/0/family' && i.severity === 'error'));
  // A lone surrogate (no UTF-8 form) is read as U+FFFD, as TextEncoder writes it: no throw.
  const lone = validator.validateJson(`{"resourceType":"Patient","name":[{"family":"a\uD800b"}]}`);
  assert.ok(!lone.issues.some((i) => i.severity === 'error'));
});

test('NDJSON is read a piece at a time: lines across pieces and emoji across a piece boundary arrive whole', () => {
  // Pieces are 65,536 UTF-16 units. Pad the first line so that an emoji's two halves sit on
  // either side of that boundary, and make the second line longer than a piece.
  const head = '{"resourceType":"Patient","id":"p1","name":[{"family":"';
  const pad = 'x'.repeat(65_535 - head.length);
  const first = `${head}${pad}😀"}],"gender":"mal"}`;
  assert.equal(first.charCodeAt(65_535), 0xd83d, 'the high surrogate is the last unit of the first piece');
  const second = `{"resourceType":"Patient","id":"p2","name":[{"family":"${'日本'.repeat(40_000)}"}]}`;
  const results = bare.validateNdjson(`${first}\n\n${second}\r\n{oops\n`);
  assert.deepEqual(results.map((r) => r.line), [1, 3, 4]);
  assert.deepEqual(results[0].issues.map((i) => i.path), ['/gender'], 'the emoji is read whole, not as U+FFFD');
  assert.equal(results[1].id, 'p2');
  assert.deepEqual(results[1].issues, [], 'a line longer than a piece, with a final CR');
  assert.equal(results[2].valid, false);
  assert.match(results[2].error, /not valid JSON at line 1/);
  // A line over the size limit is reported for itself; the lines after it are checked.
  const small = new Validator({ profile: 'none', limits: { maxBytes: 100 } });
  const mixed = small.validateNdjson(`${'{"resourceType":"Basic"}'.padEnd(200, ' ')}\n{"resourceType":"Basic","code":{"text":"x"}}`);
  assert.match(mixed[0].error, /above the limit/);
  assert.equal(mixed[1].valid, true);
  assert.throws(() => bare.validateNdjson(42), /NDJSON text must be a string/);
  assert.equal(bare.validateNdjson('').length, 0);
});

test('reports have the documented shape', () => {
  const report = bare.validate({ resourceType: 'Patient', gender: 'mal' });
  assert.deepEqual(report, {
    valid: false,
    issues: [{
      severity: 'error',
      category: 'structure',
      code: 'invalid-value',
      path: '/gender',
      expression: 'Patient.gender',
      message: `"mal" is not an allowed gender. Did you mean 'male'? Use one of: male, female, other, unknown.`,
      suggestions: ['male'],
    }],
    completeness: {
      score: 1,
      required: { present: 0, total: 0 },
      mustSupport: { present: 0, total: 0 },
      missing: [],
    },
  });
  assert.equal(validator.validate({ resourceType: 'Patient' }).valid, true);
});

test('bad input throws a clear Error and the instance keeps working', () => {
  const cases = [
    [() => validator.validate(null), /JSON object, but this input is null/],
    [() => validator.validate(42), /JSON object, but this input is a number/],
    [() => validator.validate('{"resourceType":"Patient"}'), /JSON object, but this input is a string/],
    [() => validator.validate(undefined), /JSON object, but this input is undefined/],
    [() => validator.validate(() => 1), /this input is a function or a symbol/],
    [() => validator.validate([{ resourceType: 'Patient' }]), /an array/],
    [() => validator.validate({ id: 'x' }), /no "resourceType"/],
    [() => validator.validate({ resourceType: 'Patient', n: 10n }), /cannot be read as JSON/],
    [() => validator.validateJson('{not json'), /not valid JSON at line 1, column 2/],
    [() => validator.validateJson(''), /not valid JSON/],
    [() => validator.validateJson('[]'), /an array/],
  ];
  const cyclic = { resourceType: 'Patient' };
  cyclic.self = cyclic;
  cases.push([() => validator.validate(cyclic), /cannot be read as JSON/]);
  for (const [call, message] of cases) {
    assert.throws(call, (e) => e instanceof Error && message.test(e.message), String(call));
    // Still usable after every throw.
    assert.equal(validator.validate({ resourceType: 'Patient', gender: 'male' }).valid, true);
  }
});

test('deep nesting and huge strings neither trap nor hang', () => {
  let deep = { resourceType: 'Patient' };
  let cur = deep;
  for (let i = 0; i < 10_000; i++) cur = cur.extension = {};
  // JSON.stringify itself cannot follow 10,000 levels: the depth limit's error says so.
  assert.throws(() => validator.validate(deep), { message: 'the resource: nesting deeper than 64 levels, too deep even to be read as JSON (limits.maxDepth)' });
  assert.throws(() => validator.validateJson('{"resourceType":"Patient","a":' + '['.repeat(10_000)), /nesting deeper than 64 levels at \/a\/0\/0\//);
  // 50 MB: above the default size limit (10 MB); checked within a raised one, where FHIR's own
  // 1 MB limit on a string is the error.
  const big = { resourceType: 'Patient', name: [{ text: 'x'.repeat(50 * 1024 * 1024) }], gender: 'mal' };
  assert.throws(() => bare.validate(big), /above the limit of 10 MB \(limits\.maxBytes\)/);
  const report = new Validator({ profile: 'none', limits: { maxBytes: 60_000_000, maxStringLength: 60_000_000 } }).validate(big);
  assert.deepEqual(pairs(report.issues), [['invalid-value', '/gender'], ['string-too-long', '/name/0/text']]);
  assert.ok(validator.validate({ resourceType: 'Patient', gender: 'x'.repeat(1_000_000) }).issues[0].message.length < 300);
  assert.equal(validator.validate({ resourceType: 'Patient' }).valid, true);
});

test('options and context are checked', () => {
  assert.throws(() => new Validator({ bogus: true }), /invalid options: unknown field `bogus`/);
  assert.ok(new Validator({}) instanceof Validator);
  assert.ok(new Validator(null) instanceof Validator);
  assert.equal(validator.validate({ resourceType: 'Patient' }, { asOf: '2024-05-01' }).valid, true);
  assert.throws(() => validator.validate({ resourceType: 'Patient' }, { asOf: '2024-02-30' }), /February 2024 has 29 days/);
  assert.throws(() => validator.validate({ resourceType: 'Patient' }, { asof: '2024-02-01' }), /context: unknown field `asof`/);
});

test('the default profile scores completeness; a vendor profile adds and relaxes', () => {
  const patient = { resourceType: 'Patient', identifier: [{ value: '1' }], name: [{ family: 'Chalmers' }], gender: 'male' };
  const report = validator.validate(patient);
  assert.equal(report.valid, true);
  assert.deepEqual(report.completeness.required, { present: 4, total: 4 });
  assert.deepEqual(report.completeness.mustSupport, { present: 0, total: 4 });
  assert.deepEqual(report.completeness.missing, ['/birthDate', '/telecom', '/address', '/identifier/0/system']);
  assert.ok(Math.abs(report.completeness.score - 8 / 12) < 1e-9, String(report.completeness.score));
  assert.ok(report.issues.every((i) => i.severity === 'warning'));

  const clinic = new Validator({
    profile: {
      id: 'clinic',
      extends: 'default',
      requiredSeverity: 'error',
      resources: { Patient: { required: ['birthDate'], relax: ['telecom', 'address', 'identifier.system'] } },
    },
  });
  const strict = clinic.validate(patient);
  assert.equal(strict.valid, false);
  assert.deepEqual(pairs(strict.issues), [['profile-required', '/birthDate']]);
  assert.equal(strict.issues[0].message, 'Patient.birthDate is missing: the clinic profile requires it.');
});

test('a bad profile is refused with a clear Error', () => {
  assert.throws(() => new Validator({ profile: 'us-core' }), /unknown profile "us-core"/);
  assert.throws(() => new Validator({ profile: { id: 'x', resources: { Patient: { required: ['birthdate'] } } } }),
    /Patient has no element birthdate \(did you mean birthDate\?\)/);
  assert.throws(() => new Validator({ profile: { id: 'x', resources: { Patient: { mustSupport: 'gender' } } } }),
    /invalid profile: \/resources\/Patient\/mustSupport/);
});

test('rule configuration: disable, severity, require, asOf; bad keys are named', () => {
  const hr = { resourceType: 'Observation', status: 'final',
    code: { coding: [{ system: 'http://loinc.org', code: '8867-4' }] },
    valueQuantity: { value: 300, system: 'http://unitsofmeasure.org', code: '/min' } };
  assert.deepEqual(pairs(bare.validate(hr).issues), [['value-implausible', '/valueQuantity/value']]);
  assert.deepEqual(new Validator({ profile: 'none', rules: { disable: ['accuracy'] } }).validate(hr).issues, []);
  const strict = new Validator({ profile: 'none', rules: { severity: { 'value-implausible': 'error' } } });
  assert.equal(strict.validate(hr).valid, false);
  const req = new Validator({ profile: 'none', require: { Patient: { required: ['birthDate'] } } });
  assert.deepEqual(pairs(req.validate({ resourceType: 'Patient' }).issues), [['profile-required', '/birthDate']]);
  const dated = new Validator({ profile: 'none', asOf: '2025-03-01' });
  const condition = { resourceType: 'Condition', subject: { reference: 'Patient/1' },
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'C78.31' }] } };
  assert.deepEqual(pairs(dated.validate(condition).issues), [['icd10cm-not-valid-on-date', '/code/coding/0/code']]);
  assert.throws(() => new Validator({ rules: { disable: ['value-implausable'] } }), /rules.disable: "value-implausable" is not a rule code \(did you mean value-implausible\?\)/);
  assert.throws(() => new Validator({ rules: { severity: { 'ucum-invalid': 'fatal' } } }), /rules.severity.ucum-invalid/);
  assert.throws(() => new Validator({ asOf: 'yesterday' }), /asOf "yesterday"/);
  assert.throws(() => new Validator({ rule: {} }), /unknown field `rule`/);
  assert.throws(() => new Validator({ locale: 'fr' }), /invalid options: locale: "fr" is not supported \(use en or es\)/);
  assert.throws(() => new Validator({ rules: { disable: 'accuracy' } }), /invalid options: rules.disable: invalid type/);
});

test('messages speak the locale; codes, paths and suggestions do not change', () => {
  const record = { resourceType: 'Patient', birthDate: '2999-01-01', gender: 'mal',
    telecom: [{ system: 'email', value: 'not-an-address' }] };
  const condition = { resourceType: 'Condition', subject: { reference: 'Patient/1' }, recordedDate: '2025-03-01',
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11' }] } };
  const en = new Validator({ profile: 'none' });
  const es = new Validator({ profile: 'none', locale: 'es' });
  for (const r of [record, condition]) {
    const [a, b] = [en.validate(r).issues, es.validate(r).issues];
    assert.ok(a.length >= 1);
    assert.deepEqual(b.map(({ message, ...rest }) => rest), a.map(({ message, ...rest }) => rest));
    a.forEach((issue, i) => assert.notEqual(b[i].message, issue.message, issue.code));
  }
  const [billable] = es.validate(condition).issues;
  assert.match(billable.message, /^E11 es una categoría, no un código facturable/);
  const field = es.validateField('Patient', 'Patient.birthDate', '2999-01-01');
  assert.deepEqual(pairs(field), [['birth-date-in-future', '/birthDate']]);
  assert.notEqual(field[0].message, en.validateField('Patient', 'Patient.birthDate', '2999-01-01')[0].message);
});

test('lookup offers codes by prefix at once and by words once descriptions are loaded', async () => {
  const { readFileSync } = await import('node:fs');
  const v = new Validator();
  const e11 = v.lookup('icd10cm', 'E11.6', { limit: 2, asOf: '2026-04-01' });
  assert.deepEqual(e11, [{ code: 'E11.6', billable: false }, { code: 'E11.610', billable: true }]);
  assert.deepEqual(v.lookup('icd10cm', 'type 2 diabetes'), []);
  v.loadDescriptions(readFileSync(new URL(import.meta.resolve('ehrlint/data/icd10cm-descriptions.tsv')), 'utf8'));
  assert.deepEqual(v.lookup('icd10cm', 'type 2 diabetes', { limit: 1, asOf: '2026-04-01' }),
    [{ code: 'E11.9', display: 'Type 2 diabetes mellitus without complications', billable: true }]);
  assert.equal(v.lookup('icd10pcs', '0DTJ4ZZ').length, 1);
  assert.throws(() => v.lookup('snomed', 'x'), /unknown code system "snomed"/);
  assert.throws(() => v.lookup('icd10cm', 'x', { limt: 3 }), /lookup options: unknown field `limt`/);
});

test('validateField checks one element; a session re-checks only what an edit affects', () => {
  const v = new Validator();
  assert.deepEqual(pairs(v.validateField('Patient', 'Patient.birthDate', '2099-01-01')), [['birth-date-in-future', '/birthDate']]);
  assert.deepEqual(v.validateField('Patient', '/birthDate', '1974-12-25'), []);
  assert.deepEqual(pairs(v.validateField('Patient', 'Patient.birthDate', '1974-12-25',
    { record: { resourceType: 'Patient', deceasedDateTime: '1970-01-01' } })), [['deceased-before-birth', '/deceasedDateTime']]);
  assert.throws(() => v.validateField('Patient', 'Observation.status', 'final'), /the record is a Patient/);

  const s = v.session('Patient', { resourceType: 'Patient', name: [{ family: 'Chalmers' }] });
  const first = s.ruleRuns;
  // The missing birth date is held back (later) until the user reaches it.
  assert.ok(s.current().later.some((i) => i.code === 'must-support-missing' && i.path === '/birthDate'));
  const change = s.set('Patient.birthDate', '2099-01-01');
  assert.deepEqual(pairs(change.added), [['birth-date-in-future', '/birthDate']]);
  assert.deepEqual(change.now, change.added);
  assert.ok(!change.issues.some((i) => i.code === 'must-support-missing' && i.path === '/birthDate'));
  assert.ok(s.lastRun.includes('birth-date-in-future') && !s.lastRun.includes('telecom-email-format'), String(s.lastRun));
  assert.ok(s.ruleRuns - first < 8);
  assert.deepEqual(s.report(), v.validate(s.resource()));
  const removed = s.set('/birthDate', undefined);
  assert.deepEqual(pairs(removed.removed), [['birth-date-in-future', '/birthDate']]);
  assert.equal(s.resource().birthDate, undefined);
  assert.throws(() => s.set('/resourceType', 'Observation'), /resourceType cannot be edited/);
});

test('a session shows what is wrong at once and holds back what is not reached yet', () => {
  const v = new Validator();
  const s = v.session('Patient');
  const empty = s.current();
  assert.deepEqual(empty.now, [], 'an empty record shows nothing');
  assert.ok(empty.later.length > 0 && empty.later.every((i) => i.category === 'completeness'));
  const typed = s.set('Patient.gender', 'mal');
  assert.deepEqual(pairs(typed.now), [['invalid-value', '/gender']], 'one field typed: only its issue');
  assert.deepEqual(pairs(typed.added), [['invalid-value', '/gender']]);
  const left = s.touch('Patient.birthDate');
  assert.deepEqual(pairs(left.added), [['must-support-missing', '/birthDate']], 'leaving a field shows it is missing');
  assert.throws(() => s.touch('Patient.nmae'), /nmae/);
  const all = s.touchAll();
  assert.deepEqual(all.later, []);
  assert.deepEqual(all.now, all.issues);
  assert.deepEqual(all.issues, s.report().issues);
});

test('text that is not ASCII comes back whole in reports, fields and session changes', () => {
  // Strings reach JS as one text cut at lengths counted in UTF-16 units (src/wasm.rs): an emoji
  // counts two, an accent one; a wrong count would shift every string after it.
  const v = new Validator();
  const record = JSON.parse(fixtureText('invalid/patient-non-ascii-text.json'));
  const report = v.validate(record);
  const state = report.issues.find((i) => i.code === 'address-us-state');
  assert.ok(state.message.startsWith('"Bayern 😀" is not a US state'), state.message);
  assert.equal(state.expression, 'Patient.address[0].state');
  const unknown = report.issues.find((i) => i.code === 'unknown-property');
  assert.equal(unknown.path, '/naïve😀');
  assert.ok(unknown.message.includes("'naïve😀'"), unknown.message);
  assert.deepEqual(report.issues.at(-1).path, '/telecom');

  const field = v.validateField('Patient', 'Patient.address[0].state', 'Tirol 日本 😀', { record });
  assert.ok(field.some((i) => i.message.startsWith('"Tirol 日本 😀"')), JSON.stringify(field));

  const s = v.session('Patient', record);
  const change = s.set('Patient.address[0].state', 'Tirol 日本 😀');
  assert.ok(change.added.some((i) => i.message.startsWith('"Tirol 日本 😀"')), JSON.stringify(change.added));
  assert.ok(change.removed.some((i) => i.message.startsWith('"Bayern 😀"')), JSON.stringify(change.removed));
  assert.deepEqual(change.issues, v.validate(s.resource()).issues);
  assert.deepEqual([...change.now, ...change.later].length, change.issues.length);
});

test('entry-time calls survive bad values and the instance keeps working', () => {
  const v = new Validator();
  let deep = {};
  let cur = deep;
  for (let i = 0; i < 10_000; i++) cur = cur.extension = {};
  const cyclic = {};
  cyclic.self = cyclic;
  const s = v.session('Patient');
  for (const bad of [deep, cyclic, 10n, () => 1, Symbol('x')]) {
    assert.throws(() => v.validateField('Patient', '/birthDate', bad), Error);
    assert.throws(() => s.set('/birthDate', bad), Error);
  }
  assert.throws(() => v.validateField('Patient', 'x'.repeat(1_000_000), 1), Error);
  assert.deepEqual(v.lookup('icd10cm', 'x'.repeat(1_000_000)), []);
  // A 50 MB string value is over the size limit (10 MB); a 5 MB one is just a wrong value.
  assert.throws(() => v.validateField('Patient', '/gender', 'x'.repeat(50 * 1024 * 1024)), { message: /^value: input is at least 52\.4 MB .*\(limits\.maxBytes\)$/ });
  assert.ok(v.validateField('Patient', '/gender', 'x'.repeat(5 * 1024 * 1024)).length === 1);
  assert.deepEqual(pairs(s.set('/birthDate', '2099-01-01').added), [['birth-date-in-future', '/birthDate']]);
  assert.equal(v.validate({ resourceType: 'Patient', gender: 'male' }).valid, true);
});

test('toOperationOutcome gives a FHIR OperationOutcome', () => {
  const outcome = toOperationOutcome(bare.validateJson(fixtureText('invalid/observation-no-status.json')));
  assert.deepEqual(outcome, {
    resourceType: 'OperationOutcome',
    issue: [{
      severity: 'error',
      code: 'required',
      details: { coding: [{ system: 'urn:ehrlint:rule', code: 'required-element' }], text: 'Observation.status is required but missing.' },
      expression: ['Observation.status'],
    }],
  });
  assert.equal(toOperationOutcome(bare.validate({ resourceType: 'Patient' })).issue[0].severity, 'information');
  assert.throws(() => toOperationOutcome({ nope: 1 }), /issues/);
});

test('every FHIR R4 resource type is checked', () => {
  const model = JSON.parse(readFileSync(new URL('../../data/fhir-r4-model.json', import.meta.url), 'utf8'));
  const r4 = model.types.filter((t) => t.kind === 'resource' && !t.abstract).map((t) => t.name).sort();
  assert.equal(r4.length, 146);
  assert.deepEqual(validator.supportedTypes, r4);
  // A Claim is checked against its definition: a status outside its value set, a misspelt element.
  const claim = validator.validate({ resourceType: 'Claim', status: 'finished', stauts: 'x' });
  const found = claim.issues.filter((i) => i.category === 'structure').map((i) => [i.code, i.path]);
  assert.deepEqual(found.filter(([c]) => c === 'invalid-value' || c === 'unknown-property'), [
    ['invalid-value', '/status'],
    ['unknown-property', '/stauts'],
  ]);
});

test('the date of service defaults to today in the Wasm build too', () => {
  // C78.31 took effect on 2026-10-01 (FY2027): valid today, not on 2025-03-01.
  const condition = (extra) => ({
    resourceType: 'Condition', subject: { reference: 'Patient/1' }, ...extra,
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'C78.31' }] },
  });
  assert.deepEqual(bare.validate(condition({})).issues, []);
  assert.deepEqual(pairs(bare.validate(condition({}), { asOf: '2025-03-01' }).issues),
    [['icd10cm-not-valid-on-date', '/code/coding/0/code']]);
});

test('the context patient drives the age edits, and bad patients are refused', () => {
  const condition = {
    resourceType: 'Condition', subject: { reference: 'Patient/1' }, recordedDate: '2025-03-01',
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'O80' }] },
  };
  assert.deepEqual(bare.validate(condition).issues, []);
  assert.deepEqual(pairs(bare.validate(condition, { patient: { birthDate: '1950-01-01', gender: 'female' } }).issues),
    [['mce-age-conflict', '/code/coding/0/code']]);
  assert.throws(() => bare.validate(condition, { patient: { gender: 'f' } }), /patient.gender "f" must be male, female, other or unknown/);
  assert.throws(() => bare.validate(condition, { patient: { birthDate: '1950-02-30' } }), /February 1950 has 28 days/);
});

test('a property given twice is an error in validateJson and validateNdjson, checked as the first', () => {
  // JSON.parse would keep the last resourceType; the text is checked as the type named first.
  const twoTypes = '{"resourceType":"Patient","id":"p1","gender":"male","resourceType":"Observation"}';
  const twice = '{"resourceType":"Patient","active":true,"active":false}';
  const report = bare.validateJson(twoTypes);
  assert.equal(report.valid, false);
  assert.deepEqual(pairs(report.issues), [['duplicate-property', '/resourceType']]);
  assert.equal(report.issues[0].expression, 'Patient.resourceType');
  assert.match(report.issues[0].message, /It was checked as Patient/);
  assert.deepEqual(pairs(bare.validateJson(twice).issues), [['duplicate-property', '/active']]);
  const lines = bare.validateNdjson(`${twice}\n{"resourceType":"Patient"}\n${twoTypes}\n`);
  assert.deepEqual(lines.map((l) => [l.line, l.resourceType, l.valid, pairs(l.issues)]), [
    [1, 'Patient', false, [['duplicate-property', '/active']]],
    [2, 'Patient', true, []],
    [3, 'Patient', false, [['duplicate-property', '/resourceType']]],
  ]);
  // An object cannot hold a name twice: validate(object) has nothing of the kind to report.
  assert.deepEqual(bare.validate(JSON.parse(twice)).issues, []);
});

test('descriptions ship with the package and name codes once loaded', async () => {
  const { readFileSync } = await import('node:fs');
  const text = readFileSync(new URL(import.meta.resolve('ehrlint/data/icd10cm-descriptions.tsv')), 'utf8');
  const v = new Validator({ profile: 'none' });
  const condition = { resourceType: 'Condition', subject: { reference: 'Patient/1' }, recordedDate: '2026-04-01',
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11' }] } };
  assert.doesNotMatch(v.validate(condition).issues[0].message, /diabetes/);
  assert.equal(v.loadDescriptions(text), 74719);
  assert.match(v.validate(condition).issues[0].message, /E11\.8 \(Type 2 diabetes mellitus with unspecified complications\)/);
  assert.throws(() => new Validator().loadDescriptions('nonsense'), /code TAB description/);
});

test('the ig option loads a guide given as its resources: a record claiming its profile is checked against it', () => {
  const profile = {
    resourceType: 'StructureDefinition',
    url: 'http://example.org/fhir/StructureDefinition/test-patient',
    name: 'TestPatient',
    title: 'Test Patient',
    status: 'active',
    kind: 'resource',
    abstract: false,
    type: 'Patient',
    baseDefinition: 'http://hl7.org/fhir/StructureDefinition/Patient',
    derivation: 'constraint',
    differential: { element: [{ id: 'Patient.identifier', path: 'Patient.identifier', min: 1 }] },
  };
  const validator = new Validator({ profile: 'none', ig: [[profile]] });
  const meta = { profile: ['http://example.org/fhir/StructureDefinition/test-patient'] };
  const missing = validator.validate({ resourceType: 'Patient', meta, name: [{ family: 'Chalmers' }] });
  assert.deepEqual(pairs(missing.issues), [['profile-required', '/identifier']]);
  assert.equal(missing.issues[0].severity, 'error');
  assert.equal(missing.issues[0].message, 'Test Patient needs at least one identifier (Patient.identifier, 1..*).');
  const complete = validator.validate({ resourceType: 'Patient', meta, identifier: [{ value: '1' }] });
  assert.deepEqual(complete.issues, []);
  // Without the guide the claim is noted, never an error.
  const bare = new Validator({ profile: 'none' }).validate({ resourceType: 'Patient', meta });
  assert.deepEqual(bare.issues.map((i) => [i.code, i.path, i.severity]), [['profile-unknown', '/meta/profile/0', 'information']]);
  // A folder's path needs the command line; what is not a resource is refused when the
  // validator is built.
  assert.throws(() => new Validator({ ig: ['/guides/us-core'] }), /ig\[0\]: a string is not a package: give its resources \(a package's path needs the command line\)/);
  assert.throws(() => new Validator({ ig: [['not a resource']] }), /invalid options: ig: ig resource 0: not a resource/);
});

test('US Core is built in, and a guide compiled by `ehrlint ig pack` loads as its bytes', async () => {
  // The built-in US Core 6.1.0: a record claiming US Core Patient is checked against it.
  const meta = { profile: ['http://hl7.org/fhir/us/core/StructureDefinition/us-core-patient'] };
  const patient = { resourceType: 'Patient', meta, name: [{ family: 'Chalmers' }], gender: 'male' };
  const found = bare.validate(patient).issues.filter((i) => i.severity === 'error');
  assert.deepEqual(pairs(found), [['profile-required', '/identifier']]);
  assert.match(found[0].message, /^US Core Patient Profile needs at least one identifier \(Patient\.identifier, 1\.\.\*\)\.$/);
  // A compiled guide, as a Uint8Array or an ArrayBuffer, beside a guide's own resources: the
  // pack's profiles (here US Core's own, written by tools/gen-packs.sh) are checked.
  const pack = new Uint8Array(readFileSync(new URL('../../data/us-core-6.1.0.pack', import.meta.url)));
  for (const given of [pack, pack.buffer.slice(pack.byteOffset, pack.byteOffset + pack.byteLength)]) {
    const options = { profile: 'none', ig: [given] };
    const loaded = new Validator(options);
    assert.deepEqual(pairs(loaded.validate(patient).issues.filter((i) => i.severity === 'error')), [['profile-required', '/identifier']]);
    assert.equal(options.ig[0], given, "the caller's options are left as they are");
  }
  // Bytes that are not a compiled guide are refused when the validator is built.
  assert.throws(() => new Validator({ ig: [new Uint8Array([1, 2, 3])] }), /invalid options: ig: ig\[0\]: not a compiled guide \(`ehrlint ig pack` writes them\)/);
  const cut = pack.slice(0, pack.length >> 1);
  assert.throws(() => new Validator({ ig: [cut] }), /invalid options: ig: ig\[0\]: a compiled guide that does not read/);
  // The default browser build checks no guide: it says so.
  const web = await import('ehrlint/web');
  web.initSync({ module: readFileSync(new URL('../../target/npm/ehrlint/web/ehrlint_bg.wasm', import.meta.url)) });
  assert.throws(() => new web.Validator({ ig: [pack] }), /this build does not check Implementation Guides: the npm package's Node build and ehrlint\/full do/);
});
