// createValidatorWorker(): the Validator in a module Web Worker, so that checking a large record
// (or loading the ICD-10-CM descriptions) never blocks the page. Same methods as Validator, each
// returning a Promise. The worker script is found with `new URL('./worker.js', import.meta.url)`,
// which Vite and webpack 5 bundle as a worker by themselves, and which a browser without a
// bundler loads from next to this file: no blob: or data: URL, no eval (fits a strict CSP).
// This one runs the default browser build (../web/); ./full.js runs the full one.

import { startWorker } from './client.js';

/** Starts a worker with a Validator built from `options`. */
export function createValidatorWorker(options) {
  return startWorker(() => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }), options);
}
