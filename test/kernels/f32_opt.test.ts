// Optimizer kernels vs the Keras 3 formulas: 100 steps on a seeded gradient sequence, against a
// float64 reference (relative error) and against an f32 emulation of Keras's operation order (bitwise).
import { describe, it, expect, beforeAll } from 'vitest';
import type { Runtime } from '../../src/wasm/load.js';
import { runtime, put, get } from '../helpers/kernels.js';
import { rng, uniform, maxRelErr } from '../helpers/random.js';
import {
  refSgd, refMomentum, refAdam, adamAlpha, refDecay, refAdagrad, refRmsprop, refAdadelta, refAdamax, refNadam, refLion,
  nadamSchedule, powSteps,
} from '../ref/optimizers.js';

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
const RHO = f(0.85); // rmsprop, adadelta (Keras: 0.9, 0.95)
const RMS_MOMENTUM = f(0.6); // rmsprop with momentum (Keras: 0)
const INITIAL_ACCUMULATOR = f(0.2); // adagrad (Keras: 0.1)
const LR_ADADELTA = f(0.5); // Keras: 0.001; 1.0 is the paper's form
const LR_LION = f(0.01); // Lion wants a 3–10× smaller step than Adam
const WEIGHT_DECAY = f(0.1); // adamw (Keras: 0.004)
const NADAM = nadamSchedule(BETA1, BETA2, STEPS);
// The complements the facade passes (here of already-f32 β, so the f32 emulation's r(1 − β) matches).
const C1 = f(1 - BETA1);
const C2 = f(1 - BETA2);
const C_RHO = f(1 - RHO); // per-step f32 scalars, Keras 3's schedule and order
const NAN = Number.NaN;

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

type Kind =
  | 'sgd' | 'momentum' | 'nesterov' | 'adam' | 'amsgrad' | 'adamw' | 'adagrad'
  | 'rmsprop' | 'rmsprop+momentum' | 'rmsprop centered' | 'rmsprop centered+momentum'
  | 'adadelta' | 'adamax' | 'nadam' | 'lion';
const KINDS: Kind[] = [
  'sgd', 'momentum', 'nesterov', 'adam', 'amsgrad', 'adamw', 'adagrad',
  'rmsprop', 'rmsprop+momentum', 'rmsprop centered', 'rmsprop centered+momentum',
  'adadelta', 'adamax', 'nadam', 'lion',
];
const SLOTS: Record<Kind, string[]> = {
  sgd: [],
  momentum: ['m'],
  nesterov: ['m'],
  adam: ['m', 'v'],
  amsgrad: ['m', 'v', 'vhat'],
  adamw: ['m', 'v'],
  adagrad: ['acc'],
  rmsprop: ['v'],
  'rmsprop+momentum': ['v', 'mom'],
  'rmsprop centered': ['v', 'avg'],
  'rmsprop centered+momentum': ['v', 'mom', 'avg'],
  adadelta: ['accGrad', 'accDelta'],
  adamax: ['m', 'u'],
  nadam: ['m', 'v'],
  lion: ['m'],
};
/** Slots a variant does not use: passed as NaN-filled blocks, which must come back untouched and
 *  must not leak into the results (so the kernel never reads or writes them). */
const UNUSED: Partial<Record<Kind, string[]>> = {
  rmsprop: ['mom', 'avg'],
  'rmsprop+momentum': ['avg'],
  'rmsprop centered': ['mom'],
};
/** Initial slot values (0 unless listed). */
const INIT: Record<string, number> = { acc: INITIAL_ACCUMULATOR };

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
  const block = (data: ArrayLike<number>): number => {
    const ptr = put(rt, n + GUARD);
    rt.heap.writeF32(ptr, data);
    rt.heap.f32(ptr + 4 * n, GUARD).fill(SENTINEL);
    return ptr;
  };
  const pPtr = block(p0);
  const gPtr = block(new Float32Array(n));
  const slotPtr: Record<string, number> = {};
  for (const s of SLOTS[kind]) slotPtr[s] = block(new Float32Array(n).fill(INIT[s] ?? 0));
  const unusedPtr: Record<string, number> = {};
  for (const s of UNUSED[kind] ?? []) unusedPtr[s] = block(new Float32Array(n).fill(NAN));
  const slot = (name: string) => slotPtr[name] ?? unusedPtr[name];
  const refs = [Math.fround, (x: number) => x].map((round) => ({
    round,
    params: Float64Array.from(p0),
    slots: Object.fromEntries(SLOTS[kind].map((s) => [s, new Float64Array(n).fill(INIT[s] ?? 0)])) as Record<string, Float64Array>,
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
        k.f32_adam(n, pPtr, gPtr, slotPtr.m, slotPtr.v, alpha, C1, C2, EPSILON);
        break;
      case 'amsgrad':
        k.f32_amsgrad(n, pPtr, gPtr, slotPtr.m, slotPtr.v, slotPtr.vhat, alpha, C1, C2, EPSILON);
        break;
      case 'adamw': // Keras's order: weight decay with the unscaled lr, then the update
        k.f32_decay(n, pPtr, WEIGHT_DECAY, LR);
        k.f32_adam(n, pPtr, gPtr, slotPtr.m, slotPtr.v, alpha, C1, C2, EPSILON);
        break;
      case 'adagrad':
        k.f32_adagrad(n, pPtr, gPtr, slotPtr.acc, LR, EPSILON);
        break;
      case 'rmsprop':
      case 'rmsprop+momentum':
      case 'rmsprop centered':
      case 'rmsprop centered+momentum':
        k.f32_rmsprop(n, pPtr, gPtr, slotPtr.v, slot('mom'), slot('avg'), LR, RHO, C_RHO, rmsMomentum(kind), EPSILON, kind.includes('centered') ? 1 : 0);
        break;
      case 'adadelta':
        k.f32_adadelta(n, pPtr, gPtr, slotPtr.accGrad, slotPtr.accDelta, LR_ADADELTA, RHO, C_RHO, EPSILON);
        break;
      case 'adamax':
        k.f32_adamax(n, pPtr, gPtr, slotPtr.m, slotPtr.u, LR, C1, BETA2, EPSILON, f(powSteps(BETA1, t)));
        break;
      case 'nadam': {
        const u = NADAM[t - 1];
        k.f32_nadam(n, pPtr, gPtr, slotPtr.m, slotPtr.v, LR, C1, C2, EPSILON, u.ut, u.ut1, u.uProd, u.uProd1, u.beta2Power);
        break;
      }
      case 'lion':
        k.f32_lion(n, pPtr, gPtr, slotPtr.m, LR_LION, BETA1, C1, BETA2, C2);
        break;
    }
    for (const ref of refs) {
      const s = ref.slots;
      const r = ref.round;
      switch (kind) {
        case 'sgd':
          refSgd(ref.params, g, LR, r);
          break;
        case 'momentum':
        case 'nesterov':
          refMomentum(ref.params, g, s.m, LR, MOMENTUM, kind === 'nesterov', r);
          break;
        case 'adam':
        case 'amsgrad':
          refAdam(ref.params, g, s.m, s.v, s.vhat ?? null, alpha, BETA1, BETA2, EPSILON, r);
          break;
        case 'adamw':
          refDecay(ref.params, WEIGHT_DECAY, LR, r);
          refAdam(ref.params, g, s.m, s.v, null, alpha, BETA1, BETA2, EPSILON, r);
          break;
        case 'adagrad':
          refAdagrad(ref.params, g, s.acc, LR, EPSILON, r);
          break;
        case 'rmsprop':
        case 'rmsprop+momentum':
        case 'rmsprop centered':
        case 'rmsprop centered+momentum':
          refRmsprop(ref.params, g, s.v, s.mom ?? null, s.avg ?? null, LR, RHO, rmsMomentum(kind), EPSILON, r);
          break;
        case 'adadelta':
          refAdadelta(ref.params, g, s.accGrad, s.accDelta, LR_ADADELTA, RHO, EPSILON, r);
          break;
        case 'adamax':
          refAdamax(ref.params, g, s.m, s.u, LR, BETA1, BETA2, EPSILON, f(powSteps(BETA1, t)), r);
          break;
        case 'nadam':
          refNadam(ref.params, g, s.m, s.v, LR, BETA1, BETA2, EPSILON, NADAM[t - 1], r);
          break;
        case 'lion':
          refLion(ref.params, g, s.m, LR_LION, BETA1, BETA2, r);
          break;
      }
    }
  }

  const out: Run = {
    initial: p0,
    params: get(rt, pPtr, n),
    slots: {},
    f32: refs[0],
    f64: refs[1],
  };
  const ptrs = [pPtr, gPtr, ...Object.values(slotPtr), ...Object.values(unusedPtr)];
  for (const ptr of ptrs) expect(Array.from(get(rt, ptr + 4 * n, GUARD))).toEqual(new Array(GUARD).fill(SENTINEL));
  for (const [name, ptr] of Object.entries(unusedPtr)) {
    expect(get(rt, ptr, n).every(Number.isNaN), `unused slot ${name} was written`).toBe(true);
  }
  for (const s of SLOTS[kind]) out.slots[s] = get(rt, slotPtr[s], n);
  for (const ptr of ptrs) rt.heap.free(ptr);
  return out;
}

/** RMSprop's momentum for a variant (0: Keras keeps no momentum slot and steps by the increment). */
function rmsMomentum(kind: Kind): number {
  return kind.endsWith('+momentum') ? RMS_MOMENTUM : 0;
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
        if (kind === 'lion') {
          // Lion moves each parameter by exactly ±lr per step, so after an even number of steps an
          // element can be back where it started; the net move is an even multiple of lr instead.
          expect(STEPS % 2).toBe(0);
          for (let i = 0; i < n; i++) {
            const steps = (r.params[i] - r.initial[i]) / LR_LION;
            expect(Math.abs(steps - 2 * Math.round(steps / 2)), `p[${i}] moved ${steps} steps`).toBeLessThan(0.01);
          }
          expect(r.params.some((x, i) => x !== r.initial[i])).toBe(true);
          expect(r.slots.m.every((x) => x !== 0)).toBe(true);
        } else {
          expect(r.params.every((x, i) => x !== r.initial[i])).toBe(true);
        }
        expect(r.params.every(Number.isFinite)).toBe(true);
      });

      it(`${kind}, n=${n}: bit-identical to f32 arithmetic in Keras's operation order`, () => {
        const r = run(rt, kind, n, 2000 + n);
        expect(Array.from(r.params)).toEqual(Array.from(r.f32.params));
        for (const s of SLOTS[kind]) expect(Array.from(r.slots[s]), s).toEqual(Array.from(r.f32.slots[s]));
      });
    }
  }

  for (const n of SIZES) {
    it(`decay, n=${n}: one step of p −= (p·wd)·lr matches both references, guards intact`, () => {
      const p0 = uniform(rng(3000 + n), n, -4, 4);
      const ptr = put(rt, n + GUARD);
      rt.heap.writeF32(ptr, p0);
      rt.heap.f32(ptr + 4 * n, GUARD).fill(SENTINEL);
      rt.kernels.f32_decay(n, ptr, WEIGHT_DECAY, LR);
      const got = get(rt, ptr, n);
      expect(Array.from(get(rt, ptr + 4 * n, GUARD))).toEqual(new Array(GUARD).fill(SENTINEL));
      rt.heap.free(ptr);
      const want32 = Float64Array.from(p0);
      refDecay(want32, WEIGHT_DECAY, LR, f);
      const want64 = Float64Array.from(p0);
      refDecay(want64, WEIGHT_DECAY, LR);
      expect(Array.from(got)).toEqual(Array.from(want32));
      expectClose('p', got, want64);
      expect(got.every((x, i) => Math.abs(x) < Math.abs(p0[i]))).toBe(true);
    });
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

describe('decaying state is flushed to zero instead of going subnormal (x86 is ~100× slower on subnormals)', () => {
  it('Adam m and v, and momentum, become exactly 0 where they would be subnormal', async () => {
    const rt = await runtime();
    const n = 5;
    const p = put(rt, [1, 1, 1, 1, 1]);
    const g = put(rt, n);
    const m = put(rt, [1.5e-38, -1.5e-38, 1e-30, 0, 2e-38]);
    const v = put(rt, [1.5e-38, 1.2e-38, 1e-30, 0, 1e-37]);
    rt.kernels.f32_adam(n, p, g, m, v, 0.001, 0.5, 0.5, 1e-7);
    // Halved: 7.5e-39 and 6e-39 are below the smallest normal f32 (1.18e-38) → 0; 5e-31 stays.
    expect(Array.from(get(rt, m, n))).toEqual([0, 0, Math.fround(Math.fround(1e-30) * 0.5), 0, 0]);
    expect(Array.from(get(rt, v, n))).toEqual([0, 0, Math.fround(Math.fround(1e-30) * 0.5), 0, Math.fround(Math.fround(1e-37) * 0.5)]);
    const mom = put(rt, [1.5e-38, 1e-30, 0, 0, 0]);
    rt.kernels.f32_momentum(n, p, g, mom, 0.1, 0.5, 0);
    expect(Array.from(get(rt, mom, n)).slice(0, 2)).toEqual([0, Math.fround(Math.fround(1e-30) * 0.5)]);
  });

  it('so do RMSprop, Adadelta, Adamax, Nadam and Lion', async () => {
    const rt = await runtime();
    const n = 4;
    const fresh = () => put(rt, [1.5e-38, 1.5e-38, 1.5e-38, 1.5e-38]);
    const p = put(rt, [1, 1, 1, 1]);
    const g = put(rt, n);
    const zeroed = (ptr: number) => expect(Array.from(get(rt, ptr, n))).toEqual([0, 0, 0, 0]);
    const v = fresh();
    rt.kernels.f32_rmsprop(n, p, g, v, 0, 0, 0.001, 0.5, 0.5, 0, 1e-7, 0);
    zeroed(v);
    const [ag, ad] = [fresh(), fresh()];
    rt.kernels.f32_adadelta(n, p, g, ag, ad, 1, 0.5, 0.5, 1e-7);
    zeroed(ag);
    zeroed(ad);
    const [m, u] = [fresh(), fresh()];
    rt.kernels.f32_adamax(n, p, g, m, u, 0.001, 0.5, 0.5, 1e-7, 0.5);
    zeroed(m);
    zeroed(u);
    const [m2, v2] = [fresh(), fresh()];
    rt.kernels.f32_nadam(n, p, g, m2, v2, 0.001, 0.5, 0.5, 1e-7, 0.45, 0.45, 0.45, 0.2, 0.5);
    zeroed(m2);
    zeroed(v2);
    const m3 = fresh();
    rt.kernels.f32_lion(n, p, g, m3, 0.001, 0.5, 0.5, 0.5, 0.5);
    zeroed(m3);
  });
});
