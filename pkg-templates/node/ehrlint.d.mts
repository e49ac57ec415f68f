export * from './ehrlint.js';

/**
 * Resolves at once: in Node the WebAssembly is loaded when the package is imported. Here so
 * that code written for browsers (`await init()`) also runs in Node; the argument is ignored.
 */
export default function init(moduleOrPath?: unknown): Promise<void>;
