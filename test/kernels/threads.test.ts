// The threaded build's split kernels (assembly/threads/pool.ts) against the single-thread module's
// kernels, bit for bit: GEMMs at shapes below, at and above the split granularity (4-row and 8-column
// tiles, a few chunks per thread), every activation forward and backward, the elementwise product and
// column sums; with 2 threads and with 3 (more threads than this machine may have cores). Guards around
// every output catch a chunk that writes outside its slice. The cost model: forced splitting posts a job per
// pass and workers take chunks; by default a pass is tried both ways (a try while the worker sleeps is
// not timed); small passes never split.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { getRuntime, ready, setThreads, type Runtime } from '../../src/wasm/load.js';
import type { ThreadKernels } from '../../src/wasm/threads.js';
import { rng, uniform } from '../helpers/random.js';
import * as ids from '../../src/shared/ids.js';
import { GEMM_SCRATCH_FLOATS } from '../../src/shared/plan.js';

let single: Runtime;
let threaded: Runtime;
let mt: ThreadKernels;

beforeAll(async () => {
  await ready();
  single = getRuntime();
  expect(await setThreads(2)).toBe(2);
  threaded = getRuntime();
  mt = threaded.kernels as ThreadKernels;
});

afterAll(async () => {
  await setThreads(1);
});

const GUARD = 8;
const SENTINEL = -7777.25;

/** Copies `data` into a runtime's heap after GUARD sentinels and before GUARD more; returns the data's offset. */
function place(rt: Runtime, data: Float32Array): number {
  const base = rt.heap.alloc((data.length + 2 * GUARD) * 4);
  rt.heap.f32(base, data.length + 2 * GUARD).fill(SENTINEL);
  rt.heap.writeF32(base + GUARD * 4, data);
  return base + GUARD * 4;
}

/** The data at `ptr`, checking both guards are intact, then frees the block. */
function take(rt: Runtime, ptr: number, len: number, what: string): Uint32Array {
  const all = rt.heap.readF32(ptr - GUARD * 4, len + 2 * GUARD);
  for (let i = 0; i < GUARD; i++) {
    if (all[i] !== SENTINEL || all[GUARD + len + i] !== SENTINEL) throw new Error(`${what}: guard overwritten`);
  }
  rt.heap.free(ptr - GUARD * 4);
  return new Uint32Array(all.slice(GUARD, GUARD + len).buffer);
}

/** Runs `call` in both runtimes on copies of the same inputs and returns the named outputs from each. */
function both(
  inputs: Record<string, Float32Array>,
  outputs: Record<string, number>,
  call: (rt: Runtime, threadedCall: boolean, p: Record<string, number>) => void,
): { one: Record<string, Uint32Array>; many: Record<string, Uint32Array> } {
  const run = (rt: Runtime, threadedCall: boolean) => {
    const p: Record<string, number> = {};
    for (const [name, data] of Object.entries(inputs)) p[name] = place(rt, data);
    for (const [name, len] of Object.entries(outputs)) p[name] = place(rt, new Float32Array(len).fill(SENTINEL));
    call(rt, threadedCall, p);
    const out: Record<string, Uint32Array> = {};
    for (const [name, len] of Object.entries(outputs)) out[name] = take(rt, p[name], len, name);
    for (const [name, data] of Object.entries(inputs)) take(rt, p[name], data.length, name);
    return out;
  };
  return { one: run(single, false), many: run(threaded, true) };
}

function expectSameBits(a: Uint32Array, b: Uint32Array, what: string): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) throw new Error(`${what}: element ${i} differs (${a[i].toString(16)} vs ${b[i].toString(16)})`);
}

// Fewer than 8 rows per thread, or 70 rows × 136 columns (wide C): column chunks; else row chunks.
const M = [1, 3, 4, 5, 8, 9, 13, 17, 33, 50, 70];
const N = [1, 3, 7, 8, 9, 17, 40, 136];
const K = [1, 5, 130];
const ACTS = [ids.ACT_LINEAR, ids.ACT_RELU, ids.ACT_SOFTMAX, ids.ACT_SIGMOID, ids.ACT_GELU];

function gemmCases(layout: 'nn' | 'tn' | 'nt', seed: number): void {
  const next = rng(seed);
  let count = 0;
  for (const m of M) {
    for (const n of N) {
      for (const k of K) {
        const pad = (m + n + k) % 3 === 0 ? 3 : 0; // some strided operands (C's padding must stay untouched)
        const [aRows, aCols] = layout === 'tn' ? [k, m] : [m, k];
        const [bRows, bCols] = layout === 'nt' ? [n, k] : [k, n];
        const lda = aCols + pad, ldb = bCols + pad, ldc = n + pad;
        const a = uniform(next, (aRows - 1) * lda + aCols);
        const b = uniform(next, (bRows - 1) * ldb + bCols);
        const act = ACTS[count++ % ACTS.length];
        const bias = layout === 'nn' && count % 2 === 0 ? uniform(next, n) : undefined;
        const { one, many } = both(
          { a, b, ...(bias ? { bias } : {}) },
          { c: (m - 1) * ldc + n, scratch: GEMM_SCRATCH_FLOATS },
          (rt, t, p) => {
            if (layout === 'nn') (t ? mt.mt_gemm_nn : rt.kernels.f32_gemm_nn)(m, n, k, p.a, lda, p.b, ldb, p.c, ldc, p.bias ?? 0, act, 0.2, p.scratch);
            else if (layout === 'tn') (t ? mt.mt_gemm_tn : rt.kernels.f32_gemm_tn)(m, n, k, p.a, lda, p.b, ldb, p.c, ldc, p.scratch);
            else (t ? mt.mt_gemm_nt : rt.kernels.f32_gemm_nt)(m, n, k, p.a, lda, p.b, ldb, p.c, ldc, p.scratch);
          },
        );
        expectSameBits(one.c, many.c, `${layout} m=${m} n=${n} k=${k} act=${act}${bias ? ' bias' : ''}`);
      }
    }
  }
}

describe.each([2, 3])('%i threads', (threads) => {
  beforeAll(async () => {
    expect(await setThreads(threads)).toBe(threads);
    expect(mt.threads_count()).toBe(threads);
  });

  describe('forced splitting (no size thresholds): every shape is cut into chunks', () => {
    beforeAll(() => mt.threads_tune(0, 0, -1, -1, -1));
    afterAll(() => mt.threads_tune_defaults());

    for (const layout of ['nn', 'tn', 'nt'] as const) {
      it(`${layout}: bit-identical to the single-thread kernel at ${M.length * N.length * K.length} shapes`, () => {
        gemmCases(layout, layout.charCodeAt(1) + threads);
      });
    }

    it('every activation forward and backward, split by rows, is bit-identical', () => {
      const next = rng(40 + threads);
      for (let act = 0; act < ids.ACT_COUNT; act++) {
        for (const [rows, cols] of [[1, 1], [3, 5], [7, 33], [130, 17]]) {
          const x = uniform(next, rows * cols, -3, 3);
          const dy = uniform(next, rows * cols);
          const { one, many } = both({ x }, { y: rows * cols }, (rt, t, p) => {
            (t ? mt.mt_vact : rt.kernels.f32_vact)(act, 0.3, rows, cols, p.x, p.y);
          });
          expectSameBits(one.y, many.y, `vact ${act} ${rows}x${cols}`);
          const y = new Float32Array(one.y.buffer);
          const bwd = both({ x, y, dy }, { dx: rows * cols }, (rt, t, p) => {
            (t ? mt.mt_vact_bwd : rt.kernels.f32_vact_bwd)(act, 0.3, rows, cols, p.x, p.y, p.dy, p.dx);
          });
          expectSameBits(bwd.one.dx, bwd.many.dx, `vact_bwd ${act} ${rows}x${cols}`);
        }
      }
    });

    it('elementwise products, row gathers and column sums are bit-identical', () => {
      const next = rng(50 + threads);
      for (const n of [1, 3, 4, 5, 17, 1001]) {
        const { one, many } = both({ a: uniform(next, n), b: uniform(next, n) }, { out: n }, (rt, t, p) => {
          // f32_vmul is internal to the single-thread module; an f32 product is one IEEE rounding in JS too.
          if (t) mt.mt_vmul(n, p.a, p.b, p.out);
          else {
            const a = rt.heap.readF32(p.a, n), b = rt.heap.readF32(p.b, n);
            rt.heap.writeF32(p.out, a.map((v, i) => Math.fround(v * b[i])));
          }
        });
        expectSameBits(one.out, many.out, `vmul ${n}`);
      }
      for (const [count, cols] of [[1, 3], [5, 17], [33, 784]]) {
        const src = uniform(next, 100 * cols);
        const idx = Int32Array.from({ length: 100 }, (_, i) => (i * 37) % 100);
        const { one, many } = both({ src }, { out: count * cols }, (rt, t, p) => {
          const ip = rt.heap.alloc(400);
          rt.heap.i32(ip, 100).set(idx);
          // A copy of whole rows: the threaded gather against the rows themselves.
          if (t) mt.mt_gather_rows(p.src, cols, ip, 11, count, p.out);
          else for (let r = 0; r < count; r++) rt.heap.writeF32(p.out + r * cols * 4, src.subarray(idx[11 + r] * cols, (idx[11 + r] + 1) * cols));
          rt.heap.free(ip);
        });
        expectSameBits(one.out, many.out, `gather ${count}x${cols}`);
      }
      for (const [rows, cols] of [[5, 1], [7, 17], [33, 70], [2, 130]]) {
        const a = uniform(next, rows * cols);
        const { one, many } = both({ a }, { out: cols }, (rt, t, p) => {
          (t ? mt.mt_colsum : rt.kernels.f32_colsum)(rows, cols, p.a, cols, p.out);
        });
        expectSameBits(one.out, many.out, `colsum ${rows}x${cols}`);
      }
    });
  });

  describe('default thresholds', () => {
    it('the 784-512 layer GEMMs at batch 128 are bit-identical', () => {
      const next = rng(60 + threads);
      const m = 128, fanIn = 784, units = 512;
      const x = uniform(next, m * fanIn), w = uniform(next, fanIn * units, -0.05, 0.05), bias = uniform(next, units), d = uniform(next, m * units);
      const fwd = both({ x, w, bias }, { y: m * units, scratch: GEMM_SCRATCH_FLOATS }, (rt, t, p) => {
        (t ? mt.mt_gemm_nn : rt.kernels.f32_gemm_nn)(m, units, fanIn, p.x, fanIn, p.w, units, p.y, units, p.bias, ids.ACT_RELU, 0, p.scratch);
      });
      expectSameBits(fwd.one.y, fwd.many.y, 'nn');
      const dw = both({ x, d }, { dw: fanIn * units, scratch: GEMM_SCRATCH_FLOATS }, (rt, t, p) => {
        (t ? mt.mt_gemm_tn : rt.kernels.f32_gemm_tn)(fanIn, units, m, p.x, fanIn, p.d, units, p.dw, units, p.scratch);
      });
      expectSameBits(dw.one.dw, dw.many.dw, 'tn');
      const dx = both({ d, w }, { dx: m * fanIn, scratch: GEMM_SCRATCH_FLOATS }, (rt, t, p) => {
        (t ? mt.mt_gemm_nt : rt.kernels.f32_gemm_nt)(m, fanIn, units, p.d, units, p.w, units, p.dx, fanIn, p.scratch);
      });
      expectSameBits(dx.one.dx, dx.many.dx, 'nt');
    });

    it('shapes across the cache blocks (k, column and row blocks; tall convolution GEMMs) are bit-identical', () => {
      const next = rng(70 + threads);
      // [layout, m, n, k, act]: tn's A is k×m, nt's B is n×k.
      const shapes: ['nn' | 'tn' | 'nt', number, number, number, number][] = [
        ['nn', 300, 300, 520, ids.ACT_SOFTMAX],
        ['nn', 2704, 64, 288, ids.ACT_RELU],
        ['tn', 288, 64, 2704, ids.ACT_LINEAR],
        ['tn', 40, 600, 300, ids.ACT_LINEAR],
        ['nt', 2704, 288, 64, ids.ACT_LINEAR],
        ['nt', 100, 530, 260, ids.ACT_LINEAR],
      ];
      for (const [layout, m, n, k, act] of shapes) {
        const a = uniform(next, m * k), b = uniform(next, k * n), bias = uniform(next, n);
        const { one, many } = both({ a, b, bias }, { c: m * n, scratch: GEMM_SCRATCH_FLOATS }, (rt, t, p) => {
          if (layout === 'nn') (t ? mt.mt_gemm_nn : rt.kernels.f32_gemm_nn)(m, n, k, p.a, k, p.b, n, p.c, n, p.bias, act, 0, p.scratch);
          else if (layout === 'tn') (t ? mt.mt_gemm_tn : rt.kernels.f32_gemm_tn)(m, n, k, p.a, m, p.b, n, p.c, n, p.scratch);
          else (t ? mt.mt_gemm_nt : rt.kernels.f32_gemm_nt)(m, n, k, p.a, k, p.b, k, p.c, n, p.scratch);
        });
        expectSameBits(one.c, many.c, `${layout} ${m}x${n}x${k}`);
      }
    });
  });

  describe('the cost model: passes above the thresholds split or not by their measured times', () => {
    /** A GEMM of m×n×k placed in the threaded heap; returns a call of mt_gemm_nn on it and its result. */
    function gemm(m: number, n: number, k: number, seed: number) {
      const next = rng(seed);
      const a = uniform(next, m * k), b = uniform(next, k * n);
      const p = { a: place(threaded, a), b: place(threaded, b), c: place(threaded, new Float32Array(m * n)), s: place(threaded, new Float32Array(GEMM_SCRATCH_FLOATS)) };
      const reference = both({ a, b }, { c: m * n, scratch: GEMM_SCRATCH_FLOATS }, (rt, t, q) => {
        rt.kernels.f32_gemm_nn(m, n, k, q.a, k, q.b, n, q.c, n, 0, ids.ACT_RELU, 0, q.scratch);
      }).one.c;
      return {
        call: () => mt.mt_gemm_nn(m, n, k, p.a, k, p.b, n, p.c, n, 0, ids.ACT_RELU, 0, p.s),
        check: (what: string) => expectSameBits(new Uint32Array(threaded.heap.readF32(p.c, m * n).slice().buffer), reference, what),
        free: () => [p.a, p.b, p.c, p.s].forEach((q) => threaded.heap.free(q - GUARD * 4)),
      };
    }

    it('with thresholds of 0 every pass splits: one job per call, and the workers take chunks', () => {
      mt.threads_tune(0, 0, -1, -1, -1);
      const g = gemm(64, 64, 64, 80 + threads);
      try {
        const jobs = mt.threads_jobs();
        for (let i = 0; i < 10; i++) g.call();
        expect(mt.threads_jobs() - jobs).toBe(10);
        g.check('forced split');
        // However busy the machine, a worker is scheduled at some point and takes a chunk (no clock involved).
        const chunks = mt.threads_worker_chunks();
        for (let i = 0; i < 200_000 && mt.threads_worker_chunks() === chunks; i++) g.call();
        expect(mt.threads_worker_chunks()).toBeGreaterThan(chunks);
        g.check('forced split, repeated');
      } finally {
        g.free();
        mt.threads_tune_defaults();
      }
    });

    it('by default a pass runs both ways and keeps to the faster one, with the same bits either way', () => {
      mt.threads_tune_defaults();
      const g = gemm(128, 128, 128, 90 + threads); // 2^21 multiply-adds: above the GEMM threshold
      try {
        const jobs = mt.threads_jobs();
        for (let i = 0; i < 64; i++) {
          g.call();
          // The first split call is not timed (cold caches, a sleeping worker): two calls split, then one alone.
          if (i < 3) expect(mt.threads_jobs() - jobs, `call ${i}: calls 0 and 1 split, 2 runs alone`).toBe(Math.min(i + 1, 2));
        }
        // Whichever way is faster, the other is tried now and then (alone: every 32nd split; split: every 256th):
        // in 64 calls, at least the two first splits and the one first alone.
        const split = mt.threads_jobs() - jobs;
        expect(split).toBeGreaterThanOrEqual(2);
        expect(split).toBeLessThanOrEqual(63);
        g.check('cost model');
      } finally {
        g.free();
      }
    });

    it('a split tried after running alone while the worker sleeps is not timed: the next call splits again and counts', async () => {
      mt.threads_tune_defaults();
      const g = gemm(128, 128, 128, 110 + threads);
      // The pool's clock (env.now) made up by the test: a call that splits takes 2 ms, one alone 1 ms, so alone wins.
      let base = 0, startOfCall = true, jobsBefore = 0;
      const clock = vi.spyOn(performance, 'now').mockImplementation(() => {
        if (startOfCall) {
          startOfCall = false;
          return base;
        }
        return base + (mt.threads_jobs() > jobsBefore ? 2 : 1);
      });
      /** One call on the made-up clock; true when it split. */
      const call = () => {
        jobsBefore = mt.threads_jobs();
        startOfCall = true;
        base += 100;
        g.call();
        return mt.threads_jobs() > jobsBefore;
      };
      try {
        const ways: boolean[] = [];
        for (let i = 1; i <= 31; i++) ways.push(call());
        // Calls 1 and 2 split (the first untimed), 3 runs alone and is faster: alone until the 32nd call tries splitting.
        expect(ways.slice(0, 3)).toEqual([true, true, false]);
        expect(ways.slice(3).every((split) => !split)).toBe(true);
        // The worker has spun out and blocked: the 32nd call's split would time its wake-up.
        for (let waited = 0; mt.threads_sleeping() === 0 && waited < 10_000; waited += 5) await new Promise((r) => setTimeout(r, 5));
        expect(mt.threads_sleeping()).toBeGreaterThan(0);
        expect(call(), 'call 32: tries splitting').toBe(true);
        expect(call(), 'call 33: that try was not timed, so it splits again').toBe(true);
        expect(call(), 'call 34: the timed split is slower: alone').toBe(false);
        g.check('cost model with a sleeping worker');
      } finally {
        clock.mockRestore();
        g.free();
      }
    });

    it('below the GEMM threshold a pass never splits', () => {
      mt.threads_tune_defaults();
      const g = gemm(16, 16, 16, 100 + threads); // 2^12 multiply-adds
      try {
        const jobs = mt.threads_jobs();
        for (let i = 0; i < 40; i++) g.call();
        expect(mt.threads_jobs()).toBe(jobs);
        g.check('below the threshold');
      } finally {
        g.free();
      }
    });
  });
});
