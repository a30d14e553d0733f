// `npm run playground`: builds, then serves playground/dist on 127.0.0.1 and prints the URL.
// PORT=… picks the port (default 8080, or the next free one). serve() is also used by the e2e test.
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, dist } from './build.mjs';

const types = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.wasm': 'application/wasm',
  '.map': 'application/json',
  '.gz': 'application/octet-stream',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
};

/** Serves `dir` on 127.0.0.1; resolves to { server, url }. Port 0 picks a free one. */
export function serve(dir = dist, port = 8080, { tries = 20 } = {}) {
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    let file = normalize(join(dir, path));
    if (!file.startsWith(normalize(dir + sep)) && file !== normalize(dir)) return void res.writeHead(403).end();
    if (existsSync(file) && statSync(file).isDirectory()) file = join(file, 'index.html');
    if (!existsSync(file)) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    res.writeHead(200, {
      'content-type': types[extname(file)] ?? 'application/octet-stream',
      'cache-control': 'no-cache',
      // Cross-origin isolation (SharedArrayBuffer for a future threaded mode); see playground/README.md.
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-embedder-policy': 'require-corp',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    const attempt = (p, left) => {
      server.once('error', (e) => (e.code === 'EADDRINUSE' && left > 0 ? attempt(p + 1, left - 1) : reject(e)));
      server.listen(p, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${server.address().port}/` }));
    };
    attempt(port, port === 0 ? 0 : tries);
  });
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await build();
  const { url } = await serve(dist, Number(process.env.PORT ?? 8080));
  console.log(`\n  deltaflow playground: ${url}\n  (Ctrl+C to stop)\n`);
}
