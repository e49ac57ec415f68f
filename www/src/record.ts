// The encounter record the form edits: a FHIR R4 Bundle with one entry per resource at a fixed
// index (so that every form field has a fixed JSON Pointer), and the fields that write into it.

export const ICD10CM = 'http://hl7.org/fhir/sid/icd-10-cm';
export const ICD10PCS = 'http://www.cms.gov/Medicare/Coding/ICD10';
export const NPI = 'http://hl7.org/fhir/sid/us-npi';
export const UCUM = 'http://unitsofmeasure.org';
const LOINC = 'http://loinc.org';
const MRN = 'http://hospital.example.org/mrn';

const ref = (reference: string) => ({ reference });
const vitalsCategory = [{
  coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'vital-signs', display: 'Vital Signs' }],
}];
const loinc = (code: string, display: string) => ({ coding: [{ system: LOINC, code, display }], text: display });
const vital = (id: string, code: string, display: string, extra: object = {}) => ({
  resourceType: 'Observation', id, status: 'final', category: vitalsCategory, code: loinc(code, display),
  subject: ref('Patient/pat-1'), encounter: ref('Encounter/enc-1'), ...extra,
});
const condition = (id: string) => ({
  resourceType: 'Condition', id,
  clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
  verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
  category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'encounter-diagnosis' }] }],
  subject: ref('Patient/pat-1'), encounter: ref('Encounter/enc-1'),
});
const billing = { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/diagnosis-role', code: 'billing', display: 'Billing' }] };
const component = (code: string, display: string) => ({ code: loinc(code, display) });

/** Entry indices in the Bundle. */
export const E = {
  patient: 0, practitioner: 1, encounter: 2, dx1: 3, dx2: 4, dx3: 5, procedure: 6,
  heartRate: 7, bloodPressure: 8, temperature: 9, height: 10, weight: 11, medication: 12, allergy: 13,
} as const;

/** The Implementation Guides the page offers: each resource of the record claims its guide's
 * profile for it (by resource type, and a vital sign by its LOINC code), and is checked
 * against it. US Core is built into ehrlint's full build; IPS is loaded compiled
 * (guides/ips-2.0.0.pack, written by `ehrlint ig pack`). */
export type Guide = 'none' | 'us-core' | 'ips';

const US_CORE = 'http://hl7.org/fhir/us/core/StructureDefinition/';
const IPS = 'http://hl7.org/fhir/uv/ips/StructureDefinition/';
const R4 = 'http://hl7.org/fhir/StructureDefinition/';
const PROFILES: Record<Exclude<Guide, 'none'>, Record<string, string>> = {
  'us-core': {
    Patient: `${US_CORE}us-core-patient`, Practitioner: `${US_CORE}us-core-practitioner`,
    Encounter: `${US_CORE}us-core-encounter`, Condition: `${US_CORE}us-core-condition-encounter-diagnosis`,
    Procedure: `${US_CORE}us-core-procedure`, MedicationRequest: `${US_CORE}us-core-medicationrequest`,
    AllergyIntolerance: `${US_CORE}us-core-allergyintolerance`,
    '8867-4': `${US_CORE}us-core-heart-rate`, '85354-9': `${US_CORE}us-core-blood-pressure`,
    '8310-5': `${US_CORE}us-core-body-temperature`, '8302-2': `${US_CORE}us-core-body-height`,
    '29463-7': `${US_CORE}us-core-body-weight`,
  },
  // IPS profiles these resources; its vital signs are FHIR R4's own profiles.
  ips: {
    Patient: `${IPS}Patient-uv-ips`, Practitioner: `${IPS}Practitioner-uv-ips`, Condition: `${IPS}Condition-uv-ips`,
    Procedure: `${IPS}Procedure-uv-ips`, MedicationRequest: `${IPS}MedicationRequest-uv-ips`,
    AllergyIntolerance: `${IPS}AllergyIntolerance-uv-ips`,
    '8867-4': `${R4}heartrate`, '85354-9': `${R4}bp`, '8310-5': `${R4}bodytemp`, '8302-2': `${R4}bodyheight`,
    '29463-7': `${R4}bodyweight`,
  },
};

/** The profile `guide` gives `resource`, if any. */
function profileOf(guide: Guide, resource: Record<string, unknown>): string | undefined {
  if (guide === 'none') return undefined;
  const code = (resource.code as { coding?: { code?: string }[] } | undefined)?.coding?.[0]?.code;
  const byCode = resource.resourceType === 'Observation' && code ? PROFILES[guide][code] : undefined;
  return byCode ?? PROFILES[guide][resource.resourceType as string];
}

/** The Bundle with nothing typed yet: what the form cannot leave out (ids, references, codes),
 * each resource claiming the profile `guide` gives it. */
export function emptyBundle(guide: Guide = 'none'): { resourceType: 'Bundle'; type: string; entry: { fullUrl: string; resource: Record<string, unknown> }[] } {
  const resources: Record<string, unknown>[] = [
    { resourceType: 'Patient', id: 'pat-1' },
    { resourceType: 'Practitioner', id: 'prac-1' },
    {
      resourceType: 'Encounter', id: 'enc-1', status: 'finished', subject: ref('Patient/pat-1'),
      participant: [{ individual: ref('Practitioner/prac-1') }],
      diagnosis: [1, 2, 3].map((rank) => ({ condition: ref(`Condition/dx-${rank}`), use: billing, rank })),
    },
    condition('dx-1'), condition('dx-2'), condition('dx-3'),
    { resourceType: 'Procedure', id: 'proc-1', status: 'completed', subject: ref('Patient/pat-1'), encounter: ref('Encounter/enc-1') },
    vital('hr-1', '8867-4', 'Heart rate'),
    vital('bp-1', '85354-9', 'Blood pressure panel with all children optional', {
      component: [component('8480-6', 'Systolic blood pressure'), component('8462-4', 'Diastolic blood pressure')],
    }),
    vital('temp-1', '8310-5', 'Body temperature'),
    vital('height-1', '8302-2', 'Body height'),
    vital('weight-1', '29463-7', 'Body weight'),
    {
      resourceType: 'MedicationRequest', id: 'med-1', status: 'active', intent: 'order',
      subject: ref('Patient/pat-1'), encounter: ref('Encounter/enc-1'), requester: ref('Practitioner/prac-1'),
    },
    {
      resourceType: 'AllergyIntolerance', id: 'allergy-1',
      clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical', code: 'active' }] },
      verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: 'confirmed' }] },
      patient: ref('Patient/pat-1'),
    },
  ];
  for (const resource of resources) {
    const profile = profileOf(guide, resource);
    if (profile) resource.meta = { profile: [profile] };
  }
  return {
    resourceType: 'Bundle', type: 'collection',
    entry: resources.map((resource) => ({ fullUrl: `urn:ehrlint-demo:${resource.resourceType}/${resource.id}`, resource })),
  };
}

export type Kind = 'text' | 'number' | 'date' | 'select' | 'code';

/** One form field: where it writes in the Bundle and how its text becomes a FHIR value. */
export interface Field {
  /** Unique id of the input. */
  id: string;
  label: string;
  /** The element path (the input's `name`), e.g. `Patient.birthDate`. */
  name: string;
  entry: number;
  /** JSON Pointers (inside the resource) this field writes; the first is where its issues land. */
  pointer: string;
  /** Where the value is written, if not at `pointer` (e.g. the whole Quantity). */
  writes?: string;
  kind: Kind;
  hint?: string;
  options?: [string, string][];
  /** Lookup system for autocomplete. */
  lookup?: 'icd10cm' | 'icd10pcs';
  /** The FHIR value for the text typed (undefined: remove the element). */
  value: (text: string, form: (id: string) => string) => unknown;
  /** Other entries the same value is written to, at the same pointer (e.g. every vital sign's time). */
  alsoEntries?: number[];
}

export interface Section {
  id: string;
  title: string;
  fields: Field[];
}

const text = (t: string) => (t.trim() === '' ? undefined : t.trim());
const number = (t: string) => {
  const s = t.trim();
  if (s === '') return undefined;
  const n = Number(s);
  return Number.isFinite(n) ? n : s;
};
const quantity = (unit: string, code = unit) => (t: string) => {
  const value = number(t);
  return value === undefined ? undefined : { value, unit, system: UCUM, code };
};
const icd = (system: string) => (t: string) => {
  const code = text(t);
  return code === undefined ? undefined : { coding: [{ system, code }] };
};
const at = (entry: number, pointer: string) => `/entry/${entry}/resource${pointer}`;

const dx = (n: 1 | 2 | 3, entry: number): Field => ({
  id: `dx${n}`, label: n === 1 ? 'Principal diagnosis (ICD-10-CM)' : `Secondary diagnosis ${n - 1} (ICD-10-CM)`,
  name: 'Condition.code', entry, pointer: '/code/coding/0/code', writes: '/code', kind: 'code', lookup: 'icd10cm',
  hint: n === 1 ? 'Type a code or words (e.g. E11.9 or “type 2 diabetes”)' : undefined, value: icd(ICD10CM),
});

const temperatureUnits: [string, string][] = [['Cel', '°C'], ['[degF]', '°F']];

export const SECTIONS: Section[] = [
  {
    id: 'patient', title: 'Patient', fields: [
      { id: 'family', label: 'Family name', name: 'Patient.name.family', entry: E.patient, pointer: '/name/0/family', kind: 'text', value: text },
      { id: 'given', label: 'Given name', name: 'Patient.name.given', entry: E.patient, pointer: '/name/0/given', kind: 'text', value: (t) => (text(t) === undefined ? undefined : [t.trim()]) },
      {
        id: 'gender', label: 'Gender', name: 'Patient.gender', entry: E.patient, pointer: '/gender', kind: 'select', value: text,
        options: [['', 'Choose…'], ['female', 'Female'], ['male', 'Male'], ['other', 'Other'], ['unknown', 'Unknown']],
      },
      { id: 'birthDate', label: 'Birth date', name: 'Patient.birthDate', entry: E.patient, pointer: '/birthDate', kind: 'date', hint: 'YYYY-MM-DD', value: text },
      {
        id: 'mrn', label: 'Medical record number', name: 'Patient.identifier.value', entry: E.patient, pointer: '/identifier/0/value', writes: '/identifier', kind: 'text',
        value: (t) => (text(t) === undefined ? undefined : [{ system: MRN, value: t.trim() }]),
      },
    ],
  },
  {
    id: 'attending', title: 'Attending practitioner', fields: [
      { id: 'practitioner', label: 'Attending’s family name', name: 'Practitioner.name.family', entry: E.practitioner, pointer: '/name/0/family', kind: 'text', value: text },
      {
        id: 'npi', label: 'NPI', name: 'Practitioner.identifier.value', entry: E.practitioner, pointer: '/identifier/0/value', writes: '/identifier', kind: 'text', hint: '10 digits',
        value: (t) => (text(t) === undefined ? undefined : [{ system: NPI, value: t.trim() }]),
      },
    ],
  },
  {
    id: 'encounter', title: 'Encounter', fields: [
      {
        id: 'class', label: 'Class', name: 'Encounter.class', entry: E.encounter, pointer: '/class', kind: 'select',
        options: [['', 'Choose…'], ['AMB', 'Ambulatory'], ['EMER', 'Emergency'], ['IMP', 'Inpatient'], ['OBSENC', 'Observation']],
        value: (t) => (text(t) === undefined ? undefined : { system: 'http://terminology.hl7.org/CodeSystem/v3-ActCode', code: t }),
      },
      {
        id: 'type', label: 'Type', name: 'Encounter.type', entry: E.encounter, pointer: '/type', kind: 'select',
        options: [['', 'Choose…'], ['185349003', 'Encounter for check up'], ['50849002', 'Emergency room admission'], ['32485007', 'Hospital admission']],
        value: (t) => (text(t) === undefined ? undefined : [{ coding: [{ system: 'http://snomed.info/sct', code: t }] }]),
      },
      { id: 'start', label: 'Start', name: 'Encounter.period.start', entry: E.encounter, pointer: '/period/start', kind: 'date', hint: 'YYYY-MM-DD or YYYY-MM-DDThh:mm:ss±hh:mm', value: text },
      { id: 'end', label: 'End', name: 'Encounter.period.end', entry: E.encounter, pointer: '/period/end', kind: 'date', hint: 'YYYY-MM-DD', value: text },
    ],
  },
  { id: 'diagnoses', title: 'Diagnoses (principal first)', fields: [dx(1, E.dx1), dx(2, E.dx2), dx(3, E.dx3)] },
  {
    id: 'procedure', title: 'Procedure', fields: [
      { id: 'pcs', label: 'Procedure (ICD-10-PCS)', name: 'Procedure.code', entry: E.procedure, pointer: '/code/coding/0/code', writes: '/code', kind: 'code', lookup: 'icd10pcs', hint: '7 characters, e.g. 0DTJ4ZZ', value: icd(ICD10PCS) },
      { id: 'performed', label: 'Performed on', name: 'Procedure.performedDateTime', entry: E.procedure, pointer: '/performedDateTime', kind: 'date', hint: 'YYYY-MM-DD', value: text },
    ],
  },
  {
    id: 'vitals', title: 'Vital signs', fields: [
      {
        id: 'vitalsTime', label: 'Taken at', name: 'Observation.effectiveDateTime', entry: E.heartRate, pointer: '/effectiveDateTime', kind: 'date', hint: 'YYYY-MM-DD or YYYY-MM-DDThh:mm:ss±hh:mm',
        alsoEntries: [E.bloodPressure, E.temperature, E.height, E.weight], value: text,
      },
      { id: 'hr', label: 'Heart rate (/min)', name: 'Observation.valueQuantity.value', entry: E.heartRate, pointer: '/valueQuantity/value', writes: '/valueQuantity', kind: 'number', value: quantity('/min') },
      { id: 'systolic', label: 'Systolic blood pressure (mm Hg)', name: 'Observation.component.valueQuantity.value', entry: E.bloodPressure, pointer: '/component/0/valueQuantity/value', writes: '/component/0/valueQuantity', kind: 'number', value: quantity('mm[Hg]') },
      { id: 'diastolic', label: 'Diastolic blood pressure (mm Hg)', name: 'Observation.component.valueQuantity.value', entry: E.bloodPressure, pointer: '/component/1/valueQuantity/value', writes: '/component/1/valueQuantity', kind: 'number', value: quantity('mm[Hg]') },
      {
        id: 'temp', label: 'Body temperature', name: 'Observation.valueQuantity.value', entry: E.temperature, pointer: '/valueQuantity/value', writes: '/valueQuantity', kind: 'number',
        value: (t, form) => quantity(form('tempUnit') === '[degF]' ? '[degF]' : 'Cel')(t),
      },
      {
        id: 'tempUnit', label: 'Temperature unit', name: 'Observation.valueQuantity.code', entry: E.temperature, pointer: '/valueQuantity/code', writes: '/valueQuantity', kind: 'select',
        options: temperatureUnits, value: (_t, form) => quantity(form('tempUnit') === '[degF]' ? '[degF]' : 'Cel')(form('temp')),
      },
      { id: 'height', label: 'Height (cm)', name: 'Observation.valueQuantity.value', entry: E.height, pointer: '/valueQuantity/value', writes: '/valueQuantity', kind: 'number', value: quantity('cm') },
      { id: 'weight', label: 'Weight (kg)', name: 'Observation.valueQuantity.value', entry: E.weight, pointer: '/valueQuantity/value', writes: '/valueQuantity', kind: 'number', value: quantity('kg') },
    ],
  },
  {
    id: 'medication', title: 'Medication', fields: [
      { id: 'med', label: 'Medication', name: 'MedicationRequest.medicationCodeableConcept', entry: E.medication, pointer: '/medicationCodeableConcept', kind: 'text', hint: 'e.g. metformin 500 mg tablet', value: (t) => (text(t) === undefined ? undefined : { text: t.trim() }) },
      { id: 'dosage', label: 'Dosage', name: 'MedicationRequest.dosageInstruction.text', entry: E.medication, pointer: '/dosageInstruction/0/text', writes: '/dosageInstruction', kind: 'text', value: (t) => (text(t) === undefined ? undefined : [{ text: t.trim() }]) },
    ],
  },
  {
    id: 'allergy', title: 'Allergy', fields: [
      { id: 'allergen', label: 'Substance', name: 'AllergyIntolerance.code', entry: E.allergy, pointer: '/code', kind: 'text', hint: 'e.g. penicillin', value: (t) => (text(t) === undefined ? undefined : { text: t.trim() }) },
      {
        id: 'criticality', label: 'Criticality', name: 'AllergyIntolerance.criticality', entry: E.allergy, pointer: '/criticality', kind: 'select', value: text,
        options: [['', 'Choose…'], ['low', 'Low'], ['high', 'High'], ['unable-to-assess', 'Unable to assess']],
      },
    ],
  },
];

export const FIELDS: Field[] = SECTIONS.flatMap((s) => s.fields);

/** Each entry of the Bundle, in the form's words (for issues that belong to no one field). */
export const ENTRY_NAMES: Record<number, string> = {
  [E.patient]: 'Patient', [E.practitioner]: 'Attending practitioner', [E.encounter]: 'Encounter',
  [E.dx1]: 'Principal diagnosis', [E.dx2]: 'Secondary diagnosis 1', [E.dx3]: 'Secondary diagnosis 2',
  [E.procedure]: 'Procedure', [E.heartRate]: 'Heart rate', [E.bloodPressure]: 'Blood pressure',
  [E.temperature]: 'Body temperature', [E.height]: 'Height', [E.weight]: 'Weight',
  [E.medication]: 'Medication', [E.allergy]: 'Allergy',
};

/**
 * The form's words for the elements it writes, by JSON Pointer in the Bundle (the session's
 * `labels`): a message about a missing element names it by its field's label. Elements that
 * hold several fields (a name) or that a field writes in one of several forms (the vital
 * signs' effective[x]) are named too.
 */
export function labels(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of FIELDS) {
    if (f.id === 'tempUnit') continue;
    for (const path of [...issuePaths(f), ...writePaths(f)]) out[path] = f.label;
  }
  out[at(E.patient, '/name')] = 'Patient’s name';
  out[at(E.practitioner, '/name')] = 'Attending’s name';
  for (const e of [E.heartRate, E.bloodPressure, E.temperature, E.height, E.weight]) out[at(e, '/effective[x]')] = 'Taken at';
  for (const e of [E.heartRate, E.temperature, E.height, E.weight]) out[at(e, '/value[x]')] = ENTRY_NAMES[e];
  out[at(E.medication, '/medication[x]')] = 'Medication';
  out[at(E.medication, '/authoredOn')] = 'Date prescribed';
  out[at(E.encounter, '/period')] = 'Encounter start and end';
  // Elements the form has no field for: named all the same.
  out[at(E.patient, '/telecom')] = 'Patient’s phone or email';
  out[at(E.patient, '/address')] = 'Patient’s address';
  return out;
}
/** The full JSON Pointer (in the Bundle) where a field's issues land. */
export const issuePath = (f: Field) => at(f.entry, f.pointer);
/** Every full JSON Pointer where a field's issues land (one per entry it writes). */
export const issuePaths = (f: Field) => [f.entry, ...(f.alsoEntries ?? [])].map((e) => at(e, f.pointer));
/** Every full JSON Pointer a field writes. */
export const writePaths = (f: Field) => [f.entry, ...(f.alsoEntries ?? [])].map((e) => at(e, f.writes ?? f.pointer));

/** A sample encounter, with two slips a clinician could make (a category code, °F typed as °C). */
export const SAMPLE: Record<string, string> = {
  family: 'Rivera', given: 'Ana', gender: 'female', birthDate: '1961-04-17', mrn: 'MRN-204518',
  practitioner: 'Okafor', npi: '1234567893',
  class: 'AMB', type: '185349003', start: '2025-03-04', end: '2025-03-04',
  dx1: 'E11', dx2: 'I10', dx3: '',
  pcs: '', performed: '',
  vitalsTime: '2025-03-04T09:20:00-05:00', hr: '78', systolic: '138', diastolic: '86', temp: '98.6', tempUnit: 'Cel', height: '164', weight: '71.5',
  med: 'metformin 500 mg tablet', dosage: 'one tablet twice a day with meals',
  allergen: 'penicillin', criticality: 'high',
};
