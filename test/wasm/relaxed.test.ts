// The relaxed-SIMD opt-in (src/wasm/relaxed.ts) where the runtime has no relaxed SIMD, as in Node 20
// without --experimental-wasm-relaxed-simd: detection says so, ready({ relaxedSimd: true }) warns once and
// runs the default build, whose results are the default build's to the bit; bad option values are refused.
// The relaxed build itself is tested with the flag, in the *.relaxed.test.ts files (vitest.config.ts).
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

type Df = typeof import('../../src/core.js');
type Relaxed = typeof import('../../src/wasm/relaxed.js');

const FLAG = '--experimental-wasm-relaxed-simd';
const major = Number(process.versions.node.split('.')[0]);
/** Relaxed SIMD is on by default from Node 22 (V8 11.4+ ships it); Node 20 has it behind the flag. */
const hasRelaxed = process.execArgv.includes(FLAG) || major >= 22;
const standardBytes = readFileSync(new URL('../../build/deltaflow.wasm', import.meta.url));

/** A fresh copy of the library (its own runtime, its own warn-once state). */
async function fresh(): Promise<{ df: Df; relaxed: Relaxed }> {
  vi.resetModules();
  return { df: await import('../../src/core.js'), relaxed: await import('../../src/wasm/relaxed.js') };
}

/** Console warnings from deltaflow while `fn` runs; where the runtime has relaxed SIMD, detection is made to fail. */
async function withoutRelaxed<T>(fn: () => Promise<T>): Promise<{ result: T; warnings: string[] }> {
  const warnings: string[] = [];
  const warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => void warnings.push(args.join(' ')));
  const validate = WebAssembly.validate;
  if (hasRelaxed) WebAssembly.validate = () => false;
  try {
    return { result: await fn(), warnings: warnings.filter((w) => w.startsWith('deltaflow:')) };
  } finally {
    WebAssembly.validate = validate;
    warn.mockRestore();
  }
}

/** A few Adam steps on fixed data; the weights and predictions after them, as bits. */
async function train(df: Df): Promise<Uint32Array[]> {
  const x: number[][] = [];
  const y: number[][] = [];
  for (let i = 0; i < 64; i++) {
    x.push(Array.from({ length: 20 }, (_, j) => Math.sin(i * 0.37 + j * 1.1)));
    y.push([0, 1, 2].map((c) => (c === i % 3 ? 1 : 0)));
  }
  const model = df.sequential({
    seed: 5,
    layers: [
      df.layers.dense({ units: 37, activation: 'relu', inputShape: [20] }),
      df.layers.dense({ units: 3, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.01 }), loss: 'categoricalCrossentropy' });
  await model.fit(x, y, { epochs: 3, batchSize: 16, verbose: 0 });
  const bits = (t: { dataSync(): Float32Array }) => new Uint32Array(Float32Array.from(t.dataSync()).buffer);
  return [...model.getWeights().map(bits), bits(model.predict(x))];
}

afterEach(() => vi.restoreAllMocks());

describe('relaxed SIMD detection', () => {
  it.skipIf(major === 21)(`says ${hasRelaxed} in this runtime (Node ${major}${process.execArgv.includes(FLAG) ? ' with ' + FLAG : ''})`, async () => {
    const { relaxed } = await fresh();
    expect(relaxed.relaxedSimdSupported()).toBe(hasRelaxed);
  });

  it('its probe is a valid SIMD module but for the relaxed opcode', () => {
    // The same function with f32x4.add (0xfd 0xe4 0x01) and two operands: valid wherever SIMD is.
    const simd = new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 1, 6, 1, 0x60, 1, 0x7b, 1, 0x7b, 3, 2, 1, 0, 10, 11, 1, 9, 0, 0x20, 0, 0x20, 0, 0xfd, 0xe4, 0x01, 0x0b]);
    expect(WebAssembly.validate(simd)).toBe(true);
  });

  it('the default build is the default: ready() runs simd128', async () => {
    const { df } = await fresh();
    expect(() => df.wasmSimd()).toThrow(/not ready/);
    await df.ready();
    expect(df.wasmSimd()).toBe('simd128');
  });
});

describe('ready({ relaxedSimd: true }) without relaxed SIMD', () => {
  it('warns once, naming why and how to enable it, and runs the default build', async () => {
    const { result: simd, warnings } = await withoutRelaxed(async () => {
      const { df, relaxed } = await fresh();
      await df.ready({ relaxedSimd: true });
      expect(relaxed.useRelaxedSimd({ relaxedSimd: true })).toBe(false); // asked again: no second warning
      return df.wasmSimd();
    });
    expect(simd).toBe('simd128');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no WebAssembly relaxed SIMD; running the default SIMD build/);
    expect(warnings[0]).toContain(FLAG);
  });

  it('computes what the default build computes, bit for bit', async () => {
    const { result: fallback } = await withoutRelaxed(async () => {
      const { df } = await fresh();
      await df.ready({ relaxedSimd: true, relaxedSimdWasm: new URL('../../build/does-not-exist.wasm', import.meta.url) });
      return train(df);
    });
    const { df } = await fresh();
    await df.ready();
    const standard = await train(df);
    expect(fallback.length).toBe(standard.length);
    fallback.forEach((bits, i) => expect(bits).toEqual(standard[i]));
  });

  it('keeps a module given as { module } or { bytes } for the fallback', async () => {
    const { result, warnings } = await withoutRelaxed(async () => {
      const { df } = await fresh();
      await df.ready({ relaxedSimd: true, bytes: standardBytes });
      return df.wasmSimd();
    });
    expect(result).toBe('simd128');
    expect(warnings).toHaveLength(1);
  });
});

describe('relaxed SIMD options', () => {
  it('relaxedSimd: false (or left out) loads the default build without a word, relaxedSimdWasm or not', async () => {
    const { warnings, result } = await withoutRelaxed(async () => {
      const { df } = await fresh();
      await df.ready({ relaxedSimd: false, relaxedSimdWasm: new URL('file:///nowhere/deltaflow.relaxed.wasm') });
      return df.wasmSimd();
    });
    expect(result).toBe('simd128');
    expect(warnings).toEqual([]);
  });

  it.each([
    ['relaxedSimd: "yes"', { relaxedSimd: 'yes' }, /relaxedSimd must be true or false, got "yes"/],
    ['relaxedSimd: 1', { relaxedSimd: 1 }, /relaxedSimd must be true or false, got number 1/],
    ['relaxedSimd: null', { relaxedSimd: null }, /relaxedSimd must be true or false, got null/],
    ['relaxedSimdWasm: 42', { relaxedSimd: true, relaxedSimdWasm: 42 }, /relaxedSimdWasm must be the relaxed build's URL \(string or URL\), its bytes .* got number 42/],
    ['relaxedSimdWasm: {}', { relaxedSimd: true, relaxedSimdWasm: {} }, /relaxedSimdWasm must be .* got Object/],
    ['relaxedSimdWasm without relaxedSimd', { relaxedSimdWasm: standardBytes }, /relaxedSimdWasm is given but relaxedSimd is not: pass relaxedSimd: true/],
  ])('%s is refused with a clear error, and a later ready() still works', async (_, options, message) => {
    const { df } = await fresh();
    await expect(df.ready(options as never)).rejects.toThrow(message);
    await df.ready();
    expect(df.wasmSimd()).toBe('simd128');
  });

  it('the Workers entry needs the precompiled relaxed build as well, and falls back to `module`', async () => {
    vi.resetModules();
    const workers = await import('../../src/entries/workers.js');
    const module = await WebAssembly.compile(standardBytes);
    await expect(workers.ready({ module, relaxedSimd: true })).rejects.toThrow(/relaxedSimd needs the precompiled relaxed build .*deltaflow\/deltaflow\.relaxed\.wasm/);
    const { result, warnings } = await withoutRelaxed(async () => {
      await workers.ready({ module, relaxedSimd: true, relaxedSimdWasm: module });
      return workers.wasmSimd();
    });
    expect(result).toBe('simd128');
    expect(warnings).toHaveLength(1);
  });
});
