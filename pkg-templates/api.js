// The calls of the package's Validator and Session, described once. The guard over the Wasm
// glue (guard.js) and the Web Worker (worker/index.js, worker/worker.js) build a pass-through
// method for each call and a getter for each property; calls with behaviour of their own are
// written out in each (loadDescriptions kept for a restart or fetched from a URL, session, a
// session's set, touch, touchAll and free). tests/js/package.test.mjs checks these lists
// against the Wasm's own classes. tools/assemble-pkg.mjs puts this file into each build.
export const API = {
  validator: {
    calls: ['validate', 'validateJson', 'validateNdjson', 'validateField', 'lookup', 'loadDescriptions', 'session'],
    properties: ['supportedTypes', 'evaluatesInvariants'],
  },
  session: {
    calls: ['set', 'touch', 'touchAll', 'current', 'report', 'resource'],
    properties: ['lastRun', 'ruleRuns'],
  },
};

/**
 * Adds to `cls` a method for each of `calls` and a getter for each of `properties` that it
 * does not define itself, each handing the call to `forward(name, args)` (a property: args
 * undefined).
 */
export function forwardAll(cls, { calls, properties }, forward) {
  const own = (name) => Object.prototype.hasOwnProperty.call(cls.prototype, name);
  for (const name of calls) {
    if (!own(name)) {
      Object.defineProperty(cls.prototype, name, {
        value(...args) {
          return forward(this, name, args);
        },
        writable: true,
        configurable: true,
      });
    }
  }
  for (const name of properties) {
    if (!own(name)) {
      Object.defineProperty(cls.prototype, name, {
        get() {
          return forward(this, name, undefined);
        },
        configurable: true,
      });
    }
  }
}
