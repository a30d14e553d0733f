// Where threads cannot run, setThreads falls back to one thread with one clear warning, and training
// works as before: no SharedArrayBuffer (a browser page that is not cross-origin isolated), a missing or
// broken threaded module. Its own file: it needs a process where no threaded runtime exists yet.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import * as df from '../../src/index.js';
import { threadsUnavailable } from '../../src/wasm/threads.js';

const xor = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };

async function trainXor(): Promise<number[]> {
  const m = df.sequential({ seed: 4, layers: [df.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  const h = await m.fit(xor.x, xor.y, { epochs: 30, batchSize: 4, verbose: 0 });
  return h.history.loss;
}

let warn: ReturnType<typeof vi.spyOn>;
beforeEach(() => {
  warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
});
afterEach(() => {
  warn.mockRestore();
});

describe('fallback to one thread', () => {
  it('without SharedArrayBuffer: one warning that says why and what to do, then training as usual', async () => {
    const sab = globalThis.SharedArrayBuffer;
    // @ts-expect-error: simulating an environment without shared memory
    delete globalThis.SharedArrayBuffer;
    try {
      expect(threadsUnavailable()).toMatch(/SharedArrayBuffer/);
      expect(await df.setThreads(2)).toBe(1);
      expect(await df.setThreads(4)).toBe(1);
      await df.ready({ threads: 2 });
      expect(df.getThreads()).toBe(1);
      expect(warn).toHaveBeenCalledTimes(1);
      expect(String(warn.mock.calls[0][0])).toMatch(/deltaflow: threads unavailable: .*SharedArrayBuffer.*one thread/);
      const loss = await trainXor();
      expect(loss.at(-1)!).toBeLessThan(loss[0]);
    } finally {
      globalThis.SharedArrayBuffer = sab;
    }
  });

  it('a page that is not cross-origin isolated is told about COOP/COEP', () => {
    const g = globalThis as { crossOriginIsolated?: boolean };
    g.crossOriginIsolated = false;
    try {
      expect(threadsUnavailable()).toMatch(/Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp/);
    } finally {
      delete g.crossOriginIsolated;
    }
    expect(threadsUnavailable()).toBeUndefined();
  });

  it('a threaded module that cannot be loaded: one warning, one thread', async () => {
    expect(await df.setThreads(2, { threadsWasm: new Uint8Array([0, 97, 115, 109, 1, 0, 0]) })).toBe(1);
    expect(await df.setThreads(2, { threadsWasm: new URL('file:///nonexistent/deltaflow.threads.wasm') })).toBe(1);
    expect(df.getThreads()).toBe(1);
    expect(warn).toHaveBeenCalledTimes(2);
    for (const [msg] of warn.mock.calls) expect(String(msg)).toMatch(/could not load the threaded module .*one thread/);
    const loss = await trainXor();
    expect(loss.at(-1)!).toBeLessThan(loss[0]);
  });

  it('with shared memory back, the same call starts the threads', async () => {
    expect(await df.setThreads(2)).toBe(2);
    expect(warn).not.toHaveBeenCalled();
    const loss = await trainXor();
    expect(loss.at(-1)!).toBeLessThan(loss[0]);
    expect(await df.setThreads(1)).toBe(1);
  });
});
