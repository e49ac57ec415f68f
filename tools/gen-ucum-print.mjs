// Builds data/ucum-print.tsv (kind TAB code TAB print symbol, kind `prefix` or `unit`, sorted): how people write each
// UCUM prefix and unit (Cel as °C, [degF] as °F, m[Hg] as m Hg, u as μ), from the printSymbol
// of every prefix and unit in UCUM's ucum-essence.xml (../shared/data/ucum/, version 2.2, the
// file the ucum-units crate is built from). Markup is dropped and entities decoded; units
// without a printSymbol are left out (they are written as their code).
//   node tools/gen-ucum-print.mjs           writes the file
//   node tools/gen-ucum-print.mjs --check   fails if the committed file differs
import { writeOrCheck } from './generated.mjs';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const source = join(root, '..', 'shared', 'data', 'ucum', 'ucum-essence.xml');
const out = join(root, 'data', 'ucum-print.tsv');

const xml = readFileSync(source, 'utf8');
const version = /<root[^>]*\bversion="([^"]+)"/.exec(xml)?.[1];
if (version !== '2.2') throw new Error(`expected UCUM essence version 2.2, found ${version}`);
const rows = new Map();
for (const m of xml.matchAll(/<(prefix|base-unit|unit)\s[^>]*?\bCode="([^"]*)"[^>]*>([\s\S]*?)<\/\1>/g)) {
  const [, element, code, body] = m;
  const kind = element === 'prefix' ? 'prefix' : 'unit';
  const symbol = /<printSymbol>([\s\S]*?)<\/printSymbol>/.exec(body)?.[1];
  if (symbol === undefined) continue;
  const text = symbol
    .replace(/<[^>]+>/g, '')
    .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
    .replace(/\u00a0/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (!text || /[\t\n&<>]/.test(text)) continue;
  const key = `${kind}\t${code}`;
  if (rows.has(key) && rows.get(key) !== text) throw new Error(`two print symbols for ${kind} ${code}`);
  rows.set(key, text);
}
const text = [...rows]
  .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
  .map(([code, symbol]) => `${code}\t${symbol}\n`)
  .join('');
writeOrCheck(out, text, 'node tools/gen-ucum-print.mjs', ` (${rows.size} prefixes and units)`);
