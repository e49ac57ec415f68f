// Serves a folder on 127.0.0.1 with a strict Content-Security-Policy: the demo runs with no
// inline script and no eval ('wasm-unsafe-eval' only lets WebAssembly compile).
// Usage: node tools/serve.mjs DIR [PORT]   (PORT 0: any free port; the address is printed)
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';

const dir = resolve(process.argv[2] ?? 'www');
const port = Number(process.argv[3] ?? process.env.PORT ?? 8080);
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
};

const server = createServer(async (req, res) => {
  const headers = {
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': 'no-cache',
  };
  try {
    const url = new URL(req.url ?? '/', `http://${host}`);
    let path = normalize(join(dir, decodeURIComponent(url.pathname)));
    if (path !== dir && !path.startsWith(dir + sep)) throw new Error('outside');
    if ((await stat(path)).isDirectory()) path = join(path, 'index.html');
    const body = await readFile(path);
    res.writeHead(200, { ...headers, 'Content-Type': TYPES[extname(path)] ?? 'application/octet-stream' });
    res.end(req.method === 'HEAD' ? undefined : body);
  } catch {
    res.writeHead(404, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
    res.end('Not found\n');
  }
});

server.on('error', (e) => {
  console.error(`ehrlint demo: cannot listen on ${host}:${port}: ${e.message} (set PORT to another port)`);
  process.exit(2);
});
server.listen(port, host, () => {
  console.log(`ehrlint demo: http://${host}:${server.address().port}/  (Ctrl-C to stop)`);
});
