// A TypeScript consumer of the built package, compiled with --strict by types.test.mjs: every
// API is typed precisely (the @ts-expect-error lines fail to compile if a type were `any`).
import init, {
  Validator,
  toOperationOutcome,
  type Change,
  type Issue,
  type LookupResult,
  type NdjsonResult,
  type OperationOutcome,
  type Options,
  type Report,
  type Severity,
} from 'ehrlint';
import initFull, { Validator as FullValidator } from 'ehrlint/full';

// The same start in Node and in browsers: in Node, init() has nothing left to do.
await init();
await initFull();

const options: Options = {
  profile: 'default',
  require: { Patient: { required: ['birthDate'] } },
  rules: { disable: ['accuracy'], severity: { 'value-implausible': 'error' } },
  asOf: '2024-05-01',
  locale: 'es-MX',
};
const validator = new Validator(options);
const bare = new Validator();
const custom = new Validator({
  profile: { id: 'clinic', extends: 'default', resources: { Patient: { relax: ['address'] } } },
});

const report: Report = validator.validate({ resourceType: 'Patient' });
const lines: NdjsonResult[] = validator.validateNdjson('{"resourceType":"Patient"}\n{oops');
for (const line of lines) {
  const where: number = line.line;
  if ('error' in line) {
    const why: string = line.error;
  } else {
    const issues: Issue[] = line.issues;
    const id: string | null = line.id;
  }
}
const first: Issue | undefined = report.issues[0];
const severity: Severity | undefined = first?.severity;
const score: number = report.completeness.score;
const mustSupport: number = report.completeness.mustSupport.present;
const outcome: OperationOutcome = toOperationOutcome(report);
bare.validateJson('{"resourceType": "Patient"}', {
  asOf: '2024-01-01',
  patient: { birthDate: '1950', gender: 'female' },
});
const field: Issue[] = validator.validateField('Patient', 'Patient.birthDate', '1974-12-25');
const withRecord: Issue[] = bare.validateField('Patient', '/birthDate', '1974', {
  record: { resourceType: 'Patient' },
});
const session = custom.session('Patient');
const change: Change = session.set('/gender', 'male');
const added: Issue[] = change.added;
const runs: number = session.ruleRuns;
const found: LookupResult[] = bare.lookup('icd10cm', 'E11');
const billable: boolean = found[0]?.billable ?? false;
const display: string | undefined = found[0]?.display;
const types: string[] = bare.supportedTypes;
const checksInvariants: boolean = bare.evaluatesInvariants;
// The full browser build: the same API and types, with the invariants.
const full = new FullValidator(options);
const fullReport: Report = full.validateJson('{"resourceType": "Patient"}');

// The types are precise, not any:
// @ts-expect-error a severity is error, warning or information
const fatal: Severity = 'fatal';
// @ts-expect-error the catalogues speak English and Spanish
new Validator({ locale: 'fr' });
// @ts-expect-error unknown options are refused
new Validator({ profil: 'none' });
// @ts-expect-error a report has no such field
report.errors;
// @ts-expect-error gender is one of male, female, other, unknown
bare.validate({ resourceType: 'Patient' }, { patient: { gender: 'f' } });
// @ts-expect-error lookup options are checked
bare.lookup('icd10cm', 'E11', { limt: 3 });
// @ts-expect-error rule codes are the rules' own (RuleCode)
new Validator({ rules: { disable: ['value-implausable'] } });
// @ts-expect-error a rule's severity is error, warning or information
new Validator({ rules: { severity: { 'value-implausible': 'fatal' } } });
// @ts-expect-error a profile's requirement lists elements
new Validator({ profile: { id: 'p', resources: { Patient: { required: 'name' } } } });

export const used = [severity, score, mustSupport, outcome, field, withRecord, added, runs, billable, display, types, checksInvariants, fullReport, fatal];
