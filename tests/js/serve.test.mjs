// The demo server: strict CSP on every response, .wasm served as application/wasm, nothing
// outside the served folder reachable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { root } from './helpers.mjs';

// The demo page as built by tools/build-www.mjs (run by scripts/test.sh and scripts/demo.sh).
const site = join(root, 'target', 'www');

test('serves the demo page with a strict Content-Security-Policy', async (t) => {
  const server = spawn(process.execPath, [join(root, 'tools', 'serve.mjs'), site, '0']);
  t.after(() => server.kill());
  const [line] = await once(server.stdout, 'data');
  const base = String(line).match(/http:\/\/127\.0\.0\.1:\d+\//)?.[0];
  assert.ok(base, `no address in: ${line}`);

  const page = await fetch(base);
  assert.equal(page.status, 200);
  assert.equal(page.headers.get('content-security-policy'),
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  const html = await page.text();
  assert.match(html, /<script type="module" crossorigin src="\/assets\/index-[\w-]+\.js"><\/script>/);
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');

  const asset = readdirSync(join(site, 'assets')).find((f) => f.endsWith('.wasm'));
  const wasm = await fetch(new URL(`assets/${asset}`, base));
  assert.equal(wasm.status, 200, 'run scripts/build.sh and node tools/build-www.mjs first');
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');

  for (const path of ['/../Cargo.toml', '/%2e%2e/Cargo.toml', '/assets/../../Cargo.toml', '/missing.js']) {
    const res = await fetch(base.replace(/\/$/, '') + path);
    assert.equal(res.status, 404, path);
    assert.ok(res.headers.get('content-security-policy'), `${path}: CSP on errors too`);
  }
});
