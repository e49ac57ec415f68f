// The benchmark suite still runs: a quick run of benches/peers.mjs against the built package
// gives every row, and the peers really validate (they reject a broken record). Behaviour only:
// no figure is compared with a threshold (speed is measured by scripts/bench.sh, never asserted).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { root } from './helpers.mjs';

const VALIDATORS = ['ehrlint-validate', 'ehrlint-validateJson', 'ehrlint-fhir-only', 'medplum', 'ajv'];

test('benches/peers.mjs --quick gives every row, and Medplum and ajv validate', { timeout: 180_000 }, (t) => {
  const results = join(root, 'benches', 'results.md');
  const before = existsSync(results) ? { text: readFileSync(results, 'utf8'), mtime: statSync(results).mtimeMs } : null;
  const dir = mkdtempSync(join(tmpdir(), 'ehrlint-bench-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const md = join(dir, 'results.md');
  const json = join(dir, 'peers.json');
  // Smaller still than --quick's defaults: this checks that it works, not how fast.
  const r = spawnSync(process.execPath, [join(root, 'benches', 'peers.mjs'), '--quick', '--out', md, '--json', json,
    '--generated', '30', '--memory', '4000', '--cold-runs', '2', '--max-bytes', '100000'], { encoding: 'utf8' });
  assert.equal(r.status, 0, `peers.mjs failed:\n${r.stderr.slice(-3000)}`);

  const out = JSON.parse(readFileSync(json, 'utf8'));
  const text = readFileSync(md, 'utf8');
  assert.equal(r.stdout, text, 'the Markdown printed is the Markdown written');

  // A row per validator and record set, with numbers.
  for (const set of ['spec', 'generated']) {
    assert.ok(out.sets[set]?.records > 0, `${set} records were timed`);
    for (const id of VALIDATORS) {
      const v = out.sets[set].validators[id];
      assert.ok(Number.isFinite(v.medianUs) && v.medianUs > 0, `${set} ${id} median`);
      assert.ok(Number.isFinite(v.p99Us) && v.p99Us >= v.medianUs, `${set} ${id} p99`);
    }
  }
  for (const v of out.validators.filter((x) => VALIDATORS.includes(x.id))) {
    const rows = text.split('\n').filter((l) => l.startsWith(`| ${v.label} | ${v.checks} |`));
    assert.equal(rows.length, 2, `a table row for ${v.label} in each record set`);
    for (const row of rows) {
      const [median, p99] = row.split('|').slice(3, 5).map((c) => Number(c.trim().replace(/,/g, '')));
      assert.ok(median > 0 && p99 > 0, `numeric median and p99 in: ${row}`);
    }
  }

  // Cold start of each, from fresh processes, that validated the record.
  for (const [k, label] of [['ehrlint', '| ehrlint (browser build'], ['medplum', '| Medplum |'], ['ajv', '| ajv |']]) {
    assert.ok(out.cold[k].totalMs > 0 && out.cold[k].runs === 2, `cold start ${k}`);
    assert.ok(text.split('\n').some((l) => l.startsWith(label) && /\| [\d,.]+ \|/.test(l)), `cold-start row ${k}`);
  }
  assert.ok(out.cold.ehrlint.phases.instantiate > 0 && out.cold.ehrlint.phases.newValidator > 0, 'ehrlint cold start split into phases');

  // Memory: samples of the Wasm memory over the run, and the verdict.
  assert.equal(out.memory.validations, 4000);
  assert.ok(out.memory.samples.length >= 10 && out.memory.samples.every((s) => s.wasmBytes > 0), 'memory samples');
  assert.equal(typeof out.memory.flat, 'boolean');
  assert.match(text, /\| 4,000 \| [\d.]+ MB \|/, 'memory table row');

  // Entry-time calls.
  assert.ok(out.entry.length >= 6 && out.entry.every((e) => e.medianUs > 0), 'validateField and session.set rows');

  // The peers validate: each rejects the broken record and passes a spec example...
  for (const id of VALIDATORS) {
    assert.equal(out.sanity.results[id].brokenInvalid, true, `${id} rejects the broken record`);
    assert.equal(out.sanity.results[id].cleanInvalid, false, `${id} passes Patient-example.json`);
  }
  assert.ok(out.sanity.results.medplum.brokenIssues >= 1, 'Medplum threw OperationOutcomeError with issues');
  assert.ok(out.sanity.results.ajv.brokenIssues >= 1, 'ajv reported errors');
  // ...and rejects some generated records, which carry structural mistakes.
  assert.ok(out.sets.generated.validators.medplum.flaggedInvalid > 0, 'Medplum rejects some generated records');
  assert.ok(out.sets.generated.validators.ajv.flaggedInvalid > 0, 'ajv rejects some generated records');

  // The committed results are left alone.
  const after = existsSync(results) ? { text: readFileSync(results, 'utf8'), mtime: statSync(results).mtimeMs } : null;
  assert.deepEqual(after, before, 'benches/results.md untouched by a quick run');
});
