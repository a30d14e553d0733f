#!/usr/bin/env node
// npm run test:runtimes — deltaflow in every runtime it supports, bit for bit.
//
// 1. Builds the bundles (dist/bundles/) and checks them: no node: import, require(, eval(, new Function in
//    the core, Workers and single-file builds, no compiling of bytes in the Workers build; size budgets.
// 2. Packs the package (npm pack) and installs the tarball into a scratch consumer project, with the
//    1,000 MNIST digits as a binary file (float32 pixels, int32 labels, little-endian).
// 3. In each runtime, imports deltaflow the way that runtime's users do, trains XOR 2-8-1 and a
//    784-64-10 MNIST network (seed 7), and compares SHA-256 hashes of the weights and predictions with
//    Node's: Deno, Bun (npm packages), Chromium (Debian's, driven by playwright-core: page, Web Worker,
//    import map, single-file build, Vite bundle, esbuild bundle), workerd (127.0.0.1, bounded requests), edge-runtime;
//    and on 2 threads in Node, Deno, Bun and a cross-origin isolated Chromium page (2 and 3, and from a
//    Web Worker), which must print the same hashes.
// 4. Runs every README snippet of the "Runtimes" section verbatim; each must print Node's XOR predictions.
// 5. Times the first prediction in a fresh browser page and a fresh workerd isolate.
// A runtime that cannot be installed is skipped with the reason; with CI=true a skip fails the run.
//
// Options: --only=node,deno,bun,chromium,workerd,edge   --keep (keep the scratch directory)
import { spawnSync } from 'node:child_process';
import { constants, existsSync } from 'node:fs';
import { access, copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundles, checkBundles } from '../build-bundles.mjs';
import { bundleEdge, bundleWorker, parseWranglerToml, workerdConfig } from './lib/bundle.mjs';
import { run, start } from './lib/proc.mjs';
import { canConnect, freePort, serve } from './lib/server.mjs';
import { numbersIn, readSnippets } from './lib/snippets.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const HERE = dirname(fileURLToPath(import.meta.url));
const CI = process.env.CI === 'true';
const argv = process.argv.slice(2);
const only = argv.find((a) => a.startsWith('--only='))?.slice(7).split(',');
const keep = argv.includes('--keep');
const wanted = (name) => !only || only.includes(name);
// 40 KiB held the MLP engine; the image layers (convolution, pooling, resizing, batch norm kernels and their layers) add about 8;
// what a tfjs user expects (rank-typed tensors and print(), layer weights and configs, checked options with
// suggestions, JS losses and metrics, regularizers, yieldEvery) about 9 more (core entry + .wasm 47.0 → 55.7 KiB);
// Embedding, the 1-D layers, the recurrent layers (one time-loop kernel), TimeDistributed and the orthogonal
// initializer about 7 more (63.0 KiB). Tree-shaking what an app does not use is the way back down.
const BUDGET = 70 * 1024; // bytes, gzip -9
const CHROMIUM_FLAGS = [
  '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync',
  // Nothing but 127.0.0.1 resolves: a page cannot reach anything else by accident.
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

const checks = []; // { runtime, what, status: 'pass' | 'fail' | 'skip', detail }
const rows = []; // hash rows for the table
const timings = [];
const pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8'));

function record(runtime, what, status, detail = '') {
  checks.push({ runtime, what, status, detail });
  const mark = { pass: 'ok  ', fail: 'FAIL', skip: 'SKIP' }[status];
  console.log(`${mark} ${runtime.padEnd(10)} ${what}${detail ? ` — ${detail}` : ''}`);
}

function parseMatrixLine(stdout) {
  const line = stdout.split('\n').reverse().find((l) => l.startsWith('MATRIX '));
  if (!line) throw new Error('printed no MATRIX line');
  return JSON.parse(line.slice(7));
}

let reference;
/** Compares a run's hashes with Node's; the first run (Node) becomes the reference. */
function compare(runtime, variant, result) {
  if (result?.error) {
    record(runtime, variant, 'fail', result.error.split('\n').slice(0, 4).join(' | '));
    return;
  }
  rows.push({ runtime, variant, result });
  if (!reference) {
    reference = result;
    record(runtime, variant, 'pass', 'reference');
    return;
  }
  const diffs = [];
  for (const task of ['xor', 'mnist']) {
    for (const h of ['weights', 'predictions']) {
      if (result[task]?.[h] !== reference[task][h]) diffs.push(`${task} ${h} ${result[task]?.[h]} ≠ ${reference[task][h]}`);
    }
  }
  record(runtime, variant, diffs.length ? 'fail' : 'pass', diffs.join('; '));
}

/** A threaded run: it must have run on the threads asked for (not a silent fallback) and match Node's hashes. */
function compareThreaded(runtime, variant, result, threads) {
  if (!result?.error && result?.threads !== threads) {
    record(runtime, variant, 'fail', `ran on ${result?.threads} thread(s), asked for ${threads}`);
    return;
  }
  compare(runtime, variant, result);
}

/** A snippet's printed predictions must be Node's XOR predictions, exactly. */
function compareSnippet(runtime, what, output) {
  const got = numbersIn(output);
  const want = reference?.xor.values;
  if (!want) return record(runtime, what, 'fail', 'no reference');
  const same = got.length === want.length && got.every((v, i) => v === want[i]);
  record(runtime, what, same ? 'pass' : 'fail', same ? '' : `printed ${JSON.stringify(output).slice(0, 300)}, expected ${want.join(' ')}`);
}

async function executable(path) {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A runtime from an npm devDependency: its binary, installing the pinned version if it is missing. */
async function npmRuntime(name, bin) {
  const path = join(ROOT, 'node_modules', '.bin', bin);
  const works = async () => (await executable(path)) && (await run(path, ['--version'], { timeoutMs: 30_000 })).code === 0;
  if (await works()) return { path };
  const version = pkg.devDependencies?.[name];
  if (!version) return { skip: `${name} is not a devDependency` };
  console.log(`…    installing ${name}@${version} from the npm registry`);
  const r = await run('npm', ['install', '--no-save', '--no-audit', '--no-fund', `${name}@${version}`], { cwd: ROOT, timeoutMs: 300_000 });
  if (r.code !== 0) return { skip: `npm install ${name}@${version} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  return (await works()) ? { path } : { skip: `${bin} from ${name}@${version} does not run on this machine` };
}

/** Debian's Chromium: /usr/bin/chromium, installed with apt-get when missing and we are root. */
async function chromiumPath() {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (await executable(path)) return { path };
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/apt-get')) return { skip: `${path} is missing and apt-get is not available as root to install Debian's chromium` };
  console.log('…    installing chromium from Debian (apt-get)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const u = await run('apt-get', ['update', '-qq'], { env, timeoutMs: 300_000 });
  const i = u.code === 0 ? await run('apt-get', ['install', '-y', '-qq', 'chromium'], { env, timeoutMs: 600_000 }) : u;
  if (i.code !== 0) return { skip: `apt-get install chromium failed: ${i.stderr.trim().split('\n').slice(-3).join(' | ')}` };
  return (await executable(path)) ? { path } : { skip: `${path} is still missing after apt-get install chromium` };
}

// ---------------------------------------------------------------------------------------------
// 1. Bundles: purity and size.

console.log('deltaflow runtime matrix\n');
const sizes = await buildBundles();
const problems = await checkBundles();
record('bundles', 'no node: / require( / eval( / new Function; Workers build never compiles bytes', problems.length ? 'fail' : 'pass', problems.map((p) => `${p.bundle}: ${p.what} in …${p.context}…`).join(' || ').slice(0, 2000));
for (const [what, bytes] of Object.entries(sizes.budgets)) {
  record('size', `${what} ${(bytes / 1024).toFixed(1)} KiB gzip (budget ${BUDGET / 1024} KiB)`, bytes <= BUDGET ? 'pass' : 'fail');
}

// ---------------------------------------------------------------------------------------------
// 2. The consumer project.

const work = await mkdtemp(join(tmpdir(), 'deltaflow-runtimes-'));
const app = join(work, 'app');
await mkdir(join(app, 'node_modules', 'deltaflow'), { recursive: true });
const packed = spawnSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', work], { cwd: ROOT, encoding: 'utf8' });
if (packed.status !== 0) throw new Error(`npm pack failed: ${packed.stderr}`);
const tarball = join(work, JSON.parse(packed.stdout)[0].filename);
const untar = spawnSync('tar', ['-xzf', tarball, '-C', join(app, 'node_modules', 'deltaflow'), '--strip-components=1']);
if (untar.status !== 0) throw new Error(`tar failed: ${untar.stderr}`);
await writeFile(join(app, 'package.json'), JSON.stringify({ name: 'deltaflow-matrix-app', private: true, type: 'module', dependencies: { deltaflow: pkg.version } }, null, 2));
// Deno: use node_modules as it is (what `npm install` made), never the registry.
await writeFile(join(app, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }, null, 2));
for (const f of ['server.mjs', 'matrix.html', 'matrix-page.mjs', 'matrix-worker.mjs', 'worker-handler.mjs', 'workerd.mjs', 'edge.mjs', 'edge-host.mjs']) {
  await copyFile(join(HERE, 'harness', f), join(app, f));
}
await copyFile(join(HERE, 'tasks.mjs'), join(app, 'tasks.mjs'));
{
  const { loadMnist } = await import(join(ROOT, 'examples', 'mnist-data.mjs'));
  const { x, labels, rows: n } = loadMnist({ train: 1000, test: 0 }).train;
  const bytes = new Uint8Array(n * 784 * 4 + n * 4);
  const view = new DataView(bytes.buffer);
  x.data.forEach((v, i) => view.setFloat32(i * 4, v, true));
  labels.forEach((l, r) => view.setInt32(x.data.length * 4 + r * 4, l, true));
  await writeFile(join(app, 'mnist-1000.bin'), bytes);
}
const snippets = await readSnippets(join(ROOT, 'README.md'));
const snippetDir = async (runtime) => {
  const dir = join(work, `snippet-${runtime}`);
  await mkdir(dir, { recursive: true });
  await cp(join(app, 'node_modules'), join(dir, 'node_modules'), { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name: `snippet-${runtime}`, private: true, type: 'module', dependencies: { deltaflow: pkg.version } }));
  await writeFile(join(dir, 'deno.json'), JSON.stringify({ nodeModulesDir: 'manual' }));
  const files = snippets[runtime];
  if (!files) throw new Error(`README.md has no runtime-snippet for ${runtime}`);
  for (const [file, code] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), code);
  }
  return dir;
};

const quietEnv = { ...process.env, NO_COLOR: '1' };
delete quietEnv.FORCE_COLOR;

// ---------------------------------------------------------------------------------------------
// 3–5. The runtimes.

try {
  // Node: the reference (always run: the others are compared with it).
  {
    const r = await run(process.execPath, ['server.mjs'], { cwd: app, env: quietEnv, timeoutMs: 300_000 });
    if (r.code !== 0) throw new Error(`node server.mjs failed (${r.code}): ${r.stderr}`);
    const result = parseMatrixLine(r.stdout);
    compare(`node`, `${process.version}, import 'deltaflow' → ${result.entry}`, result);
    timings.push(['node', 'ready() + first prediction (warm process)', result.firstMs]);
    const t = await run(process.execPath, ['server.mjs', '2'], { cwd: app, env: quietEnv, timeoutMs: 300_000 });
    t.code === 0 ? compareThreaded('node', `${process.version}, ready({ threads: 2 }), worker_threads`, parseMatrixLine(t.stdout), 2) : record('node', 'threads: 2', 'fail', t.stderr.slice(0, 800));
    const dir = await snippetDir('node');
    const s = await run(process.execPath, ['train.mjs'], { cwd: dir, env: quietEnv, timeoutMs: 120_000 });
    s.code === 0 ? compareSnippet('node', 'README snippet: node train.mjs', s.stdout) : record('node', 'README snippet', 'fail', s.stderr.slice(0, 500));
  }

  // Each runtime on its own: one that breaks is a failure of that runtime, not the end of the run.
  for (const [name, fn] of [['deno', deno], ['bun', bun], ['chromium', chromium], ['workerd', workerd], ['edge', edge]]) {
    if (!wanted(name)) continue;
    try {
      await fn();
    } catch (e) {
      record(name, 'driver', 'fail', String(e?.stack ?? e).slice(0, 800));
    }
  }
} catch (e) {
  record('matrix', 'driver', 'fail', String(e?.stack ?? e));
} finally {
  if (!keep) await rm(work, { recursive: true, force: true });
  else console.log(`\nscratch directory kept: ${work}`);
}

// ---------------------------------------------------------------------------------------------
// Deno and Bun: the harness and the README snippet, each from a consumer project's node_modules.

async function deno() {
  const deno = await npmRuntime('deno', 'deno');
  if (deno.skip) record('deno', 'Deno', 'skip', deno.skip);
  else {
    const env = { ...quietEnv, DENO_DIR: join(work, 'deno-dir'), DENO_NO_UPDATE_CHECK: '1', DENO_NO_PROMPT: '1' };
    const version = (await run(deno.path, ['--version'], { env })).stdout.split('\n')[0];
    const r = await run(deno.path, ['run', '--allow-read', 'server.mjs'], { cwd: app, env, timeoutMs: 300_000 });
    r.code === 0 ? compare('deno', `${version.replace(/ \(.*/, '')}, import 'deltaflow' (node_modules) → ${parseMatrixLine(r.stdout).entry}`, parseMatrixLine(r.stdout)) : record('deno', 'harness', 'fail', r.stderr.slice(0, 800));
    const t = await run(deno.path, ['run', '--allow-read', 'server.mjs', '2'], { cwd: app, env, timeoutMs: 300_000 });
    t.code === 0 ? compareThreaded('deno', `${version.replace(/ \(.*/, '')}, ready({ threads: 2 }), Web Workers`, parseMatrixLine(t.stdout), 2) : record('deno', 'threads: 2', 'fail', t.stderr.slice(0, 800));
    const dir = await snippetDir('deno');
    const s = await run(deno.path, ['run', '--allow-read', 'train.ts'], { cwd: dir, env, timeoutMs: 120_000 });
    s.code === 0 ? compareSnippet('deno', 'README snippet: deno run --allow-read train.ts', s.stdout) : record('deno', 'README snippet', 'fail', s.stderr.slice(0, 800));
  }
}

async function bun() {
  const bun = await npmRuntime('bun', 'bun');
  if (bun.skip) record('bun', 'Bun', 'skip', bun.skip);
  else {
    const env = { ...quietEnv, BUN_INSTALL_CACHE_DIR: join(work, 'bun-cache'), DO_NOT_TRACK: '1' };
    const version = (await run(bun.path, ['--version'], { env })).stdout.trim();
    const r = await run(bun.path, ['server.mjs'], { cwd: app, env, timeoutMs: 300_000 });
    r.code === 0 ? compare('bun', `bun ${version}, import 'deltaflow' → ${parseMatrixLine(r.stdout).entry}`, parseMatrixLine(r.stdout)) : record('bun', 'harness', 'fail', r.stderr.slice(0, 800));
    const t = await run(bun.path, ['server.mjs', '2'], { cwd: app, env, timeoutMs: 300_000 });
    t.code === 0 ? compareThreaded('bun', `bun ${version}, ready({ threads: 2 }), Web Workers`, parseMatrixLine(t.stdout), 2) : record('bun', 'threads: 2', 'fail', t.stderr.slice(0, 800));
    const dir = await snippetDir('bun');
    const s = await run(bun.path, ['train.ts'], { cwd: dir, env, timeoutMs: 120_000 });
    s.code === 0 ? compareSnippet('bun', 'README snippet: bun train.ts', s.stdout) : record('bun', 'README snippet', 'fail', s.stderr.slice(0, 800));
  }
}

// ---------------------------------------------------------------------------------------------
// Chromium: pages, Web Workers, a Vite bundle, the README's page snippets, first prediction.

async function chromium() {
  const chrome = await chromiumPath();
  let playwright;
  try {
    playwright = await import('playwright-core');
  } catch (e) {
    chrome.skip ??= `playwright-core is not installed: ${e.message}`;
  }
  if (chrome.skip) return record('chromium', 'Chromium', 'skip', chrome.skip);

  // The bundler: Vite builds the README's bundler snippet and the matrix page from the installed package.
  const viteApp = join(app, 'vite-app');
  const bundlerSnippet = snippets.bundler;
  if (!bundlerSnippet) throw new Error('README.md has no runtime-snippet for bundler');
  await mkdir(viteApp, { recursive: true });
  for (const [file, code] of Object.entries(bundlerSnippet)) await writeFile(join(viteApp, file), code);
  for (const f of ['vite-matrix.html', 'vite-matrix.mjs']) await copyFile(join(HERE, 'harness', f), join(viteApp, f));
  await copyFile(join(HERE, 'tasks.mjs'), join(viteApp, 'tasks.mjs'));
  let viteError;
  try {
    const vite = await import('vite');
    await vite.build({
      root: viteApp,
      base: './',
      logLevel: 'warn',
      configFile: false,
      build: { outDir: join(viteApp, 'dist'), emptyOutDir: true, rollupOptions: { input: { index: join(viteApp, 'index.html'), matrix: join(viteApp, 'vite-matrix.html') } } },
    });
  } catch (e) {
    viteError = String(e?.stack ?? e);
  }
  // esbuild, which leaves new URL('./deltaflow.wasm', import.meta.url) alone: the README's build.mjs
  // bundles the bundler snippet's main.js and copies the .wasm next to it, in a project of its own whose
  // node_modules hold deltaflow and esbuild (as `npm install deltaflow esbuild` leaves them); the matrix
  // harness is bundled the same way.
  const esbuildApp = join(app, 'esbuild-app');
  let esbuildError;
  try {
    if (!bundlerSnippet['build.mjs']) throw new Error('README.md has no runtime-snippet for bundler build.mjs (esbuild)');
    await mkdir(join(esbuildApp, 'node_modules'), { recursive: true });
    await symlink(join(app, 'node_modules', 'deltaflow'), join(esbuildApp, 'node_modules', 'deltaflow'), 'dir');
    await symlink(join(ROOT, 'node_modules', 'esbuild'), join(esbuildApp, 'node_modules', 'esbuild'), 'dir');
    await writeFile(join(esbuildApp, 'main.js'), bundlerSnippet['main.js']);
    await writeFile(join(esbuildApp, 'build.mjs'), bundlerSnippet['build.mjs']);
    await writeFile(join(esbuildApp, 'index.html'), '<!doctype html>\n<script type="module" src="./out/main.js"></script>\n<output></output>\n');
    const r = await run(process.execPath, ['build.mjs'], { cwd: esbuildApp, env: quietEnv, timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`node build.mjs failed (${r.code}): ${r.stderr.slice(0, 800)}`);
    await copyFile(join(HERE, 'harness', 'vite-matrix.mjs'), join(esbuildApp, 'matrix.mjs'));
    await copyFile(join(HERE, 'tasks.mjs'), join(esbuildApp, 'tasks.mjs'));
    const { build } = await import('esbuild');
    await build({ entryPoints: [join(esbuildApp, 'matrix.mjs')], absWorkingDir: esbuildApp, bundle: true, format: 'esm', outfile: join(esbuildApp, 'out', 'matrix.js'), logLevel: 'warning' });
    await writeFile(join(esbuildApp, 'matrix.html'), '<!doctype html>\n<meta charset="utf-8">\n<script type="module" src="./out/matrix.js"></script>\n');
  } catch (e) {
    esbuildError = String(e?.stack ?? e);
  }
  // The plain page: the README's page snippet with the single-file build copied next to it.
  const pageDir = join(app, 'snippet-browser');
  await mkdir(pageDir, { recursive: true });
  for (const [file, code] of Object.entries(snippets.browser ?? {})) await writeFile(join(pageDir, file), code);
  await copyFile(join(app, 'node_modules', 'deltaflow', 'dist', 'bundles', 'deltaflow.inline.js'), join(pageDir, 'deltaflow.inline.js'));

  const server = await serve(app, { maxRequests: 2000 });
  const browser = await playwright.chromium.launch({ executablePath: chrome.path, headless: true, args: CHROMIUM_FLAGS, timeout: 60_000 });
  try {
    const version = browser.version();
    const open = async (path, until, base = server.url) => {
      const context = await browser.newContext();
      const page = await context.newPage();
      const logs = [];
      page.on('console', (m) => logs.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => logs.push(`pageerror: ${e.message}`));
      try {
        await page.goto(`${base}${path}`, { timeout: 60_000 });
        await page.waitForFunction(until, null, { timeout: 180_000 });
        return { value: await page.evaluate(until), logs };
      } catch (e) {
        return { error: `${e.message.split('\n')[0]} | console: ${logs.join(' | ').slice(0, 600)}`, logs };
      } finally {
        await context.close();
      }
    };
    const matrix = async (variant, path, base) => {
      const r = await open(path, () => window.__matrix, base);
      if (r.error) return record('chromium', variant, 'fail', r.error);
      if (!r.value.ok) return record('chromium', variant, 'fail', r.value.error);
      compare('chromium', `chromium ${version}, ${variant}`, r.value.result);
      return r;
    };
    const pageRun = await matrix("page, import map 'deltaflow' → deltaflow.js + .wasm", '/matrix.html?import=deltaflow');
    if (pageRun) {
      const notices = pageRun.logs.filter((l) => l.includes('deltaflow: this runtime has'));
      const sab = pageRun.value.result.capabilities.sharedArrayBuffer;
      // A page that never asks for threads hears nothing about SharedArrayBuffer (setThreads says why when asked).
      const sabNotice = notices.filter((l) => l.includes('SharedArrayBuffer'));
      record('chromium', `no SharedArrayBuffer notice on a page that does not ask for threads (SharedArrayBuffer ${sab ? 'present' : 'absent'} without COOP/COEP)`, sabNotice.length === 0 ? 'pass' : 'fail', notices.join(' | ') || 'no notice');
    }
    await matrix("page, single-file build 'deltaflow/inline'", '/matrix.html?import=deltaflow/inline');
    await matrix('Web Worker (module), deltaflow.js + .wasm', '/matrix.html?import=deltaflow&where=worker');
    await matrix('Web Worker (module), single-file build', '/matrix.html?import=deltaflow/inline&where=worker');
    if (viteError) record('chromium', "Vite build of import 'deltaflow'", 'fail', viteError.slice(0, 800));
    else await matrix("Vite bundle of import 'deltaflow' (deltaflow.full.js, .wasm as an asset)", '/vite-app/dist/vite-matrix.html');
    if (esbuildError) record('chromium', "esbuild bundle of import 'deltaflow'", 'fail', esbuildError.slice(0, 800));
    else await matrix("esbuild bundle of import 'deltaflow' (deltaflow.full.js, .wasm copied next to the bundle)", '/esbuild-app/matrix.html');

    // Threads: a cross-origin isolated page (COOP/COEP headers), where SharedArrayBuffer exists. One
    // thread first (isolation changes nothing), then the threaded build with 2 and 3 threads, on the page
    // and from a Web Worker: threads must not change a bit.
    {
      const isolated = await serve(app, { isolated: true, maxRequests: 400 });
      try {
        const r = await matrix('cross-origin isolated page (COOP/COEP), one thread', '/matrix.html?import=deltaflow', isolated.url);
        if (r && !(r.value.crossOriginIsolated && r.value.result.capabilities.sharedArrayBuffer)) {
          record('chromium', 'COOP/COEP page is cross-origin isolated with SharedArrayBuffer', 'fail', JSON.stringify(r.value.result.capabilities));
        }
        for (const [variant, path, threads] of [
          ['COOP/COEP page, ready({ threads: 2 })', '/matrix.html?import=deltaflow&threads=2', 2],
          ['COOP/COEP page, ready({ threads: 3 })', '/matrix.html?import=deltaflow&threads=3', 3],
          ['COOP/COEP page, single-file build, ready({ threads: 2 })', '/matrix.html?import=deltaflow/inline&threads=2', 2],
          ['COOP/COEP page, Web Worker, ready({ threads: 2 })', '/matrix.html?import=deltaflow&where=worker&threads=2', 2],
        ]) {
          const t = await open(path, () => window.__matrix, isolated.url);
          if (t.error || !t.value.ok) record('chromium', variant, 'fail', t.error ?? t.value.error);
          else compareThreaded('chromium', `chromium ${version}, ${variant}`, t.value.result, threads);
        }
      } finally {
        await isolated.close();
      }
    }

    // README snippets.
    if (!viteError) {
      const s = await open('/vite-app/dist/index.html', () => document.querySelector('output')?.textContent);
      s.error ? record('chromium', 'README snippet: bundler (Vite)', 'fail', s.error) : compareSnippet('chromium', 'README snippet: bundler (Vite build)', s.value);
    }
    if (!esbuildError) {
      const e = await open('/esbuild-app/index.html', () => document.querySelector('output')?.textContent);
      e.error ? record('chromium', 'README snippet: bundler (esbuild)', 'fail', e.error) : compareSnippet('chromium', 'README snippet: bundler (esbuild build.mjs, .wasm copied next to out/main.js)', e.value);
    }
    const p = await open('/snippet-browser/index.html', () => document.querySelector('output')?.textContent);
    p.error ? record('chromium', 'README snippet: plain page', 'fail', p.error) : compareSnippet('chromium', 'README snippet: plain page (deltaflow.inline.js)', p.value);

    // First prediction in a fresh page (new context, empty cache): ms since navigation start, the median
    // of three pages (a loaded machine makes single runs noisy), with where the time went in that run.
    for (const [label, spec] of [['single-file build', 'deltaflow/inline'], ['deltaflow.js + .wasm', 'deltaflow']]) {
      const runs = [];
      for (let i = 0; i < 3; i++) {
        const r = await open(`/matrix.html?first=1&import=${spec}`, () => window.__matrix);
        if (r.error || !r.value.ok) {
          record('chromium', `first prediction (${label})`, 'fail', r.error ?? r.value.error);
          break;
        }
        runs.push(r.value.result);
      }
      if (runs.length < 3) continue;
      const { firstMs, marks } = runs.sort((x, y) => x.firstMs - y.firstMs)[1];
      const ms = (x) => x.toFixed(0);
      timings.push(['chromium', `fresh page → first prediction, ${label}: page script at ${ms(marks.started)}, import ${ms(marks.imported - marks.started)}, ready() ${ms(marks.ready - marks.imported)}, build + predict ${ms(firstMs - marks.ready)}; total`, firstMs]);
    }
  } finally {
    await browser.close();
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------
// workerd: the harness Worker and the README's Worker, each in its own fresh workerd on 127.0.0.1.

async function workerd() {
  const bin = await npmRuntime('workerd', 'workerd');
  if (bin.skip) return record('workerd', 'workerd', 'skip', bin.skip);
  const version = (await run(bin.path, ['--version'])).stdout.trim();
  const serveWorker = async (dir, modules, compatibilityDate, compatibilityFlags, requests) => {
    const port = await freePort();
    await writeFile(join(dir, 'config.capnp'), workerdConfig({ modules, port, compatibilityDate, compatibilityFlags }));
    const spawned = performance.now();
    const proc = start(bin.path, ['serve', 'config.capnp'], { cwd: dir, env: quietEnv });
    const out = [];
    try {
      // Wait for the socket (a TCP connect, so no request reaches the Worker before the timed ones;
      // bounded: 30 s), then send the few requests, each with a deadline.
      const deadline = Date.now() + 30_000;
      while (!(await canConnect(port))) {
        if (proc.child.exitCode !== null) throw new Error(`workerd exited: ${proc.output().slice(0, 800)}`);
        if (Date.now() > deadline) throw new Error(`workerd did not listen within 30 s: ${proc.output().slice(0, 800)}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      const listening = performance.now();
      for (const path of requests) {
        const t0 = performance.now();
        const res = await fetch(`http://127.0.0.1:${port}${path}`, { signal: AbortSignal.timeout(180_000) });
        const text = await res.text();
        out.push({ path, status: res.status, text, ms: performance.now() - t0, sinceSpawn: performance.now() - spawned, startup: listening - spawned });
      }
      return out;
    } finally {
      await proc.stop();
    }
  };

  // The harness: /first is the fresh isolate's first request, then /run.
  try {
    const dir = join(work, 'workerd-harness');
    const modules = await bundleWorker({
      entry: join(app, 'workerd.mjs'),
      outDir: dir,
      cwd: app,
      rules: [{ type: 'CompiledWasm', globs: ['**/*.wasm'] }, { type: 'Data', globs: ['**/*.bin'] }],
    });
    const [first, all] = await serveWorker(dir, modules, '2026-11-01', [], ['/first', '/run']);
    if (first.status !== 200) record('workerd', 'first prediction', 'fail', first.text.slice(0, 800));
    else timings.push(['workerd', 'fresh isolate: request → first prediction (ready + build + predict)', first.ms], ['workerd', 'fresh isolate: spawn → first prediction', first.sinceSpawn]);
    const result = JSON.parse(all.text);
    compare('workerd', `${version}, import 'deltaflow/workers' + CompiledWasm module`, all.status === 200 ? result : { error: result.error ?? all.text });
  } catch (e) {
    record('workerd', 'harness', 'fail', String(e?.stack ?? e).slice(0, 800));
  }

  // The README's Worker, bundled as its wrangler.toml says.
  try {
    const dir = await snippetDir('workerd');
    const toml = parseWranglerToml(snippets.workerd['wrangler.toml']);
    const rules = [...toml.rules.map((r) => ({ type: r.type, globs: r.globs })), { type: 'CompiledWasm', globs: ['**/*.wasm'] }];
    const out = join(dir, 'out');
    const modules = await bundleWorker({ entry: join(dir, toml.main), outDir: out, cwd: dir, rules });
    const [res] = await serveWorker(out, modules, toml.compatibility_date, toml.compatibility_flags ?? [], ['/']);
    res.status === 200 ? compareSnippet('workerd', 'README snippet: Worker + wrangler.toml [[rules]] CompiledWasm', res.text) : record('workerd', 'README snippet', 'fail', res.text.slice(0, 800));
  } catch (e) {
    record('workerd', 'README snippet', 'fail', String(e?.stack ?? e).slice(0, 800));
  }
}

// ---------------------------------------------------------------------------------------------
// edge-runtime: Vercel's Edge Runtime VM, compiling from bytes off.

async function edge() {
  let version;
  try {
    version = JSON.parse(await readFile(join(ROOT, 'node_modules', 'edge-runtime', 'package.json'), 'utf8')).version;
  } catch {
    const r = await npmRuntime('edge-runtime', 'edge-runtime');
    if (r.skip) return record('edge', 'edge-runtime', 'skip', r.skip);
    version = pkg.devDependencies['edge-runtime'];
  }
  try {
    const bundle = join(work, 'edge.js');
    await bundleEdge({ entry: join(app, 'edge.mjs'), outfile: bundle, cwd: app });
    // edge-host.mjs runs from the repo so that it finds the edge-runtime package.
    const host = join(HERE, 'harness', 'edge-host.mjs');
    const r = await run(process.execPath, [host, bundle, join(app, 'node_modules', 'deltaflow', 'dist', 'bundles', 'deltaflow.wasm'), join(app, 'mnist-1000.bin')], { cwd: ROOT, env: quietEnv, timeoutMs: 300_000 });
    if (r.code !== 0) return record('edge', 'harness', 'fail', r.stderr.slice(0, 800));
    const result = parseMatrixLine(r.stdout);
    record('edge', 'the VM refuses to compile WebAssembly from bytes (as Vercel Edge does)', result.compilesBytes ? 'fail' : 'pass', result.compilesBytes ? 'it compiled them' : '');
    compare('edge', `edge-runtime ${version}, import 'deltaflow/workers' + precompiled module`, result.status === 200 ? result : { error: result.error ?? `HTTP ${result.status}` });
    if (result.firstStatus === 200) timings.push(['edge', 'fresh VM: request → first prediction', result.firstMs]);
  } catch (e) {
    record('edge', 'harness', 'fail', String(e?.stack ?? e).slice(0, 800));
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

console.log('\nhashes (SHA-256 of the final weights and of the predictions on the training inputs):');
if (reference) {
  console.log(`  reference (node): xor weights ${reference.xor.weights}  predictions ${reference.xor.predictions}`);
  console.log(`                    mnist weights ${reference.mnist.weights}  predictions ${reference.mnist.predictions}`);
}
console.log(`  ${'runtime'.padEnd(9)} ${'xor weights'.padEnd(16)} ${'xor preds'.padEnd(16)} ${'mnist weights'.padEnd(16)} ${'mnist preds'.padEnd(16)} ${'=node'.padEnd(5)} ${'train ms'.padStart(8)}  ${'lacks'.padEnd(5)} variant`);
const lacks = (c) => [c?.finalizationRegistry === false && 'FR', c?.sharedArrayBuffer === false && 'SAB'].filter(Boolean).join(',') || '—';
const all = (r) => [r.xor.weights, r.xor.predictions, r.mnist.weights, r.mnist.predictions];
for (const { runtime, variant, result: r } of rows) {
  const same = all(r).every((h, i) => h === all(reference)[i]);
  console.log(`  ${runtime.padEnd(9)} ${all(r).map((h) => String(h).slice(0, 16)).join(' ')} ${(same ? 'yes' : 'NO').padEnd(5)} ${String(r.ms ?? '').padStart(8)}  ${lacks(r.capabilities).padEnd(5)} ${variant}`);
}
console.log('  (lacks: FR = no FinalizationRegistry, SAB = no SharedArrayBuffer; train ms is Date.now(), which workerd freezes between I/O)');
console.log('\nsizes (gzip -9):');
for (const k of ['core', 'wasm', 'workers', 'inline']) console.log(`  ${k.padEnd(8)} ${String(sizes[k].raw).padStart(7)} B raw  ${String(sizes[k].gzip).padStart(6)} B gzip`);
console.log(`  core bundle by source folder (minified bytes): ${Object.entries(sizes.composition).map(([k, v]) => `${k.replace(/^src\//, '')} ${v}`).join(', ')}`);
console.log('\nfirst prediction:');
for (const [runtime, what, ms] of timings) console.log(`  ${runtime.padEnd(10)} ${what}: ${ms.toFixed(1)} ms`);

const passed = checks.filter((c) => c.status === 'pass').length;
const failed = checks.filter((c) => c.status === 'fail').length;
const skipped = checks.filter((c) => c.status === 'skip').length;
if (skipped) {
  console.log(`\nskipped: ${checks.filter((c) => c.status === 'skip').map((c) => `${c.runtime} (${c.detail})`).join('; ')}`);
  if (CI) console.log('CI=true: a skipped runtime fails the run.');
}
console.log(`\nruntimes: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exitCode = failed || (CI && skipped) ? 1 : 0;
