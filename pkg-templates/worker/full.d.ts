// ehrlint/full/worker: createValidatorWorker over the full build (invariants evaluated), with
// the same types as ehrlint/worker.
export * from './index.js';
