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
   * Rule codes (`value-implausible`) or families (`accuracy`) that do not run.
   */
  disable?: Array<RuleCode | Category>;
  /**
   * Severity per rule code: `{"must-support-missing": "information"}`.
   */
  severity?: Partial<Record<RuleCode, Severity>>;
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
  | "choice-conflict"
  | "code-missing"
  | "code-system-mismatch"
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
  | "profile-required"
  | "required-choice"
  | "required-element"
  | "resource-type-missing"
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
  | "wrong-type";

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
