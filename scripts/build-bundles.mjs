#!/usr/bin/env node
// Builds the prebuilt bundles in dist/bundles/ with esbuild (ESM, es2022, minified, platform-neutral so
// that any Node built-in on a path is a build error, not a surprise in a browser):
//   deltaflow.js + deltaflow.wasm   the training core for a page or CDN; the .wasm is fetched from next to the script
//   deltaflow.threads.wasm          the threaded build, fetched from there too by setThreads(n > 1)
//   deltaflow.relaxed.wasm          the relaxed-SIMD build, only for ready({ relaxedSimd: true }); never inlined
//   deltaflow.full.js               the full API (save/load, data, plot too), same .wasm
//   node/deltaflow.js (+ subpath views) the Node entry in one file, for a fast start
//   deltaflow.workers.js            'deltaflow/workers': ready({ module }) only, nothing compiles bytes
//   deltaflow.inline.js             'deltaflow/inline': one file, the .wasm inlined (gzip, base64)
// Needs build/deltaflow.wasm (npm run asbuild). Usage: node scripts/build-bundles.mjs [--quiet] [--strict]
import { build } from 'esbuild';
import { copyFile, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'bundles');
const wasmPath = join(root, 'build', 'deltaflow.wasm');
const threadsWasmPath = join(root, 'build', 'deltaflow.threads.wasm');
const relaxedWasmPath = join(root, 'build', 'deltaflow.relaxed.wasm');
const quiet = process.argv.includes('--quiet');

/** The bundles' paths in a directory (default dist/bundles), for scripts/runtimes and test/runtimes. */
export function bundlePaths(dir = out) {
  return {
    core: join(dir, 'deltaflow.js'),
    full: join(dir, 'deltaflow.full.js'),
    wasm: join(dir, 'deltaflow.wasm'),
    threadsWasm: join(dir, 'deltaflow.threads.wasm'),
    relaxedWasm: join(dir, 'deltaflow.relaxed.wasm'),
    workers: join(dir, 'deltaflow.workers.js'),
    inline: join(dir, 'deltaflow.inline.js'),
  };
}
export const BUNDLES = bundlePaths();

// Swaps the contents of named source files (paths relative to the repo) for generated ones: the only
// two build-time seams, src/wasm/location.ts and src/entries/inline-wasm.ts.
function replace(files) {
  return {
    name: 'deltaflow-replace',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/](wasm[\\/]location|entries[\\/]inline-wasm)\.ts$/ }, (args) => {
        const path = args.path.replaceAll('\\', '/');
        const key = Object.keys(files).find((f) => path.endsWith('/' + f));
        return key ? { contents: files[key], loader: 'ts' } : undefined;
      });
    },
  };
}

/** src/wasm/location.ts for a bundle whose .wasm files sit at `dir` relative to it ('./' or '../'). */
const wasmAt = (dir) => ({
  'src/wasm/location.ts':
    `export function defaultWasmUrl(): URL { return new URL('${dir}deltaflow.wasm', import.meta.url); }\n` +
    `export function defaultThreadsWasmUrl(): URL { return new URL('${dir}deltaflow.threads.wasm', import.meta.url); }\n` +
    `export function relaxedWasmUrl(): URL { return new URL('${dir}deltaflow.relaxed.wasm', import.meta.url); }\n`,
});
const nextToBundle = wasmAt('./');

/** Builds the bundles into `outDir` (default dist/bundles); resolves to their sizes. */
export async function buildBundles({ outDir = out } = {}) {
  const BUNDLES = bundlePaths(outDir);
  for (const path of [wasmPath, threadsWasmPath, relaxedWasmPath]) {
    try {
      await stat(path);
    } catch {
      throw new Error(`build-bundles: ${path} is missing; run npm run asbuild first`);
    }
  }
  await mkdir(outDir, { recursive: true });
  const wasm = await readFile(wasmPath);
  const common = {
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'neutral',
    // A Node built-in reached from a bundle is reported by checkBundles() (and test/runtimes), with the file
    // that imports it, rather than failing the build here.
    external: ['node:*'],
    mainFields: ['module', 'main'],
    minify: true,
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    absWorkingDir: root,
  };
  const [core] = await Promise.all([
    build({ ...common, entryPoints: ['src/core.ts'], outfile: BUNDLES.core, plugins: [replace(nextToBundle)], metafile: true }),
    build({ ...common, entryPoints: ['src/index.ts'], outfile: BUNDLES.full, plugins: [replace(nextToBundle)] }),
    build({ ...common, entryPoints: ['src/entries/workers.ts'], outfile: BUNDLES.workers, plugins: [replace(nextToBundle)] }),
    build({
      ...common,
      entryPoints: ['src/entries/inline.ts'],
      outfile: BUNDLES.inline,
      plugins: [replace({ ...nextToBundle, 'src/entries/inline-wasm.ts': `export const WASM_GZIP_BASE64: string = ${JSON.stringify(gzipSync(wasm, { level: 9 }).toString('base64'))};\n` })],
    }),
    copyFile(threadsWasmPath, BUNDLES.threadsWasm),
    copyFile(wasmPath, BUNDLES.wasm).then(() => buildNode({ outDir })),
    copyFile(relaxedWasmPath, BUNDLES.relaxedWasm),
  ]);
  // What the core bundle is made of: minified bytes per top-level source folder (src/io, src/model, …).
  const composition = {};
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(core.metafile.outputs)[0].inputs)) {
    const area = input.split('/').slice(0, 2).join('/');
    composition[area] = (composition[area] ?? 0) + bytesInOutput;
  }
  return { ...(await sizes(BUNDLES)), composition: Object.fromEntries(Object.entries(composition).sort((a, b) => b[1] - a[1])) };
}

/**
 * The Node entry as one file (dist/bundles/node/deltaflow.js): importing ~60 small modules costs Node
 * ~40 ms, one file ~7 ms, most of a cold start. The subpaths resolve under the `node` condition to thin
 * re-exports of that same file (one module graph, so one runtime and one set of classes).
 */
export async function buildNode({ outDir = out } = {}) {
  const dir = join(outDir, 'node');
  const file = join(dir, 'deltaflow.js');
  await build({
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'node',
    external: ['node:*'],
    entryPoints: ['src/entries/node.ts'],
    outfile: file,
    // The .wasm copied next to the bundles, one folder up.
    plugins: [replace(wasmAt('../'))],
    // Not minified: an uncaught error prints its source line, and a stack trace reads as the sources do
    // (start-up is the same within noise: parsing is lazy, one file is what saves the time).
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    absWorkingDir: root,
  });
  const mod = await import(`${pathToFileURL(file).href}?t=${Date.now()}`);
  const names = (ns) => Object.keys(ns).filter((k) => k !== 'default').sort();
  const shim = (body) => `// Generated by scripts/build-bundles.mjs: a view of ./deltaflow.js, so every subpath shares one module graph.\n${body}\n`;
  const io = ['loadLayersModel', 'io', 'ModelFormatError'];
  await Promise.all([
    writeFile(join(dir, 'core.js'), shim("export * from './deltaflow.js';")),
    writeFile(join(dir, 'io.js'), shim(`export { ${io.join(', ')} } from './deltaflow.js';`)),
    writeFile(join(dir, 'data.js'), shim(`import { data } from './deltaflow.js';\nexport const { ${names(mod.data).join(', ')} } = data;`)),
    writeFile(join(dir, 'plot.js'), shim(`import { plot } from './deltaflow.js';\nexport const { ${names(mod.plot).join(', ')} } = plot;`)),
  ]);
}

/** What no bundle may contain: Node built-ins, CommonJS, and code generated from strings. */
export const FORBIDDEN = [
  { what: 'a node: specifier', re: /["'`]node:[\w/]+["'`]/g },
  { what: 'require(', re: /(?<![\w$.])require\s*\(/g },
  { what: 'eval(', re: /(?<![\w$.])eval\s*\(/g },
  { what: 'new Function', re: /\bnew\s+Function\s*\(/g },
];

/** What the Workers bundle may not contain either: any way of turning bytes into a module. */
export const FORBIDDEN_IN_WORKERS = [
  { what: 'WebAssembly.compile', re: /WebAssembly\.compile\w*/g },
  { what: 'WebAssembly.instantiateStreaming', re: /WebAssembly\.instantiateStreaming/g },
  { what: 'new WebAssembly.Module', re: /new\s+WebAssembly\.Module\s*\(/g },
];

/** Each bundle's forbidden constructs, as { bundle, what, context }: [] when all are clean. */
export async function checkBundles(BUNDLES = bundlePaths()) {
  const problems = [];
  for (const [bundle, file] of Object.entries({ core: BUNDLES.core, full: BUNDLES.full, workers: BUNDLES.workers, inline: BUNDLES.inline })) {
    const text = await readFile(file, 'utf8');
    for (const { what, re } of bundle === 'workers' ? [...FORBIDDEN, ...FORBIDDEN_IN_WORKERS] : FORBIDDEN) {
      for (const m of text.matchAll(re)) problems.push({ bundle, what, context: text.slice(Math.max(0, m.index - 60), m.index + 40) });
    }
  }
  return problems;
}

/** Raw and gzip (level 9) sizes of each bundle, and of the budgets' sums. */
export async function sizes(BUNDLES = bundlePaths()) {
  const read = async (p) => readFile(p);
  const [core, wasm, workers, inline] = await Promise.all([BUNDLES.core, BUNDLES.wasm, BUNDLES.workers, BUNDLES.inline].map(read));
  const gz = (b) => gzipSync(b, { level: 9 }).length;
  const row = (b) => ({ raw: b.length, gzip: gz(b) });
  return {
    core: row(core),
    wasm: row(wasm),
    workers: row(workers),
    inline: row(inline),
    budgets: {
      'single-file build (JS + inlined WASM)': gz(inline),
      'core entry + .wasm': gz(core) + gz(wasm),
    },
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const s = await buildBundles();
  const problems = await checkBundles();
  for (const p of problems) console.error(`build-bundles: ${p.bundle} bundle contains ${p.what}: …${p.context}…`);
  // Reported, not fatal (so `prepare` still builds); test/runtimes and the matrix fail on them, as does --strict.
  if (problems.length && process.argv.includes('--strict')) process.exitCode = 1;
  if (!quiet) {
    for (const [k, v] of Object.entries(s)) if (k !== 'budgets' && k !== 'composition') console.log(`${k.padEnd(8)} ${String(v.raw).padStart(7)} B  ${String(v.gzip).padStart(6)} B gzip`);
    for (const [k, v] of Object.entries(s.budgets)) console.log(`${k}: ${(v / 1024).toFixed(1)} KiB gzip`);
  }
}
