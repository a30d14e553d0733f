// Optimizer kernels vs the Keras 3 formulas: 100 steps on a seeded gradient sequence, against a
// float64 reference (relative error) and against an f32 emulation of Keras's operation order (bitwise).
import { describe, it, expect, beforeAll } from 'vitest';
import type { Runtime } from '../../src/wasm/load.js';
import { runtime, put, get } from '../helpers/kernels.js';
import { rng, uniform, maxRelErr } from '../helpers/random.js';
import { refSgd, refMomentum, refAdam, adamAlpha } from '../ref/optimizers.js';

const SIZES = [1, 3, 4, 5, 17, 1024];
const STEPS = 100;
const GUARD = 8; // sentinel floats after every block: the tail loop must not write past n
const SENTINEL = 12345.5;

// Non-default hyperparameters, rounded to f32 once: the kernels and both references see the same values.
const f = Math.fround;
const LR = f(0.05);
const MOMENTUM = f(0.7);
const BETA1 = f(0.8);
const BETA2 = f(0.95);
const EPSILON = f(1e-4);

// Tolerance: each f32 step rounds p, m, v to ≈6e-8 of their size, and these errors add up over the
// 100 steps to ≲1e-6 of the arrays' scale, so errors are relative to max(|ref|, 10% of the largest
// |ref| in the array): rel 1e-5 of that is 1e-6 absolute for elements that pass near zero.
const TOL = 1e-5;
function expectClose(name: string, got: ArrayLike<number>, want: ArrayLike<number>): void {
  let scale = 0;
  for (let i = 0; i < want.length; i++) scale = Math.max(scale, Math.abs(want[i]));
  const { err, at } = maxRelErr(got, want, 0.1 * scale || 1e-30);
  expect(err, `${name}[${at}]: ${got[at]} vs ${want[at]}`).toBeLessThanOrEqual(TOL);
}

type Kind = 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'amsgrad';
const KINDS: Kind[] = ['sgd', 'momentum', 'nesterov', 'adam', 'amsgrad'];
const SLOTS: Record<Kind, string[]> = {
  sgd: [],
  momentum: ['m'],
  nesterov: ['m'],
  adam: ['m', 'v'],
  amsgrad: ['m', 'v', 'vhat'],
};

interface Run {
  initial: Float32Array;
  params: Float32Array;
  slots: Record<string, Float32Array>;
  f64: { params: Float64Array; slots: Record<string, Float64Array> };
  f32: { params: Float64Array; slots: Record<string, Float64Array> };
}

/** Runs `STEPS` steps of `kind` in WASM and in both references from the same seeded start. */
function run(rt: Runtime, kind: Kind, n: number, seed: number): Run {
  const next = rng(seed);
  const p0 = uniform(next, n, -1, 1);
  const block = (data: ArrayLike<number>) => {
    const ptr = put(rt, n + GUARD);
    rt.heap.writeF32(ptr, data);
    rt.heap.f32(ptr + 4 * n, GUARD).fill(SENTINEL);
    return ptr;
  };
  const pPtr = block(p0);
  const gPtr = block(new Float32Array(n));
  const slotPtr: Record<string, number> = {};
  for (const s of SLOTS[kind]) slotPtr[s] = block(new Float32Array(n));
  const refs = [Math.fround, (x: number) => x].map((round) => ({
    round,
    params: Float64Array.from(p0),
    slots: Object.fromEntries(SLOTS[kind].map((s) => [s, new Float64Array(n)])) as Record<string, Float64Array>,
  }));

  const k = rt.kernels;
  for (let t = 1; t <= STEPS; t++) {
    const g = uniform(next, n, -1, 1);
    rt.heap.writeF32(gPtr, g);
    const alpha = f(adamAlpha(LR, BETA1, BETA2, t)); // the facade passes alpha as f32
    switch (kind) {
      case 'sgd':
        k.f32_sgd(n, pPtr, gPtr, LR);
        break;
      case 'momentum':
      case 'nesterov':
        k.f32_momentum(n, pPtr, gPtr, slotPtr.m, LR, MOMENTUM, kind === 'nesterov' ? 1 : 0);
        break;
      case 'adam':
        k.f32_adam(n, pPtr, gPtr, slotPtr.m, slotPtr.v, alpha, BETA1, BETA2, EPSILON);
        break;
      case 'amsgrad':
        k.f32_amsgrad(n, pPtr, gPtr, slotPtr.m, slotPtr.v, slotPtr.vhat, alpha, BETA1, BETA2, EPSILON);
        break;
    }
    for (const ref of refs) {
      const s = ref.slots;
      if (kind === 'sgd') refSgd(ref.params, g, LR, ref.round);
      else if (kind === 'momentum' || kind === 'nesterov') refMomentum(ref.params, g, s.m, LR, MOMENTUM, kind === 'nesterov', ref.round);
      else refAdam(ref.params, g, s.m, s.v, s.vhat ?? null, alpha, BETA1, BETA2, EPSILON, ref.round);
    }
  }

  const out: Run = {
    initial: p0,
    params: get(rt, pPtr, n),
    slots: {},
    f32: refs[0],
    f64: refs[1],
  };
  const ptrs = [pPtr, gPtr, ...Object.values(slotPtr)];
  for (const ptr of ptrs) expect(Array.from(get(rt, ptr + 4 * n, GUARD))).toEqual(new Array(GUARD).fill(SENTINEL));
  for (const s of SLOTS[kind]) out.slots[s] = get(rt, slotPtr[s], n);
  for (const ptr of ptrs) rt.heap.free(ptr);
  return out;
}

describe('optimizer kernels (Keras 3 formulas)', () => {
  let rt: Runtime;
  beforeAll(async () => {
    rt = await runtime();
  });

  for (const kind of KINDS) {
    for (const n of SIZES) {
      it(`${kind}, n=${n}: ${STEPS} steps match the float64 reference (params and state)`, () => {
        const r = run(rt, kind, n, 1000 + n);
        expectClose('p', r.params, r.f64.params);
        for (const s of SLOTS[kind]) expectClose(s, r.slots[s], r.f64.slots[s]);
        // The parameters really moved (the test is not comparing two untouched arrays).
        expect(r.params.every((x, i) => x !== r.initial[i])).toBe(true);
      });

      it(`${kind}, n=${n}: bit-identical to f32 arithmetic in Keras's operation order`, () => {
        const r = run(rt, kind, n, 2000 + n);
        expect(Array.from(r.params)).toEqual(Array.from(r.f32.params));
        for (const s of SLOTS[kind]) expect(Array.from(r.slots[s]), s).toEqual(Array.from(r.f32.slots[s]));
      });
    }
  }

  it('sgd with momentum 0 state-free step equals p − g·lr exactly', () => {
    const p = put(rt, [1, -2, 3, 0.5, 7]);
    const g = put(rt, [0.5, 0.25, -1, 2, 0]);
    rt.kernels.f32_sgd(5, p, g, 0.5);
    expect(Array.from(get(rt, p, 5))).toEqual([0.75, -2.125, 3.5, -0.5, 7]);
    rt.heap.free(p);
    rt.heap.free(g);
  });
});
