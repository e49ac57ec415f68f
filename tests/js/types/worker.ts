// A TypeScript consumer of ehrlint/worker, compiled with --strict by types.test.mjs: the worker's
// methods are the Validator's, typed with the same Report, Issue and Change, as Promises.
import { createValidatorWorker, type ValidatorWorker, type WorkerSession } from 'ehrlint/worker';
import { createValidatorWorker as createFullValidatorWorker } from 'ehrlint/full/worker';
import type { Change, Issue, LookupResult, NdjsonResult, OperationOutcome, Report } from 'ehrlint';

export async function use(): Promise<unknown[]> {
  const worker: ValidatorWorker = createValidatorWorker({ profile: 'none', locale: 'es' });
  await worker.ready;
  const report: Report = await worker.validate({ resourceType: 'Patient' }, { asOf: '2024-05-01' });
  const fromText: Report = await worker.validateJson('{"resourceType": "Patient"}');
  const lines: NdjsonResult[] = await worker.validateNdjson('{"resourceType": "Patient"}\n');
  const field: Issue[] = await worker.validateField('Patient', 'Patient.birthDate', '1974', {
    record: { resourceType: 'Patient' },
  });
  const found: LookupResult[] = await worker.lookup('icd10cm', 'E11', { limit: 5 });
  const loaded: number = await worker.loadDescriptions(new URL('https://example.org/d.tsv'));
  const types: string[] = await worker.supportedTypes;
  const checksInvariants: boolean = await worker.evaluatesInvariants;
  const full: ValidatorWorker = createFullValidatorWorker({ profile: 'none' });
  const fullReport: Report = await full.validate({ resourceType: 'Patient' });
  const outcome: OperationOutcome = await worker.toOperationOutcome(report);
  const session: WorkerSession = await worker.session('Patient', { resourceType: 'Patient' });
  const change: Change = await session.set('/gender', 'male');
  const runs: number = await session.ruleRuns;
  const lastRun: string[] = await session.lastRun;
  await session.free();
  worker.terminate();

  // The types are precise, not any:
  // @ts-expect-error unknown options are refused, as by new Validator
  createValidatorWorker({ profil: 'none' });
  // @ts-expect-error results are Promises: a report is awaited
  const notAwaited: Report = worker.validate({ resourceType: 'Patient' });
  // @ts-expect-error supportedTypes is a Promise of the types
  worker.supportedTypes.length;

  return [fromText, lines, field, found, loaded, types, checksInvariants, fullReport, outcome, change, runs, lastRun, notAwaited];
}
