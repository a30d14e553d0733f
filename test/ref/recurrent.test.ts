// The float64 recurrent reference checked on its own terms: its backward against central finite
// differences of its forward for every cell × returnSequences × goBackwards × mask, its forward against
// tfjs's layers (cpu) on the same weights, and a few cases small enough to compute by hand.
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { rng } from '../helpers/random.js';
import { useTfjsPeer } from '../helpers/tfjs.js';
import { gatesOf, rnnBackward, rnnForward, TFJS_HARD_SIGMOID, type RecurrentCell, type RecurrentOptions, type RecurrentWeights } from './recurrent.js';

useTfjsPeer();

const B = 3;
const T = 5;
const F = 3;
const U = 4;

/** Row 0 unmasked; row 1 with inner gaps and a masked last step; row 2 masked at both ends. */
const MASK = [
  [1, 1, 1, 1, 1],
  [1, 0, 1, 1, 0],
  [0, 0, 1, 0, 1],
];

const CELLS: { label: string; cell: RecurrentCell }[] = [
  { label: 'SimpleRNN', cell: { kind: 'simpleRNN', units: U } },
  { label: 'LSTM', cell: { kind: 'lstm', units: U } },
  { label: 'GRU resetAfter', cell: { kind: 'gru', units: U, resetAfter: true } },
  { label: 'GRU', cell: { kind: 'gru', units: U, resetAfter: false } },
];

/** Random weights (float32-representable, so tfjs holds the same numbers) and inputs. */
function problem(cell: RecurrentCell, seed: number, scale = 0.6): { w: RecurrentWeights; x: number[][][] } {
  const next = rng(seed);
  const r = () => Math.fround((next() * 2 - 1) * scale);
  const G = gatesOf(cell.kind);
  const mat = (a: number, b: number) => Array.from({ length: a }, () => Array.from({ length: b }, r));
  const b = cell.kind === 'gru' && cell.resetAfter !== false ? mat(2, 3 * cell.units) : Array.from({ length: G * cell.units }, r);
  const x = Array.from({ length: B }, () => mat(T, F).map((row) => row.map((v) => v * 2)));
  return { w: { W: mat(F, G * cell.units), R: mat(cell.units, G * cell.units), b }, x };
}

/** Σ dy·y: the scalar whose gradients rnnBackward(cache, dy) returns. */
function loss(cell: RecurrentCell, w: RecurrentWeights, x: number[][][], opts: RecurrentOptions, dy: number[][] | number[][][]): number {
  const y = rnnForward(cell, w, x, opts).y;
  let s = 0;
  const walk = (a: unknown, g: unknown): void => {
    if (typeof a === 'number') s += a * (g as number);
    else (a as unknown[]).forEach((v, i) => walk(v, (g as unknown[])[i]));
  };
  walk(y, dy);
  return s;
}

/** Every number in a nested array, as [holder, index] pairs to perturb in place. */
function slots(a: unknown, out: [number[], number][] = []): [number[], number][] {
  const arr = a as unknown[];
  if (typeof arr[0] === 'number') arr.forEach((_, i) => out.push([arr as number[], i]));
  else arr.forEach((v) => slots(v, out));
  return out;
}

const flat = (a: unknown): number[] => slots(a).map(([h, i]) => h[i]);

describe('recurrent reference: backward = central finite differences of forward (f64)', () => {
  for (const { label, cell } of CELLS) {
    for (const returnSequences of [false, true]) {
      for (const goBackwards of [false, true]) {
        for (const masked of [false, true]) {
          const opts: RecurrentOptions = { returnSequences, goBackwards, mask: masked ? MASK : undefined };
          it(`${label}, returnSequences ${returnSequences}, goBackwards ${goBackwards}, ${masked ? 'masked' : 'no mask'}`, () => {
            const { w, x } = problem(cell, 100 + label.length * 7 + (returnSequences ? 1 : 0) + (goBackwards ? 2 : 0) + (masked ? 4 : 0));
            const next = rng(9);
            const fwd = rnnForward(cell, w, x, opts);
            const dy = returnSequences
              ? fwd.sequence.map((r) => r.map((s) => s.map(() => next() * 2 - 1)))
              : fwd.last.map((r) => r.map(() => next() * 2 - 1));
            const g = rnnBackward(fwd.cache, dy);
            const h = 1e-5;
            let checked = 0;
            let nonzero = 0;
            for (const [name, holder, grad] of [['x', x, g.dx], ['W', w.W, g.dW], ['R', w.R, g.dR], ['b', w.b, g.db]] as const) {
              const at = slots(holder);
              const an = flat(grad);
              expect(an.length, name).toBe(at.length);
              at.forEach(([arr, i], k) => {
                const v = arr[i];
                arr[i] = v + h;
                const up = loss(cell, w, x, opts, dy);
                arr[i] = v - h;
                const down = loss(cell, w, x, opts, dy);
                arr[i] = v;
                const fd = (up - down) / (2 * h);
                expect(Math.abs(fd - an[k]), `${name}[${k}]: fd ${fd}, analytic ${an[k]}`).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(fd)));
                checked++;
                if (Math.abs(an[k]) > 1e-3) nonzero++;
              });
            }
            // Masked steps give exactly zero input gradients; the rest are real.
            if (masked) {
              for (let b = 0; b < B; b++) for (let t = 0; t < T; t++) if (!MASK[b][t]) expect(g.dx[b][t]).toEqual([0, 0, 0]);
            }
            expect(nonzero).toBeGreaterThan(checked / 2);
          });
        }
      }
    }
  }
});

describe('recurrent reference: semantics by hand', () => {
  it('SimpleRNN, 1 unit, linear: h_t = x_t·w + h_{t−1}·r + b, goBackwards in processing order, masked steps carried', () => {
    const cell: RecurrentCell = { kind: 'simpleRNN', units: 1, activation: 'linear' };
    const w = { W: [[2]], R: [[0.5]], b: [1] };
    const x = [[[1], [2], [3]]];
    // Forward: 3, 3·0.5 + 4 + 1 = 6.5, 6.5·0.5 + 6 + 1 = 10.25.
    expect(rnnForward(cell, w, x, { returnSequences: true }).y).toEqual([[[3], [6.5], [10.25]]]);
    // Backwards: x = 3, 2, 1 → 7, 3.5 + 5 = 8.5, 4.25 + 3 = 7.25, not re-reversed.
    expect(rnnForward(cell, w, x, { returnSequences: true, goBackwards: true }).y).toEqual([[[7], [8.5], [7.25]]]);
    // Mask [1, 0, 1]: 3, carried 3, 1.5 + 6 + 1 = 8.5.
    expect(rnnForward(cell, w, x, { returnSequences: true, mask: [[1, 0, 1]] }).y).toEqual([[[3], [3], [8.5]]]);
    // A masked last step: the output is the carried h.
    expect(rnnForward(cell, w, x, { mask: [[1, 1, 0]] }).y).toEqual([[6.5]]);
  });

  it('LSTM, 1 unit: c = f·c + i·tanh(z_c), h = o·tanh(c) with σ gates', () => {
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const cell: RecurrentCell = { kind: 'lstm', units: 1 };
    const w = { W: [[0.1, 0.2, 0.3, 0.4]], R: [[-0.5, 0.6, -0.7, 0.8]], b: [0, 1, 0, -1] };
    let h = 0;
    let c = 0;
    const want: number[] = [];
    for (const xt of [1, -2]) {
      const z = [0, 1, 2, 3].map((q) => xt * w.W[0][q] + h * w.R[0][q] + w.b[q]);
      c = s(z[1]) * c + s(z[0]) * Math.tanh(z[2]);
      h = s(z[3]) * Math.tanh(c);
      want.push(h);
    }
    const got = rnnForward(cell, w, [[[1], [-2]]], { returnSequences: true });
    got.sequence[0].forEach((v, t) => expect(v[0]).toBeCloseTo(want[t], 15));
    expect(got.c[0][0]).toBeCloseTo(c, 15);
    expect(Math.abs(want[1])).toBeGreaterThan(0.01);
  });

  it('GRU, 1 unit: resetAfter applies r to h·R_h + b_rec; without it to h before R_h; h = z·h + (1 − z)·hh', () => {
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    const W = [[0.3, -0.2, 0.5]];
    const R = [[0.4, 0.7, -0.6]];
    const run = (resetAfter: boolean, b: number[] | number[][]) =>
      rnnForward({ kind: 'gru', units: 1, resetAfter }, { W, R, b }, [[[1], [0.5]]]).last[0][0];
    const hand = (resetAfter: boolean) => {
      let h = 0;
      for (const xt of [1, 0.5]) {
        const bi = [0.1, 0.2, 0.3];
        const br = resetAfter ? [-0.1, 0.05, 0.4] : [0, 0, 0];
        const z = s(xt * W[0][0] + bi[0] + h * R[0][0] + br[0]);
        const r = s(xt * W[0][1] + bi[1] + h * R[0][1] + br[1]);
        const hh = Math.tanh(xt * W[0][2] + bi[2] + (resetAfter ? r * (h * R[0][2] + br[2]) : r * h * R[0][2]));
        h = z * h + (1 - z) * hh;
      }
      return h;
    };
    expect(run(true, [[0.1, 0.2, 0.3], [-0.1, 0.05, 0.4]])).toBeCloseTo(hand(true), 15);
    expect(run(false, [0.1, 0.2, 0.3])).toBeCloseTo(hand(false), 15);
    expect(hand(true)).not.toBeCloseTo(hand(false), 3);
  });

  it("activations by name are Keras 3's (hardSigmoid = relu6(x + 3)/6); tfjs's is TFJS_HARD_SIGMOID", () => {
    const w = { W: [[1]], R: [[0]], b: [0] };
    const y = (activation: RecurrentCell['activation']) => rnnForward({ kind: 'simpleRNN', units: 1, activation }, w, [[[1.5]]]).last[0][0];
    expect(y('hardSigmoid')).toBe(0.75);
    expect(y(TFJS_HARD_SIGMOID)).toBe(0.8);
    expect(y('relu')).toBe(1.5);
    expect(y('sigmoid')).toBeCloseTo(1 / (1 + Math.exp(-1.5)), 15);
  });

  it('refuses wrong shapes and masks, naming them', () => {
    const cell: RecurrentCell = { kind: 'lstm', units: 2 };
    const { w, x } = problem({ kind: 'lstm', units: 2 }, 1);
    expect(() => rnnForward(cell, { ...w, R: w.W }, x)).toThrow(/R must be \[2\]\[8\]/);
    expect(() => rnnForward({ kind: 'gru', units: 2 }, { W: [[0]], R: [[0]] }, x)).toThrow(/W must be \[3\]\[6\]/);
    expect(() => rnnForward(cell, w, x, { mask: [[1]] })).toThrow(/mask must be \[3\]\[5\] of 0 and 1/);
    expect(() => rnnForward(cell, w, x, { mask: MASK.map((r) => r.map((v) => v * 0.5)) })).toThrow(/mask/);
    const fwd = rnnForward(cell, w, x);
    expect(() => rnnBackward(fwd.cache, fwd.sequence)).toThrow(/dy must be \[3\]\[2\]/);
  });
});

describe('recurrent reference: forward = tfjs layers (cpu, float32) on the same weights', () => {
  type Layer = ReturnType<typeof tf.layers.lstm>;
  const tfLayer = (kind: RecurrentCell['kind'], args: Record<string, unknown>): Layer =>
    kind === 'simpleRNN' ? tf.layers.simpleRNN(args as never) : kind === 'lstm' ? tf.layers.lstm(args as never) : tf.layers.gru(args as never);

  const cases: { label: string; cell: RecurrentCell; tfArgs: Record<string, unknown> }[] = [
    { label: 'SimpleRNN tanh', cell: { kind: 'simpleRNN', units: U }, tfArgs: {} },
    { label: 'SimpleRNN relu', cell: { kind: 'simpleRNN', units: U, activation: 'relu' }, tfArgs: { activation: 'relu' } },
    { label: "LSTM, tfjs's default recurrent activation", cell: { kind: 'lstm', units: U, recurrentActivation: TFJS_HARD_SIGMOID }, tfArgs: {} },
    { label: 'LSTM sigmoid', cell: { kind: 'lstm', units: U }, tfArgs: { recurrentActivation: 'sigmoid' } },
    { label: "GRU resetAfter false, tfjs's default recurrent activation", cell: { kind: 'gru', units: U, resetAfter: false, recurrentActivation: TFJS_HARD_SIGMOID }, tfArgs: {} },
    { label: 'GRU resetAfter false, sigmoid, linear', cell: { kind: 'gru', units: U, resetAfter: false, activation: 'linear' }, tfArgs: { recurrentActivation: 'sigmoid', activation: 'linear' } },
  ];

  for (const { label, cell, tfArgs } of cases) {
    for (const returnSequences of [false, true]) {
      for (const goBackwards of [false, true]) {
        it(`${label}, returnSequences ${returnSequences}, goBackwards ${goBackwards}, without and with a mask`, () => {
          const { w, x } = problem(cell, 7 + (returnSequences ? 1 : 0) + (goBackwards ? 2 : 0), 0.9);
          const layer = tfLayer(cell.kind, { units: U, returnSequences, goBackwards, ...tfArgs });
          const xt = tf.tensor3d(x);
          layer.apply(xt);
          layer.setWeights([tf.tensor2d(w.W), tf.tensor2d(w.R), tf.tensor1d(w.b as number[])]);
          for (const mask of [undefined, MASK]) {
            const opts = { returnSequences, goBackwards, mask };
            const want = flat(rnnForward(cell, w, x, opts).y);
            const mt = mask && tf.tensor2d(mask, undefined, 'bool');
            const out = layer.apply(xt, mt ? { mask: mt } : {}) as tf.Tensor;
            expect(out.shape).toEqual(returnSequences ? [B, T, U] : [B, U]);
            const got = out.dataSync();
            let worst = 0;
            want.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - got[i]))));
            expect(worst, mask ? 'masked' : 'no mask').toBeLessThan(1e-5);
            expect(Math.max(...want.map(Math.abs))).toBeGreaterThan(0.05);
            tf.dispose([out, ...(mt ? [mt] : [])]);
          }
          xt.dispose();
          layer.dispose();
        });
      }
    }
  }
});
