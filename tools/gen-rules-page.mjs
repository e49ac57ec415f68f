// The demo page's rules reference (rules.html): one section per rule, anchored `#<code>`, from
// the same doc comments as docs/rules.md (tools/gen-rules-doc.mjs), so every message on the
// page links to the words its rule's source file carries. No script; styled by the page's CSS.
// Usage: node tools/gen-rules-page.mjs OUT.html [STYLESHEET-HREF [ICON-HREF]]  (also imported: rulesPage())
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FAMILIES, readRules } from './gen-rules-doc.mjs';

const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The small Markdown the rule docs use: paragraphs, lists, fenced code, `code`, **bold**, links. */
function inline(text) {
  return escape(text)
    .replace(/`([^`]+)`/g, '<code>$1</code>')
    .replace(/\*\*([^*]+)\*\*/g, '<strong>$1</strong>')
    .replace(/\[([^\]]+)\]\((https?:[^)\s]+)\)/g, '<a href="$2">$1</a>');
}

function markdown(md) {
  const out = [];
  const blocks = md.split(/\n(?=```)|(?<=```)\n/);
  for (const block of blocks) {
    if (block.startsWith('```')) {
      const body = block.replace(/^```[^\n]*\n?/, '').replace(/\n?```$/, '');
      out.push(`<pre><code>${escape(body)}</code></pre>`);
      continue;
    }
    for (const para of block.split(/\n\s*\n/)) {
      const lines = para.trim().split('\n');
      if (!lines[0]) continue;
      if (lines.every((l) => /^\s*[-*] /.test(l) || /^\s{2,}/.test(l))) {
        const items = [];
        for (const l of lines) {
          if (/^\s*[-*] /.test(l)) items.push(l.replace(/^\s*[-*] /, ''));
          else items[items.length - 1] += ` ${l.trim()}`;
        }
        out.push(`<ul>${items.map((i) => `<li>${inline(i)}</li>`).join('')}</ul>`);
      } else {
        out.push(`<p>${inline(lines.join(' '))}</p>`);
      }
    }
  }
  return out.join('\n');
}

const SEVERITY = { error: '✖ Error', warning: '⚠ Warning', information: 'ℹ Note' };

/** The whole page as HTML text. */
export function rulesPage(stylesheet = 'rules.css', icon = undefined) {
  const rules = readRules();
  const rows = rules.map((r) => `<tr><td><a href="#${r.code}"><code>${r.code}</code></a></td><td>${r.family}</td>`
    + `<td class="sev-${r.severity}">${SEVERITY[r.severity] ?? r.severity}</td><td>${escape(r.title ?? '')}</td></tr>`);
  const sections = rules.map((r) => `<section id="${r.code}" class="rule" aria-labelledby="h-${r.code}">
<h3 id="h-${r.code}"><code>${r.code}</code></h3>
<p class="facts">Family: <strong>${r.family}</strong>. Default severity: <strong class="sev-${r.severity}">${SEVERITY[r.severity] ?? r.severity}</strong>${r.severityNote ? ` (${inline(r.severityNote)})` : ''}. Source: <code>${r.file}</code>.</p>
${markdown(r.doc)}
</section>`);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>ehrlint rules reference</title>
<link rel="stylesheet" href="${stylesheet}">${icon ? `\n<link rel="icon" href="${icon}" type="image/svg+xml">` : ''}
</head>
<body class="rules-page">
<header class="top"><p><a href="./">← Back to the encounter form</a></p><h1>ehrlint rules reference</h1>
<p>Every check ehrlint runs, in four families (${FAMILIES.join(', ')}). Generated from the doc comment beside each rule's code, so it says what the code does. Issue codes are stable: a code is never renamed or reused.</p></header>
<main>
<h2>All rules</h2>
<table class="rules"><thead><tr><th scope="col">Code</th><th scope="col">Family</th><th scope="col">Default severity</th><th scope="col">What it checks</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody></table>
<h2>Each rule</h2>
${sections.join('\n')}
</main>
</body>
</html>
`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const out = process.argv[2] ?? 'rules.html';
  writeFileSync(out, rulesPage(process.argv[3], process.argv[4]));
  console.log(`wrote ${out}`);
}
