// Privacy: the package makes no network request of its own and never logs record content. A
// page with no bundler (the packed tarball installed in a fresh project, served under the strict
// CSP) uses every API, in the page and in the worker, on records full of a unique marker. Every
// request of the page and its worker is intercepted: all go to the page's own origin, for the
// page's files and the package's own (its JS, its .wasm, and the descriptions file the page
// asks for); there is no other request, beacon or WebSocket. No console message, page or
// worker, holds the marker.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, project } from '../../tools/consumers.mjs';
import { serve } from '../../tools/serve.mjs';
import { fixture } from './helpers.mjs';

const MARK = 'Zz-PRIVACY-7f3a9c';
const PAGE = ['/', '/main.js', '/favicon.svg'];
// The glue's snippets (src/wasm.rs, inline_js) are in a folder named with a hash.
const snippets = readdirSync(new URL('../../target/npm/ehrlint/web/snippets', import.meta.url), { recursive: true })
  .map(String)
  .filter((f) => f.endsWith('.js'))
  .map((f) => `web/snippets/${f}`);
const PACKAGE = [
  'web/ehrlint.js', 'web/ehrlint_glue.js', 'web/ehrlint_bg.wasm', ...snippets,
  'worker/index.js', 'worker/client.js', 'worker/worker.js', 'worker/serve.js', 'worker/api.js',
  'data/icd10cm-descriptions.tsv',
].map((f) => `/node_modules/ehrlint/${f}`);

test('no request leaves the page, only the package\'s own files are fetched, nothing is logged', async () => {
  const dir = project('privacy', { from: fixture('privacy') });
  const server = await serve(dir, 0);
  const origin = new URL(server.url).origin;
  const profile = mkdtempSync(join(tmpdir(), 'ehrlint-chromium-'));
  const requests = [];
  const sockets = [];
  const consoleMessages = [];
  let context;
  try {
    context = await launchChromium(profile);
    // Every request of the context, its pages and their workers, before it is sent.
    await context.route('**/*', (route) => {
      const r = route.request();
      requests.push({ url: r.url(), type: r.resourceType(), method: r.method(), body: r.postData() ?? '' });
      return new URL(r.url()).origin === origin ? route.continue() : route.abort();
    });
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('websocket', (ws) => sockets.push(ws.url()));
    page.on('console', (m) => consoleMessages.push(`page ${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => consoleMessages.push(`page uncaught: ${e.message}`));
    page.on('worker', (w) => w.on('console', (m) => consoleMessages.push(`worker ${m.type()}: ${m.text()}`)));
    await page.goto(server.url);
    await page.waitForSelector('body[data-status]', { state: 'attached', timeout: 60_000 });
    assert.equal(await page.getAttribute('body', 'data-status'), 'done', await page.textContent('#out'));
    const counts = JSON.parse(await page.textContent('#out'));
    assert.ok(counts.descriptions > 70_000 && counts['worker descriptions'] === counts.descriptions, JSON.stringify(counts));
    assert.ok(counts.validate > 5 && counts['worker validate'] > 5, JSON.stringify(counts));
    assert.equal(counts.errors, 5);
    assert.equal(counts['worker errors'], 1);
    // What the test looks for is seen: a beacon (the page's own, not the package's) is
    // intercepted like any request.
    const before = requests.length;
    await page.evaluate(() => navigator.sendBeacon('/probe', 'x'));
    for (let i = 0; i < 100 && requests.length === before; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(requests.splice(before).map((r) => [r.type, new URL(r.url).pathname]), [['ping', '/probe']]);
    await page.close();
  } finally {
    await context?.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }

  assert.deepEqual(sockets, [], 'no WebSocket');
  const foreign = requests.filter((r) => new URL(r.url).origin !== origin);
  assert.deepEqual(foreign, [], 'every request is to the page\'s own origin');
  const paths = requests.map((r) => new URL(r.url).pathname);
  for (const r of requests) {
    assert.ok([...PAGE, ...PACKAGE].includes(new URL(r.url).pathname), `unexpected request: ${r.method} ${r.url} (${r.type})`);
    assert.equal(r.method, 'GET', `${r.url}: only files are fetched`);
    assert.ok(!r.url.includes(MARK) && !r.body.includes(MARK), `${r.url} carries record content`);
  }
  // The package's own files, each fetched; the worker's requests are seen too (it loads the
  // browser build and its .wasm again, and fetches the descriptions URL it is given).
  assert.deepEqual([...new Set(paths.filter((p) => p.startsWith('/node_modules/')))].sort(), [...PACKAGE].sort());
  for (const file of ['web/ehrlint.js', 'web/ehrlint_bg.wasm', 'data/icd10cm-descriptions.tsv']) {
    assert.equal(paths.filter((p) => p === `/node_modules/ehrlint/${file}`).length, 2, `${file}: by the page and by the worker`);
  }
  const leaked = consoleMessages.filter((m) => m.includes(MARK));
  assert.deepEqual(leaked, [], 'no console message holds record content');
});
