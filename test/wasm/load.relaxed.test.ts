// ready({ relaxedSimd: true }) where the runtime has relaxed SIMD (this project runs with it, see
// vitest.config.ts): detection says so, and the relaxed build loads from the file next to the package or
// from relaxedSimdWasm as a URL, bytes or a compiled module, with the same layout check as the default.
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it, vi } from 'vitest';

type Df = typeof import('../../src/core.js');

const relaxedUrl = new URL('../../build/deltaflow.relaxed.wasm', import.meta.url);
const relaxedBytes = readFileSync(relaxedUrl);
const standardBytes = readFileSync(new URL('../../build/deltaflow.wasm', import.meta.url));

async function fresh(): Promise<Df> {
  vi.resetModules();
  return import('../../src/core.js');
}

afterEach(() => vi.restoreAllMocks());

describe('with relaxed SIMD', () => {
  it('detection says so', async () => {
    const df = await fresh();
    expect(df.relaxedSimdSupported()).toBe(true);
  });

  it('ready() alone still runs the default build', async () => {
    const df = await fresh();
    await df.ready();
    expect(df.wasmSimd()).toBe('simd128');
  });

  it.each([
    ['next to the package', {}],
    ['relaxedSimdWasm as a file: URL', { relaxedSimdWasm: relaxedUrl }],
    ['relaxedSimdWasm as a URL string', { relaxedSimdWasm: relaxedUrl.href }],
    ['relaxedSimdWasm as bytes', { relaxedSimdWasm: relaxedBytes }],
    ['relaxedSimdWasm as an ArrayBuffer', { relaxedSimdWasm: relaxedBytes.buffer.slice(relaxedBytes.byteOffset, relaxedBytes.byteOffset + relaxedBytes.byteLength) }],
  ])('loads the relaxed build from %s, silently', async (_, extra) => {
    const warn = vi.spyOn(console, 'warn');
    const df = await fresh();
    await df.ready({ relaxedSimd: true, ...extra });
    expect(df.wasmSimd()).toBe('relaxed-simd');
    expect(warn).not.toHaveBeenCalled();
  });

  it('takes relaxedSimdWasm as a compiled module, over { module } (kept for runtimes without relaxed SIMD)', async () => {
    const df = await fresh();
    const [relaxed, standard] = await Promise.all([WebAssembly.compile(relaxedBytes), WebAssembly.compile(standardBytes)]);
    await df.ready({ relaxedSimd: true, relaxedSimdWasm: relaxed, module: standard });
    expect(df.wasmSimd()).toBe('relaxed-simd');
  });

  it('reports whichever build a module is, however it was given', async () => {
    const df = await fresh();
    await df.ready({ module: await WebAssembly.compile(relaxedBytes) });
    expect(df.wasmSimd()).toBe('relaxed-simd');
  });

  it('a relaxed build that cannot be found is an error saying what to do', async () => {
    const df = await fresh();
    await expect(df.ready({ relaxedSimd: true, relaxedSimdWasm: new URL('../../build/missing.relaxed.wasm', import.meta.url) })).rejects.toThrow(
      /could not load the relaxed-SIMD build \(.*missing\.relaxed\.wasm.*\); pass its location as relaxedSimdWasm, or leave out relaxedSimd/,
    );
    await expect(df.ready({ relaxedSimd: true, relaxedSimdWasm: new Uint8Array([1, 2, 3]) })).rejects.toThrow(/could not load the relaxed-SIMD build/);
    await df.ready({ relaxedSimd: true }); // not stuck on the failures
    expect(df.wasmSimd()).toBe('relaxed-simd');
  });

  it('the Workers entry takes the precompiled relaxed build', async () => {
    vi.resetModules();
    const workers = await import('../../src/entries/workers.js');
    const [relaxed, module] = await Promise.all([WebAssembly.compile(relaxedBytes), WebAssembly.compile(standardBytes)]);
    await workers.ready({ module, relaxedSimd: true, relaxedSimdWasm: relaxed });
    expect(workers.wasmSimd()).toBe('relaxed-simd');
  });
});
