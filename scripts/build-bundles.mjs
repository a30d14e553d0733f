#!/usr/bin/env node
// Builds dist/bundles/, the JavaScript and WebAssembly the package ships, with esbuild (ESM, es2022;
// the browser builds platform-neutral so that any Node built-in on a path is reported, not a surprise
// in a browser). Each .wasm exists once, next to the bundles, which find it with
// new URL('./deltaflow.wasm', import.meta.url) — so a bundler that leaves such URLs alone (esbuild)
// works once the .wasm is copied next to its output:
//   deltaflow.wasm                  the module; deltaflow.threads.wasm (setThreads(n > 1)) and
//   deltaflow.relaxed.wasm          (ready({ relaxedSimd: true }), never inlined) beside it
//   core.js, io.js, data.js,        'deltaflow/core', '/io', '/data', '/plot', '/text' for browsers and bundlers (the
//   plot.js, text.js, chunk-*.js    `default` condition): one unminified build split at those entry points, so
//                                   they share one runtime and a bundler takes only the chunks used
//   deltaflow.full.js, main.js      'deltaflow' there: src/index.ts re-exporting those five (main.js: the core,
//                                   with model.save importing io.js on first use)
//   deltaflow.js                    'deltaflow/bundle': the training core, minified, for a page or CDN
//   node/deltaflow.js (+ views)     the Node entry in one file, for a fast start; node/cli.js the command line
//   deltaflow.workers.js            'deltaflow/workers': ready({ module }) only, nothing compiles bytes
//   deltaflow.inline.js             'deltaflow/inline': one file, the .wasm inlined (gzip, base64)
// Needs build/deltaflow.wasm (npm run asbuild). Usage: node scripts/build-bundles.mjs [--quiet] [--strict]
import { build, transform } from 'esbuild';
import { copyFile, mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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
    subpaths: Object.fromEntries(['core', 'io', 'data', 'plot', 'text'].map((s) => [s, join(dir, `${s}.js`)])),
    node: join(dir, 'node', 'deltaflow.js'),
    cli: join(dir, 'node', 'cli.js'),
  };
}
export const BUNDLES = bundlePaths();

// Swaps the contents of named source files (paths relative to the repo) for generated ones: the only
// build-time seams, src/wasm/location.ts, src/entries/inline-wasm.ts and (in the Node entry) src/index.ts
// and src/entries/node-lazy.ts.
function replace(files) {
  return {
    name: 'deltaflow-replace',
    setup(b) {
      b.onLoad({ filter: /[\\/]src[\\/](wasm[\\/]location|entries[\\/]inline-wasm|entries[\\/]node-lazy|index)\.ts$/ }, (args) => {
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
    buildDefault(outDir, common),
    build({ ...common, entryPoints: ['src/entries/workers.ts'], outfile: BUNDLES.workers, plugins: [replace(nextToBundle)] }),
    build({
      ...common,
      entryPoints: ['src/entries/inline.ts'],
      outfile: BUNDLES.inline,
      plugins: [replace({ ...nextToBundle, 'src/entries/inline-wasm.ts': `export const WASM_GZIP_BASE64: string = ${JSON.stringify(gzipSync(wasm, { level: 9 }).toString('base64'))};\n` })],
    }),
    copyFile(threadsWasmPath, BUNDLES.threadsWasm),
    copyFile(wasmPath, BUNDLES.wasm),
    copyFile(relaxedWasmPath, BUNDLES.relaxedWasm),
  ]);
  await buildNode({ outDir });
  // What the core bundle is made of: minified bytes per top-level source folder (src/io, src/model, …).
  const composition = {};
  for (const [input, { bytesInOutput }] of Object.entries(Object.values(core.metafile.outputs)[0].inputs)) {
    const area = input.split('/').slice(0, 2).join('/');
    composition[area] = (composition[area] ?? 0) + bytesInOutput;
  }
  return { ...(await sizes(BUNDLES)), composition: Object.fromEntries(Object.entries(composition).sort((a, b) => b[1] - a[1])) };
}

/**
 * The Node entry (dist/bundles/node/): deltaflow.js, the training core, and extras.js, its io, data, plot
 * and text, which deltaflow.js requires the first time one is used (entries/node-lazy.ts), sharing the
 * core's classes through one chunk-<hash>.js beside them. A few files, not ~60 modules: importing those
 * cost Node ~40 ms, one file ~7; and the core alone parses in about half the time of all of it. The
 * subpaths resolve under the `node` condition to thin re-exports of those files (one module graph, so one
 * runtime and one set of classes), and so do the browser's (views/, of deltaflow.full.js) when
 * buildBundles built that. The command line (node/cli.js) imports the Node entry rather than carrying a
 * second copy of the engine.
 */
export async function buildNode({ outDir = out } = {}) {
  const { node: file, cli } = bundlePaths(outDir);
  const dir = dirname(file);
  await mkdir(dir, { recursive: true });
  await Promise.all((await readdir(dir)).filter((f) => /^chunk-\w+\.js$/.test(f)).map((f) => rm(join(dir, f))));
  const common = {
    bundle: true,
    format: 'esm',
    target: 'es2022',
    platform: 'node',
    external: ['node:*'],
    // Not minified: an uncaught error prints its source line, and a stack trace reads as the sources do
    // (start-up is the same within noise: what V8 parses is what costs, and minifying saves ~10% of it).
    legalComments: 'none',
    charset: 'utf8',
    logLevel: 'warning',
    absWorkingDir: root,
  };
  await Promise.all([
    // The .wasm copied next to the bundles, one folder up. The io, data, plot and text code (extras.js)
    // is required on first use, synchronously, as their API is: require() of an ES module (Node ≥ 20.19, Deno, Bun).
    build({
      ...common,
      entryPoints: { [basename(file, '.js')]: 'src/entries/node.ts', extras: 'src/entries/node-extras.ts' },
      outdir: dir,
      splitting: true,
      chunkNames: 'chunk-[hash]',
      plugins: [replace({ ...wasmAt('../'), 'src/index.ts': "export * from './entries/node-index.js';\n", 'src/entries/node-lazy.ts': NODE_LAZY })],
    }),
    build({ ...common, entryPoints: ['src/cli/main.ts'], outfile: cli, plugins: [nodeEntryExternal] }),
  ]);
  await writeViews(dir, './deltaflow.js', './extras.js', await import(`${pathToFileURL(join(dir, 'extras.js')).href}?t=${Date.now()}`));
}

// entries/node-lazy.ts in the Node bundle: extras.js, required the first time df.io, df.data, df.plot,
// df.text, loadLayersModel, model.save or layer.getConfig is used. Not there (a bundle of the Node entry
// that did not copy the folder): an error that says where it was looked for and what to copy.
const NODE_LAZY = `import { createRequire } from 'node:module';
let extras: unknown;
export function loadExtras(): any {
  if (extras) return extras;
  const url = new URL('./extras.js', import.meta.url);
  try {
    return (extras = createRequire(import.meta.url)('./extras.js'));
  } catch (e) {
    if ((e as { code?: string })?.code !== 'MODULE_NOT_FOUND' && (e as { code?: string })?.code !== 'ERR_MODULE_NOT_FOUND') throw e;
    throw new Error(
      \`deltaflow: df.io, df.data, df.plot and df.text (and loadLayersModel, model.save, layer.getConfig) load from extras.js next to the Node entry, which is not at \${url.href}: \` +
        'a bundle of the Node entry needs the files of dist/bundles/node/ (extras.js, chunk-*.js) next to it, as it needs deltaflow.wasm one folder up',
      { cause: e },
    );
  }
}
`;

// The subpaths of the `default` condition, built together; src/index.ts re-exports them.
const SUBPATHS = { core: './core.js', io: './io/index.js', data: './data/index.js', plot: './plot/index.js', text: './text/index.js' };
// Built with them, not a subpath: the core as src/index.ts re-exports it, whose ready() registers model.save's
// on-demand loader, import('./io.js'), which a bundler may split off.
const SIDE_ENTRIES = { main: './entries/main.js' };

/**
 * The `default` condition's files: the subpaths' sources built together with code splitting, the shared
 * code in chunk-<hash>.js files beside them (old chunks removed first), and deltaflow.full.js, which is
 * src/index.ts itself with its imports pointed at them: its `export * as data` stays a re-export, so a
 * bundler drops df.data and df.plot when they are unused. Every file sits next to the .wasm, so the
 * URLs it makes are './deltaflow.wasm' wherever a bundler puts it.
 */
async function buildDefault(outDir, common) {
  await mkdir(outDir, { recursive: true });
  await Promise.all((await readdir(outDir)).filter((f) => /^chunk-\w+\.js$/.test(f)).map((f) => rm(join(outDir, f))));
  const all = { ...SUBPATHS, ...SIDE_ENTRIES };
  const entries = Object.fromEntries(Object.entries(all).map(([name, from]) => [name, join('src', from.replace(/\.js$/, '.ts'))]));
  await build({ ...common, minify: false, entryPoints: entries, outdir: outDir, splitting: true, entryNames: '[name]', chunkNames: 'chunk-[hash]', plugins: [replace(nextToBundle)] });
  const index = await transform(await readFile(join(root, 'src', 'index.ts'), 'utf8'), { loader: 'ts', format: 'esm', target: 'es2022' });
  const byFile = Object.fromEntries(Object.entries(all).map(([name, from]) => [from, `./${name}.js`]));
  const code = index.code.replace(/((?:from|import)\s*)(["'])([^"']+)\2/g, (_, f, q, spec) => {
    if (!byFile[spec]) throw new Error(`build-bundles: src/index.ts imports ${spec}, which is not one of the entries ${Object.values(all).join(', ')}`);
    return `${f}${q}${byFile[spec]}${q}`;
  });
  await writeFile(join(outDir, 'deltaflow.full.js'), `// Generated by scripts/build-bundles.mjs from src/index.ts: the full API over the subpath entries beside it.\n${code}`);
}

// The command line's imports of src/entries/node.ts become imports of the Node bundle next to it.
const nodeEntryExternal = {
  name: 'deltaflow-node-entry',
  setup(b) {
    b.onResolve({ filter: /(^|\/)entries\/node\.js$/ }, () => ({ path: './deltaflow.js', external: true }));
  },
};

/** core.js, io.js, data.js, plot.js and text.js in `dir` (node/): the subpaths as re-exports of `target`, the full API. */
async function writeViews(dir, target, extras, mod) {
  await mkdir(dir, { recursive: true });
  const names = (ns) => Object.keys(ns).filter((k) => k !== 'default').sort();
  const shim = (body, of = target) => `// Generated by scripts/build-bundles.mjs: a view of ${of}, so every subpath shares one module graph.\n${body}\n`;
  const view = (name) => shim(`import { ${name} } from '${extras}';\nexport const { ${names(mod[name]).join(', ')} } = ${name};`, extras);
  await Promise.all([
    writeFile(join(dir, 'core.js'), shim(`export * from '${target}';`)),
    writeFile(join(dir, 'io.js'), shim(`export { loadLayersModel, io } from '${extras}';\nexport { ModelFormatError } from '${target}';`, `${target} and ${extras}`)),
    writeFile(join(dir, 'data.js'), view('data')),
    writeFile(join(dir, 'plot.js'), view('plot')),
    writeFile(join(dir, 'text.js'), view('text')),
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
  const dir = dirname(BUNDLES.core);
  const chunks = (await readdir(dir)).filter((f) => /^chunk-\w+\.js$/.test(f)).map((f) => join(dir, f));
  const sides = Object.keys(SIDE_ENTRIES).map((name) => join(dir, `${name}.js`));
  const files = [['core', BUNDLES.core], ['workers', BUNDLES.workers], ['inline', BUNDLES.inline], ...[BUNDLES.full, ...Object.values(BUNDLES.subpaths), ...sides, ...chunks].map((f) => ['full', f])];
  for (const [bundle, file] of files) {
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
