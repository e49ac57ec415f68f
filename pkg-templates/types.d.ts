// The types of the JS API, generated from the Rust types they describe (src/typescript.rs).
// Do not edit: change the Rust types, then run
// EHRLINT_WRITE_TYPES=1 cargo test --features typescript --test typescript

/**
 * How serious an issue is. A report is valid exactly when no issue is an error.
 */
export type Severity = "error" | "warning" | "information";

/**
 * The family of the check that found an issue (docs/rules.md).
 */
export type Category = "structure" | "completeness" | "accuracy" | "consistency";

/**
 * One defect, at the element that is wrong.
 */
export type Issue = {
  severity: Severity;
  category: Category;
  /**
   * Stable rule id (kebab-case), documented in the rules reference.
   */
  code: string;
  /**
   * JSON Pointer into the record, from the root of the input (Bundles included).
   */
  path: string;
  /**
   * FHIRPath-style location, e.g. `Bundle.entry[2].resource.code`.
   */
  expression: string;
  /**
   * Plain-language description with the fix, in the validator's locale.
   */
  message: string;
  /**
   * Machine-usable fixes, best first; absent when there are none.
   */
  suggestions?: Array<string>;
  /**
   * For an `invariant` issue, the key of the definitions' constraint that does not hold
   * (`per-1`, `obs-6`); absent otherwise.
   */
  invariant?: string;
};

/**
 * How many of the expected elements are present.
 */
export type Tally = {
  present: number;
  total: number;
};

/**
 * How complete a record is against FHIR R4 and the validator's profile.
 */
export type Completeness = {
  /**
   * 0 to 1: present elements over expected ones, a required element (FHIR's, the
   * profile's, or a conditional requirement that applies) weighing twice a must-support one.
   * 1 when nothing is expected.
   */
  score: number;
  /**
   * FHIR's required elements, the profile's, and the conditional requirements that apply.
   */
  required: Tally;
  /**
   * The profile's must-support elements.
   */
  mustSupport: Tally;
  /**
   * JSON Pointers of the expected elements that are missing, required ones first.
   */
  missing: Array<string>;
};

/**
 * What a validation found: the issues, errors first, and how complete the record is.
 */
export type Report = {
  /**
   * False exactly when some issue has severity error.
   */
  valid: boolean;
  /**
   * Errors first, then warnings, then information; each group in record order.
   */
  issues: Array<Issue>;
  completeness: Completeness;
};

/**
 * One record's outcome as JSON: its report's issues, or why it could not be checked (not
 * JSON, not a resource, over a limit).
 */
export type RecordOutcome = {
  resourceType: string;
  id: string | null;
  /**
   * No issue is an error.
   */
  valid: boolean;
  issues: Array<Issue>;
} | {
  valid: false;
  /**
   * Why the record could not be checked.
   */
  error: string;
};

/**
 * One line of NDJSON (`validateNdjson`), numbered from 1: its record's outcome. Blank lines are counted but not reported.
 */
export type NdjsonResult = {
  line: number;
} & RecordOutcome;

/**
 * What an edit (or a touch) changed in the issues to show, so that a form updates only the
 * fields concerned. Issues are split in two: `now`, about what is wrong in what was entered,
 * to show at once; and `later`, completeness issues about elements the user has not reached
 * yet (neither set nor touched), which are the rest of the form rather than mistakes: hold
 * them back until the user leaves a section (`touch`), asks to check or submits
 * (`touchAll`, or the whole `issues`).
 */
export type Change = {
  /**
   * Issues to show that the edit brought (into `now`).
   */
  added: Array<Issue>;
  /**
   * Issues shown before the edit that are gone from `now`.
   */
  removed: Array<Issue>;
  /**
   * The issues to show now: every issue but `later`.
   */
  now: Array<Issue>;
  /**
   * Completeness issues about elements not reached yet, held back.
   */
  later: Array<Issue>;
  /**
   * Every issue of the record: `now` and `later`, in report order.
   */
  issues: Array<Issue>;
};

/**
 * One code offered for what was typed.
 */
export type LookupResult = {
  /**
   * As coders write it: `E11.9`.
   */
  code: string;
  /**
   * The description, when the descriptions are loaded (ICD-10-CM billable codes).
   */
  display?: string;
  /**
   * A billable (valid, most specific) code on the day; a category is not.
   */
  billable: boolean;
};

/**
 * A FHIR R4 OperationOutcome: a report, or why an input could not be checked, in FHIR's form.
 */
export type OperationOutcome = {
  resourceType: "OperationOutcome";
  /**
   * One per issue of the report; a report without issues has one `informational` issue.
   */
  issue: Array<OutcomeIssue>;
};

/**
 * One issue of an OperationOutcome.
 */
export type OutcomeIssue = {
  severity: "fatal" | "error" | "warning" | "information";
  /**
   * The FHIR IssueType (http://hl7.org/fhir/valueset-issue-type.html).
   */
  code: string;
  details: OutcomeDetails;
  /**
   * Where, FHIRPath-style (the issue's `expression`).
   */
  expression?: Array<string>;
};

/**
 * An OperationOutcome issue's details: the rule code as a coding, and the message.
 */
export type OutcomeDetails = {
  /**
   * The rule code, under the system `urn:ehrlint:rule`.
   */
  coding?: Array<OutcomeCoding>;
  text: string;
};

export type OutcomeCoding = {
  system: string;
  code: string;
};

/**
 * Facts from outside the record, given with a call. An unknown key is refused.
 */
export type Context = {
  /**
   * Date of service, YYYY-MM-DD; default the record's own date, else today.
   */
  asOf?: string;
  /**
   * The patient, for age and sex edits (inside a Bundle, the Patient the record points to
   * wins).
   */
  patient?: { birthDate?: string, gender?: "male" | "female" | "other" | "unknown", };
  /**
   * For `validateField`: the record being edited, which supplies the other fields that its
   * rules across fields read. Ignored by the other calls.
   */
  record?: object;
  /**
   * The words your form uses for elements, by JSON Pointer from the root of the input
   * (`{"/birthDate": "Date of birth"}`): a message about a missing element names it by
   * these words, not its FHIR path (which stays in `path` and `expression`).
   */
  labels?: { [key in string]: string };
};

/**
 * The context of `validateField`: `record` holds the record being edited.
 */
export type FieldContext = Context;

/**
 * Options of `lookup`. An unknown key is refused.
 */
export type LookupOptions = {
  /**
   * At most this many results (default 20, at most 1,000).
   */
  limit?: number;
  /**
   * Only codes valid on this day (YYYY-MM-DD); default the options' `asOf`, else today.
   */
  asOf?: string;
};

/**
 * Validator options. An unknown key or a bad value is refused with an error naming it, so a
 * typo never silently does nothing.
 */
export type Options = {
  /**
   * The completeness profile: `"default"` (modelled on US Core; the default), `"none"`
   * (FHIR R4 alone) or a profile document (schemas/profile.schema.json, docs/profiles.md).
   * A bad profile is refused with a message saying what is wrong.
   */
  profile?: "default" | "none" | Profile;
  /**
   * Requirements added to the profile, in the format of a profile's `resources`:
   * `{"Patient": {"required": ["birthDate"]}}`.
   */
  require?: Profile["resources"];
  /**
   * Rules turned off (by code or family) and severities overridden per code.
   */
  rules?: RuleOptions;
  /**
   * The date of service (YYYY-MM-DD) when a call's context gives none: for batch work on
   * records of one day.
   */
  asOf?: string;
  /**
   * The language of issue messages: `"en"` (the default) or `"es"`; a region tag such as
   * `"es-MX"` picks its language. Issue codes, paths and suggestions are the same in every
   * locale.
   */
  locale?: "en" | "es" | `en-${string}` | `es-${string}`;
  /**
   * How large, deep, long-listed and long-stringed one input may be (docs/limits.md); over
   * a limit, the input is refused with an error naming it. The limits not given keep their
   * defaults.
   */
  limits?: Limits;
  /**
   * Implementation Guides whose profiles records may claim in `meta.profile`, over the
   * built-in US Core 6.1.0: each a guide compiled by `ehrlint ig pack` (its file's bytes, a
   * Uint8Array, in JS; its path on the command line), a package's path, .tgz or folder
   * (command line and Rust only), its resources as a list, or one resource. Their
   * StructureDefinitions are compiled when the validator is built; one that does not parse
   * or compile is refused then. The npm package's default browser build reads compiled
   * guides only; its Node build and `ehrlint/full` also read a guide's JSON.
   */
  ig?: Array<Uint8Array | ArrayBuffer | object | object[]>;
};

/**
 * The limits on one input. Each has a default chosen so that real records never reach it
 * (docs/limits.md gives the reasons); every one can be lowered or raised in the options, as
 * `{"maxBytes": 20000000}` (the ones not given keep their defaults).
 */
export type Limits = {
  /**
   * Most bytes (UTF-8) of one input: a record, one NDJSON line, or a value given to
   * `validateField` or a session. Default 10,000,000 (10 MB).
   */
  maxBytes?: number;
  /**
   * Deepest nesting of objects and arrays, the record itself being level 1. Default 64;
   * at most 100.
   */
  maxDepth?: number;
  /**
   * Most items of any one array. Default 100,000.
   */
  maxArrayLength?: number;
  /**
   * Longest string (a value or a property name), in characters. Default 10,000,000: as long
   * as a whole input may be, because FHIR sets no limit on base64Binary (an attachment's
   * `data`), and documents travel inline.
   */
  maxStringLength?: number;
};

/**
 * Which rules run and how severe their issues are (`Options.rules`), checked when the
 * validator is built: an unknown code is refused.
 */
export type RuleOptions = {
  /**
   * Rule codes (`value-implausible`), families (`accuracy`) or the keys of the
   * definitions' invariants (`dom-6`) that do not run.
   */
  disable?: Array<RuleCode | Category | InvariantKey>;
  /**
   * Severity per rule code or invariant key: `{"must-support-missing": "information"}`.
   */
  severity?: Partial<Record<RuleCode | InvariantKey, Severity>>;
};

/**
 * Every rule code (docs/rules.md): stable, for `Options.rules`.
 */
export type RuleCode =
  | "address-us-state"
  | "address-us-zip"
  | "attachment-size-mismatch"
  | "birth-date-in-future"
  | "birth-date-too-old"
  | "bundle-fullurl-duplicate"
  | "bundle-fullurl-invalid"
  | "bundle-fullurl-mismatch"
  | "bundle-link-duplicate"
  | "bundle-reference-ambiguous"
  | "bundle-reference-unresolved"
  | "capability-search-param"
  | "choice-conflict"
  | "code-missing"
  | "code-system-mismatch"
  | "codesystem-property-duplicate"
  | "codesystem-property-type"
  | "codesystem-supplement"
  | "coding-system-missing"
  | "conditional-required"
  | "cvx-format"
  | "date-before-birth"
  | "date-in-future"
  | "deceased-before-birth"
  | "diastolic-above-systolic"
  | "duplicate-property"
  | "empty-element"
  | "empty-value"
  | "excludes1-conflict"
  | "extension-content"
  | "extension-context"
  | "extension-modifier"
  | "extension-sub-unknown"
  | "extension-unknown"
  | "extension-url-version"
  | "extension-value-type"
  | "human-name-empty"
  | "icd10cm-not-billable"
  | "icd10cm-not-valid-on-date"
  | "icd10cm-unknown"
  | "icd10pcs-not-valid-on-date"
  | "icd10pcs-unknown"
  | "invalid-date"
  | "invalid-format"
  | "invalid-value"
  | "invariant"
  | "issued-before-effective"
  | "loinc-check-digit"
  | "mce-age-conflict"
  | "mce-sex-conflict"
  | "must-support-missing"
  | "ndc-ambiguous"
  | "ndc-format"
  | "npi-check-digit"
  | "onset-after-abatement"
  | "period-end-before-start"
  | "principal-duplicate"
  | "principal-external-cause"
  | "principal-manifestation"
  | "principal-unacceptable"
  | "profile-binding"
  | "profile-closed-slice"
  | "profile-max"
  | "profile-required"
  | "profile-type"
  | "profile-unknown"
  | "profile-value"
  | "required-choice"
  | "required-element"
  | "resource-type-missing"
  | "search-composite-components"
  | "search-derived-from"
  | "snomed-check-digit"
  | "string-too-long"
  | "system-not-absolute"
  | "telecom-email-format"
  | "telecom-phone-format"
  | "ucum-invalid"
  | "unit-mismatch"
  | "unknown-property"
  | "unknown-resource-type"
  | "value-implausible"
  | "value-impossible"
  | "value-out-of-range"
  | "valueset-filter-ecl"
  | "valueset-filter-expression"
  | "wrong-type";

/**
 * Every key of the FHIR R4 definitions' invariants (`invariant` issues), for `Options.rules`.
 */
export type InvariantKey =
  | "adf-0"
  | "age-1"
  | "ait-1"
  | "ait-2"
  | "app-1"
  | "app-2"
  | "app-3"
  | "app-4"
  | "apr-1"
  | "att-1"
  | "bdl-1"
  | "bdl-10"
  | "bdl-11"
  | "bdl-12"
  | "bdl-2"
  | "bdl-3"
  | "bdl-4"
  | "bdl-5"
  | "bdl-7"
  | "bdl-8"
  | "bdl-9"
  | "ces-1"
  | "cid-0"
  | "cmd-0"
  | "cmd-1"
  | "cmd-2"
  | "cmd-3"
  | "cmp-1"
  | "cmp-2"
  | "cnt-3"
  | "con-1"
  | "con-2"
  | "con-3"
  | "con-4"
  | "con-5"
  | "cpb-0"
  | "cpb-1"
  | "cpb-12"
  | "cpb-14"
  | "cpb-15"
  | "cpb-16"
  | "cpb-2"
  | "cpb-3"
  | "cpb-7"
  | "cpb-9"
  | "cpd-0"
  | "cpl-3"
  | "cpt-2"
  | "csd-0"
  | "csd-1"
  | "ctm-1"
  | "dis-1"
  | "dom-2"
  | "dom-3"
  | "dom-4"
  | "dom-5"
  | "dom-6"
  | "drq-1"
  | "drq-2"
  | "drt-1"
  | "ees-0"
  | "eld-1"
  | "eld-11"
  | "eld-12"
  | "eld-13"
  | "eld-14"
  | "eld-15"
  | "eld-16"
  | "eld-17"
  | "eld-18"
  | "eld-19"
  | "eld-2"
  | "eld-20"
  | "eld-21"
  | "eld-22"
  | "eld-3"
  | "eld-4"
  | "eld-5"
  | "eld-6"
  | "eld-7"
  | "eld-8"
  | "esc-0"
  | "evd-0"
  | "evi-0"
  | "evv-0"
  | "exp-1"
  | "fhs-1"
  | "fhs-2"
  | "gdf-0"
  | "gol-1"
  | "grp-1"
  | "ig-0"
  | "ig-1"
  | "ig-2"
  | "imm-1"
  | "imr-1"
  | "inv-1"
  | "inv-2"
  | "ipn-1"
  | "lib-0"
  | "lnk-1"
  | "lst-1"
  | "lst-2"
  | "lst-3"
  | "mad-1"
  | "md-1"
  | "mdd-1"
  | "mea-0"
  | "mea-1"
  | "mrp-1"
  | "mrp-2"
  | "msd-0"
  | "msq-3"
  | "msq-5"
  | "msq-6"
  | "nor-1"
  | "nsd-0"
  | "nsd-1"
  | "nsd-2"
  | "obs-3"
  | "obs-6"
  | "obs-7"
  | "opd-0"
  | "opd-1"
  | "opd-2"
  | "opd-3"
  | "org-1"
  | "org-2"
  | "org-3"
  | "pat-1"
  | "pdf-0"
  | "per-1"
  | "ppc-1"
  | "ppc-2"
  | "ppc-3"
  | "ppc-4"
  | "ppc-5"
  | "prr-1"
  | "qrs-1"
  | "qty-3"
  | "que-0"
  | "que-1"
  | "que-10"
  | "que-11"
  | "que-12"
  | "que-13"
  | "que-2"
  | "que-3"
  | "que-4"
  | "que-5"
  | "que-6"
  | "que-7"
  | "que-8"
  | "que-9"
  | "ras-1"
  | "ras-2"
  | "rat-1"
  | "red-0"
  | "ref-1"
  | "rng-2"
  | "rqg-1"
  | "rsd-0"
  | "rvs-0"
  | "sdf-0"
  | "sdf-1"
  | "sdf-10"
  | "sdf-11"
  | "sdf-14"
  | "sdf-15"
  | "sdf-15a"
  | "sdf-16"
  | "sdf-17"
  | "sdf-18"
  | "sdf-19"
  | "sdf-2"
  | "sdf-20"
  | "sdf-21"
  | "sdf-22"
  | "sdf-23"
  | "sdf-3"
  | "sdf-4"
  | "sdf-5"
  | "sdf-6"
  | "sdf-8"
  | "sdf-8a"
  | "sdf-8b"
  | "sdf-9"
  | "sev-1"
  | "smp-0"
  | "smp-1"
  | "smp-2"
  | "spd-0"
  | "spd-1"
  | "spd-2"
  | "tcp-0"
  | "tcp-1"
  | "tcp-2"
  | "tcp-3"
  | "tcp-4"
  | "tcp-5"
  | "tim-1"
  | "tim-10"
  | "tim-2"
  | "tim-4"
  | "tim-5"
  | "tim-6"
  | "tim-7"
  | "tim-8"
  | "tim-9"
  | "trd-1"
  | "trd-2"
  | "trd-3"
  | "tst-0"
  | "tst-1"
  | "tst-10"
  | "tst-11"
  | "tst-12"
  | "tst-13"
  | "tst-2"
  | "tst-3"
  | "tst-4"
  | "tst-5"
  | "tst-6"
  | "tst-7"
  | "tst-8"
  | "tst-9"
  | "vsd-0"
  | "vsd-1"
  | "vsd-10"
  | "vsd-2"
  | "vsd-3"
  | "vsd-6"
  | "vsd-9";

/**
 * A completeness profile: what a record must carry beyond FHIR R4, per resource type
 * (schemas/profile.schema.json; docs/profiles.md).
 */
export type Profile = {
  /**
   * A name for the profile, shown in messages.
   */
  id: string;
  $schema?: string;
  title?: string;
  description?: string;
  /**
   * Start from a built-in profile and add to it or relax it.
   */
  extends?: "default" | "none";
  /**
   * Severity of a missing required element (and of conditional requirements that name
   * none); default `"error"`, or the extended profile's.
   */
  requiredSeverity?: "error" | "warning";
  /**
   * Per resource type (`"Patient"`), its requirements.
   */
  resources: { [key in string]: ProfileResource };
};

/**
 * What a profile requires of one resource type. Element paths are written below the
 * resource: `name`, `name.family`, `effective[x]`.
 */
export type ProfileResource = {
  /**
   * Elements that must be present.
   */
  required?: Array<string>;
  /**
   * Elements that should be present: a warning when empty.
   */
  mustSupport?: Array<string>;
  /**
   * Requirements that apply when the record meets some tests.
   */
  conditional?: Array<ProfileConditional>;
  /**
   * Elements or conditional ids of the extended profile to drop.
   */
  relax?: Array<string>;
};

/**
 * A requirement that applies when every test of `when` holds.
 */
export type ProfileConditional = {
  id: string;
  when: Array<ProfileTest>;
  /**
   * The element required.
   */
  require: string;
  /**
   * Default: the profile's `requiredSeverity`.
   */
  severity?: "error" | "warning";
  message: ProfileMessage;
};

/**
 * A test of a conditional requirement: `path` and exactly one of `in`, `notIn`, `exists`.
 */
export type ProfileTest = {
  /**
   * Element path below the resource, e.g. `clinicalStatus.coding.code`.
   */
  path: string;
  /**
   * The element has one of these values.
   */
  in?: Array<string>;
  /**
   * The element has none of these values.
   */
  notIn?: Array<string>;
  /**
   * The element is present (true) or absent (false).
   */
  exists?: boolean;
};

/**
 * A profile's message: one text, or one per locale (`{"en": "...", "es": "..."}`); a locale
 * the profile lacks gets the English text.
 */
export type ProfileMessage = string | {
  [key in string]: string;
};
