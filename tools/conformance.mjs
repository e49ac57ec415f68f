// Measures how often ehrlint agrees with the HL7 Java reference validator on the reference
// validator's own R4 test cases (HL7 FHIR/fhir-test-cases, stored read-only under
// ../shared/conformance/ beside the repository, see its README.md).
//
//   node tools/conformance.mjs                    table + summary on stdout
//   node tools/conformance.mjs --write            ... and write docs/conformance.md
//   node tools/conformance.mjs --min-agreement 60 exit 1 if fewer than 60 verdicts agree
//   node tools/conformance.mjs --cli PATH         use another ehrlint binary
//   node tools/conformance.mjs --cases DIR        use another copy of fhir-test-cases-r4/
//
// Needs the release CLI (scripts/build.sh, or `cargo build --release`). No npm dependencies.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Why ehrlint misses an error the reference validator reports: the first pattern that matches
// `<expected code>: <expected text>` wins, `$1`... are its groups. Ordered from specific to
// generic (e.g. txt-1 is about XHTML, ref-1 about contained references, before the generic
// "Constraint failed" rule). Extend at will.
const WHY = [
  [/UUIDs must be valid and lowercase|Canonical URLs must be absolute/, 'a canonical resource\'s own url is not checked as a canonical URL (systems that name code systems are)'],
  [/Unable to resolve resource with reference/, 'references outside a Bundle are not resolved (the HL7 validator ran this case with validateReference: CHECK_EXISTS_AND_TYPE)'],
  [/does not match the stated total number/, 'CodeSystem.count is not compared with its concepts'],
  [/Stated Attachment Size/, 'an Attachment\'s stated size is not compared with its data'],
  [/embedded HTML tag/, 'security check for HTML in strings not applied'],
  [/property|A property is already defined|The URI '[^']*concept-properties/, 'a property that names one of FHIR\'s concept properties (a concept-properties URI) is not checked against that property\'s type'],
  [/owning committee/, 'HL7\'s own publishing rules (owning committee) are not applied: they bind HL7 publications, not records'],
  [/Snapshot|snapshot|Slicing is not allowed|differential|has a Binding but the types/, 'StructureDefinitions are not snapshot-generated or checked as profiles'],
  [/search expression/, 'a SearchParameter\'s expression is not evaluated against its bases (its type and bases are compared with the core SearchParameter it derives from)'],
  [/Supplement|supplement/, 'a supplement\'s concepts are not checked against the code system it supplements (that needs the supplemented code system)'],
  [/filter parameter expression|expression language|not a valid FHIRPath/, 'the reference validator reports a filter value expression at the filter\'s value; ehrlint at the Expression\'s member (`_value.extension[n].valueExpression.expression`)'],
  [/XHTML|txt-1|narrative SHALL contain/, 'narrative XHTML content not checked'],
  [/could not be found so is not allowed|definition could not be found/i,
    'an extension with no definition is reported for information only (vendors define their own; raise extension-unknown with rules.severity)'],
  [/extension .* is not allowed to be used at this point/i,
    'extension contexts are checked for the FHIR R4 core extensions only (no external packages)'],
  [/The Extension '.*' definition allows/i, 'extension value type checked, but reported at the value (valueUri), not at the extension'],
  [/magic LOINC code|defined in the profile|\(from http:\/\/hl7\.org\/fhir\/StructureDefinition\/[a-z][\w-]*\|/,
    'profile (vital signs etc.) not applied'],
  [/contained resource|local reference|Unable to resolve resource with reference '#|ref-1/,
    'contained resources and local references not checked'],
  [/link relationship type/, "bundle-link-duplicate reports the repeated relation (Bundle.link[n].relation); the reference validator points at the link"],
  [/in the bundle \((Section Entry|Composition\.|MessageHeader)/,
    "the reference validator gives its document and message checks 1-based paths (Bundle.entry[1] for the first entry); ehrlint reports the reference where it is"],
  [/fullUrl|in (the )?bundle|Bundle entry|Relative Reference|Relative URLs must|Canonical URLs must|in resource 'urn:/i,
    'Bundle checks ehrlint does not make (a missing fullUrl, reference and canonical URL formats, narrative links, references outside a document\'s Composition)'],
  [/signature/i, 'digital signatures not verified'],
  [/Constraint failed: per-1/, 'per-1 is checked, but a date-only start against a same-day timed end may be in order: ehrlint does not flag it (the reference fails any comparison of unequal precisions)'],
  [/Constraint failed: ([\w.-]+)/, 'FHIR invariant $1 not evaluated'],
  [/No code provided, and a code is required/, 'a required code given only as extensions is found (code-missing), but not at this location'],
  [/^code-invalid:|^not-found:.*ValueSet|value set/i, 'value set bindings not checked'],
  [/embedded HTML tags/, 'security check for HTML in strings not applied'],
  [/Example URLs are not allowed/, 'example-URL rule not applied'],
  [/Experimental content/, 'experimental-content rule not applied'],
  [/must not contain a version|is fixed to/, 'a versioned extension url is reported at the url, not at the extension'],
];

// Cases selected: self-contained (no external package), not terminology-dependent, of any
// FHIR R4 resource type (ehrlint checks every one; the list is the model's).
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const RESOURCE_TYPES = new Set(
  JSON.parse(readFileSync(join(root, 'data', 'fhir-r4-model.json'), 'utf8')).types
    .filter((t) => t.kind === 'resource' && !t.abstract)
    .map((t) => t.name),
);

const USAGE = 'usage: node tools/conformance.mjs [--write] [--min-agreement N] [--cli PATH] [--cases DIR]';

function fail(message) {
  console.error(`conformance: ${message}`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = {
    write: false,
    minAgreement: null,
    cli: join(root, 'target', 'release', 'ehrlint'),
    cases: join(root, '..', 'shared', 'conformance', 'fhir-test-cases-r4'),
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => (i + 1 < argv.length ? argv[++i] : fail(`${arg} needs a value\n${USAGE}`));
    if (arg === '--write') opts.write = true;
    else if (arg === '--min-agreement') {
      const v = value();
      if (!/^\d+$/.test(v)) fail(`--min-agreement needs a whole number, got '${v}'`);
      opts.minAgreement = Number(v);
    } else if (arg === '--cli') opts.cli = value();
    else if (arg === '--cases') opts.cases = value();
    else if (arg === '-h' || arg === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown argument '${arg}'\n${USAGE}`);
  }
  return opts;
}

// ---- running ehrlint ------------------------------------------------------------------------

// Runs the CLI on one file and folds its per-resource lines into one result. Exit 0 and 1 are
// both normal outcomes; 2 means ehrlint could not read the input, which counts as "invalid".
function runEhrlint(cli, file) {
  const r = spawnSync(cli, ['validate', '--format', 'json', file], { encoding: 'utf8' });
  if (r.error) fail(`could not run ${cli}: ${r.error.message}`);
  if (r.status !== 0 && r.status !== 1 && r.status !== 2) {
    fail(`${cli} exited with ${r.status ?? r.signal} on ${file}: ${r.stderr.trim()}`);
  }
  const out = { valid: true, errors: [], inputError: null };
  for (const line of r.stdout.split('\n').filter((l) => l.trim())) {
    let rec;
    try {
      rec = JSON.parse(line);
    } catch {
      fail(`unexpected output from ${cli} on ${file}: ${line.slice(0, 200)}`);
    }
    if (rec.valid === false) out.valid = false;
    if (rec.error) out.inputError = rec.error;
    for (const issue of rec.issues ?? []) {
      if (issue.severity === 'error') out.errors.push(issue);
    }
  }
  if (r.status === 2) {
    out.valid = false;
    out.inputError ??= r.stderr.trim() || 'unreadable input';
  }
  return out;
}

// ---- locations ------------------------------------------------------------------------------

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

// Java's FHIRPath to ehrlint's style. Java marks nested resources with comments
// (`resource/*Composition/X*/.section`), which are dropped; it filters extensions with predicates
// (`extension[1][url='...']`), also dropped; and it writes a choice element as
// `value.ofType(Quantity)` where ehrlint uses the JSON name `valueQuantity`: rather than dropping
// the type (which would leave `value`, matching none of ehrlint's `valueX`), fold it into the name.
function normalizeExpected(expr) {
  return expr
    .replace(/\/\*.*?\*\//g, '')
    .replace(/\[[A-Za-z]+='[^']*'\]/g, '')
    .replace(/(\w+)\.ofType\((\w+)\)/g, (_, name, type) => name + cap(type));
}

// ehrlint follows the JSON: a primitive's id/extensions live under `_name`, which FHIRPath
// treats as the element `name` itself.
function normalizeEhrlint(expr) {
  return expr.replace(/(^|\.)_/g, '$1');
}

// `Bundle.entry[1].resource.code` -> ['Bundle', 'entry', '[1]', 'resource', 'code'].
const steps = (expr) => expr.match(/[^.[\]]+|\[[^\]]*\]/g) ?? [];

const mentions = (message, name) =>
  new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).test(message);

// Does ehrlint's error point at the expected location? Exactly, or one path is a prefix of the
// other at an element boundary. A validator that reports at the parent names the child in its
// message (Java: `Patient` "Unrecognized property 'foo'", ehrlint: `Patient.foo`), so every
// element name the deeper path adds must appear in the shallower side's message. Without that
// guard a bare `Observation` (Java's place for every missing element) would match any ehrlint
// error in the resource.
function locationMatches(expectedExpr, expectedText, issue) {
  const a = steps(normalizeExpected(expectedExpr));
  const b = steps(normalizeEhrlint(issue.expression));
  const [short, long, message] = a.length <= b.length ? [a, b, expectedText] : [b, a, issue.message];
  if (!short.every((s, i) => s === long[i])) return false;
  return long.slice(short.length).filter((s) => !s.startsWith('[')).every((name) => mentions(message, name));
}

// An expected error is found when any of its expressions matches any ehrlint error. An error
// without expression (a file the reference cannot parse) is found when ehrlint rejects the input.
function errorFound(expected, result) {
  const exprs = expected.expression ?? [];
  if (exprs.length === 0) return result.inputError !== null;
  return exprs.some((x) => result.errors.some((issue) => locationMatches(x, expected.text, issue)));
}

// ---- why ------------------------------------------------------------------------------------

// Why ehrlint reports an error the reference validator does not check at all, by code: a
// defect really in the test case that only ehrlint's rules see.
const ONLY_EHRLINT = {
  'npi-check-digit': 'made-up NPIs: the NPI check digit (Luhn over 80840 and the ten digits) fails, which the HL7 validator does not check',
};

// The first WHY pattern that matches.
function classify(expected, result) {
  const subject = `${expected.code}: ${expected.text}`;
  for (const [re, reason] of WHY) {
    const m = subject.match(re);
    if (m) return reason.replace(/\$(\d)/g, (_, i) => m[Number(i)] ?? '');
  }
  return 'not classified';
}

// The reasons ehrlint disagrees on a case (none when it fully agrees).
function why(c, all) {
  const r = c.result;
  if (r.inputError && c.resourceType !== '(unparseable JSON)') {
    const bom = readFileSync(c.path).subarray(0, 3).equals(Buffer.from([0xef, 0xbb, 0xbf]));
    return [`ehrlint rejects the file (${r.inputError})${bom ? ', which starts with a UTF-8 byte-order mark' : ''}`];
  }
  if (!c.expectedInvalid && !c.ehrlintValid) {
    const twin = all.find((o) => o !== c && o.file === c.file && o.expectedInvalid);
    if (twin) return [`same file as ${twin.name}, run by the reference with options ehrlint does not have`];
    const codes = [...new Set(r.errors.map((i) => i.code))];
    if (codes.every((code) => ONLY_EHRLINT[code])) return codes.map((code) => ONLY_EHRLINT[code]);
    return [`ehrlint-only errors: ${r.errors.map((i) => i.code).join(', ')}`];
  }
  if (c.expectedInvalid && c.ehrlintValid) {
    // The same record (the same file, or another file with the same text) that the reference
    // calls valid in another case: only the reference's options differ.
    const text = readFileSync(c.path, 'utf8');
    const twin = all.find((o) => o !== c && !o.expectedInvalid
      && (o.file === c.file || readFileSync(o.path, 'utf8') === text));
    if (twin) return [`same record as ${twin.name}, which the reference calls valid: run with options ehrlint does not have`];
  }
  const missed = c.expectedErrors.filter((e, i) => !c.found[i]);
  return [...new Set(missed.map((e) => classify(e, r)))];
}

// ---- the run --------------------------------------------------------------------------------

function loadCases(dir) {
  const indexPath = join(dir, 'index.json');
  if (!existsSync(indexPath)) fail(`no test-case index at ${indexPath}`);
  return JSON.parse(readFileSync(indexPath, 'utf8'))
    .filter((c) => c.selfContained === true && c.terminologyDependent === false && RESOURCE_TYPES.has(c.resourceType))
    .map((c) => ({ ...c, path: join(dir, c.file) }))
    .sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0));
}

function evaluate(c, cli) {
  const result = runEhrlint(cli, c.path);
  // Only errors (and fatals) make a record invalid; warnings never do.
  const expectedErrors = (c.expectedErrors ?? []).filter((e) => e.severity === 'error' || e.severity === 'fatal');
  const expectedInvalid = c.expectedErrorCount > 0;
  const ehrlintValid = result.valid;
  const verdictMatch = expectedInvalid === !ehrlintValid;
  const bothInvalid = expectedInvalid && !ehrlintValid;
  const found = bothInvalid ? expectedErrors.map((e) => errorFound(e, result)) : [];
  return { ...c, result, expectedErrors, expectedInvalid, ehrlintValid, verdictMatch, bothInvalid, found };
}

const verdict = (invalid, n) => (invalid ? `invalid (${n})` : 'valid');
const ehrlintCount = (r) => r.errors.length + (r.inputError ? 1 : 0);
const shorten = (s, n = 100) => (s.length > n ? `${s.slice(0, n)}…` : s);
const foundCount = (c) => c.found.filter(Boolean).length;
const locations = (c) => (c.bothInvalid ? `${foundCount(c)}/${c.found.length}` : '');

// What to show under a case whose verdict or locations disagree.
function details(c) {
  const exp = c.expectedErrors.map((e, i) => {
    const mark = c.bothInvalid ? (c.found[i] ? 'found  ' : 'missed ') : '';
    return `${mark}${(e.expression ?? []).join(', ') || '(no location)'}: ${shorten(e.text)}`;
  });
  const got = c.result.errors.map((i) => `${i.code} at ${i.expression}`);
  if (c.result.inputError) got.unshift(`input error: ${c.result.inputError}`);
  return { exp, got };
}

const disagrees = (c) => !c.verdictMatch || (c.bothInvalid && foundCount(c) < c.found.length);

function printTable(cases, summary) {
  const rows = cases.map((c) => [
    c.name, c.resourceType, verdict(c.expectedInvalid, c.expectedErrorCount),
    verdict(!c.ehrlintValid, ehrlintCount(c.result)), c.verdictMatch ? 'yes' : 'NO', locations(c),
  ]);
  const head = ['case', 'type', 'expected', 'ehrlint', 'verdict', 'locations'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const fmt = (r) => r.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd();
  console.log(fmt(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  cases.forEach((c, n) => {
    console.log(fmt(rows[n]));
    if (!disagrees(c)) return;
    const { exp, got } = details(c);
    for (const line of exp) console.log(`    expected: ${line}`);
    for (const line of got) console.log(`    ehrlint:  ${line}`);
    console.log(`    why:      ${c.why.join('; ')}`);
  });
  console.log('');
  console.log(summary);
}

function sourceCommit(dir) {
  for (const f of [join(dir, 'SOURCE.txt'), join(dir, '..', 'README.md')]) {
    const m = existsSync(f) && readFileSync(f, 'utf8').match(/\b[0-9a-f]{40}\b/);
    if (m) return m[0];
  }
  return 'unknown';
}

// Markdown table cells: no pipes, emphasis, HTML or entities (`&reg;` in a message), no line breaks.
const cell = (s) => s
  .replace(/[\\|*]/g, '\\$&')
  .replace(/&/g, '&amp;')
  .replace(/</g, '&lt;')
  .replace(/\n/g, ' ');

function writeDoc(cases, stats, opts) {
  const version = spawnSync(opts.cli, ['--version'], { encoding: 'utf8' }).stdout.trim() || 'ehrlint';
  const byType = {};
  for (const c of cases) byType[c.resourceType] = (byType[c.resourceType] ?? 0) + 1;
  const reasons = {};
  for (const c of cases.filter((c) => !c.verdictMatch)) for (const r of c.why) reasons[r] = (reasons[r] ?? 0) + 1;
  const lines = [
    '# Conformance with the HL7 reference validator',
    '',
    '<!-- Generated by `node tools/conformance.mjs --write`; do not edit by hand. -->',
    '',
    'How often ehrlint reaches the same verdict as the HL7 Java reference validator on that',
    "validator's own R4 test cases: [HL7 FHIR/fhir-test-cases](https://github.com/FHIR/fhir-test-cases),",
    `commit \`${sourceCommit(opts.cases)}\` (Apache-2.0), with the outcomes the Java validator records for them.`,
    '',
    'Selected: the cases whose files need no external profile or package (`selfContained`) and whose',
    'outcome does not depend on a terminology server, of every FHIR R4 resource type (ehrlint checks',
    'them all). Broken-JSON cases that the index lists as "(unparseable JSON)" are not among them.',
    '',
    `- Cases: ${cases.length} (${Object.entries(byType).sort().map(([t, n]) => `${t} ${n}`).join(', ')}); ` +
      `the reference calls ${stats.expectedInvalid} invalid and ${cases.length - stats.expectedInvalid} valid.`,
    `- **Verdict agreement: ${stats.agree}/${cases.length}** (both say valid, or both say invalid).`,
    `- **Expected error locations found: ${stats.found}/${stats.locations}**, over the ${stats.bothInvalid} cases both call invalid.`,
    `- Measured with ${version}.`,
    '',
    'A verdict is "invalid" when the record has at least one error (warnings do not count). An',
    "expected error's location is found when an ehrlint error points at the same element, or at its",
    "parent or child with the element's name in the message (Java reports a missing or unknown",
    "element at its parent and names it in the text); Java's `/*Type/id*/` markers and `[url='…']`",
    "filters are ignored, and `value.ofType(Quantity)` is read as ehrlint's `valueQuantity`.",
    '',
    `Reasons for the ${cases.length - stats.agree} verdict disagreements (a case may have several):`,
    '',
    ...Object.entries(reasons)
      .sort((x, y) => y[1] - x[1] || (x[0] < y[0] ? -1 : 1))
      .map(([r, n]) => `- ${r}: ${n}`),
    '',
    '## All cases',
    '',
    '"why" is classified automatically from the errors ehrlint did not match (see `WHY` in',
    '`tools/conformance.mjs`); it is filled for verdict disagreements and for missed locations.',
    '',
    '| case | type | expected | ehrlint | verdict match | locations found | why | expected errors | ehrlint errors |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const c of cases) {
    const { exp, got } = disagrees(c) ? details(c) : { exp: [], got: [] };
    const row = [
      c.name, c.resourceType, verdict(c.expectedInvalid, c.expectedErrorCount),
      verdict(!c.ehrlintValid, ehrlintCount(c.result)), '', locations(c),
      disagrees(c) ? c.why.join('; ') : '', exp.join('; '), got.join('; '),
    ].map(cell);
    row[4] = c.verdictMatch ? 'yes' : '**no**';
    lines.push(`| ${row.join(' | ')} |`);
  }
  lines.push(...exampleDefects());
  mkdirSync(join(root, 'docs'), { recursive: true });
  const target = join(root, 'docs', 'conformance.md');
  writeFileSync(target, `${lines.join('\n')}\n`);
  console.log(`wrote ${target}`);
}

// The official examples' own defects (tests/spec-examples-known.json, which the tests of the
// examples read too), grouped by reason.
function exampleDefects() {
  const known = JSON.parse(readFileSync(join(root, 'tests', 'spec-examples-known.json'), 'utf8'));
  const byReason = new Map();
  for (const k of known) {
    if (!byReason.has(k.reason)) byReason.set(k.reason, []);
    byReason.get(k.reason).push(k);
  }
  const igs = readFileSync(join(root, 'tools', 'ig-packages.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.trim() && !l.startsWith('#'))
    .map((l) => {
      const [name, version] = l.split(/\s+/);
      return `\`${name}\` ${version}`;
    });
  const out = [
    '',
    '## Defects in the official examples',
    '',
    'ehrlint gives none of the 5,306 examples of `hl7.fhir.r4.examples` 4.0.1 an error (Bundle',
    'entries included), nor any example or conformance resource of these Implementation Guide',
    `packages: ${igs.join(' and ')} (tools/ig-packages.txt; their own profiles are not`,
    'applied), except these defects really in them, each checked by hand (`cargo test --test',
    'spec_examples` fails on any other error, or if one of these is no longer found). A guide\'s',
    'files are named `package/file`. File and path may be patterns: `*` for any text within a',
    'name or step, `**` for any steps.',
    '',
  ];
  for (const [reason, list] of byReason) {
    out.push(`- ${reason}`);
    for (const k of list) out.push(`  - \`${k.file}\` \`${k.code}\` at \`${k.path}\``);
  }
  return out;
}

function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!existsSync(opts.cli)) fail(`no ehrlint CLI at ${opts.cli}: run scripts/build.sh first`);
  const cases = loadCases(opts.cases).map((c) => evaluate(c, opts.cli));
  for (const c of cases) c.why = why(c, cases);

  const bothInvalid = cases.filter((c) => c.bothInvalid);
  const stats = {
    agree: cases.filter((c) => c.verdictMatch).length,
    expectedInvalid: cases.filter((c) => c.expectedInvalid).length,
    bothInvalid: bothInvalid.length,
    found: bothInvalid.reduce((n, c) => n + foundCount(c), 0),
    locations: bothInvalid.reduce((n, c) => n + c.found.length, 0),
  };
  const summary = `conformance: verdict agreement ${stats.agree}/${cases.length}, ` +
    `expected error locations found ${stats.found}/${stats.locations}`;
  printTable(cases, summary);
  if (opts.write) writeDoc(cases, stats, opts);
  if (opts.minAgreement !== null && stats.agree < opts.minAgreement) {
    console.error(`conformance: verdict agreement ${stats.agree} is below --min-agreement ${opts.minAgreement}`);
    process.exit(1);
  }
}

main();
