// The prebuilt bundles with relaxed SIMD enabled (vitest.config.ts): each finds deltaflow.relaxed.wasm next
// to itself when asked for it, the single-file build included (which inlines only the default module), and
// the Workers bundle takes it precompiled.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { buildBundles, bundlePaths, type BundlePaths } from '../../scripts/build-bundles.mjs';

let dir: string;
let paths: BundlePaths;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deltaflow-bundles-relaxed-'));
  await buildBundles({ outDir: dir });
  paths = bundlePaths(dir);
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** Trains a step and predicts, so the module is not just loaded but run. */
async function exercise(df: { sequential: Function; layers: { dense: Function } }): Promise<void> {
  const model = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 2, activation: 'softmax', inputShape: [3] })] });
  model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
  await model.fit([[1, 2, 3]], [[0, 1]], { epochs: 1, verbose: 0 });
  const p = model.predict([[1, 2, 3]]).dataSync();
  expect(p[0] + p[1]).toBeCloseTo(1, 5);
}

describe('bundles with relaxed SIMD', () => {
  it.each(['core', 'full', 'inline'] as const)('the %s bundle loads deltaflow.relaxed.wasm from next to itself', async (bundle) => {
    const df = await import(pathToFileURL(paths[bundle]).href);
    await df.ready({ relaxedSimd: true });
    expect(df.wasmSimd()).toBe('relaxed-simd');
    await exercise(df);
  });

  it('the Workers bundle runs the precompiled relaxed build', async () => {
    const df = await import(pathToFileURL(paths.workers).href);
    const [module, relaxed] = await Promise.all([paths.wasm, paths.relaxedWasm].map(async (p) => WebAssembly.compile(await readFile(p))));
    await df.ready({ module, relaxedSimd: true, relaxedSimdWasm: relaxed });
    expect(df.wasmSimd()).toBe('relaxed-simd');
    await exercise(df);
  });
});
