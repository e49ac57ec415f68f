// What the consumer tests (tests/consumers/) share: a fresh project that installs the packed
// tarball and nothing else, Vite and webpack 5 builds run through their Node APIs from
// tools/node_modules with that project as root, and Debian's Chromium driven by playwright-core
// on the project's output, served by tools/serve.mjs with its strict Content-Security-Policy.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve } from './serve.mjs';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const version = JSON.parse(readFileSync(join(root, 'target', 'npm', 'ehrlint', 'package.json'), 'utf8')).version;
export const tarball = join(root, 'target', 'npm', `ehrlint-${version}.tgz`);
// npm's cache for these installs, kept between runs.
const npmCache = join(root, 'target', 'npm-cache');

/**
 * A fresh project target/consumers/NAME (emptied first): copies the folder `from`, writes
 * `files` ({ path: text }), then `npm install`s the packed tarball into it (unless `install`
 * is false). Returns its path.
 */
export function project(name, { from, files = {}, install = true } = {}) {
  const dir = join(root, 'target', 'consumers', name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  if (from) cpSync(from, dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  if (!install) return dir;
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error',
    '--cache', npmCache, tarball], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}

/**
 * `vite build` of the project (its index.html) into dir/dist, with no configuration file.
 * Resolves to the warnings Vite printed.
 */
export async function viteBuild(dir) {
  const { build, createLogger } = await import('vite');
  const logger = createLogger('warn');
  const warnings = [];
  const warn = logger.warn;
  logger.warn = (msg, options) => {
    warnings.push(msg);
    warn(msg, options);
  };
  logger.warnOnce = logger.warn;
  await build({ root: dir, configFile: false, logLevel: 'warn', customLogger: logger });
  return warnings;
}

/**
 * webpack 5 in production mode, configured with its entry and output only: src/main.js into
 * dir/dist (main.js and assets). Rejects on errors; resolves to the warnings.
 */
export async function webpackBuild(dir) {
  const { default: webpack } = await import('webpack');
  const compiler = webpack({
    mode: 'production',
    context: dir,
    entry: './src/main.js',
    output: { path: join(dir, 'dist') },
  });
  try {
    const stats = await new Promise((done, fail) => compiler.run((e, s) => (e ? fail(e) : done(s))));
    const info = stats.toJson({ all: false, errors: true, warnings: true });
    if (stats.hasErrors()) throw new Error(info.errors.map((e) => e.message).join('\n'));
    return stats.compilation.warnings;
  } finally {
    await new Promise((done) => compiler.close(done));
  }
}

/**
 * Debian's Chromium (/usr/bin/chromium) driven by playwright-core, headless, with the flags that
 * work on these machines, on the fresh profile folder `profile`: a persistent browser context.
 */
export async function launchChromium(profile, options = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...options,
  });
}

/**
 * Opens `dir` (served with the strict CSP) in Chromium and waits until the page sets
 * body[data-status]. Resolves to { status, text (of #out), errors, workers }: errors lists every
 * console error (page and workers), uncaught exception, failed request, HTTP error and CSP
 * violation seen; workers counts the Web Workers the page started. A CSP violation report
 * is sent by the browser on its own: `until(errors)`, if given, is awaited (up to 10 s) before
 * the page is closed.
 */
export async function openInChromium(dir, { until } = {}) {
  const errors = [];
  // Violations in workers reach no page listener: the browser's own reports catch them.
  const reported = (r) => {
    const where = r['source-file'] ? ` in ${r['source-file']}` : '';
    errors.push(`CSP violation reported: ${r['violated-directive']} blocked ${r['blocked-uri'] || 'inline code'}${where}`);
  };
  const server = await serve(dir, 0, { onViolation: reported });
  const profile = mkdtempSync(join(tmpdir(), 'ehrlint-chromium-'));
  let context;
  try {
    context = await launchChromium(profile);
    let workers = 0;
    await context.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (e) => {
        console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline code'}`);
      });
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const consoleError = (where) => (msg) => {
      if (msg.type() === 'error') errors.push(`${where} console: ${msg.text()}`);
    };
    page.on('console', consoleError('page'));
    page.on('worker', (worker) => {
      workers += 1;
      worker.on('console', consoleError('worker'));
    });
    page.on('pageerror', (e) => errors.push(`uncaught: ${e.message}`));
    page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on('response', (r) => {
      if (r.status() >= 400) errors.push(`HTTP ${r.status()}: ${r.url()}`);
    });
    await page.goto(server.url);
    await page.waitForSelector('body[data-status]', { state: 'attached', timeout: 60_000 });
    for (const end = Date.now() + 10_000; until && !until(errors) && Date.now() < end;) {
      await new Promise((wake) => setTimeout(wake, 50));
    }
    const status = await page.getAttribute('body', 'data-status');
    const text = await page.textContent('#out');
    return { status, text, errors, workers };
  } finally {
    await context?.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

/** A fixture record as a JavaScript module (`export default { name: record, ... }`). */
export function recordsModule(records) {
  return `// Records with known issues (tests/fixtures), written by the consumer test.\nexport default ${JSON.stringify(records)};\n`;
}
