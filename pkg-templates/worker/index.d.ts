import type {
  Change,
  Context,
  FieldContext,
  Issue,
  LookupOptions,
  LookupResult,
  NdjsonResult,
  OperationOutcome,
  Options,
  Report,
  Session,
  Validator,
} from '../web/ehrlint.js';

export type {
  Change,
  Context,
  FieldContext,
  Issue,
  LookupOptions,
  LookupResult,
  NdjsonResult,
  OperationOutcome,
  Options,
  Report,
};

/**
 * Starts a module Web Worker running a Validator built from `options`, and returns its methods
 * as Promises. A bad option rejects `ready` and every call with the Error `new Validator`
 * would throw. Browsers only (Vite, webpack 5, or a plain ES module); in Node use `Validator`.
 */
export function createValidatorWorker(options?: Options): ValidatorWorker;

/** A call or property of `Validator` or `Session` as the worker gives it: a Promise of its result. */
type Promised<T> = T extends (...args: infer A) => infer R ? (...args: A) => Promise<R> : Promise<T>;

/** `Validator`'s calls and properties that the worker hands over as they are (api.js). */
type Forwarded = Exclude<keyof Validator, 'free' | 'session' | 'loadDescriptions' | typeof Symbol.dispose>;

/** `Session`'s, likewise. */
type SessionForwarded = Exclude<keyof Session, 'free' | typeof Symbol.dispose>;

/**
 * The API of `Validator`, run in a Web Worker: every result is a Promise. The calls are
 * `Validator`'s own, typed from it (`validate`, `validateJson`, `validateNdjson`,
 * `validateField`, `lookup`, `supportedTypes`...), with these in addition or in another form.
 */
export interface ValidatorWorker extends Readonly<{ [K in Forwarded]: Promised<Validator[K]> }> {
  /** Resolves once the worker's validator is built; rejects with the reason it cannot be. */
  readonly ready: Promise<void>;
  /**
   * Loads ICD-10-CM descriptions: their text, or a URL of `ehrlint/data/icd10cm-descriptions.tsv`
   * that the worker fetches itself. Resolves to how many were loaded.
   */
  loadDescriptions(textOrUrl: string | URL): Promise<number>;
  /** A report (from `validate`) as a FHIR R4 OperationOutcome. */
  toOperationOutcome(report: Report): Promise<OperationOutcome>;
  /** Starts an editing session in the worker on a record of `resourceType`. */
  session(resourceType: string, initial?: object, context?: Context): Promise<WorkerSession>;
  /** Stops the worker; calls not yet answered, and later ones, reject. */
  terminate(): void;
}

/**
 * A `Session` living in the worker: every result is a Promise. The calls are `Session`'s own,
 * typed from it (`set`, `report`, `resource`, `lastRun`, `ruleRuns`).
 */
export interface WorkerSession extends Readonly<{ [K in SessionForwarded]: Promised<Session[K]> }> {
  /** Releases the session in the worker; later calls on it reject. */
  free(): Promise<void>;
}
