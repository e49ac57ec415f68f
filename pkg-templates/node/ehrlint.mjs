// Node's ES module entry: the CommonJS build (which loads the WebAssembly synchronously when it
// is first required), plus an `init` that has nothing left to do, so that code written for the
// browser build (`await init()`) runs unchanged in Node, in server-side rendering and in tests.
// Importing and requiring the package give the same instance: this file only re-exports.
export * from './ehrlint.js';

/** Nothing to wait for in Node: the WebAssembly was loaded when the package was imported. */
export default async function init(_moduleOrPath) {}
