// The thread pool's life: setThreads/getThreads and ready({ threads }), resizing and stopping, models
// that stay in the module they were built in, the Heap over shared memory, a trapping chunk turning
// into an error instead of a hang, and Node processes that exit with workers running.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as df from '../../src/index.js';
import { getRuntime, type Runtime } from '../../src/wasm/load.js';
import type { ThreadKernels } from '../../src/wasm/threads.js';
import { ACT_RELU } from '../../src/shared/ids.js';
import { GEMM_SCRATCH_FLOATS } from '../../src/shared/plan.js';
import { rng, uniform } from '../helpers/random.js';

const xor = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };
const xorModel = () => {
  const m = df.sequential({ seed: 4, layers: [df.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  return m;
};
const bits = (m: df.Sequential) => m.getWeights().map((w) => Array.from(new Uint32Array(w.dataSync().buffer)));

let single: Runtime;
// Built before any thread exists: they live in the single-thread module.
let early: df.Sequential;
let earlyOptimizer: df.Optimizer;
const params = new Float32Array([1, -2, 3]);

beforeAll(async () => {
  await df.ready();
  single = getRuntime();
  early = xorModel();
  early.getWeights();
  earlyOptimizer = df.optimizers.adam({ learningRate: 0.1 });
  earlyOptimizer.applyGradients(params, [0.5, 0.5, -0.5]);
});

afterAll(async () => {
  await df.setThreads(1);
});

describe('setThreads', () => {
  it('starts, resizes and stops the pool; getThreads follows', async () => {
    expect(df.getThreads()).toBe(1);
    expect(await df.setThreads(2)).toBe(2);
    expect(df.getThreads()).toBe(2);
    const k = getRuntime().kernels as ThreadKernels;
    expect(getRuntime()).not.toBe(single);
    expect(k.threads_count()).toBe(2);
    expect(await df.setThreads(3)).toBe(3);
    expect(k.threads_count()).toBe(3);
    expect(await df.setThreads(1)).toBe(1);
    expect(df.getThreads()).toBe(1);
    expect(k.threads_count()).toBe(1);
    // ready({ threads }) is the same switch; 'auto' is one thread per core.
    await df.ready({ threads: 2 });
    expect(df.getThreads()).toBe(2);
    const auto = await df.setThreads('auto');
    expect(auto).toBeGreaterThanOrEqual(1);
    expect(df.getThreads()).toBe(auto);
    await df.setThreads(2);
  });

  it('rejects counts that are not whole numbers from 1', async () => {
    for (const bad of [0, -1, 1.5, NaN, 'four' as unknown as number, 1000]) {
      await expect(df.setThreads(bad)).rejects.toThrow(/threads must be an integer/);
    }
    expect(df.getThreads()).toBe(2);
  });

  it('calls made in a row apply in order', async () => {
    const results = await Promise.all([df.setThreads(3), df.setThreads(1), df.setThreads(2)]);
    expect(results).toEqual([3, 1, 2]);
    expect(df.getThreads()).toBe(2);
  });
});

describe('models and runtimes', () => {
  it('models and optimizers from before setThreads stay in the single-thread module and keep working', async () => {
    await df.setThreads(2);
    const late = xorModel();
    late.getWeights();
    expect(early.rt).toBe(single);
    expect(late.rt).toBe(getRuntime());
    expect(late.rt).not.toBe(single);
    await early.fit(xor.x, xor.y, { epochs: 50, batchSize: 4, verbose: 0 });
    await late.fit(xor.x, xor.y, { epochs: 50, batchSize: 4, verbose: 0 });
    // Same seed and data in either module: the same bits.
    expect(bits(early)).toEqual(bits(late));
    expect(Array.from(early.predict(xor.x).dataSync())).toEqual(Array.from(late.predict(xor.x).dataSync()));
    // The optimizer's state stayed in the single-thread heap; a new one steps in the threaded heap.
    const fresh = df.optimizers.adam({ learningRate: 0.1 });
    const other = new Float32Array([1, -2, 3]);
    fresh.applyGradients(other, [0.5, 0.5, -0.5]);
    expect(Array.from(other)).toEqual(Array.from(params));
    earlyOptimizer.applyGradients(params, [0.5, 0.5, -0.5]);
    fresh.applyGradients(other, [0.5, 0.5, -0.5]);
    expect(Array.from(other)).toEqual(Array.from(params));
  });

  it('the Heap works over shared memory: growth gives a new SharedArrayBuffer and views follow it', () => {
    const { heap } = getRuntime();
    expect(heap.memory.buffer).toBeInstanceOf(SharedArrayBuffer);
    const a = heap.alloc(16);
    heap.f32(a, 4).set([1, 2, 3, 4]);
    const before = heap.memory.buffer;
    const big = heap.alloc(heap.memoryBytes + 5 * 65536);
    expect(heap.memory.buffer).not.toBe(before);
    expect(Array.from(heap.f32(a, 4))).toEqual([1, 2, 3, 4]);
    heap.f32(big, 16).fill(7);
    expect(heap.readF32(big + 60, 1)[0]).toBe(7);
    heap.free(big);
    heap.free(a);
  });
});

describe('failures', () => {
  it('a chunk that traps makes the call throw instead of hanging, and later calls are right again', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      await df.setThreads(2);
      const rt = getRuntime();
      const k = rt.kernels as ThreadKernels;
      const m = 64, n = 64, kk = 64;
      const next = rng(8);
      const a = rt.heap.alloc(m * kk * 4), b = rt.heap.alloc(kk * n * 4), c = rt.heap.alloc(m * n * 4);
      const scratch = rt.heap.alloc(GEMM_SCRATCH_FLOATS * 4);
      rt.heap.writeF32(a, uniform(next, m * kk));
      rt.heap.writeF32(b, uniform(next, kk * n));
      // C's last rows lie past the end of memory: whichever thread takes those chunks traps.
      const outside = rt.heap.memoryBytes - 20 * n * 4;
      expect(() => k.mt_gemm_nn(m, n, kk, a, kk, b, n, outside, n, 0, ACT_RELU, 0, scratch)).toThrow();
      await new Promise((r) => setTimeout(r, 100));
      // Whatever happened (the caller or a worker trapped, the pool stopped or not), the next calls are right.
      for (let round = 0; round < 2; round++) {
        const mine = k.mt_gemm_nn.bind(k);
        try {
          mine(m, n, kk, a, kk, b, n, c, n, 0, ACT_RELU, 0, scratch);
        } catch {
          // A worker's failure may surface on the first call after it (then the pool is stopped).
          await new Promise((r) => setTimeout(r, 100));
          mine(m, n, kk, a, kk, b, n, c, n, 0, ACT_RELU, 0, scratch);
        }
        const got = rt.heap.readF32(c, m * n);
        k.f32_gemm_nn(m, n, kk, a, kk, b, n, c, n, 0, ACT_RELU, 0, scratch);
        expect(Array.from(got)).toEqual(Array.from(rt.heap.readF32(c, m * n)));
        expect(await df.setThreads(2)).toBe(2);
      }
      for (const p of [a, b, c, scratch]) rt.heap.free(p);
    } finally {
      warn.mockRestore();
    }
  });
});

describe('Node processes', () => {
  const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
  const run = (body: string) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', `import * as df from ${JSON.stringify(dist)};\n${body}`], { encoding: 'utf8', timeout: 60_000 });

  it.skipIf(!existsSync(dist))('exit with workers still running (they are unref\'d), and after setThreads(1)', () => {
    const train = `
      const m = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 64, activation: 'relu', inputShape: [32] }), df.layers.dense({ units: 1 })] });
      m.compile({ optimizer: 'adam', loss: 'mse' });
      const x = { data: new Float32Array(512 * 32).map((_, i) => Math.sin(i)), shape: [512, 32] };
      const y = { data: new Float32Array(512).map((_, i) => Math.cos(i)), shape: [512, 1] };
      await m.fit(x, y, { epochs: 2, batchSize: 256, verbose: 0 });`;
    const running = run(`console.log(await df.setThreads(2));${train}\nconsole.log('done');`);
    expect(running.status, running.stderr).toBe(0);
    expect(running.stdout.trim().split('\n')).toEqual(['2', 'done']);
    const stopped = run(`await df.setThreads(2);${train}\nconsole.log(await df.setThreads(1));`);
    expect(stopped.status, stopped.stderr).toBe(0);
    expect(stopped.stdout.trim()).toBe('1');
  });
});
