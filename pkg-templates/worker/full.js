// createValidatorWorker() over the package's full browser build (../full/), which also
// evaluates the invariants of the FHIR definitions: as ./index.js, with its own worker script.

import { startWorker } from './client.js';

/** Starts a worker with a Validator of the full build, built from `options`. */
export function createValidatorWorker(options) {
  return startWorker(() => new Worker(new URL('./worker-full.js', import.meta.url), { type: 'module' }), options);
}
