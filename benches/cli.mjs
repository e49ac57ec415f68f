// Native CLI throughput on a large NDJSON file: `ehrlint validate --format json|text FILE`,
// output to /dev/null, in MB/s (file bytes ÷ wall time), median of a few runs, unpinned and
// pinned to one core with `taskset -c 0` (when there is a taskset).
//
//   node benches/cli.mjs            a file of at least 100 MB, 3 runs each; target/bench/cli.json
//   node benches/cli.mjs --quick    10 MB, 1 run each; target/bench/cli-quick.json
// Options: --size-mb N, --runs N. Run after scripts/build.sh (target/release/ehrlint).
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from './records.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'target', 'release', 'ehrlint');
const examplesDir = join(root, 'tools', 'node_modules', 'hl7.fhir.r4.examples');
const AS_OF = '2026-04-01';

const argv = process.argv.slice(2);
const quick = argv.includes('--quick');
const opt = (name, dflt) => {
  const i = argv.indexOf(name);
  return i >= 0 ? Number(argv[i + 1]) : dflt;
};
const sizeMB = opt('--size-mb', quick ? 10 : 100);
const runsEach = opt('--runs', quick ? 1 : 3);

if (!existsSync(bin)) throw new Error(`${bin} is missing: run scripts/build.sh first`);

// The file: the spec examples of every resource type up to 64 KB (the multi-megabyte
// definition Bundles are not records) and 2,000 generated records, repeated to the size.
const lines = [];
for (const f of readdirSync(examplesDir).sort()) {
  if (!f.endsWith('.json') || f === 'package.json') continue;
  const value = JSON.parse(readFileSync(join(examplesDir, f), 'utf8'));
  if (typeof value.resourceType !== 'string') continue;
  const line = JSON.stringify(value);
  if (line.length <= 64 * 1024) lines.push(line);
}
const specCount = lines.length;
for (const { resource } of generate(2000, 7)) lines.push(JSON.stringify(resource));
const block = `${lines.join('\n')}\n`;
const blockBytes = Buffer.byteLength(block);
const copies = Math.ceil((sizeMB * 1e6) / blockBytes);
const file = join(root, 'target', 'bench', quick ? 'records-quick.ndjson' : 'records.ndjson');
mkdirSync(dirname(file), { recursive: true });
writeFileSync(file, block.repeat(copies));
const fileBytes = statSync(file).size;
const composition = `${specCount} spec examples up to 64 KB and 2,000 generated records, the set repeated ${copies} times`;

/** Seconds of CPU used by this process's waited-for children (Linux: /proc/self/stat). */
function childCpuSeconds() {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // Fields 16 and 17 (cutime, cstime), counted from after the command name: indices 13, 14.
    const ticks = Number(getconf('CLK_TCK') ?? 100);
    return (Number(f[13]) + Number(f[14])) / ticks;
  } catch {
    return null;
  }
}
let clk;
function getconf(name) {
  if (clk === undefined) {
    const r = spawnSync('getconf', [name], { encoding: 'utf8' });
    clk = r.status === 0 ? r.stdout.trim() : null;
  }
  return clk;
}

/** Busy CPU time of the whole machine in seconds (Linux /proc/stat, steal included). */
function machineBusySeconds() {
  try {
    const [, user, nice, system, , , irq, softirq, steal] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
    return (user + nice + system + irq + softirq + steal) / 100; // USER_HZ
  } catch {
    return null;
  }
}

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
const runs = [];
// What other work took of the machine meanwhile: all busy time minus the CLI's own.
const busy0 = machineBusySeconds();
const cpuStart = childCpuSeconds();
const wallStart = performance.now();
for (const format of ['json', 'text']) {
  for (const pinned of hasTaskset ? [false, true] : [false]) {
    const cmd = [...(pinned ? ['taskset', '-c', '0'] : []), bin, 'validate', '--format', format, '--as-of', AS_OF, file];
    const walls = [];
    const cpus = [];
    for (let i = 0; i < runsEach; i++) {
      const devnull = openSync('/dev/null', 'w');
      const cpu0 = childCpuSeconds();
      const t0 = performance.now();
      const r = spawnSync(cmd[0], cmd.slice(1), { stdio: ['ignore', devnull, 'pipe'] });
      const wall = (performance.now() - t0) / 1000;
      const cpu1 = childCpuSeconds();
      closeSync(devnull);
      // Exit 1 means some record has errors (the file holds typical mistakes): expected.
      if (r.status !== 0 && r.status !== 1) throw new Error(`${cmd.join(' ')} exited ${r.status}: ${r.stderr}`);
      walls.push(wall);
      if (cpu0 != null && cpu1 != null) cpus.push(cpu1 - cpu0);
    }
    const medianSeconds = median(walls);
    const cpu = cpus.length ? median(cpus) : null;
    runs.push({ format, pinned, walls, medianSeconds, medianMBs: fileBytes / 1e6 / medianSeconds,
      cpuSeconds: cpu, mbPerCpuSecond: cpu ? fileBytes / 1e6 / cpu : null });
    process.stderr.write(`[cli] --format ${format}${pinned ? ' (taskset -c 0)' : ''}: ${(fileBytes / 1e6 / medianSeconds).toFixed(0)} MB/s\n`);
  }
}

const busy1 = machineBusySeconds();
const cpuEnd = childCpuSeconds();
const otherCpuShare = [busy0, busy1, cpuStart, cpuEnd].includes(null) ? null
  : Math.max(0, (busy1 - busy0 - (cpuEnd - cpuStart)) / (((performance.now() - wallStart) / 1000) * os.cpus().length));

const commit = (() => {
  const g = spawnSync('git', ['-C', root, 'describe', '--always', '--dirty'], { encoding: 'utf8' });
  return g.status === 0 ? g.stdout.trim() : 'unknown';
})();
const result = {
  kind: 'cli', quick, started: new Date().toISOString(), commit, command: `ehrlint validate --format json|text --as-of ${AS_OF} FILE.ndjson`,
  file: file.slice(root.length + 1), fileBytes, lines: lines.length * copies, composition, runsEach, otherCpuShare, runs,
};
const out = join(root, 'target', 'bench', quick ? 'cli-quick.json' : 'cli.json');
writeFileSync(out, `${JSON.stringify(result, null, 1)}\n`);
process.stderr.write(`[cli] wrote ${out}\n`);
