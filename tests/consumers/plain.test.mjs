// A page with no bundler: ES modules served straight from the installed package, init() given
// the Wasm's bytes, and the worker helper next to them; in Chromium under a strict CSP.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openInChromium, project, recordsModule } from '../../tools/consumers.mjs';
import { expectedIssues, fixture, records, sorted } from './helpers.mjs';

test('no bundler: ehrlint/web with init(bytes) and ehrlint/worker give the expected issues', async () => {
  const dir = project('plain', { from: fixture('plain'), files: { 'records.js': recordsModule(records()) } });
  const page = await openInChromium(dir);
  assert.equal(page.status, 'done', page.text);
  assert.deepEqual(page.errors, [], 'no console error, failed request or CSP violation');
  assert.equal(page.workers, 1);
  const results = JSON.parse(page.text);
  for (const name of Object.keys(records())) {
    assert.deepEqual(sorted(results[name].page), expectedIssues(name), name);
    assert.deepEqual(sorted(results[name].worker), expectedIssues(name), name);
  }
});

// The other tests assert that no error was seen: this one shows that what they look for is seen,
// in the page and in a worker.
test('the consumer pages would report CSP violations (page and worker) and failed requests', async () => {
  const dir = project('csp-check', {
    install: false,
    files: {
      'index.html': '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head>'
        + '<body><pre id="out"></pre><script>document.title = "inline"</script>'
        + '<script type="module" src="main.js"></script></body></html>',
      'main.js': `await fetch('missing.wasm');
const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
worker.onmessage = (e) => {
  document.getElementById('out').textContent = e.data;
  document.body.dataset.status = 'done';
};
`,
      'worker.js': "let r;\ntry { r = eval('1 + 1'); } catch (e) { r = e.name; }\nself.postMessage(String(r));\n",
    },
  });
  const page = await openInChromium(dir, { until: (errors) => errors.some((e) => /reported: script-src/.test(e)) });
  const seen = page.errors.join('\n');
  assert.equal(page.text, 'EvalError');
  assert.match(seen, /CSP violation: script-src-elem blocked inline/);
  assert.match(seen, /CSP violation: img-src blocked data/);
  assert.match(seen, /CSP violation reported: script-src blocked eval in http:\/\/127\.0\.0\.1:\d+\/worker\.js/);
  assert.match(seen, /HTTP 404: .*missing\.wasm/);
});
