// Case 5c: bundle size — esbuild --bundle --minify --format=esm of each library's full API, plus its .wasm, raw and gzip;
// and a browser app importing 'deltaflow' by name that only trains and predicts, as a user bundles it (issue 16's
// ≤ 40 KB gzip with the .wasm: what is left once the CSV, plot and save/load code tree-shake away).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { table, num, advantage } from '../lib/markdown.mjs';
import { deltaflowRoot } from '../lib/snapshot.mjs';

// 40 KiB held the MLP engine; the image layers add about 8, the tfjs-style API and checked options about 9,
// the sequence layers (Embedding, 1-D, recurrent) about 7 (scripts/runtimes/matrix.mjs has the same budget).
export const TARGET_GZIP_KB = 70;
/** Issue 16: a train+predict app, JS + .wasm. */
export const APP_TARGET_GZIP_KB = 40;
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

// The train+predict app: ready, a 784-128-10 model, fit, predict; nothing from df.io, df.data or df.plot.
const APP = `import * as df from 'deltaflow';
await df.ready();
const model = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })] });
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
const x = { data: new Float32Array(32 * 784), shape: [32, 784] };
const y = { data: new Float32Array(32 * 10).map((_, i) => (i % 10 === 0 ? 1 : 0)), shape: [32, 10] };
await model.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
document.body.textContent = String(model.predict(x).dataSync()[0]);
`;

/**
 * The app bundled with esbuild (minify, esm, browser) from a folder whose node_modules/deltaflow is the
 * package measured, so 'deltaflow' resolves through its exports and sideEffects as in a user's project:
 * one file (esbuild's default), and with code splitting, where the first load is the entry and its static
 * imports and the save code is a chunk fetched by model.save().
 */
async function appBundles(pkgRoot) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaflow-bench-app-'));
  try {
    fs.mkdirSync(path.join(dir, 'node_modules'));
    fs.symlinkSync(pkgRoot, path.join(dir, 'node_modules', 'deltaflow'), 'dir');
    fs.writeFileSync(path.join(dir, 'app.mjs'), APP);
    const opts = { entryPoints: [path.join(dir, 'app.mjs')], absWorkingDir: dir, bundle: true, minify: true, format: 'esm', platform: 'browser', write: false, logLevel: 'silent', metafile: true, outdir: path.join(dir, 'out') };
    const one = await esbuild.build(opts);
    const split = await esbuild.build({ ...opts, splitting: true });
    const byPath = Object.fromEntries(split.outputFiles.map((f) => [path.relative(dir, f.path), Buffer.from(f.contents)]));
    const outputs = split.metafile.outputs;
    const entry = Object.keys(outputs).find((f) => outputs[f].entryPoint);
    const first = new Set();
    const visit = (f) => {
      if (first.has(f)) return;
      first.add(f);
      for (const i of outputs[f].imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
    };
    visit(entry);
    const gz = (files) => files.reduce((s, f) => s + gzip(byPath[f]), 0);
    const raw = (files) => files.reduce((s, f) => s + byPath[f].length, 0);
    const later = Object.keys(byPath).filter((f) => f.endsWith('.js') && !first.has(f));
    const oneBuf = Buffer.from(one.outputFiles[0].contents);
    return {
      single: { raw: oneBuf.length, gzip: gzip(oneBuf) },
      splitFirst: { raw: raw([...first]), gzip: gz([...first]), files: first.size },
      splitLater: { raw: raw(later), gzip: gz(later), files: later.length },
      ...(await viteBundle(dir)),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same app through `vite build` (its defaults: minified, code-split, the .wasm files emitted as assets
 * from their `new URL(…, import.meta.url)`): the first load is the entry chunk and what it imports
 * statically. Undefined where Vite is not installed.
 */
async function viteBundle(dir) {
  let vite;
  try {
    vite = await import('vite');
  } catch {
    return {};
  }
  const out = await vite.build({ root: dir, configFile: false, logLevel: 'silent', build: { write: false, target: 'es2022', modulePreload: false, rollupOptions: { input: path.join(dir, 'app.mjs') } } });
  const chunks = (Array.isArray(out) ? out : [out]).flatMap((r) => r.output).filter((o) => o.type === 'chunk');
  const byName = Object.fromEntries(chunks.map((c) => [c.fileName, c]));
  const first = new Set();
  const visit = (name) => {
    if (first.has(name) || !byName[name]) return;
    first.add(name);
    for (const i of byName[name].imports) visit(i);
  };
  for (const c of chunks) if (c.isEntry) visit(c.fileName);
  const size = (names) => names.reduce((t, n) => ({ raw: t.raw + Buffer.byteLength(byName[n].code), gzip: t.gzip + gzip(Buffer.from(byName[n].code)) }), { raw: 0, gzip: 0 });
  const later = chunks.map((c) => c.fileName).filter((n) => !first.has(n));
  return { vite: { version: vite.version, first: { ...size([...first]), files: first.size }, later: { ...size(later), files: later.length } } };
}

/** Runs in the parent (no engine executes). Entries re-export the whole API so nothing is tree-shaken away. */
export async function runInParent() {
  const df = deltaflowRoot();
  const wasmDir = fileURLToPath(new URL('dist/', `file://${require.resolve('@tensorflow/tfjs-backend-wasm/package.json')}`));
  const wasm = ['build/deltaflow.wasm', file(`${df}build/deltaflow.wasm`)];
  // The package's training-only entry ('deltaflow/core' → dist/core.js), when the build has one.
  const core = fs.existsSync(`${df}dist/core.js`) && parts([['JS: `export * from \'deltaflow/dist/core.js\'`', await bundle(`export * from ${JSON.stringify(`${df}dist/core.js`)};`)], wasm]);
  // The package root as it is installed: the snapshot's copy, or this repository (the built dist/bundles).
  const app = fs.existsSync(`${df}dist/bundles/deltaflow.full.js`) ? { ...(await appBundles(df)), wasm: { raw: wasm[1].length, gzip: gzip(wasm[1]) } } : undefined;
  return {
    ...(app && { app }),
    deltaflow: parts([['JS: `export * from \'deltaflow/dist/index.js\'`', await bundle(`export * from ${JSON.stringify(`${df}dist/index.js`)};`)], wasm]),
    ...(core && { 'deltaflow/core': core }),
    'tfjs-wasm': parts([
      ['JS: tfjs-core + tfjs-layers + tfjs-backend-wasm', await bundle("import * as core from '@tensorflow/tfjs-core'; import * as layers from '@tensorflow/tfjs-layers'; import * as wasm from '@tensorflow/tfjs-backend-wasm'; export { core, layers, wasm };")],
      ['tfjs-backend-wasm-simd.wasm', file(`${wasmDir}tfjs-backend-wasm-simd.wasm`)],
    ]),
    brain: parts([['brain.js/browser.min.js (its browserify dist, gpu.js included)', file(require.resolve('brain.js/browser.min.js'))]]),
  };
}

/** The train+predict app's rows: esbuild's one file, and with splitting the first load and the on-demand save chunk. */
function renderApp(app) {
  const kb = (b) => num(b / 1024, 1);
  const withWasm = (p) => p.gzip + app.wasm.gzip;
  const verdict = (p) => `${kb(withWasm(p))} KB with the .wasm: ${withWasm(p) / 1024 <= APP_TARGET_GZIP_KB ? '✅ met' : `❌ ${kb(withWasm(p) - APP_TARGET_GZIP_KB * 1024)} KB over`}`;
  const rows = [
    ['esbuild, one file (its default)', kb(app.single.raw), kb(app.single.gzip), verdict(app.single)],
    [`esbuild --splitting: first load (${app.splitFirst.files} file${app.splitFirst.files === 1 ? '' : 's'})`, kb(app.splitFirst.raw), kb(app.splitFirst.gzip), verdict(app.splitFirst)],
    [`esbuild --splitting: fetched by model.save() (${app.splitLater.files} file${app.splitLater.files === 1 ? '' : 's'})`, kb(app.splitLater.raw), kb(app.splitLater.gzip), 'never loaded by this app'],
    ...(app.vite
      ? [
          [`Vite ${app.vite.version} (\`vite build\`): first load (${app.vite.first.files} file${app.vite.first.files === 1 ? '' : 's'})`, kb(app.vite.first.raw), kb(app.vite.first.gzip), verdict(app.vite.first)],
          [`Vite: fetched by model.save() (${app.vite.later.files} file${app.vite.later.files === 1 ? '' : 's'})`, kb(app.vite.later.raw), kb(app.vite.later.gzip), 'never loaded by this app'],
        ]
      : []),
    ['deltaflow.wasm', kb(app.wasm.raw), kb(app.wasm.gzip), ''],
  ];
  return [
    `### Train+predict app (target ≤ ${APP_TARGET_GZIP_KB} KB gzip, JS + .wasm)`,
    '',
    "An app file importing `'deltaflow'` by name (resolved through the package's exports and sideEffects, the browser's `default` condition) that calls ready, builds 784-128-10, fits and predicts, bundled with esbuild `bundle, minify, format esm, platform browser`, and with `vite build` where Vite is installed. CSV, plot and model-loading code are left out; model.save()'s code is imported on first use (in esbuild's one file, present but unevaluated).",
    '',
    table(['build', 'raw KB', 'gzip KB', 'target'], rows),
  ].join('\n');
}

export function render(result) {
  const app = result.app;
  result = Object.fromEntries(Object.entries(result).filter(([k]) => k !== 'app'));
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
    ...(app ? ['', renderApp(app)] : []),
  ].join('\n');
}
