// Case 5c: bundle size — esbuild --bundle --minify --format=esm of each library's full API, plus its .wasm, raw and gzip.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { table, num, advantage } from '../lib/markdown.mjs';
import { deltaflowRoot } from '../lib/snapshot.mjs';

// 40 KiB held the MLP engine; the image layers add about 8, the tfjs-style API and checked options about 9,
// the sequence layers (Embedding, 1-D, recurrent) about 7 (scripts/runtimes/matrix.mjs has the same budget).
export const TARGET_GZIP_KB = 70;
const root = fileURLToPath(new URL('../../', import.meta.url));
const require = createRequire(import.meta.url);
const gzip = (buf) => zlib.gzipSync(buf, { level: 9 }).length;

async function bundle(contents) {
  const out = await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'js' },
    bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent', metafile: true,
    external: ['node:*'], // deltaflow's Node-only file loading is a dynamic import of node:fs
  });
  const inputs = Object.values(out.metafile.outputs)[0].inputs;
  const largest = Object.entries(inputs).map(([file, v]) => [file, v.bytesInOutput]).sort((a, b) => b[1] - a[1]);
  return Object.assign(Buffer.from(out.outputFiles[0].contents), { largest });
}

const file = (p) => fs.readFileSync(p);
const parts = (list) => list.map(([name, buf]) => ({ name, raw: buf.length, gzip: gzip(buf), ...(buf.largest && { largest: buf.largest.slice(0, 8) }) }));

/** Runs in the parent (no engine executes). Entries re-export the whole API so nothing is tree-shaken away. */
export async function runInParent() {
  const df = deltaflowRoot();
  const wasmDir = fileURLToPath(new URL('dist/', `file://${require.resolve('@tensorflow/tfjs-backend-wasm/package.json')}`));
  const wasm = ['build/deltaflow.wasm', file(`${df}build/deltaflow.wasm`)];
  // The package's training-only entry ('deltaflow/core' → dist/core.js), when the build has one.
  const core = fs.existsSync(`${df}dist/core.js`) && parts([['JS: `export * from \'deltaflow/dist/core.js\'`', await bundle(`export * from ${JSON.stringify(`${df}dist/core.js`)};`)], wasm]);
  return {
    deltaflow: parts([['JS: `export * from \'deltaflow/dist/index.js\'`', await bundle(`export * from ${JSON.stringify(`${df}dist/index.js`)};`)], wasm]),
    ...(core && { 'deltaflow/core': core }),
    'tfjs-wasm': parts([
      ['JS: tfjs-core + tfjs-layers + tfjs-backend-wasm', await bundle("import * as core from '@tensorflow/tfjs-core'; import * as layers from '@tensorflow/tfjs-layers'; import * as wasm from '@tensorflow/tfjs-backend-wasm'; export { core, layers, wasm };")],
      ['tfjs-backend-wasm-simd.wasm', file(`${wasmDir}tfjs-backend-wasm-simd.wasm`)],
    ]),
    brain: parts([['brain.js/browser.min.js (its browserify dist, gpu.js included)', file(require.resolve('brain.js/browser.min.js'))]]),
  };
}

export function render(result) {
  const total = (name) => result[name]?.reduce((s, p) => ({ raw: s.raw + p.raw, gzip: s.gzip + p.gzip }), { raw: 0, gzip: 0 });
  const dfTotal = total('deltaflow');
  const rows = [];
  for (const name of Object.keys(result)) {
    for (const p of result[name]) rows.push([name, p.name, num(p.raw / 1024, 1), num(p.gzip / 1024, 1), '']);
    const t = total(name);
    const target = name.startsWith('deltaflow') ? `≤ ${TARGET_GZIP_KB} KB gzip: ${t.gzip / 1024 <= TARGET_GZIP_KB ? '✅ met' : '❌ not met'}` : `deltaflow ${advantage(dfTotal.gzip, t.gzip, false)} smaller`;
    rows.push([`**${name}**`, '**total JS + WASM**', `**${num(t.raw / 1024, 1)}**`, `**${num(t.gzip / 1024, 1)}**`, target]);
  }
  // Where deltaflow's minified JS comes from (esbuild metafile), so a size regression points at its source.
  const dfJs = result.deltaflow?.find((p) => p.largest);
  const strip = (f) => f.replace(/^.*?node_modules\/deltaflow\//, '').replace(/^.*?\/dist\//, 'dist/');
  const largest = dfJs ? dfJs.largest.map(([f, b]) => `${strip(f)} ${num(b / 1024, 1)} KB`).join(', ') : '';
  return [
    '## 5c. Bundle size (KB = 1024 bytes; gzip level 9)',
    '',
    'esbuild `bundle, minify, format esm, platform browser`, `node:*` external; each file gzipped separately. `deltaflow` is the whole package entry (dist/index.js, as the issue\'s budget was set); `deltaflow/core` its training-only entry, when the build has one.',
    '',
    table(['library', 'file', 'raw KB', 'gzip KB', 'target / comparison'], rows),
    ...(largest ? ['', `Largest contributors to deltaflow's minified JS (bytes in output, before gzip): ${largest}.`] : []),
  ].join('\n');
}
