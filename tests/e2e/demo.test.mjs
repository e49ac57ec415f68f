// The demo page (target/www, built by tools/build-www.mjs) in Debian's Chromium, served by
// tools/serve.mjs with its strict CSP: typing as a user would, asserting on the issues shown
// (data-code / data-path), their fixes, the completeness meter, accessibility (axe-core) and the
// absence of any CSP violation. Screenshots, the keystroke-to-message latency and the page's
// transferred size go to test-output/.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchChromium, root } from '../../tools/consumers.mjs';
import { CSP, serve } from '../../tools/serve.mjs';

const out = join(root, 'test-output');
const site = join(root, 'target', 'www');
const errors = [];
/** Bytes of every response (headers and body, as Chromium reports them), by URL. */
const transferred = new Map();
let server;
let context;
let profile;

before(async () => {
  mkdirSync(out, { recursive: true });
  server = await serve(site, 0, {
    onViolation: (r) => errors.push(`CSP violation reported: ${r['violated-directive']} blocked ${r['blocked-uri'] || 'inline code'}`),
  });
  profile = mkdtempSync(join(tmpdir(), 'ehrlint-e2e-'));
  context = await launchChromium(profile, { viewport: { width: 1366, height: 900 }, acceptDownloads: true });
  // Bytes on the wire per URL: the headers as Chromium reports them and the body as sent (gzip
  // when the server compresses it). Chromium reports 0 for a body its worker fetched in some
  // cases: then the response's Content-Length, else the served file's size.
  context.on('requestfinished', async (request) => {
    const sizes = await request.sizes().catch(() => null);
    if (!sizes || !request.url().startsWith(server.url)) return;
    let file = join(site, decodeURIComponent(new URL(request.url()).pathname));
    if (file.endsWith('/')) file = join(file, 'index.html');
    const sent = Number((await request.response())?.headers()['content-length'] ?? 0);
    const body = sizes.responseBodySize || sent || (statSync(file, { throwIfNoEntry: false })?.size ?? 0);
    transferred.set(request.url(), Math.max(body + sizes.responseHeadersSize, transferred.get(request.url()) ?? 0));
  });
});

after(async () => {
  await context?.close();
  await server?.close();
  if (profile) rmSync(profile, { recursive: true, force: true });
});

/** A fresh page on the form, checker ready, with console and CSP watchers. */
async function open() {
  const page = await context.newPage();
  page.on('console', (msg) => {
    if (msg.type() === 'error' || /Content.Security.Policy/i.test(msg.text())) errors.push(`console: ${msg.text()} (${msg.location().url})`);
  });
  page.on('worker', (w) => w.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`worker console: ${msg.text()}`);
  }));
  page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
  page.on('response', (r) => {
    if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  await page.goto(server.url);
  await page.waitForSelector('body[data-status="ready"]', { state: 'attached' });
  return page;
}

/** Types into a field key by key, then leaves it (Tab), as a clinician would. */
async function type(page, id, text) {
  await page.click(`#${id}`);
  await page.locator(`#${id}`).pressSequentially(text, { delay: 15 });
  await page.keyboard.press('Tab');
}

const under = (field, code) => `[data-field="${field}"] .messages [data-code="${code}"]`;
const yearsAgo = (n) => {
  const d = new Date();
  return `${d.getFullYear() - n}-01-15`;
};

test('the page is served with the strict Content-Security-Policy', async () => {
  const res = await fetch(server.url);
  assert.equal(res.status, 200);
  assert.ok(res.headers.get('content-security-policy').startsWith(CSP), res.headers.get('content-security-policy'));
  assert.match(CSP, /script-src 'self' 'wasm-unsafe-eval'/);
  const html = await res.text();
  assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script');
});

test('every input is named by its element path and carries its JSON Pointer', async () => {
  const page = await open();
  const names = await page.$$eval('#record input, #record select', (els) => els.map((e) => [e.id, e.getAttribute('name'), e.dataset.path]));
  const byId = Object.fromEntries(names.map(([id, name, path]) => [id, { name, path }]));
  assert.deepEqual(byId.birthDate, { name: 'Patient.birthDate', path: '/entry/0/resource/birthDate' });
  assert.equal(byId.dx1.name, 'Condition.code');
  assert.equal(byId.hr.name, 'Observation.valueQuantity.value');
  assert.equal(byId.npi.name, 'Practitioner.identifier.value');
  for (const [id, name] of names) assert.match(name ?? '', /^[A-Z][A-Za-z]+(\.[a-zA-Z[\]]+)+$/, `#${id} has an element path as name`);
  await page.close();
});

test('a future birth date shows the future-date issue under the birth date field; the panel item focuses it', async () => {
  const page = await open();
  await type(page, 'birthDate', '2099-03-01');
  const issue = page.locator(under('birthDate', 'birth-date-in-future'));
  await issue.waitFor();
  assert.equal(await issue.getAttribute('data-path'), '/entry/0/resource/birthDate');
  assert.match(await issue.textContent(), /Error/, 'severity in words, not colour alone');
  assert.equal(await page.getAttribute('#birthDate', 'aria-invalid'), 'true');
  assert.equal(await issue.locator('a.rule-link').getAttribute('href'), 'rules.html#birth-date-in-future');
  assert.match(await page.textContent('#announce'), /Birth date/, 'the new message is announced');
  await page.screenshot({ path: join(out, 'birth-date-in-future.png'), fullPage: true });
  await page.click('#family');
  await page.click('#issues [data-code="birth-date-in-future"] button');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'birthDate');
  await page.close();
});

test('E11 as principal diagnosis shows the header issue with child codes; choosing one fixes it', async () => {
  const page = await open();
  await type(page, 'dx1', 'E11');
  const issue = page.locator(under('dx1', 'icd10cm-not-billable'));
  await issue.waitFor();
  assert.equal(await issue.getAttribute('data-path'), '/entry/3/resource/code/coding/0/code');
  const offered = await issue.locator('button.suggestion').evaluateAll((bs) => bs.map((b) => b.dataset.value));
  assert.ok(offered.includes('E11.9') && offered.every((c) => c.startsWith('E11.')), offered.join(' '));
  await page.screenshot({ path: join(out, 'icd10cm-not-billable.png'), fullPage: true });
  await issue.locator('button.suggestion[data-value="E11.9"]').click();
  await issue.waitFor({ state: 'detached' });
  assert.equal(await page.inputValue('#dx1'), 'E11.9');
  await page.waitForSelector('body[data-state="idle"]');
  assert.equal(await page.locator('[data-code^="icd10cm"]').count(), 0);
  await page.close();
});

test('98.6 with Cel shows the unit hint; its fix switches the unit to [degF]', async () => {
  const page = await open();
  assert.equal(await page.inputValue('#tempUnit'), 'Cel');
  await type(page, 'temp', '98.6');
  // 9 and 98 are impossible in °C too, and are checked as they are typed: the one for 98.6.
  const issue = page.locator(under('temp', 'value-impossible'), { hasText: '98.6 °C' });
  await issue.waitFor();
  assert.equal(await issue.getAttribute('data-path'), '/entry/9/resource/valueQuantity/value');
  // Units as people write them: °C and °F in the message and on the fix, [degF] its value.
  assert.match(await issue.textContent(), /98\.6 °C is not a possible body temperature.*It looks like °F/);
  assert.doesNotMatch(await issue.textContent(), /\[degF\]|\bCel\b/);
  assert.equal(await issue.locator('button.suggestion[data-value="[degF]"]').textContent(), '°F');
  await page.screenshot({ path: join(out, 'temperature-unit.png'), fullPage: true });
  await issue.locator('button.suggestion[data-value="[degF]"]').click();
  await issue.waitFor({ state: 'detached' });
  assert.equal(await page.inputValue('#tempUnit'), '[degF]');
  await page.close();
});

test('one field typed into the empty form: its message follows the keystroke, and nothing about the other fields shows', async () => {
  const page = await open();
  // The empty form: nothing wrong, the rest of the form only counted, the meter at 0.
  await page.waitForSelector('body[data-state="idle"]', { state: 'attached' });
  assert.equal(await page.locator('#issues li').count(), 0);
  assert.match(await page.textContent('#status'), /Nothing wrong/);
  assert.ok(Number(await page.getAttribute('body', 'data-later')) > 5, 'the fields still to fill are counted');
  assert.match(await page.textContent('#still-to-fill'), /^Still to fill: \d+\./);
  assert.equal(await page.getAttribute('#completeness', 'value'), '0');

  await page.click('#birthDate');
  await page.evaluate(() => { window.__ehrlintLatency.length = 0; });
  await page.locator('#birthDate').pressSequentially('2099-03-01', { delay: 120 });
  // No pause and no Tab: the message is there after the last key, the field still focused.
  const issue = page.locator(under('birthDate', 'birth-date-in-future'));
  await issue.waitFor();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'birthDate');
  await page.waitForSelector('body[data-state="idle"]', { state: 'attached' });
  const latencies = await page.evaluate(() => window.__ehrlintLatency);
  assert.equal(latencies.length, 10, 'one measurement per key');
  // From the key, not from a pause (the page used to wait 700 ms after the last key).
  assert.ok(latencies.at(-1) < 700, `last key to message: ${latencies.at(-1)} ms`);
  // Nothing about any other field: under the fields, and in the panel.
  const fields = await page.$$eval('.messages .issue', (els) => els.map((e) => e.closest('[data-field]')?.dataset.field));
  assert.deepEqual([...new Set(fields)], ['birthDate']);
  const panel = await page.$$eval('#issues li', (els) => els.map((e) => e.dataset.path));
  assert.deepEqual(panel, ['/entry/0/resource/birthDate']);
  await page.screenshot({ path: join(out, 'one-field-typed.png'), fullPage: true });

  // Leaving the patient section lists what it still lacks, in the form's words.
  await page.click('#start');
  const missing = page.locator('[data-field="mrn"] .messages .issue');
  await missing.waitFor();
  assert.match(await missing.textContent(), /Medical record number is required and not filled in yet/);
  assert.doesNotMatch(await page.textContent('#issues'), /Patient\.|\[x\]/, 'no FHIR path in the panel');
  // Nothing yet about the encounter's other fields, or the sections below.
  assert.equal(await page.locator('[data-field="dx1"] .messages .issue').count(), 0);
  // Checking the record lists everything still to fill in the encounter's records (the
  // optional ones, such as vital signs, once started); each field once.
  await page.click('#check');
  await page.waitForSelector('body[data-later="0"]', { state: 'attached' });
  await page.waitForSelector('[data-field="class"] .messages .issue');
  assert.equal(await page.locator('[data-field="vitalsTime"] .messages .issue').count(), 0);
  await type(page, 'hr', '78');
  await page.waitForSelector('[data-field="vitalsTime"] .messages .issue');
  assert.equal(await page.locator('#issues li', { hasText: 'Taken at' }).count(), 1, 'the vital signs time once, not once per record');
  const texts = await page.$$eval('#issues li', (els) => els.map((e) => e.textContent));
  assert.equal(new Set(texts).size, texts.length, 'no line twice');
  assert.doesNotMatch(texts.join('\n'), /Patient\.|Observation\.|\[x\]/);
  await page.screenshot({ path: join(out, 'check-record.png'), fullPage: true });
  await page.close();
});

test('the code list sits under the input; a suggested code carries its description; the panel stays in view', async () => {
  const page = await open();
  await page.waitForSelector('body[data-descriptions="loaded"]', { state: 'attached' });
  await page.click('#dx1');
  await page.keyboard.type('E11');
  await page.waitForSelector('#dx1-options [role="option"]');
  const input = await page.locator('#dx1').boundingBox();
  const label = await page.locator('label[for="dx1"]').boundingBox();
  const list = await page.locator('#dx1-options').boundingBox();
  assert.ok(list.y >= input.y + input.height - 1, `the list (top ${list.y}) starts below the input (bottom ${input.y + input.height})`);
  assert.ok(label.y + label.height <= input.y + 1, 'the label stays above the input, uncovered');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  const chip = page.locator(`${under('dx1', 'icd10cm-not-billable')} button.suggestion[data-value="E11.9"]`);
  await chip.waitFor();
  await page.waitForFunction(() => document.querySelector('button.suggestion[data-value="E11.9"] .description'));
  assert.match(await chip.textContent(), /^E11\.9 Type 2 diabetes mellitus without complications/);
  // Scrolled to the bottom of the form, the issue panel is still on screen.
  await page.locator('#criticality').scrollIntoViewIfNeeded();
  const panel = await page.locator('aside .sticky').boundingBox();
  const viewport = page.viewportSize();
  assert.ok(panel.y >= 0 && panel.y < viewport.height, `panel top at ${panel.y}`);
  await page.close();
});

test('a maternity code for a 70-year-old shows the age conflict under the diagnosis', async () => {
  const page = await open();
  await type(page, 'birthDate', yearsAgo(70));
  await page.selectOption('#gender', 'female');
  await type(page, 'dx1', 'O80');
  const issue = page.locator(under('dx1', 'mce-age-conflict'));
  await issue.waitFor();
  assert.equal(await issue.getAttribute('data-path'), '/entry/3/resource/code/coding/0/code');
  assert.match(await issue.textContent(), /Warning/);
  await page.screenshot({ path: join(out, 'mce-age-conflict.png'), fullPage: true });
  await page.close();
});

test('the completeness meter rises as fields are filled', async () => {
  const page = await open();
  const score = async () => {
    await page.waitForSelector('body[data-state="idle"]', { state: 'attached' });
    return Number(await page.getAttribute('#completeness', 'value'));
  };
  const scores = [await score()];
  for (const [id, text] of [['family', 'Rivera'], ['given', 'Ana'], ['birthDate', '1961-04-17'], ['mrn', 'MRN-1']]) {
    await type(page, id, text);
    scores.push(await score());
  }
  await page.selectOption('#gender', 'female');
  scores.push(await score());
  assert.ok(scores.at(-1) > scores[0], scores.join(' → '));
  for (let i = 1; i < scores.length; i += 1) assert.ok(scores[i] >= scores[i - 1], scores.join(' → '));
  await page.close();
});

test('code autocomplete from lookup works with the keyboard (words once the descriptions load)', async () => {
  const page = await open();
  await page.waitForSelector('body[data-descriptions="loaded"]', { state: 'attached' });
  await page.click('#dx2');
  await page.keyboard.type('type 2 diabetes');
  await page.waitForSelector('#dx2-options [role="option"]');
  assert.equal(await page.getAttribute('#dx2', 'aria-expanded'), 'true');
  await page.keyboard.press('ArrowDown');
  const first = await page.getAttribute('#dx2-options [aria-selected="true"]', 'data-code');
  await page.keyboard.press('Enter');
  assert.equal(await page.inputValue('#dx2'), first);
  assert.match(first, /^E11/);
  await page.close();
});

test('the sample patient loads with its issues; exports are a Bundle and an OperationOutcome; no serious accessibility violation', async () => {
  const page = await open();
  await page.click('#load-sample');
  await page.waitForSelector(under('dx1', 'icd10cm-not-billable'));
  await page.waitForSelector(under('temp', 'value-impossible'));
  await page.waitForSelector('body[data-state="idle"]', { state: 'attached' });
  await page.screenshot({ path: join(out, 'sample-patient.png'), fullPage: true });

  const [bundleDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-bundle')]);
  const bundle = JSON.parse(readFileSync(await bundleDownload.path(), 'utf8'));
  assert.equal(bundle.resourceType, 'Bundle');
  const types = bundle.entry.map((e) => e.resource.resourceType);
  for (const t of ['Patient', 'Practitioner', 'Encounter', 'Condition', 'Observation', 'MedicationRequest', 'AllergyIntolerance']) {
    assert.ok(types.includes(t), `${t} in ${types}`);
  }
  const [outcomeDownload] = await Promise.all([page.waitForEvent('download'), page.click('#export-outcome')]);
  const outcome = JSON.parse(readFileSync(await outcomeDownload.path(), 'utf8'));
  assert.equal(outcome.resourceType, 'OperationOutcome');
  assert.ok(outcome.issue.some((i) => i.details?.text?.includes('E11')), 'the OperationOutcome has the E11 issue');

  // axe-core, injected through the DevTools protocol (not a script tag: the CSP stays on).
  const axe = readFileSync(createRequire(join(root, 'tools', 'package.json')).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axe);
  const violations = await page.evaluate(async () => (await globalThis.axe.run(document)).violations
    .map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help })));
  writeFileSync(join(out, 'axe.json'), `${JSON.stringify(violations, null, 2)}\n`);
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(serious, [], 'no serious or critical accessibility violation');
  await page.close();
});

test('the rules reference has a section for each code a message links to', async () => {
  const page = await open();
  await type(page, 'birthDate', '2099-03-01');
  await page.click(`${under('birthDate', 'birth-date-in-future')} a.rule-link`);
  await page.waitForURL(/rules\.html#birth-date-in-future$/);
  const section = page.locator('section#birth-date-in-future');
  assert.match(await section.textContent(), /What it checks/);
  assert.match(await section.textContent(), /Authority/);
  assert.ok(await page.locator('section.rule').count() > 40);
  // The severity the page gives a missing required element is the one the form shows.
  assert.match(await page.locator('section#profile-required').textContent(), /Default severity: ⚠ Warning/);
  await page.close();
});

test('keystroke-to-message latency over a scripted typing run, and the transferred size', async () => {
  const page = await open();
  await page.waitForSelector('body[data-descriptions]', { state: 'attached' });
  await page.evaluate(() => { window.__ehrlintLatency.length = 0; });
  const run = [['family', 'Rivera-Lopez'], ['given', 'Ana Maria'], ['birthDate', '1961-04-17'], ['npi', '1234567893'],
    ['start', '2025-03-04'], ['dx1', 'E11.9'], ['dx2', 'I10'], ['pcs', '0DTJ4ZZ'], ['hr', '78'], ['systolic', '138'],
    ['diastolic', '86'], ['temp', '37.1'], ['height', '164'], ['weight', '71.5']];
  let keys = 0;
  for (const [id, text] of run) {
    await page.click(`#${id}`);
    // About 6 keys a second: a brisk typist.
    await page.locator(`#${id}`).pressSequentially(text, { delay: 150 });
    keys += text.length;
  }
  await page.waitForSelector('body[data-state="idle"]', { state: 'attached' });
  const latencies = (await page.evaluate(() => window.__ehrlintLatency)).sort((a, b) => a - b);
  assert.equal(latencies.length, keys, 'one measurement per keystroke');
  const median = latencies[Math.floor(latencies.length / 2)];
  const p95 = latencies[Math.floor(latencies.length * 0.95)];
  const all = [...transferred.entries()].filter(([url]) => url.startsWith(server.url) && !url.includes('rules.html'));
  const total = all.reduce((n, [, bytes]) => n + bytes, 0);
  const descriptions = all.filter(([url]) => url.endsWith('.tsv')).reduce((n, [, bytes]) => n + bytes, 0);
  const measured = {
    keystrokes: keys,
    medianMs: Number(median.toFixed(1)),
    p95Ms: Number(p95.toFixed(1)),
    maxMs: Number(latencies.at(-1).toFixed(1)),
    transferredBytes: total,
    transferredBytesWithoutDescriptions: total - descriptions,
    files: Object.fromEntries(all.map(([url, bytes]) => [url.slice(server.url.length - 1), bytes])),
  };
  writeFileSync(join(out, 'latency.json'), `${JSON.stringify(measured, null, 2)}\n`);
  console.log(`keystroke to message: median ${measured.medianMs} ms, p95 ${measured.p95Ms} ms over ${keys} keystrokes; `
    + `transferred ${(total / 1e6).toFixed(2)} MB (${((total - descriptions) / 1e6).toFixed(2)} MB without the ICD-10-CM descriptions)`);
  assert.ok(total > 0);
  await page.close();
});

test('the page offers US Core and IPS: the record claims the chosen guide\'s profiles and is checked against them', async () => {
  const page = await open();
  // US Core Patient requires an identifier; IPS's Patient a birth date.
  const cases = [['us-core', '/entry/0/resource/identifier'], ['ips', '/entry/0/resource/birthDate']];
  for (const [guide, path] of cases) {
    await page.selectOption('#guide', guide);
    await page.waitForSelector(`body[data-guide="${guide}"]`, { state: 'attached' });
    await page.click('#check');
    const item = page.locator(`#issues [data-code="profile-required"][data-path="${path}"]`);
    await item.waitFor();
    assert.match(await item.getAttribute('class'), /\berror\b/);
    await page.screenshot({ path: join(out, `guide-${guide}.png`), fullPage: true });
  }
  // Back to no guide: no profile is claimed, and the completeness profile's requirements are
  // warnings, never errors.
  await page.selectOption('#guide', 'none');
  await page.waitForSelector('body[data-guide="none"]', { state: 'attached' });
  await page.click('#check');
  await page.waitForSelector('body[data-state="idle"]', { state: 'attached' });
  assert.equal(await page.locator('#issues .error[data-code="profile-required"]').count(), 0);
  await page.close();
});

test('no console error, failed request or CSP violation on any page', async () => {
  // Reports are sent by the browser on its own: give them a moment to arrive.
  await new Promise((wake) => setTimeout(wake, 300));
  assert.deepEqual(errors, []);
});
