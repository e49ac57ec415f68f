// The package's entry over wasm-bindgen's glue (./ehrlint_glue.js): the same Validator, Session
// and toOperationOutcome, guarded. Should the WebAssembly ever trap (a bug: a Rust panic, an
// out-of-bounds access, memory exhausted), the call throws a clear Error, with the trap as its
// `cause`, and the module is restarted: a fresh instance (the glue's __wbg_reset_state), on
// which every Validator and Session is rebuilt when next used, from its options (and loaded
// descriptions) or its record (replayed from its start and the edits since), so the page keeps
// working. A trapped instance is never called again. Nothing is logged. tools/assemble-pkg.mjs
// writes this file as each build's ehrlint.js (ES module or CommonJS).
import * as glue from './ehrlint_glue.js';
import { API, forwardAll } from './api.js';
export { default, initSync } from './ehrlint_glue.js'; // web build only

// A fresh instance of the module, in place of the trapped one.
const restart = () => glue.__wbg_reset_state();

// Instances started so far; each wrapped object knows the one its glue object lives in.
let generation = 0;
// Set when a trapped module cannot be restarted (the bundler build: the bundler instantiates it).
let stopped;

function guarded(call) {
  if (stopped) throw stopped;
  try {
    return call();
  } catch (e) {
    // Errors the bindings return are plain Errors; a trap is a RuntimeError (a stack overflow
    // in Wasm is a RangeError). After one, the instance is unusable.
    if (!(e instanceof WebAssembly.RuntimeError || e instanceof RangeError)) throw e;
    try {
      restart();
    } catch {
      throw (stopped = new Error('ehrlint: internal error while validating; the validator cannot restart in this build: reload the page. Please report this.', { cause: e }));
    }
    generation++;
    throw new Error('ehrlint: internal error while validating; the validator was restarted. Please report this.', { cause: e });
  }
}

// The options kept for a restart: a deep copy (the caller may change theirs), in which a
// compiled guide (a Uint8Array or ArrayBuffer in `ig`) stays one; options holding what cannot
// be cloned (a function, which the validator passes over) are copied as their JSON.
function copy(value) {
  if (value == null) return undefined;
  try {
    return structuredClone(value);
  } catch {
    return JSON.parse(JSON.stringify(value));
  }
}

class Validator {
  #options;
  #descriptions;
  #inner;
  #generation = generation;

  constructor(options) {
    this.#inner = guarded(() => new glue.Validator(options));
    this.#options = copy(options);
  }

  // A glue Validator in the current instance, built again after a restart.
  #build() {
    const v = new glue.Validator(this.#options);
    if (this.#descriptions !== undefined) v.loadDescriptions(this.#descriptions);
    return v;
  }

  #run(call) {
    return guarded(() => {
      if (!this.#inner) throw new Error('ehrlint: this Validator has been freed');
      if (this.#generation !== generation) {
        this.#inner = this.#build();
        this.#generation = generation;
      }
      return call(this.#inner);
    });
  }

  loadDescriptions(text) {
    const n = this.#run((v) => v.loadDescriptions(text));
    // Kept for a restart; the first set loaded stays, as in the validator.
    this.#descriptions ??= text;
    return n;
  }

  session(resourceType, initial, context) {
    const inner = this.#run((v) => v.session(resourceType, initial, context));
    const kept = copy(context);
    // A session outlives its validator's free(): it is then rebuilt on a validator of its own.
    const start = (record) => {
      if (this.#inner) return this.#run((v) => v.session(resourceType, record, kept));
      const v = this.#build();
      try {
        return v.session(resourceType, record, kept);
      } finally {
        v.free();
      }
    };
    return new Session(inner, start, copy(initial));
  }

  free() {
    const inner = this.#inner;
    this.#inner = undefined;
    // One left in a trapped instance is dropped, never freed in the new one.
    if (inner && this.#generation === generation) inner.free();
  }

  // The other calls and properties (api.js) go to the glue Validator as they are.
  static {
    forwardAll(this, API.validator, (self, name, args) => self.#run((v) => (args ? v[name](...args) : v[name])));
  }
}

class Session {
  #inner;
  #generation = generation;
  #start;
  // The record as of the last checkpoint, and the edits made since.
  #record;
  #edits = [];
  // The paths set or touched since the start, and whether all was touched: what the user has
  // reached, replayed with the record after a restart.
  #reached = new Set();
  #all = false;

  constructor(inner, start, record) {
    this.#inner = inner;
    this.#start = start;
    this.#record = record;
  }

  #run(call) {
    return guarded(() => {
      if (!this.#inner) throw new Error('ehrlint: this Session has been freed');
      if (this.#generation !== generation) {
        const s = this.#start(this.#record);
        for (const [path, value] of this.#edits) s.set(path, value);
        for (const path of this.#reached) s.touch(path);
        if (this.#all) s.touchAll();
        this.#inner = s;
        this.#generation = generation;
      }
      return call(this.#inner);
    });
  }

  set(path, value) {
    return this.#run((s) => {
      const change = s.set(path, value);
      this.#edits.push([path, copy(value)]);
      this.#reached.add(path);
      // A checkpoint now and then keeps the replay short.
      if (this.#edits.length >= 64) {
        this.#record = s.resource();
        this.#edits = [];
      }
      return change;
    });
  }

  touch(path) {
    return this.#run((s) => {
      const change = s.touch(path);
      this.#reached.add(path);
      return change;
    });
  }

  touchAll() {
    return this.#run((s) => {
      const change = s.touchAll();
      this.#all = true;
      return change;
    });
  }

  free() {
    const inner = this.#inner;
    this.#inner = undefined;
    if (inner && this.#generation === generation) inner.free();
  }

  static {
    forwardAll(this, API.session, (self, name, args) => self.#run((s) => (args ? s[name](...args) : s[name])));
  }
}

if (Symbol.dispose) {
  Validator.prototype[Symbol.dispose] = Validator.prototype.free;
  Session.prototype[Symbol.dispose] = Session.prototype.free;
}

function toOperationOutcome(report) {
  return guarded(() => glue.toOperationOutcome(report));
}

export { Session, Validator, toOperationOutcome };
