// The encounter-entry page: a form that builds a FHIR R4 Bundle as the clinician types, checked
// at each keystroke by an ehrlint session running in a Web Worker (typing never waits for it).
// Messages appear under a field once the user pauses or leaves it (errors first), the panel
// lists every issue of the record, and the meter shows how complete the record is.
import { createValidatorWorker } from 'ehrlint/worker';
import type { Issue, Report, WorkerSession } from 'ehrlint/worker';
import { E, FIELDS, SAMPLE, SECTIONS, emptyBundle, issuePath, issuePaths, writePaths } from './record';
import type { Field } from './record';
import './style.css';

/** How long typing must pause before new messages appear under the field being typed in. */
const PAUSE_MS = 700;
const SEVERITY_ORDER: Record<string, number> = { error: 0, warning: 1, information: 2 };
const SEVERITY_TEXT: Record<string, [string, string]> = {
  error: ['✖', 'Error'], warning: ['⚠', 'Warning'], information: ['ℹ', 'Note'],
};

declare global {
  interface Window {
    /** Keystroke-to-message latencies (ms): from an input event to its issues in the DOM. */
    __ehrlintLatency: number[];
  }
}
window.__ehrlintLatency = [];

const $ = <T extends HTMLElement = HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>('record');
const statusLine = $('status');
const issueList = $('issues');
const announcer = $('announce');
const meter = $<HTMLMeterElement>('completeness');
const meterText = $('completeness-text');

type Input = HTMLInputElement | HTMLSelectElement;
const inputs = new Map<string, Input>();
const fieldById = new Map(FIELDS.map((f) => [f.id, f]));
const valueOf = (id: string) => inputs.get(id)?.value ?? '';

// ---- the form ---------------------------------------------------------------------------

function buildForm() {
  for (const section of SECTIONS) {
    const fieldset = document.createElement('fieldset');
    fieldset.id = `section-${section.id}`;
    const legend = document.createElement('legend');
    legend.textContent = section.title;
    fieldset.append(legend);
    const grid = document.createElement('div');
    grid.className = 'fields';
    for (const field of section.fields) grid.append(fieldRow(field));
    fieldset.append(grid);
    form.append(fieldset);
  }
}

function fieldRow(f: Field): HTMLElement {
  const row = document.createElement('div');
  row.className = `field field-${f.kind}`;
  row.dataset.field = f.id;
  const label = document.createElement('label');
  label.htmlFor = f.id;
  label.textContent = f.label;
  let input: Input;
  if (f.kind === 'select') {
    const select = document.createElement('select');
    for (const [value, text] of f.options ?? []) select.add(new Option(text, value));
    input = select;
  } else {
    const box = document.createElement('input');
    box.type = 'text';
    box.spellcheck = false;
    box.autocomplete = 'off';
    if (f.kind === 'number') box.inputMode = 'decimal';
    if (f.hint) box.placeholder = f.hint;
    input = box;
  }
  input.id = f.id;
  input.name = f.name;
  input.dataset.path = issuePath(f);
  const messages = document.createElement('div');
  messages.className = 'messages';
  messages.id = `${f.id}-messages`;
  const described = [messages.id];
  row.append(label);
  if (f.hint && f.kind !== 'select') {
    const hint = document.createElement('span');
    hint.className = 'hint';
    hint.id = `${f.id}-hint`;
    hint.textContent = f.hint;
    described.unshift(hint.id);
    row.append(hint);
  }
  input.setAttribute('aria-describedby', described.join(' '));
  row.append(input);
  if (f.lookup) row.append(combobox(f, input as HTMLInputElement));
  row.append(messages);
  inputs.set(f.id, input);
  input.addEventListener(f.kind === 'select' ? 'change' : 'input', () => edited(f));
  input.addEventListener('blur', () => {
    touched.add(f.id);
    renderFields();
  });
  return row;
}

// ---- code autocomplete (ARIA combobox with a listbox) -------------------------------------

function combobox(f: Field, input: HTMLInputElement): HTMLElement {
  const list = document.createElement('ul');
  list.id = `${f.id}-options`;
  list.className = 'options';
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', `Codes matching ${f.label}`);
  list.hidden = true;
  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  let seq = 0;
  let active = -1;
  const close = () => {
    list.hidden = true;
    list.replaceChildren();
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };
  const pick = (code: string) => {
    input.value = code;
    close();
    touched.add(f.id);
    edited(f);
  };
  const highlight = (i: number) => {
    const items = [...list.children] as HTMLElement[];
    if (!items.length) return;
    active = (i + items.length) % items.length;
    items.forEach((li, j) => li.setAttribute('aria-selected', String(j === active)));
    input.setAttribute('aria-activedescendant', items[active].id);
    items[active].scrollIntoView({ block: 'nearest' });
  };
  input.addEventListener('input', async () => {
    const text = input.value.trim();
    const mine = ++seq;
    if (text.length < 2) return close();
    const found = await validator.lookup(f.lookup as string, text, { limit: 8 }).catch(() => []);
    if (mine !== seq) return;
    if (!found.length || (found.length === 1 && found[0].code === text.toUpperCase())) return close();
    list.replaceChildren(...found.map((r, i) => {
      const li = document.createElement('li');
      li.id = `${f.id}-option-${i}`;
      li.setAttribute('role', 'option');
      li.setAttribute('aria-selected', 'false');
      li.dataset.code = r.code;
      const code = document.createElement('strong');
      code.textContent = r.code;
      li.append(code, ` ${r.display ?? ''}${r.billable ? '' : ' (category: choose a code below it)'}`);
      li.addEventListener('mousedown', (e) => {
        e.preventDefault();
        pick(r.code);
      });
      return li;
    }));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    active = -1;
  });
  input.addEventListener('keydown', (e) => {
    if (list.hidden) return;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      highlight(active + (e.key === 'ArrowDown' ? 1 : -1));
    } else if (e.key === 'Enter' && active >= 0) {
      e.preventDefault();
      pick((list.children[active] as HTMLElement).dataset.code ?? '');
    } else if (e.key === 'Escape') {
      close();
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 0));
  return list;
}

// ---- the validator and the edit queue ----------------------------------------------------

const validator = createValidatorWorker();
let session: WorkerSession | undefined;
let sessionReady: Promise<WorkerSession>;
/** Edits not yet sent: write path -> value (undefined removes the element). */
const queue = new Map<string, unknown>();
/** Input events whose result is not yet in the DOM (performance.now() at the event). */
let waiting: number[] = [];
let running = false;
let issues: Issue[] = [];
let lastReport: Report | undefined;
const touched = new Set<string>();
const lastInput = new Map<string, number>();
const pauseTimers = new Map<string, number>();

function startSession() {
  const previous = session;
  session = undefined;
  sessionReady = validator.session('Bundle', emptyBundle()).then((s) => (session = s));
  previous?.free().catch(() => {});
  return sessionReady;
}

function write(f: Field) {
  const value = f.value(valueOf(f.id), valueOf);
  for (const path of writePaths(f)) queue.set(path, value);
}

function edited(f: Field) {
  const now = performance.now();
  performance.mark('ehrlint-input', { detail: f.id });
  waiting.push(now);
  lastInput.set(f.id, now);
  clearTimeout(pauseTimers.get(f.id));
  pauseTimers.set(f.id, window.setTimeout(() => {
    touched.add(f.id);
    renderFields();
  }, PAUSE_MS));
  write(f);
  void pump();
}

async function pump() {
  if (running) return;
  running = true;
  document.body.dataset.state = 'busy';
  try {
    const s = await sessionReady;
    while (queue.size) {
      const batch = [...queue];
      queue.clear();
      for (const [path, value] of batch) await s.set(path, value ?? null);
      if (queue.size) continue;
      lastReport = await s.report();
      if (s !== session) return;
      issues = lastReport.issues;
      render();
    }
  } catch (e) {
    statusLine.textContent = `The checker stopped: ${(e as Error).message}`;
  } finally {
    running = false;
    if (queue.size) void pump();
    else document.body.dataset.state = 'idle';
  }
}

// ---- where an issue belongs --------------------------------------------------------------

const segments = (p: string) => p.split('/');
/** The field an issue belongs to: the one whose path shares the most with the issue's path. */
function fieldOf(issue: Issue): Field | undefined {
  const at = segments(issue.path);
  let best: Field | undefined;
  let bestLength = 4; // at least /entry/N/resource/element must agree
  for (const f of FIELDS) {
    for (const path of issuePaths(f)) {
      const p = segments(path);
      let n = 0;
      while (n < at.length && n < p.length && at[n] === p[n]) n += 1;
      if (n > bestLength || (n === bestLength && n === at.length && !best)) {
        best = f;
        bestLength = n;
      }
    }
  }
  return best;
}

const entryOf = (path: string) => Number(segments(path)[2]);
/** Entries the user has put something in (the patient always counts). */
function filledEntries(): Set<number> {
  const filled = new Set<number>([E.patient]);
  for (const f of FIELDS) {
    if (f.id === 'tempUnit' || valueOf(f.id).trim() === '') continue;
    for (const e of [f.entry, ...(f.alsoEntries ?? [])]) filled.add(e);
  }
  return filled;
}
/** The issues shown: those of records the user has started, errors first. */
function shownIssues(): Issue[] {
  const filled = filledEntries();
  return issues
    .filter((i) => !i.path.startsWith('/entry/') || filled.has(entryOf(i.path)))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
const key = (i: Issue) => `${i.code} ${i.path}`;
const RECORD_NAMES = emptyBundle().entry.map((e) => String(e.resource.resourceType));
/** Where an issue with no field of its own is: the record and its element, in words. */
function recordName(issue: Issue): string {
  const element = issue.expression.replace(/^Bundle\.entry\[\d+\]\.resource\./, '');
  const type = issue.path.startsWith('/entry/') ? RECORD_NAMES[entryOf(issue.path)] : undefined;
  return type ? `${type} (${element})` : issue.expression;
}

// ---- rendering ---------------------------------------------------------------------------

function render() {
  const shown = shownIssues();
  renderPanel(shown);
  renderFields(shown);
  const score = Math.round((lastReport?.completeness.score ?? 0) * 100);
  meter.value = score;
  meterText.textContent = `${score} %`;
  document.body.dataset.completeness = String(score);
  const count = (s: string) => shown.filter((i) => i.severity === s).length;
  const [errors, warnings, notes] = [count('error'), count('warning'), count('information')];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  statusLine.textContent = errors + warnings + notes === 0
    ? '✔ No issues in what is entered so far.'
    : `${errors ? '✖ ' : '⚠ '}${plural(errors, 'error')}, ${plural(warnings, 'warning')}${notes ? `, ${plural(notes, 'note')}` : ''}.`;
  statusLine.className = errors ? 'has-errors' : warnings ? 'has-warnings' : 'clean';
  // Every input whose edit this render answers has its message in the DOM now.
  const now = performance.now();
  for (const t of waiting) window.__ehrlintLatency.push(now - t);
  if (waiting.length) performance.measure('ehrlint-keystroke-to-message', { start: waiting[0], end: now });
  waiting = [];
}

function severityBadge(issue: Issue): HTMLElement {
  const [icon, word] = SEVERITY_TEXT[issue.severity] ?? ['•', issue.severity];
  const badge = document.createElement('span');
  badge.className = 'sev';
  const i = document.createElement('span');
  i.className = 'icon';
  i.setAttribute('aria-hidden', 'true');
  i.textContent = icon;
  badge.append(i, ` ${word}`);
  return badge;
}

function ruleLink(issue: Issue): HTMLAnchorElement {
  const a = document.createElement('a');
  a.href = `rules.html#${issue.code}`;
  a.className = 'rule-link';
  a.textContent = `About rule ${issue.code}`;
  return a;
}

function renderPanel(shown: Issue[]) {
  issueList.replaceChildren(...shown.map((issue) => {
    const li = document.createElement('li');
    li.className = `issue ${issue.severity}`;
    li.dataset.code = issue.code;
    li.dataset.path = issue.path;
    const f = fieldOf(issue);
    const where = f ? f.label : recordName(issue);
    if (f) {
      const go = document.createElement('button');
      go.type = 'button';
      go.className = 'go';
      go.dataset.field = f.id;
      go.append(severityBadge(issue), ` ${where}: ${issue.message}`);
      go.addEventListener('click', () => {
        touched.add(f.id);
        renderFields();
        const input = inputs.get(f.id);
        input?.scrollIntoView({ block: 'center' });
        input?.focus();
      });
      li.append(go);
    } else {
      const p = document.createElement('p');
      p.append(severityBadge(issue), ` ${where}: ${issue.message}`);
      li.append(p);
    }
    li.append(' ', ruleLink(issue));
    return li;
  }));
}

/** What is shown under each field now (issue keys), to announce only what is new. */
const displayed = new Map<string, Set<string>>();

function renderFields(shown = shownIssues()) {
  const byField = new Map<string, Issue[]>();
  for (const issue of shown) {
    const f = fieldOf(issue);
    if (f) byField.set(f.id, [...(byField.get(f.id) ?? []), issue]);
  }
  const now = performance.now();
  const news: string[] = [];
  for (const f of FIELDS) {
    const before = displayed.get(f.id) ?? new Set<string>();
    let list = touched.has(f.id) ? byField.get(f.id) ?? [] : [];
    const typing = document.activeElement === inputs.get(f.id) && now - (lastInput.get(f.id) ?? -Infinity) < PAUSE_MS;
    // While the user types in a field, messages there may go away but new ones wait for a pause.
    if (typing) list = list.filter((i) => before.has(key(i)));
    const keys = new Set(list.map(key));
    const box = $(`${f.id}-messages`);
    if (keys.size === before.size && [...keys].every((k) => before.has(k)) && box.childElementCount === keys.size) continue;
    displayed.set(f.id, keys);
    for (const k of keys) if (!before.has(k)) news.push(`${f.label}: ${list.find((i) => key(i) === k)?.message}`);
    box.replaceChildren(...list.map((issue) => fieldMessage(f, issue)));
    const input = inputs.get(f.id);
    if (list.some((i) => i.severity === 'error')) input?.setAttribute('aria-invalid', 'true');
    else input?.removeAttribute('aria-invalid');
    $(f.id).closest('.field')?.classList.toggle('has-issue', list.length > 0);
  }
  if (news.length) announcer.textContent = news.slice(0, 3).join('. ');
}

function fieldMessage(f: Field, issue: Issue): HTMLElement {
  const div = document.createElement('div');
  div.className = `issue ${issue.severity}`;
  div.dataset.code = issue.code;
  div.dataset.path = issue.path;
  const text = document.createElement('span');
  text.className = 'message';
  text.textContent = ` ${issue.message} `;
  div.append(severityBadge(issue), text);
  const suggestions = (issue.suggestions ?? []).slice(0, 6);
  if (suggestions.length && f.kind !== 'select') {
    const group = document.createElement('span');
    group.className = 'suggestions';
    group.setAttribute('role', 'group');
    group.setAttribute('aria-label', `Fixes for ${f.label}`);
    group.append('Use: ');
    for (const s of suggestions) {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'suggestion';
      b.dataset.value = s;
      b.textContent = s;
      b.setAttribute('aria-label', `Use ${s} for ${f.label}`);
      b.addEventListener('click', () => applySuggestion(f, issue, s));
      group.append(b, ' ');
    }
    div.append(group);
  }
  div.append(ruleLink(issue));
  return div;
}

function applySuggestion(f: Field, issue: Issue, value: string) {
  // A suggestion replaces the field's text, unless it is a choice of a selector of the same
  // record (a unit such as [degF] goes to the unit selector).
  const target = FIELDS.find((g) => g.entry === f.entry && g.options?.some(([v]) => v === value)) ?? f;
  const input = inputs.get(target.id);
  if (!input) return;
  input.value = value;
  touched.add(target.id);
  edited(target);
  input.focus();
}

// ---- buttons ----------------------------------------------------------------------------

function fill(values: Record<string, string>) {
  for (const f of FIELDS) {
    const input = inputs.get(f.id);
    if (input) input.value = values[f.id] ?? (f.id === 'tempUnit' ? 'Cel' : '');
  }
}

async function loadSample() {
  await clearForm();
  fill(SAMPLE);
  for (const f of FIELDS) {
    touched.add(f.id);
    write(f);
  }
  waiting.push(performance.now());
  await pump();
}

async function clearForm() {
  fill({});
  queue.clear();
  touched.clear();
  displayed.clear();
  for (const f of FIELDS) $(`${f.id}-messages`).replaceChildren();
  await startSession();
  lastReport = await session!.report();
  issues = lastReport.issues;
  render();
}

/** The Bundle with the records the user started (others left out), and its check. */
async function exported() {
  const bundle = (await sessionReady.then((s) => s.resource())) as ReturnType<typeof emptyBundle>;
  const filled = filledEntries();
  const kept = bundle.entry.filter((_, i) => filled.has(i));
  const ids = new Set(kept.map((e) => `${e.resource.resourceType}/${e.resource.id}`));
  for (const e of kept) {
    const r = e.resource as { resourceType: string; diagnosis?: { condition: { reference: string } }[] };
    if (r.resourceType === 'Encounter' && r.diagnosis) {
      r.diagnosis = r.diagnosis.filter((d) => ids.has(d.condition.reference));
      if (!r.diagnosis.length) delete r.diagnosis;
    }
  }
  const compact = { ...bundle, entry: kept };
  const outcome = await validator.toOperationOutcome(await validator.validate(compact));
  return { bundle: compact, outcome };
}

function download(name: string, value: unknown) {
  const url = URL.createObjectURL(new Blob([`${JSON.stringify(value, null, 2)}\n`], { type: 'application/fhir+json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

$('load-sample').addEventListener('click', () => void loadSample());
$('clear').addEventListener('click', () => void clearForm());
$('export-bundle').addEventListener('click', async () => download('encounter-bundle.json', (await exported()).bundle));
$('export-outcome').addEventListener('click', async () => download('operation-outcome.json', (await exported()).outcome));

// ---- start ------------------------------------------------------------------------------

buildForm();
startSession()
  .then(async (s) => {
    lastReport = await s.report();
    issues = lastReport.issues;
    render();
    if (!queue.size) document.body.dataset.state = 'idle';
    document.body.dataset.status = 'ready';
    // The ICD-10-CM descriptions (for finding codes by words) load after the page is usable.
    setTimeout(() => {
      validator.loadDescriptions(new URL('icd10cm-descriptions.tsv', location.href))
        .then(() => { document.body.dataset.descriptions = 'loaded'; })
        .catch(() => { document.body.dataset.descriptions = 'failed'; });
    }, 0);
  })
  .catch((e: Error) => {
    document.body.dataset.status = 'failed';
    statusLine.textContent = `The checker could not start: ${e.message}. The form still works, unchecked.`;
  });
