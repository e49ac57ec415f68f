// Serves a folder on 127.0.0.1 with a strict Content-Security-Policy: the demo runs with no
// inline script and no eval ('wasm-unsafe-eval' only lets WebAssembly compile).
// Usage: node tools/serve.mjs [DIR] [PORT]   (DIR: target/www, the built demo page; PORT 0: any
// free port; the address is printed)
// Also imported by the consumer tests: serve(dir) starts the same server and resolves to
// { url, close }.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';

const gzip = promisify(gzipCallback);

const host = '127.0.0.1';

export const CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.md': 'text/markdown; charset=utf-8',
  '.tsv': 'text/tab-separated-values; charset=utf-8',
};

// Compressed once per file version, as a production server or CDN would send them: the demo's
// transferred size is then what an embedder's users download.
const zipped = new Map();
async function gzipped(path, body, mtimeMs) {
  const key = `${path}:${mtimeMs}`;
  if (!zipped.has(key)) zipped.set(key, gzip(body, { level: 9 }));
  return zipped.get(key);
}

// Where browsers report CSP violations when serve() is given onViolation.
const REPORTS = '/__csp-report';

function handler(dir, onViolation) {
  const csp = onViolation ? `${CSP}; report-uri ${REPORTS}` : CSP;
  return async (req, res) => {
    if (onViolation && req.method === 'POST' && req.url === REPORTS) {
      let body = '';
      for await (const chunk of req) body += chunk;
      try {
        onViolation(JSON.parse(body)['csp-report'] ?? JSON.parse(body));
      } catch {
        onViolation({ unreadable: body });
      }
      res.writeHead(204);
      res.end();
      return;
    }
    const headers = {
      'Content-Security-Policy': csp,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    };
    try {
      const url = new URL(req.url ?? '/', `http://${host}`);
      let path = normalize(join(dir, decodeURIComponent(url.pathname)));
      if (path !== dir && !path.startsWith(dir + sep)) throw new Error('outside');
      if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
      const { mtimeMs } = await stat(path);
      let body = await readFile(path);
      const type = TYPES[extname(path)];
      const fileHeaders = { ...headers, 'Content-Type': type ?? 'application/octet-stream', Vary: 'Accept-Encoding' };
      if (type && body.length > 1024 && /\bgzip\b/.test(req.headers['accept-encoding'] ?? '')) {
        body = await gzipped(path, body, mtimeMs);
        fileHeaders['Content-Encoding'] = 'gzip';
      }
      res.writeHead(200, { ...fileHeaders, 'Content-Length': body.length });
      res.end(req.method === 'HEAD' ? undefined : body);
    } catch {
      res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
    }
  };
}

/**
 * Serves `dir` on 127.0.0.1:`port` (0: any free port). With `onViolation`, the CSP also asks
 * browsers to report violations (pages and workers alike), and each report is passed to it.
 */
export function serve(dir, port = 0, { onViolation } = {}) {
  const server = createServer(handler(resolve(dir), onViolation));
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => {
      done({
        server,
        url: `http://${host}:${server.address().port}/`,
        close: () => new Promise((closed) => server.close(() => closed())),
      });
    });
  });
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
  serve(process.argv[2] ?? 'target/www', port).then(
    ({ url }) => console.log(`ehrlint demo: ${url}  (Ctrl-C to stop)`),
    (e) => {
      console.error(`ehrlint demo: cannot listen on ${host}:${port}: ${e.message} (set PORT to another port)`);
      process.exit(2);
    },
  );
}
