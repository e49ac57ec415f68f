// Generated, realistic FHIR R4 records of the types ehrlint supports, for the benchmarks: the
// same seed gives the same records, so every run and every validator sees identical input.
//
// Shapes follow the FHIR R4 spec examples (narrative text, identifiers, US addresses, LOINC vital
// signs with UCUM units, ICD-10-CM diagnoses, ...). Sizes land between about 1 and 5 KB, Bundles
// a little above. About one record in six carries a typical mistake (see MISTAKES): some are
// structural (every validator should see them), others only a clinical or coding check finds.
//
// ICD-10-CM codes come from data/icd10cm-descriptions.tsv (the committed table). LOINC, SNOMED CT,
// RxNorm and CVX codes appear only inside these generated records, which are never written to the
// repository.
//
//   import { generate } from './records.mjs';
//   const records = generate(500, 42);   // [{ resource, mistake }], mistake null or its name
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** mulberry32: small, fast, and the same sequence on every platform. */
export function rng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (lo, hi) => lo + Math.floor(next() * (hi - lo + 1));
  const pick = (xs) => xs[Math.floor(next() * xs.length)];
  const chance = (p) => next() < p;
  const round = (x, d) => Math.round(x * 10 ** d) / 10 ** d;
  return { next, int, pick, chance, round };
}

const pad = (n, w = 2) => String(n).padStart(w, '0');
const dotted = (code) => (code.length > 3 ? `${code.slice(0, 3)}.${code.slice(3)}` : code);
const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// Common diagnosis categories in ambulatory and inpatient care; the codes themselves are drawn
// from the committed FY2026 table, so every one exists and is billable on the benchmark's date.
const COMMON_CATEGORIES = ['E11', 'I10', 'E78', 'J45', 'K21', 'M54', 'F41', 'F32', 'N39', 'J06',
  'R51', 'I25', 'I48', 'J44', 'E66', 'M17', 'G47', 'K57', 'R10', 'N18', 'E03', 'D64', 'J18', 'L40'];
let icdCache;
function icd10cm() {
  if (!icdCache) {
    const text = readFileSync(join(root, 'data', 'icd10cm-descriptions.tsv'), 'utf8');
    icdCache = [];
    for (const line of text.split('\n')) {
      const tab = line.indexOf('\t');
      if (tab < 0) continue;
      const code = line.slice(0, tab);
      if (COMMON_CATEGORIES.includes(code.slice(0, 3))) icdCache.push([code, line.slice(tab + 1)]);
    }
  }
  return icdCache;
}

const GIVEN_F = ['Mary', 'Linh', 'Aisha', 'Sofia', 'Emma', 'Olivia', 'Grace', 'Fatima', 'Mei', 'Ana', 'Rosa', 'Hannah'];
const GIVEN_M = ['James', 'Peter', 'Omar', 'Diego', 'Wei', 'Noah', 'Samuel', 'Ivan', 'Kofi', 'Luis', 'David', 'Arjun'];
const FAMILY = ['Nguyen', 'Smith', 'Garcia', 'Chalmers', 'Okafor', 'Kowalski', 'Haddad', 'Johnson', 'Tanaka',
  'Martinez', 'Brown', 'Patel', 'Schmidt', 'Rossi', 'Walker', "O'Brien"];
const STREETS = ['Elm Street', 'Main St', 'Oak Avenue', 'Maple Drive', 'Washington Blvd', 'Cedar Lane', 'Park Road', 'Lakeview Terrace'];
// [city, USPS state, ZIP prefix]
const CITIES = [['Boston', 'MA', '021'], ['Springfield', 'IL', '627'], ['Austin', 'TX', '787'], ['Portland', 'OR', '972'],
  ['Columbus', 'OH', '432'], ['Denver', 'CO', '802'], ['Madison', 'WI', '537'], ['Raleigh', 'NC', '276'],
  ['Phoenix', 'AZ', '850'], ['Albany', 'NY', '122']];

// Vital signs as the FHIR R4 vital signs profile codes them: [LOINC, display, UCUM, unit text, mean, sd, decimals].
const VITALS = [
  ['8867-4', 'Heart rate', '/min', 'beats/minute', 76, 12, 0],
  ['9279-1', 'Respiratory rate', '/min', 'breaths/minute', 16, 3, 0],
  ['8310-5', 'Body temperature', 'Cel', 'C', 36.9, 0.5, 1],
  ['29463-7', 'Body weight', 'kg', 'kg', 78, 16, 1],
  ['8302-2', 'Body height', 'cm', 'cm', 170, 10, 0],
  ['39156-5', 'Body mass index (BMI) [Ratio]', 'kg/m2', 'kg/m2', 26.5, 4.5, 1],
  ['59408-5', 'Oxygen saturation in Arterial blood by Pulse oximetry', '%', '%', 97, 1.5, 0],
];
const LABS = [
  ['2339-0', 'Glucose [Mass/volume] in Blood', 'mg/dL', 'mg/dL', 105, 25, 0],
  ['718-7', 'Hemoglobin [Mass/volume] in Blood', 'g/dL', 'g/dL', 13.8, 1.5, 1],
  ['2823-3', 'Potassium [Moles/volume] in Serum or Plasma', 'mmol/L', 'mmol/L', 4.2, 0.4, 1],
  ['2951-2', 'Sodium [Moles/volume] in Serum or Plasma', 'mmol/L', 'mmol/L', 139, 3, 0],
  ['2160-0', 'Creatinine [Mass/volume] in Serum or Plasma', 'mg/dL', 'mg/dL', 0.95, 0.2, 2],
];
const PROCEDURES = [['80146002', 'Appendectomy'], ['73761001', 'Colonoscopy'], ['387713003', 'Surgical procedure'],
  ['274025005', 'Colonic polypectomy'], ['232717009', 'Coronary artery bypass grafting'], ['18286008', 'Catheter ablation']];
const MEDICATIONS = [['197361', 'Amlodipine 5 MG Oral Tablet'], ['860975', 'Metformin hydrochloride 500 MG Oral Tablet'],
  ['314076', 'Lisinopril 10 MG Oral Tablet'], ['617310', 'Atorvastatin 20 MG Oral Tablet'],
  ['308136', 'Amlodipine 2.5 MG Oral Tablet'], ['198211', 'Simvastatin 40 MG Oral Tablet']];
const ALLERGENS = [['227493005', 'Cashew nuts'], ['91936005', 'Allergy to penicillin'], ['300913006', 'Shellfish allergy'],
  ['418689008', 'Allergy to grass pollen'], ['294505008', 'Allergy to amoxicillin']];
const VACCINES = [['140', 'Influenza, seasonal, injectable, preservative free'], ['08', 'Hep B, adolescent or pediatric'],
  ['115', 'Tdap'], ['208', 'COVID-19, mRNA, LNP-S, PF, 30 mcg/0.3 mL dose'], ['33', 'Pneumococcal polysaccharide PPV23']];

/** A valid NPI: 9 digits and the Luhn check digit computed with the 80840 prefix. */
function npi(r) {
  const base = [r.int(1, 2), ...Array.from({ length: 8 }, () => r.int(0, 9))];
  let sum = 24; // the prefix 80840's contribution
  base.forEach((d, i) => {
    // From the right of the 9 digits, every other digit (starting with the last) is doubled.
    let v = d;
    if ((8 - i) % 2 === 0) { v *= 2; if (v > 9) v -= 9; }
    sum += v;
  });
  return base.join('') + ((10 - (sum % 10)) % 10);
}

function date(r, fromYear, toYear) {
  const y = r.int(fromYear, toYear);
  const m = r.int(1, y === 2026 ? 2 : 12);
  return `${y}-${pad(m)}-${pad(r.int(1, 28))}`;
}
const dateTime = (r, fromYear = 2019, toYear = 2026) =>
  `${date(r, fromYear, toYear)}T${pad(r.int(7, 18))}:${pad(r.int(0, 59))}:00-05:00`;
// A day of fiscal year 2026 up to the benchmark's date of service (2026-04-01): diagnosis codes
// are drawn from the FY2026 table, so they are valid on the records' own dates.
function recentDate(r) {
  const [y, m] = r.pick([[2025, 10], [2025, 11], [2025, 12], [2026, 1], [2026, 2], [2026, 3]]);
  return `${y}-${pad(m)}-${pad(r.int(1, 28))}`;
}

// Human-readable text as EHRs generate it: a heading and a table of the main fields (most spec
// examples carry such a narrative; it is a good part of a real record's size).
function narrative(rows) {
  const body = rows.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('');
  return { status: 'generated', div: `<div xmlns="http://www.w3.org/1999/xhtml"><p><b>Generated Narrative</b></p><table class="grid"><tbody>${body}</tbody></table></div>` };
}
const cc = (system, code, display, text) => ({ coding: [{ system, code, display }], ...(text ? { text } : {}) });
const ref = (type, id, display) => ({ reference: `${type}/${id}`, ...(display ? { display } : {}) });

function humanName(r, female) {
  const given = [r.pick(female ? GIVEN_F : GIVEN_M)];
  if (r.chance(0.5)) given.push(r.pick(female ? GIVEN_F : GIVEN_M));
  return { use: 'official', family: r.pick(FAMILY), given };
}
function address(r) {
  const [city, state, zip] = r.pick(CITIES);
  return { use: r.pick(['home', 'home', 'work']), type: 'both', line: [`${r.int(1, 9999)} ${r.pick(STREETS)}`],
    city, state, postalCode: `${zip}${pad(r.int(0, 99))}`, country: 'US' };
}
const phone = (r) => `(${r.int(201, 989)}) 555-${pad(r.int(0, 9999), 4)}`;

function patient(r, id, _patientId, latestBirthYear = 2020) {
  const female = r.chance(0.52);
  const name = humanName(r, female);
  const birthDate = date(r, 1935, latestBirthYear);
  const addr = address(r);
  return {
    resourceType: 'Patient', id,
    meta: { lastUpdated: `${date(r, 2024, 2025)}T10:00:00Z` },
    text: narrative([['Name', `${name.given.join(' ')} ${name.family}`], ['Gender', female ? 'female' : 'male'],
      ['Date of birth', birthDate], ['Address', `${addr.line[0]}, ${addr.city} ${addr.state} ${addr.postalCode}`],
      ['Medical record number', 'on file'], ['Primary care', 'General Hospital clinic']]),
    extension: [{
      url: 'http://hl7.org/fhir/us/core/StructureDefinition/us-core-birthsex',
      valueCode: female ? 'F' : 'M',
    }],
    identifier: [
      { use: 'usual', type: cc('http://terminology.hl7.org/CodeSystem/v2-0203', 'MR', 'Medical Record Number'),
        system: 'http://hospital.example.org/mrn', value: `MRN-${pad(r.int(0, 999999), 6)}` },
      ...(r.chance(0.5) ? [{ type: cc('http://terminology.hl7.org/CodeSystem/v2-0203', 'DL', "Driver's license number"),
        system: `urn:oid:2.16.840.1.113883.4.3.${r.int(1, 50)}`, value: `S${r.int(10000000, 99999999)}` }] : []),
    ],
    active: true,
    name: [name, ...(r.chance(0.3) ? [{ use: 'nickname', given: [name.given[0].slice(0, 3)] }] : [])],
    telecom: [
      { system: 'phone', value: phone(r), use: r.pick(['home', 'mobile']), rank: 1 },
      ...(r.chance(0.6) ? [{ system: 'email', value: `${name.given[0].toLowerCase()}.${name.family.toLowerCase().replace(/'/g, '')}@example.com` }] : []),
    ],
    gender: female ? 'female' : 'male',
    birthDate,
    address: [addr],
    maritalStatus: cc('http://terminology.hl7.org/CodeSystem/v3-MaritalStatus', r.pick(['M', 'S', 'D', 'W']), undefined),
    communication: [{ language: cc('urn:ietf:bcp:47', r.pick(['en-US', 'es', 'vi', 'zh']), undefined), preferred: true }],
    contact: r.chance(0.5) ? [{
      relationship: [cc('http://terminology.hl7.org/CodeSystem/v2-0131', 'N', 'Next-of-Kin')],
      name: { family: name.family, given: [r.pick(GIVEN_F.concat(GIVEN_M))] },
      telecom: [{ system: 'phone', value: phone(r), use: 'mobile' }],
    }] : undefined,
    generalPractitioner: [ref('Practitioner', `prac-${r.int(1, 40)}`)],
    managingOrganization: { reference: 'Organization/hospital', display: 'General Hospital' },
  };
}

function practitioner(r, id) {
  const name = { ...humanName(r, r.chance(0.5)), prefix: ['Dr'] };
  return {
    resourceType: 'Practitioner', id,
    text: narrative([['name', `Dr ${name.given[0]} ${name.family}`], ['NPI', 'on file']]),
    identifier: [{ system: 'http://hl7.org/fhir/sid/us-npi', value: npi(r) }],
    active: true,
    name: [name],
    telecom: [{ system: 'phone', value: phone(r), use: 'work' }, { system: 'email', value: `${name.family.toLowerCase().replace(/'/g, '')}@clinic.example.org`, use: 'work' }],
    address: [{ ...address(r), use: 'work' }],
    gender: r.pick(['female', 'male']),
    qualification: [{ code: cc('http://terminology.hl7.org/CodeSystem/v2-0360/2.7', 'MD', 'Doctor of Medicine', 'MD'),
      period: { start: `${r.int(1980, 2015)}` }, issuer: { display: 'State Medical Board' } }],
  };
}

function encounter(r, id, patientId) {
  const start = `${recentDate(r)}T${pad(r.int(7, 18))}:${pad(r.int(0, 59))}:00-05:00`;
  const inpatient = r.chance(0.25);
  const end = start.replace(/T(\d\d)/, (_, h) => `T${pad(Math.min(23, Number(h) + r.int(0, 3)))}`);
  const [code, display] = r.pick(icd10cm());
  return {
    resourceType: 'Encounter', id,
    text: narrative([['Class', inpatient ? 'inpatient' : 'ambulatory'], ['Period', `${start} to ${end}`], ['Reason', `${dotted(code)} ${display}`],
      ['Attending', 'on file'], ['Location', 'General Hospital']]),
    identifier: [{ system: 'http://hospital.example.org/encounter', value: `V${r.int(100000, 999999)}` }],
    status: 'finished',
    class: { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: inpatient ? 'IMP' : 'AMB', display: inpatient ? 'inpatient encounter' : 'ambulatory' },
    type: [cc('http://snomed.info/sct', inpatient ? '32485007' : '185349003', inpatient ? 'Hospital admission' : 'Encounter for check up', inpatient ? 'Admission' : 'Check-up')],
    priority: cc('http://terminology.hl7.org/CodeSystem/v3-ActPriority', r.pick(['R', 'EM']), undefined),
    subject: ref('Patient', patientId),
    participant: [{ type: [cc('http://terminology.hl7.org/CodeSystem/v3-ParticipationType', 'ATND', 'attender')], individual: ref('Practitioner', `prac-${r.int(1, 40)}`) }],
    period: { start, end },
    reasonCode: [{ coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: dotted(code), display }] }],
    ...(inpatient ? { hospitalization: { admitSource: cc('http://terminology.hl7.org/CodeSystem/admit-source', 'emd', 'From accident/emergency department'),
      dischargeDisposition: cc('http://terminology.hl7.org/CodeSystem/discharge-disposition', 'home', 'Home') } } : {}),
    serviceProvider: { reference: 'Organization/hospital', display: 'General Hospital' },
  };
}

function condition(r, id, patientId) {
  const [code, display] = r.pick(icd10cm());
  const recorded = recentDate(r);
  const onset = r.chance(0.5) ? recorded : date(r, 2016, 2024);
  const resolved = r.chance(0.2);
  return {
    resourceType: 'Condition', id,
    text: narrative([['Diagnosis', `${dotted(code)} ${display}`], ['Onset', onset], ['Recorded', recorded],
      ['Clinical status', resolved ? 'resolved' : 'active'], ['Verification', 'confirmed']]),
    clinicalStatus: cc('http://terminology.hl7.org/CodeSystem/condition-clinical', resolved ? 'resolved' : 'active', undefined),
    verificationStatus: cc('http://terminology.hl7.org/CodeSystem/condition-ver-status', 'confirmed', undefined),
    category: [cc('http://terminology.hl7.org/CodeSystem/condition-category', r.pick(['problem-list-item', 'encounter-diagnosis']), undefined)],
    severity: cc('http://snomed.info/sct', r.pick(['255604002', '6736007', '24484000']), undefined),
    code: { coding: [{ system: 'http://hl7.org/fhir/sid/icd-10-cm', code: dotted(code), display }], text: display },
    subject: ref('Patient', patientId),
    encounter: ref('Encounter', `enc-${r.int(1, 500)}`),
    onsetDateTime: onset,
    ...(resolved ? { abatementDateTime: recorded } : {}),
    recordedDate: recorded,
    recorder: ref('Practitioner', `prac-${r.int(1, 40)}`),
    note: r.chance(0.4) ? [{ text: 'Reviewed at follow-up; plan unchanged.' }] : undefined,
  };
}

function gauss(r) {
  return Math.sqrt(-2 * Math.log(1 - r.next())) * Math.cos(2 * Math.PI * r.next());
}

function observation(r, id, patientId) {
  const when = dateTime(r, 2023, 2026);
  const base = {
    resourceType: 'Observation', id,
    meta: { profile: ['http://hl7.org/fhir/StructureDefinition/vitalsigns'] },
    status: 'final',
    category: [cc('http://terminology.hl7.org/CodeSystem/observation-category', 'vital-signs', 'Vital Signs')],
    subject: ref('Patient', patientId),
    encounter: ref('Encounter', `enc-${r.int(1, 500)}`),
    effectiveDateTime: when,
    issued: when.replace('-05:00', '.000-05:00'),
    performer: [ref('Practitioner', `prac-${r.int(1, 40)}`)],
  };
  if (r.chance(0.25)) {
    // Blood pressure panel, the spec's own shape: components for systolic and diastolic.
    const sys = Math.round(122 + 15 * gauss(r));
    const dia = Math.round(Math.min(sys - 25, 78 + 9 * gauss(r)));
    const comp = (code, display, value) => ({ code: cc('http://loinc.org', code, display),
      valueQuantity: { value, unit: 'mmHg', system: 'http://unitsofmeasure.org', code: 'mm[Hg]' } });
    return {
      ...base,
      text: narrative([['Code', 'Blood pressure panel with all children optional (LOINC 85354-9)'], ['Effective', when],
      ['Systolic', `${sys} mmHg`], ['Diastolic', `${dia} mmHg`], ['Body site', 'Right arm']]),
      code: { coding: [{ system: 'http://loinc.org', code: '85354-9', display: 'Blood pressure panel with all children optional' }], text: 'Blood pressure' },
      bodySite: cc('http://snomed.info/sct', '368209003', 'Right arm'),
      component: [comp('8480-6', 'Systolic blood pressure', sys), comp('8462-4', 'Diastolic blood pressure', dia)],
    };
  }
  const lab = r.chance(0.3);
  const [code, display, ucum, unit, mean, sd, dec] = r.pick(lab ? LABS : VITALS);
  const value = r.round(Math.max(sd, mean + sd * gauss(r)), dec);
  return {
    ...base,
    ...(lab ? { meta: undefined, category: [cc('http://terminology.hl7.org/CodeSystem/observation-category', 'laboratory', 'Laboratory')] } : {}),
    text: narrative([['Code', `${display} (LOINC ${code})`], ['Effective', when], ['Value', `${value} ${unit}`], ['Status', 'final']]),
    code: { coding: [{ system: 'http://loinc.org', code, display }], text: display },
    valueQuantity: { value, unit, system: 'http://unitsofmeasure.org', code: ucum },
    ...(lab ? { referenceRange: [{ low: { value: r.round(mean - 2 * sd, dec), unit, system: 'http://unitsofmeasure.org', code: ucum },
      high: { value: r.round(mean + 2 * sd, dec), unit, system: 'http://unitsofmeasure.org', code: ucum } }],
    interpretation: [cc('http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation', 'N', 'Normal')] } : {}),
  };
}

function procedure(r, id, patientId) {
  const [code, display] = r.pick(PROCEDURES);
  const start = dateTime(r, 2018, 2026);
  return {
    resourceType: 'Procedure', id,
    text: narrative([['Procedure', display], ['Performed', start], ['Status', 'completed'], ['Outcome', 'Successful']]),
    status: 'completed',
    category: cc('http://snomed.info/sct', '387713003', 'Surgical procedure'),
    code: { coding: [{ system: 'http://snomed.info/sct', code, display }], text: display },
    subject: ref('Patient', patientId),
    encounter: ref('Encounter', `enc-${r.int(1, 500)}`),
    performedPeriod: { start, end: start.replace(/T(\d\d)/, (_, h) => `T${pad(Math.min(23, Number(h) + 2))}`) },
    recorder: ref('Practitioner', `prac-${r.int(1, 40)}`),
    performer: [{ function: cc('http://snomed.info/sct', '304292004', 'Surgeon'), actor: ref('Practitioner', `prac-${r.int(1, 40)}`) }],
    reasonCode: [{ text: r.pick(['Acute abdominal pain', 'Screening', 'Symptomatic disease']) }],
    outcome: cc('http://snomed.info/sct', '385669000', 'Successful'),
    note: [{ text: 'No complications. Patient tolerated the procedure well.' }],
  };
}

function medicationRequest(r, id, patientId) {
  const [code, display] = r.pick(MEDICATIONS);
  const authored = date(r, 2022, 2026);
  return {
    resourceType: 'MedicationRequest', id,
    text: narrative([['Medication', display], ['Authored on', authored], ['Dosage', 'One tablet by mouth daily'],
      ['Dispense', '30 tablets, 30 days'], ['Status', 'active']]),
    identifier: [{ use: 'official', system: 'http://www.bmc.nl/portal/prescriptions', value: `${r.int(10000000, 99999999)}` }],
    status: 'active',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: 'http://www.nlm.nih.gov/research/umls/rxnorm', code, display }], text: display },
    subject: ref('Patient', patientId),
    encounter: ref('Encounter', `enc-${r.int(1, 500)}`),
    authoredOn: authored,
    requester: ref('Practitioner', `prac-${r.int(1, 40)}`),
    dosageInstruction: [{
      sequence: 1, text: 'One tablet by mouth daily',
      timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } },
      route: cc('http://snomed.info/sct', '26643006', 'Oral route'),
      doseAndRate: [{ type: cc('http://terminology.hl7.org/CodeSystem/dose-rate-type', 'ordered', 'Ordered'),
        doseQuantity: { value: 1, unit: 'TAB', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', code: 'TAB' } }],
    }],
    dispenseRequest: { numberOfRepeatsAllowed: r.int(0, 5), quantity: { value: 30, unit: 'TAB', system: 'http://terminology.hl7.org/CodeSystem/v3-orderableDrugForm', code: 'TAB' },
      expectedSupplyDuration: { value: 30, unit: 'days', system: 'http://unitsofmeasure.org', code: 'd' } },
  };
}

function allergy(r, id, patientId) {
  const [code, display] = r.pick(ALLERGENS);
  const recorded = dateTime(r, 2015, 2026);
  return {
    resourceType: 'AllergyIntolerance', id,
    text: narrative([['Substance', display], ['Recorded', recorded], ['Clinical status', 'active'], ['Reaction', 'Reaction within an hour of exposure']]),
    clinicalStatus: cc('http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', 'active', 'Active'),
    verificationStatus: cc('http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', 'confirmed', 'Confirmed'),
    type: 'allergy',
    category: [r.pick(['food', 'medication', 'environment'])],
    criticality: r.pick(['low', 'high']),
    code: { coding: [{ system: 'http://snomed.info/sct', code, display }], text: display },
    patient: ref('Patient', patientId),
    recordedDate: recorded,
    recorder: ref('Practitioner', `prac-${r.int(1, 40)}`),
    reaction: [{ manifestation: [cc('http://snomed.info/sct', r.pick(['39579001', '271807003', '247472004']), undefined)],
      severity: r.pick(['mild', 'moderate', 'severe']), description: 'Reaction within an hour of exposure.' }],
  };
}

function immunization(r, id, patientId) {
  const [code, display] = r.pick(VACCINES);
  const when = date(r, 2015, 2026);
  return {
    resourceType: 'Immunization', id,
    text: narrative([['Vaccine', `${display} (CVX ${code})`], ['Given', when], ['Route', 'Injection, intramuscular'], ['Dose', '0.5 mL']]),
    status: 'completed',
    vaccineCode: { coding: [{ system: 'http://hl7.org/fhir/sid/cvx', code, display }], text: display },
    patient: ref('Patient', patientId),
    encounter: ref('Encounter', `enc-${r.int(1, 500)}`),
    occurrenceDateTime: when,
    primarySource: true,
    lotNumber: `L${r.int(1000, 9999)}${String.fromCharCode(65 + r.int(0, 25))}`,
    expirationDate: `${Number(when.slice(0, 4)) + 1}-12-31`,
    site: cc('http://terminology.hl7.org/CodeSystem/v3-ActSite', r.pick(['LA', 'RA']), undefined),
    route: cc('http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration', 'IM', 'Injection, intramuscular'),
    doseQuantity: { value: 0.5, unit: 'mL', system: 'http://unitsofmeasure.org', code: 'mL' },
    performer: [{ function: cc('http://terminology.hl7.org/CodeSystem/v2-0443', 'AP', 'Administering Provider'), actor: ref('Practitioner', `prac-${r.int(1, 40)}`) }],
  };
}

function bundle(r, id) {
  const pid = `pat-${id}`;
  // Adults only, so that no clinical date falls before the birth date.
  const entries = [patient(r, pid, pid, 2000), encounter(r, `enc-${id}`, pid), condition(r, `cond-${id}`, pid),
    observation(r, `obs-${id}-1`, pid), observation(r, `obs-${id}-2`, pid)];
  return {
    resourceType: 'Bundle', id, type: 'collection',
    timestamp: `${date(r, 2025, 2026)}T12:00:00Z`,
    entry: entries.map((resource) => ({ fullUrl: `http://example.org/fhir/${resource.resourceType}/${resource.id}`, resource })),
  };
}

// Typical mistakes, each [name, types it applies to, edit]. Structural ones break FHIR's rules
// (every validator should flag them); the others are valid FHIR that a clinical or coding check
// catches (only ehrlint flags those: the peers check structure only).
export const MISTAKES = [
  ['gender-abbreviated', ['Patient', 'Practitioner'], (x) => { x.gender = 'M'; }],
  ['birth-date-feb-30', ['Patient'], (x) => { x.birthDate = `${x.birthDate.slice(0, 4)}-02-30`; }],
  ['active-as-string', ['Patient', 'Practitioner'], (x) => { x.active = 'true'; }],
  ['unknown-property', ['Patient', 'Condition', 'Encounter'], (x) => { x.dob = '1970-01-01'; }],
  ['value-as-string', ['Observation'], (x) => { if (x.valueQuantity) x.valueQuantity.value = String(x.valueQuantity.value); else x.status = 'done'; }],
  ['status-missing', ['Observation', 'Encounter', 'Procedure', 'Immunization', 'MedicationRequest'], (x) => { delete x.status; }],
  ['bad-status-code', ['Condition'], (x) => { x.clinicalStatus.coding[0].code = 'current'; }],
  ['period-end-before-start', ['Encounter'], (x) => { x.period.end = '2019-01-01T00:00:00-05:00'; }],
  ['unit-mismatch', ['Observation'], (x) => { if (x.valueQuantity) x.valueQuantity.code = 'mm[Hg]'; }],
  ['value-implausible', ['Observation'], (x) => { if (x.valueQuantity) x.valueQuantity.value = x.valueQuantity.value * 40; }],
  ['icd10-unknown', ['Condition'], (x) => { x.code.coding[0].code = `${x.code.coding[0].code.slice(0, 3)}.Z9`; }],
  ['npi-check-digit', ['Practitioner'], (x) => { const v = x.identifier[0].value; x.identifier[0].value = v.slice(0, 9) + ((Number(v[9]) + 1) % 10); }],
  ['us-state-misspelled', ['Patient'], (x) => { x.address[0].state = 'Mass'; }],
  ['email-malformed', ['Patient', 'Practitioner'], (x) => { x.telecom.push({ system: 'email', value: 'name at example.com' }); }],
  ['date-in-future', ['Procedure', 'Immunization'], (x) => {
    if (x.performedPeriod) x.performedPeriod = { start: '2031-01-01T09:00:00-05:00', end: '2031-01-01T11:00:00-05:00' };
    else x.occurrenceDateTime = '2031-01-01';
  }],
];

const MIX = [['Patient', 15, patient], ['Practitioner', 5, practitioner], ['Encounter', 10, encounter],
  ['Condition', 15, condition], ['Observation', 30, observation], ['Procedure', 5, procedure],
  ['MedicationRequest', 8, medicationRequest], ['AllergyIntolerance', 4, allergy],
  ['Immunization', 4, immunization], ['Bundle', 4, null]];
const MIX_TOTAL = MIX.reduce((s, m) => s + m[1], 0);

/**
 * `n` records from `seed`: [{ resource, mistake }], `mistake` the name of the mistake put in
 * (MISTAKES) or null. Plain JSON objects (undefined members are dropped by a JSON round trip).
 */
export function generate(n, seed = 1) {
  const r = rng(seed);
  const out = [];
  for (let i = 0; i < n; i++) {
    let roll = r.next() * MIX_TOTAL;
    const [type, , make] = MIX.find((m) => (roll -= m[1]) < 0) ?? MIX[0];
    const id = `gen-${seed}-${i}`;
    const pid = `pat-${r.int(1, 2000)}`;
    let resource = JSON.parse(JSON.stringify(type === 'Bundle' ? bundle(r, id) : make(r, id, pid)));
    let mistake = null;
    if (r.chance(1 / 6)) {
      const fits = MISTAKES.filter(([, types]) => types.includes(type));
      if (fits.length > 0) {
        const [name, , edit] = r.pick(fits);
        edit(resource);
        resource = JSON.parse(JSON.stringify(resource));
        mistake = name;
      }
    }
    out.push({ resource, mistake });
  }
  return out;
}
