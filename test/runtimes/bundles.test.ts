// The prebuilt bundles (scripts/build-bundles.mjs), built into a scratch directory: the core, the Workers
// entry and the single-file build contain no Node built-in, no require, no eval and no new Function; the
// Workers build has no way to compile bytes; the single-file build and the Workers build work.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildBundles, bundlePaths, checkBundles, type BundlePaths, type Problem } from '../../scripts/build-bundles.mjs';

let dir: string;
let paths: BundlePaths;
let problems: Problem[];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deltaflow-bundles-'));
  await buildBundles({ outDir: dir });
  paths = bundlePaths(dir);
  problems = await checkBundles(paths);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const where = (list: Problem[]) => list.map((p) => `${p.what} in …${p.context}…`);

describe('bundles', () => {
  for (const bundle of ['core', 'workers', 'inline'] as const) {
    it(`the ${bundle} bundle has no node: specifier, require(, eval( or new Function`, () => {
      expect(where(problems.filter((p) => p.bundle === bundle && !p.what.startsWith('WebAssembly') && !p.what.startsWith('new WebAssembly')))).toEqual([]);
    });
  }

  it('the Workers bundle cannot compile WebAssembly from bytes', () => {
    expect(where(problems.filter((p) => p.bundle === 'workers' && /WebAssembly/.test(p.what)))).toEqual([]);
  });

  it('the single-file build instantiates its inlined module and predicts', async () => {
    const df = await import(pathToFileURL(paths.inline).href);
    await df.ready();
    const model = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
    const p = model.predict([[1, 2, 3]]).dataSync();
    expect(p.length).toBe(2);
    expect(p[0] + p[1]).toBeCloseTo(1, 5);
  });

  it('the single-file build inlines the default module only; the relaxed-SIMD build is a file next to the bundles', async () => {
    const { gunzipSync } = await import('node:zlib');
    const text = await readFile(paths.inline, 'utf8');
    const inlined = [...text.matchAll(/["'`]([A-Za-z0-9+/]{2000,}={0,2})["'`]/g)].map((m) => gunzipSync(Buffer.from(m[1], 'base64')));
    expect(inlined).toHaveLength(1);
    expect(inlined[0].equals(await readFile(paths.wasm))).toBe(true);
    const relaxed = await readFile(paths.relaxedWasm);
    expect(relaxed.equals(await readFile(join(__dirname, '..', '..', 'build', 'deltaflow.relaxed.wasm')))).toBe(true);
    expect(relaxed.equals(await readFile(paths.wasm))).toBe(false);
  });

  it('the Workers bundle asks for the precompiled module, then runs from it', async () => {
    const df = await import(pathToFileURL(paths.workers).href);
    await expect(df.ready()).rejects.toThrow(/precompiled module/);
    await expect(df.ready({})).rejects.toThrow(/deltaflow\/deltaflow\.wasm/);
    const module = await WebAssembly.compile(await readFile(paths.wasm));
    await df.ready({ module });
    const model = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 1, inputShape: [2] })] });
    expect(model.predict([[1, 1]]).dataSync().length).toBe(1);
  });
});

describe('README runtime snippets', () => {
  it('has a snippet for every runtime the matrix runs', async () => {
    const { readSnippets } = await import('../../scripts/runtimes/lib/snippets.mjs');
    const snippets = await readSnippets(join(__dirname, '..', '..', 'README.md'));
    expect(Object.keys(snippets).sort()).toEqual(['browser', 'bun', 'bundler', 'deno', 'node', 'workerd']);
    expect(snippets.workerd['wrangler.toml']).toMatch(/type = "CompiledWasm"/);
    // esbuild's build script bundles the bundler snippet's main.js and puts the .wasm next to its output.
    expect(Object.keys(snippets.bundler).sort()).toEqual(['build.mjs', 'index.html', 'main.js']);
    expect(snippets.bundler['build.mjs']).toMatch(/entryPoints: \['main\.js'\][\s\S]*copyFile\('node_modules\/deltaflow\/dist\/bundles\/deltaflow\.wasm', 'out\/deltaflow\.wasm'\)/);
    for (const files of Object.values(snippets) as Record<string, string>[]) {
      expect(Object.values(files).join('\n')).toMatch(/df\.ready\(/);
    }
  });
});

describe('a runtime without FinalizationRegistry or SharedArrayBuffer', () => {
  it('still trains, frees on dispose(), and says so once', async () => {
    const g = globalThis as Record<string, unknown>;
    const saved = { FinalizationRegistry: g.FinalizationRegistry, SharedArrayBuffer: g.SharedArrayBuffer };
    const infos: string[] = [];
    const info = console.info;
    console.info = (...args: unknown[]) => void infos.push(args.join(' '));
    try {
      delete g.FinalizationRegistry;
      delete g.SharedArrayBuffer;
      // A fresh instance of the single-file build, evaluated without the two globals.
      const df = await import(`${pathToFileURL(paths.inline).href}?without-globals`);
      await df.ready();
      await df.ready();
      const model = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [2] })] });
      model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
      await model.fit([[0, 1], [1, 0]], [[1], [0]], { epochs: 2, batchSize: 2, verbose: 0 });
      model.dispose();
      expect(() => model.predict([[0, 1]])).toThrow(/disposed/);
      expect(df.capabilities()).toMatchObject({ finalizationRegistry: false, sharedArrayBuffer: false });
    } finally {
      Object.assign(g, saved);
      console.info = info;
    }
    expect(infos.filter((l) => l.startsWith('deltaflow:'))).toEqual([
      // Threads were never asked for: nothing about SharedArrayBuffer.
      'deltaflow: this runtime has no FinalizationRegistry, so a model is freed only by model.dispose().',
    ]);
  });
});
