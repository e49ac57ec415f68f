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
} from '../web/ehrlint.js';

export type {
  Change,
  Context,
  FieldContext,
  Issue,
  LookupOptions,
  LookupResult,
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

/** The API of `Validator`, run in a Web Worker: every result is a Promise. */
export interface ValidatorWorker {
  /** Resolves once the worker's validator is built; rejects with the reason it cannot be. */
  readonly ready: Promise<void>;
  validate(resource: object, context?: Context): Promise<Report>;
  validateJson(text: string, context?: Context): Promise<Report>;
  validateNdjson(text: string, context?: Context): Promise<NdjsonResult[]>;
  validateField(resourceType: string, path: string, value: unknown, context?: FieldContext): Promise<Issue[]>;
  lookup(system: string, text: string, options?: LookupOptions): Promise<LookupResult[]>;
  /**
   * Loads ICD-10-CM descriptions: their text, or a URL of `ehrlint/data/icd10cm-descriptions.tsv`
   * that the worker fetches itself. Resolves to how many were loaded.
   */
  loadDescriptions(textOrUrl: string | URL): Promise<number>;
  /** The resource types the validator checks. */
  readonly supportedTypes: Promise<string[]>;
  /** A report (from `validate`) as a FHIR R4 OperationOutcome. */
  toOperationOutcome(report: Report): Promise<OperationOutcome>;
  /** Starts an editing session in the worker on a record of `resourceType`. */
  session(resourceType: string, initial?: object, context?: Context): Promise<WorkerSession>;
  /** Stops the worker; calls not yet answered, and later ones, reject. */
  terminate(): void;
}

/** A `Session` living in the worker: every result is a Promise. */
export interface WorkerSession {
  /** Sets one element (`undefined` or `null` removes it); the issues the edit added and removed. */
  set(path: string, value: unknown): Promise<Change>;
  /** The full report of the record as it stands. */
  report(): Promise<Report>;
  /** The record as it stands. */
  resource(): Promise<object>;
  /** The codes of the rules the last edit re-ran. */
  readonly lastRun: Promise<string[]>;
  /** How many record rules this session has run. */
  readonly ruleRuns: Promise<number>;
  /** Releases the session in the worker; later calls on it reject. */
  free(): Promise<void>;
}
