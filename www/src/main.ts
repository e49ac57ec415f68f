// The encounter-entry page: a form that builds a FHIR R4 Bundle as the clinician types, checked
// at each keystroke by an ehrlint session running in a Web Worker (typing never waits for it).
// What is wrong shows at once, under its field and in the panel (errors first); what is not
// filled yet waits (the session's `later`) until the user leaves its section or asks to check
// the record, and is only counted meanwhile. The meter shows how much of what the record
// expects is filled.
import { createValidatorWorker } from 'ehrlint/worker';
import { createValidatorWorker as createFullValidatorWorker } from 'ehrlint/full/worker';
import type { Change, Issue, WorkerSession } from 'ehrlint/worker';
import { E, ENTRY_NAMES, FIELDS, SAMPLE, SECTIONS, emptyBundle, issuePath, issuePaths, labels, writePaths } from './record';
import type { Guide } from './record';
import type { Field } from './record';
import './style.css';

/**
 * A value that is obviously still being typed (a date cut short, a code of one or two
 * characters, a number ending in a point) gets no new message until it is done, the user
 * leaves the field, or typing pauses this long.
 */
const UNFINISHED_PAUSE_MS = 500;
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
const todo = $('still-to-fill');

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
    // Leaving a section reaches all of its fields.
    fieldset.addEventListener('focusout', (e) => {
      if (!fieldset.contains(e.relatedTarget as Node | null)) reach(section.fields);
    });
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
  if (f.lookup) {
    // The input and its list of codes, the list right under the input: it never covers what
    // is being typed.
    const combo = document.createElement('div');
    combo.className = 'combo';
    combo.append(input, combobox(f, input as HTMLInputElement));
    row.append(combo);
  } else {
    row.append(input);
  }
  row.append(messages);
  inputs.set(f.id, input);
  input.addEventListener(f.kind === 'select' ? 'change' : 'input', () => edited(f));
  // Leaving a field reaches it: whether it is missing is shown from then on.
  input.addEventListener('blur', () => reach([f]));
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

// The default browser build checks no Implementation Guide (its download budget): a guide chosen
// on the page starts the full build (US Core built in; IPS given compiled).
let validator = createValidatorWorker();
let guide: Guide = 'none';
let session: WorkerSession | undefined;
let sessionReady: Promise<WorkerSession>;
/** Edits not yet sent: write path -> value (undefined removes the element). */
const queue = new Map<string, unknown>();
/** Paths reached (fields left) not yet sent, and whether the whole record was asked for. */
const reachQueue = new Set<string>();
let reachAll = false;
/** Input events whose result is not yet in the DOM (performance.now() at the event). */
let waiting: number[] = [];
let running = false;
/** The issues to show now, and those held back (elements not reached yet). */
let issues: Issue[] = [];
let later: Issue[] = [];
/** The fields the record expects (a completeness issue on the empty form): the meter's scale. */
let expected = new Set<string>();
const lastInput = new Map<string, number>();
const unfinishedTimers = new Map<string, number>();

function startSession() {
  const previous = session;
  session = undefined;
  // The form's words for its elements: messages about a missing element use them.
  sessionReady = validator.session('Bundle', emptyBundle(guide), { labels: labels() }).then((s) => (session = s));
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
  clearTimeout(unfinishedTimers.get(f.id));
  if (unfinished(f)) {
    unfinishedTimers.set(f.id, window.setTimeout(() => renderFields(), UNFINISHED_PAUSE_MS));
  }
  write(f);
  void pump();
}

/** Marks fields reached (the user left them or their section). */
function reach(fields: Field[]) {
  for (const f of fields) for (const path of [...writePaths(f), ...issuePaths(f)]) reachQueue.add(path);
  void pump();
}

/** A value obviously still being typed in the focused field: no new message for it yet. */
function unfinished(f: Field): boolean {
  if (document.activeElement !== inputs.get(f.id)) return false;
  if (performance.now() - (lastInput.get(f.id) ?? -Infinity) >= UNFINISHED_PAUSE_MS) return false;
  const v = valueOf(f.id).trim();
  if (v === '') return false;
  switch (f.kind) {
    case 'date':
      return /^\d{1,3}$|[-:T.+]$/.test(v) || /^\d{4}-\d$|^\d{4}-\d{2}-\d$/.test(v);
    case 'code':
      return v.length < 3;
    case 'number':
      return /[.,-]$/.test(v);
    default:
      return false;
  }
}

function apply(change: Change) {
  issues = change.now;
  later = change.later;
}

async function pump() {
  if (running) return;
  running = true;
  document.body.dataset.state = 'busy';
  try {
    const s = await sessionReady;
    while (queue.size || reachQueue.size || reachAll) {
      const batch = [...queue];
      queue.clear();
      let change: Change | undefined;
      for (const [path, value] of batch) change = await s.set(path, value ?? null);
      const reached = [...reachQueue];
      reachQueue.clear();
      for (const path of reached) change = await s.touch(path);
      if (reachAll) {
        reachAll = false;
        change = await s.touchAll();
      }
      if (queue.size || reachQueue.size) continue;
      if (s !== session) return;
      if (change) apply(change);
      render();
    }
  } catch (e) {
    statusLine.textContent = `The checker stopped: ${(e as Error).message}`;
  } finally {
    running = false;
    if (queue.size || reachQueue.size || reachAll) void pump();
    else document.body.dataset.state = 'idle';
  }
}

// ---- where an issue belongs --------------------------------------------------------------

const segments = (p: string) => p.split('/');
/** Path steps that name the same element: equal, or a choice (`effective[x]`) and one of its forms. */
const sameStep = (a: string, b: string) => a === b || isForm(a, b) || isForm(b, a);
const isForm = (choice: string, form: string) => choice.endsWith('[x]') && form.startsWith(choice.slice(0, -3)) && /^[A-Z]/.test(form.slice(choice.length - 3));
/** The field an issue belongs to: the one whose path shares the most with the issue's path. */
function fieldOf(issue: Issue): Field | undefined {
  const at = segments(issue.path);
  let best: Field | undefined;
  let bestLength = 4; // at least /entry/N/resource/element must agree
  for (const f of FIELDS) {
    for (const path of issuePaths(f)) {
      const p = segments(path);
      let n = 0;
      while (n < at.length && n < p.length && sameStep(at[n], p[n])) n += 1;
      if (n > bestLength || (n === bestLength && n === at.length && !best)) {
        best = f;
        bestLength = n;
      }
    }
  }
  return best;
}

const entryOf = (path: string) => Number(segments(path)[2]);
/** The records every encounter has: a patient, an attending, the encounter, its principal diagnosis. */
const CORE = new Set<number>([E.patient, E.practitioner, E.encounter, E.dx1]);
/** Entries the user has put something in (the patient always counts). */
function filledEntries(): Set<number> {
  const filled = new Set<number>([E.patient]);
  for (const f of FIELDS) {
    if (f.id === 'tempUnit' || valueOf(f.id).trim() === '') continue;
    for (const e of [f.entry, ...(f.alsoEntries ?? [])]) filled.add(e);
  }
  return filled;
}
/** Records the page speaks of: an encounter's core records, and the others once started. */
function countedEntries(): Set<number> {
  return new Set([...CORE, ...filledEntries()]);
}
/** The issues shown: those of the records counted, errors first. */
function shownIssues(): Issue[] {
  const filled = countedEntries();
  return issues
    .filter((i) => !i.path.startsWith('/entry/') || filled.has(entryOf(i.path)))
    .sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity]);
}
const key = (i: Issue) => `${i.code} ${i.path}`;
/** An issue as the page shows it: where, and its words and fixes. */
const asShown = (i: Issue) => `${key(i)}\n${i.message}\n${(i.suggestions ?? []).join('\n')}`;
/** Where an issue with no field of its own is: its record, in the form's words. */
function recordName(issue: Issue): string {
  return issue.path.startsWith('/entry/') ? ENTRY_NAMES[entryOf(issue.path)] ?? 'The record' : 'The record';
}
/** Where an issue is, in words: its field's label, else its record's name. */
const placeOf = (issue: Issue) => fieldOf(issue)?.label ?? recordName(issue);
/** The issues held back, counted by place (a field written to several records counts once). */
function stillToFill(): number {
  const filled = countedEntries();
  return new Set(later
    .filter((i) => !i.path.startsWith('/entry/') || filled.has(entryOf(i.path)))
    .map(placeOf)).size;
}

// ---- rendering ---------------------------------------------------------------------------

/**
 * The meter: of the fields the record expects (in its core records and the ones started), how
 * many are filled, that is have no completeness issue.
 */
function completeness(): [number, number] {
  const filled = countedEntries();
  const counted = [...expected].filter((id) => {
    const f = fieldById.get(id);
    return f !== undefined && [f.entry, ...(f.alsoEntries ?? [])].some((e) => filled.has(e));
  });
  const open = new Set([...issues, ...later].filter((i) => i.category === 'completeness').map((i) => fieldOf(i)?.id));
  const done = counted.filter((id) => !open.has(id)).length;
  return [done, counted.length];
}

function render() {
  const shown = shownIssues();
  renderPanel(shown);
  renderFields(shown);
  const [done, total] = completeness();
  const score = total ? Math.round((done / total) * 100) : 100;
  meter.value = score;
  meterText.textContent = `${score} % (${done} of ${total} fields)`;
  document.body.dataset.completeness = String(score);
  const places = (s: string) => new Set(shown.filter((i) => i.severity === s).map(placeOf)).size;
  const [errors, warnings, notes] = [places('error'), places('warning'), places('information')];
  const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
  statusLine.textContent = errors + warnings + notes === 0
    ? '✔ Nothing wrong in what is entered so far.'
    : `${errors ? '✖ ' : '⚠ '}${plural(errors, 'error')}, ${plural(warnings, 'warning')}${notes ? `, ${plural(notes, 'note')}` : ''}.`;
  statusLine.className = errors ? 'has-errors' : warnings ? 'has-warnings' : 'clean';
  const toFill = stillToFill();
  todo.textContent = toFill ? `Still to fill: ${toFill}. They are listed when you leave a section, or check the record.` : '';
  document.body.dataset.later = String(toFill);
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

/** The message, led by where it is unless it already names it (the form's words). */
const placed = (where: string, issue: Issue) => (issue.message.startsWith(where) ? issue.message : `${where}: ${issue.message}`);

function renderPanel(shown: Issue[]) {
  // One line per place and message: a field written to several records (the vital signs'
  // time) is one line, not one per record.
  const seen = new Set<string>();
  const lines = shown.filter((issue) => {
    const k = `${placeOf(issue)}|${issue.code}|${issue.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  issueList.replaceChildren(...lines.map((issue) => {
    const li = document.createElement('li');
    li.className = `issue ${issue.severity}`;
    li.dataset.code = issue.code;
    li.dataset.path = issue.path;
    const f = fieldOf(issue);
    const where = placeOf(issue);
    if (f) {
      const go = document.createElement('button');
      go.type = 'button';
      go.className = 'go';
      go.dataset.field = f.id;
      go.append(severityBadge(issue), ` ${placed(where, issue)}`);
      go.addEventListener('click', () => {
        const input = inputs.get(f.id);
        input?.scrollIntoView({ block: 'center' });
        input?.focus();
      });
      li.append(go);
    } else {
      const p = document.createElement('p');
      p.append(severityBadge(issue), ` ${placed(where, issue)}`);
      li.append(p);
    }
    li.append(' ', ruleLink(issue));
    return li;
  }));
}

/** What is shown under each field now (issue keys), to announce only what is new. */
const displayed = new Map<string, Issue[]>();

function renderFields(shown = shownIssues()) {
  const byField = new Map<string, Issue[]>();
  for (const issue of shown) {
    const f = fieldOf(issue);
    if (!f) continue;
    const list = byField.get(f.id) ?? [];
    // A field written to several records shows each message once.
    if (!list.some((i) => i.code === issue.code && i.message === issue.message)) list.push(issue);
    byField.set(f.id, list);
  }
  const news: string[] = [];
  for (const f of FIELDS) {
    const before = displayed.get(f.id) ?? [];
    let list = byField.get(f.id) ?? [];
    // A value still being typed keeps the messages it had, as they were, while they still
    // apply, but gets no new one yet.
    if (unfinished(f)) list = before.filter((b) => list.some((i) => key(i) === key(b)));
    // What the user reads: a message whose words change (9 °C, then 98.6 °C, at one place) is
    // shown again, not only one that comes or goes.
    const was = new Set(before.map(asShown));
    const box = $(`${f.id}-messages`);
    if (list.length === was.size && list.every((i) => was.has(asShown(i))) && box.childElementCount === list.length) continue;
    displayed.set(f.id, list);
    for (const issue of list) if (!was.has(asShown(issue))) news.push(placed(f.label, issue));
    box.replaceChildren(...list.map((issue) => fieldMessage(f, issue)));
    const input = inputs.get(f.id);
    if (list.some((i) => i.severity === 'error')) input?.setAttribute('aria-invalid', 'true');
    else input?.removeAttribute('aria-invalid');
    $(f.id).closest('.field')?.classList.toggle('has-issue', list.length > 0);
  }
  if (news.length) announcer.textContent = news.slice(0, 3).join('. ');
}

/** The field a suggestion goes to: a choice of a selector of the same record (a unit), else this one. */
const suggestionTarget = (f: Field, value: string) => FIELDS.find((g) => g.entry === f.entry && g.options?.some(([v]) => v === value)) ?? f;

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
      const target = suggestionTarget(f, s);
      // A unit as its selector writes it (°F for [degF]); a code with its description.
      const shownAs = target.options?.find(([v]) => v === s)?.[1] ?? s;
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'suggestion';
      b.dataset.value = s;
      b.textContent = shownAs;
      b.setAttribute('aria-label', `Use ${shownAs} for ${target.label}`);
      b.addEventListener('click', () => applySuggestion(target, s));
      if (f.lookup && target === f) describe(f.lookup, s, b);
      group.append(b, ' ');
    }
    div.append(group);
  }
  div.append(ruleLink(issue));
  return div;
}

/** Adds a code's description to its suggestion button, once the descriptions are loaded. */
function describe(system: string, code: string, button: HTMLButtonElement) {
  validator.lookup(system, code, { limit: 1 }).then((found) => {
    const display = found[0]?.code === code ? found[0].display : undefined;
    if (!display) return;
    const words = document.createElement('span');
    words.className = 'description';
    words.textContent = ` ${display}`;
    button.append(words);
    button.setAttribute('aria-label', `Use ${code}, ${display}`);
  }).catch(() => {});
}

function applySuggestion(target: Field, value: string) {
  const input = inputs.get(target.id);
  if (!input) return;
  input.value = value;
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
  for (const f of FIELDS) write(f);
  // A whole record loaded is a record to check: everything shows.
  reachAll = true;
  waiting.push(performance.now());
  await pump();
}

async function clearForm() {
  fill({});
  queue.clear();
  reachQueue.clear();
  reachAll = false;
  displayed.clear();
  for (const f of FIELDS) $(`${f.id}-messages`).replaceChildren();
  const s = await startSession();
  apply(await s.current());
  render();
}

/** Lists everything: what is wrong and what is still to fill. */
async function checkRecord() {
  reachAll = true;
  await pump();
  $('issues-heading').focus();
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

/** Checks the record against `chosen`'s profiles from now on: a new validator, the form's values
 * written again into a session on a record that claims them. */
async function chooseGuide(chosen: Guide) {
  const values: Record<string, string> = {};
  for (const f of FIELDS) values[f.id] = valueOf(f.id);
  const previous = validator;
  statusLine.textContent = 'Starting the checker…';
  if (chosen === 'none') {
    validator = createValidatorWorker();
  } else {
    const ig = chosen === 'ips'
      ? [new Uint8Array(await (await fetch(new URL('guides/ips-2.0.0.pack', location.href))).arrayBuffer())]
      : [];
    validator = createFullValidatorWorker({ ig });
  }
  guide = chosen;
  previous.terminate();
  void validator.loadDescriptions(new URL('icd10cm-descriptions.tsv', location.href)).catch(() => {});
  await clearForm();
  fill(values);
  for (const f of FIELDS) if (values[f.id]) write(f);
  waiting.push(performance.now());
  await pump();
  document.body.dataset.guide = chosen;
}

$('guide').addEventListener('change', (e) => void chooseGuide((e.target as HTMLSelectElement).value as Guide));
$('load-sample').addEventListener('click', () => void loadSample());
$('check').addEventListener('click', () => void checkRecord());
$('clear').addEventListener('click', () => void clearForm());
$('export-bundle').addEventListener('click', async () => download('encounter-bundle.json', (await exported()).bundle));
$('export-outcome').addEventListener('click', async () => download('operation-outcome.json', (await exported()).outcome));

// ---- start ------------------------------------------------------------------------------

buildForm();
startSession()
  .then(async (s) => {
    const start = await s.current();
    // On the empty form every expected field is still to fill: that is the meter's scale.
    expected = new Set(start.later.filter((i) => i.category === 'completeness').map((i) => fieldOf(i)?.id).filter((id): id is string => id !== undefined));
    apply(start);
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
