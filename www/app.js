// The demo: validates the textarea's JSON at every keystroke with the Wasm build.
import init, { Validator, toOperationOutcome } from './pkg/ehrlint.js';

const SAMPLES = {
  errors: {
    resourceType: 'Bundle',
    type: 'collection',
    entry: [
      { resource: { resourceType: 'Patient', id: 'pat-1', name: [{ family: 'Chalmers', given: ['Peter'] }], gender: 'mal', birthDate: '1974-02-30' } },
      { resource: { resourceType: 'Observation', id: 'hr-1', code: { coding: [{ system: 'http://loinc.org', code: '8867-4', display: 'Heart rate' }] },
        subject: { reference: 'Patient/pat-1' }, effectiveDateTime: '2024-05-02T09:30:00-04:00',
        valueQuantity: { value: 72, unit: '/min', system: 'http://unitsofmeasure.org', code: '/min' }, interprettion: [] } },
      { resource: { resourceType: 'Encounter', id: 'enc-1', status: 'finished', subject: { reference: 'Patient/pat-1' } } },
      { resource: { resourceType: 'Condition', id: 'dx-1', subject: { reference: 'Patient/pat-1' }, recordedDate: '2026-05-02',
        code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: 'E11' }] } } },
    ],
  },
  clean: {
    resourceType: 'Patient', id: 'pat-1', active: true,
    name: [{ use: 'official', family: 'Chalmers', given: ['Peter', 'James'] }],
    gender: 'male', birthDate: '1974-12-25',
  },
};

const $ = (id) => document.getElementById(id);
const input = $('resource');
const status = $('status');
let validator;

function render() {
  const list = $('issues');
  list.replaceChildren();
  $('completeness').textContent = '';
  $('outcome').textContent = '';
  const text = input.value.trim();
  if (!text) {
    status.className = '';
    status.textContent = 'Paste or type a resource to check it.';
    return;
  }
  let report;
  const started = performance.now();
  try {
    report = validator.validateJson(text);
  } catch (e) {
    status.className = 'bad';
    status.textContent = `Cannot check this yet: ${e.message}`;
    return;
  }
  const ms = performance.now() - started;
  const took = ms < 0.1 ? 'under 0.1 ms' : `${ms.toFixed(2)} ms`;
  const errors = report.issues.filter((i) => i.severity === 'error').length;
  const warnings = report.issues.filter((i) => i.severity === 'warning').length;
  status.className = report.valid ? 'ok' : 'bad';
  status.textContent = report.valid
    ? `Valid${warnings ? `, with ${warnings} warning${warnings > 1 ? 's' : ''}` : ''} (checked in ${took}).`
    : `${errors} error${errors > 1 ? 's' : ''}${warnings ? `, ${warnings} warning${warnings > 1 ? 's' : ''}` : ''} (checked in ${took}).`;
  const { score, required, mustSupport } = report.completeness;
  $('completeness').textContent = `Complete: ${Math.round(score * 100)} % (required elements ${required.present} of ${required.total}`
    + (mustSupport.total ? `, must-support ${mustSupport.present} of ${mustSupport.total})` : ')');
  for (const issue of report.issues) list.append(issueItem(issue));
  $('outcome').textContent = JSON.stringify(toOperationOutcome(report), null, 2);
}

function issueItem(issue) {
  const li = document.createElement('li');
  li.className = issue.severity;
  li.dataset.code = issue.code;
  li.dataset.path = issue.path;
  const head = document.createElement('div');
  const sev = document.createElement('span');
  sev.className = 'sev';
  sev.textContent = { error: '✖ Error', warning: '⚠ Warning', information: 'ℹ Note' }[issue.severity] ?? issue.severity;
  const where = document.createElement('span');
  where.className = 'where';
  where.textContent = ` ${issue.expression} `;
  const code = document.createElement('span');
  code.className = 'code';
  code.textContent = `[${issue.code}]`;
  head.append(sev, where, code);
  const message = document.createElement('div');
  message.textContent = issue.message;
  li.append(head, message);
  if (issue.suggestions?.length) {
    const fix = document.createElement('div');
    fix.className = 'fix';
    fix.textContent = `Suggested: ${issue.suggestions.join(', ')}`;
    li.append(fix);
  }
  return li;
}

function load(name) {
  input.value = JSON.stringify(SAMPLES[name], null, 2);
  render();
  input.focus();
}

async function main() {
  await init();
  validator = new Validator();
  input.addEventListener('input', render);
  for (const b of document.querySelectorAll('button[data-sample]')) b.addEventListener('click', () => load(b.dataset.sample));
  $('clear').addEventListener('click', () => { input.value = ''; render(); input.focus(); });
  load('errors');
  // Descriptions (6 MB, 0.5 MB compressed) make messages name codes; the page works without
  // them, so they load after it is usable.
  fetch('./pkg/icd10cm-descriptions.tsv')
    .then((r) => (r.ok ? r.text() : Promise.reject(new Error(r.statusText))))
    .then((text) => { validator.loadDescriptions(text); render(); })
    .catch(() => { /* codes are shown without descriptions */ });
}

main().catch((e) => {
  status.className = 'bad';
  status.textContent = `The validator could not start: ${e.message}`;
});
