// The page's side of createValidatorWorker() (./index.js for the default build, ./full.js for
// the full one): the Validator's methods, each a message to the worker and a Promise of its
// answer.

import { API, forwardAll } from './api.js';

/**
 * A ValidatorWorker over the worker that `start()` makes, with a Validator built from
 * `options`. `start` is each entry's own `new Worker(new URL(...))`, written out where bundlers
 * find it.
 */
export function startWorker(start, options) {
  if (typeof Worker !== 'function') {
    throw new Error('ehrlint: createValidatorWorker needs Web Workers (a browser); elsewhere use new Validator()');
  }
  return new ValidatorWorker(start(), options);
}

class ValidatorWorker {
  #worker;
  #pending = new Map();
  #next = 1;
  #failure = null;

  constructor(worker, options) {
    this.#worker = worker;
    worker.onmessage = (event) => {
      const { id, value, error } = event.data ?? {};
      const pending = this.#pending.get(id);
      if (!pending) return;
      this.#pending.delete(id);
      if (error) pending.reject(rebuild(error));
      else pending.resolve(value);
    };
    worker.onerror = (event) => {
      event.preventDefault?.();
      const detail = event.message ? `: ${event.message}` : ' (could not load the worker script or the WebAssembly)';
      this.#fail(new Error(`ehrlint: the validator worker failed${detail}`));
    };
    worker.onmessageerror = () => {
      this.#fail(new Error('ehrlint: a message from the validator worker could not be read'));
    };
    /** Resolves once the validator is built; rejects if it cannot be (bad options, no Wasm). */
    this.ready = this.#call('start', [options ?? null]);
    // Callers need not wait for `ready`: every call waits for the start and rejects with its
    // error. Not handling `ready` itself is therefore no unhandled rejection.
    this.ready.catch(() => {});
  }

  /** The descriptions' text, or a URL the worker fetches them from (off the main thread). */
  loadDescriptions(textOrUrl) {
    return textOrUrl instanceof URL
      ? this.#call('loadDescriptionsFrom', [textOrUrl.href])
      : this.#call('loadDescriptions', [textOrUrl]);
  }

  toOperationOutcome(report) {
    return this.#call('toOperationOutcome', [report]);
  }

  async session(resourceType, initial, context) {
    const id = await this.#call('session', [resourceType, initial, context]);
    return new WorkerSession((op, args) => this.#call(op, args, id));
  }

  /** Stops the worker at once; calls not yet answered reject. */
  terminate() {
    this.#worker.terminate();
    this.#fail(new Error('ehrlint: the validator worker was terminated'));
  }

  #call(op, args, session) {
    if (this.#failure) return Promise.reject(this.#failure);
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      try {
        this.#worker.postMessage({ id, op, args, session });
      } catch (e) {
        // Something that cannot be sent to a worker (a function, a DOM node): as Validator
        // does for input it cannot read, an Error with the reason.
        this.#pending.delete(id);
        reject(new Error(`ehrlint: cannot pass this input to the worker: ${e?.message ?? e}`));
      }
    });
  }

  #fail(error) {
    if (!this.#failure) this.#failure = error;
    for (const { reject } of this.#pending.values()) reject(this.#failure);
    this.#pending.clear();
  }

  // The other calls and properties of Validator (./api.js), each a message to the worker.
  static {
    forwardAll(this, API.validator, (self, name, args) => self.#call(name, args ?? []));
  }
}

class WorkerSession {
  #call;

  constructor(call) {
    this.#call = call;
  }

  /** Releases the session in the worker; later calls on it reject. */
  free() {
    return this.#call('free', []);
  }

  static {
    forwardAll(this, API.session, (self, name, args) => self.#call(name, args ?? []));
  }
}

function rebuild({ name, message }) {
  const error = new Error(message);
  if (name && name !== 'Error') error.name = name;
  return error;
}
