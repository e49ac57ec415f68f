// What of the package could reach the network or the console, read from its JavaScript: the
// only network call is the browser build's init() fetching its own .wasm (or the URL the caller
// gives init), and the worker fetching the descriptions URL its caller passes to
// loadDescriptions; no XMLHttpRequest, beacon, WebSocket, EventSource or script import by URL.
// The only console output is wasm-bindgen's own warnings about how init() was called or how the
// .wasm was served, never about a record. tests/consumers/privacy.test.mjs checks the same in
// Chromium, request by request.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { root } from './helpers.mjs';

const pkg = join(root, 'target', 'npm', 'ehrlint');
const files = (dir) => readdirSync(dir, { withFileTypes: true })
  .flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : [join(dir, e.name)]))
  .filter((f) => /\.(m?js|cjs)$/.test(f));

test('the package\'s only network calls are fetching its own .wasm and the descriptions URL a caller gives', () => {
  const found = [];
  for (const file of files(pkg)) {
    const text = readFileSync(file, 'utf8');
    for (const api of ['fetch(', 'XMLHttpRequest', 'sendBeacon', 'WebSocket', 'EventSource', 'importScripts', 'RTCPeerConnection', 'navigator.', 'new Image', 'http://', 'https://']) {
      let at = text.indexOf(api);
      while (at !== -1) {
        const line = text.slice(text.lastIndexOf('\n', at) + 1, text.indexOf('\n', at)).trim();
        found.push(`${relative(pkg, file)}: ${line}`);
        at = text.indexOf(api, at + api.length);
      }
    }
  }
  assert.deepEqual(found.sort(), [
    // init(): the .wasm next to the glue, or what the caller passes to init().
    'full/ehrlint_glue.js: module_or_path = fetch(module_or_path);',
    'web/ehrlint_glue.js: module_or_path = fetch(module_or_path);',
    // createValidatorWorker().loadDescriptions(url): the URL the caller gives.
    'worker/serve.js: const response = await fetch(args[0]);',
  ].sort());
});

test('the package writes to the console only wasm-bindgen\'s warnings about init()', () => {
  const found = [];
  for (const file of files(pkg)) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (/console\.\w+\(/.test(line)) found.push(`${relative(pkg, file)}: ${line.trim().slice(0, 90)}`);
    }
  }
  for (const line of found) {
    assert.match(line, /console\.warn\((['"`])(using deprecated parameters|`WebAssembly\.instantiateStreaming` failed)/, line);
  }
});
