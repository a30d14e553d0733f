// SimpleRNN, LSTM, GRU and Bidirectional against the float64 reference (test/ref/recurrent.ts): predict and
// computeGradients for every cell × returnSequences × goBackwards × mask, odd sizes; GRU's Keras 3 default
// (resetAfter) and masked Bidirectional sequences (zeroed masked steps, as Keras) live here since tfjs has
// neither. Then the layer's contract: shapes, weights, initial values, options and errors.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { rnnBackward, rnnForward, type RecurrentCell, type RecurrentForward } from '../ref/recurrent.js';

beforeAll(() => df.ready());

const B = 3;
const T = 5;
const F = 3;
const U = 5;
const VOCAB = 6;
/** Index rows for the masked cases: inner gaps, a masked first and last step, an all-padding row. */
const INDICES = [
  [1, 2, 3, 4, 5],
  [0, 3, 0, 2, 0],
  [0, 0, 0, 0, 0],
];

interface Variant {
  cell: RecurrentCell;
  returnSequences: boolean;
  goBackwards: boolean;
  masked: boolean;
  bidirectional: boolean;
}

const CELLS: RecurrentCell[] = [
  { kind: 'simpleRNN', units: U },
  { kind: 'lstm', units: U },
  { kind: 'gru', units: U, resetAfter: true },
  { kind: 'gru', units: U, resetAfter: false },
];

const variants: Variant[] = [];
for (const cell of CELLS) {
  for (const returnSequences of [false, true]) {
    for (const goBackwards of [false, true]) for (const masked of [false, true]) variants.push({ cell, returnSequences, goBackwards, masked, bidirectional: false });
    for (const masked of [false, true]) variants.push({ cell, returnSequences, goBackwards: false, masked, bidirectional: true });
  }
}

const label = (v: Variant) =>
  `${v.bidirectional ? 'Bidirectional ' : ''}${v.cell.kind}${v.cell.kind === 'gru' ? (v.cell.resetAfter ? ' (resetAfter)' : ' (reset before)') : ''}` +
  `${v.returnSequences ? ', sequences' : ''}${v.goBackwards ? ', backwards' : ''}${v.masked ? ', masked' : ''}`;

function recurrentLayer(v: Variant, input: { inputShape?: number[] } = {}): df.RNN {
  const c = { units: U, returnSequences: v.returnSequences, goBackwards: v.goBackwards, ...input };
  if (v.cell.kind === 'simpleRNN') return df.layers.simpleRNN(c);
  if (v.cell.kind === 'lstm') return df.layers.lstm(c);
  return df.layers.gru({ ...c, resetAfter: v.cell.resetAfter });
}

const nest = (data: ArrayLike<number>, ...shape: number[]): unknown => {
  if (shape.length === 1) return Array.from(data);
  const step = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0] }, (_, i) => nest(Array.from(data).slice(i * step, (i + 1) * step), ...shape.slice(1)));
};
const flat = (x: unknown): number[] => (Array.isArray(x) ? x.flatMap(flat) : [x as number]);

/** The model for a variant: an Embedding with maskZero in front when masked, random weights everywhere. */
function build(v: Variant, seed: number) {
  const input = v.masked ? {} : { inputShape: [T, F] };
  const core = v.bidirectional ? df.layers.bidirectional({ layer: recurrentLayer(v), ...input }) : recurrentLayer(v, input);
  // A masked sequence may not reach the loss (Keras would mask the loss): flatten() drops the mask, not a value.
  const layers: df.Layer[] = v.masked ? [df.layers.embedding({ inputDim: VOCAB, outputDim: F, maskZero: true, inputShape: [T] }), core] : [core];
  if (v.masked && v.returnSequences) layers.push(df.layers.flatten());
  const model = df.sequential({ seed, layers });
  const next = rng(seed);
  model.setWeights(model.getWeights().map((w) => ({ data: uniform(next, w.size, -0.7, 0.7), shape: w.shape })));
  const x = v.masked ? Float32Array.from(INDICES.flat()) : uniform(next, B * T * F, -1.5, 1.5);
  return { model, x, shape: v.masked ? [B, T] : [B, T, F] };
}

/** The float64 forward of the model: the embedding lookup, then one or two directions. */
function reference(v: Variant, weights: df.Tensor[], x: Float32Array) {
  const ws = weights.map((w) => w.dataSync());
  const table = v.masked ? (nest(ws[0], VOCAB, F) as number[][]) : undefined;
  const seqs = v.masked ? INDICES.map((row) => row.map((i) => table![i])) : (nest(x, B, T, F) as number[][][]);
  const mask = v.masked ? INDICES.map((row) => row.map((i) => (i === 0 ? 0 : 1))) : undefined;
  const G = (v.cell.kind === 'lstm' ? 4 : v.cell.kind === 'gru' ? 3 : 1) * U;
  const biasShape = v.cell.kind === 'gru' && v.cell.resetAfter ? [2, G] : [G];
  const at = v.masked ? 1 : 0;
  const dirWeights = (d: number) => {
    const o = at + 3 * d;
    return { W: nest(ws[o], F, G) as number[][], R: nest(ws[o + 1], U, G) as number[][], b: nest(ws[o + 2], ...biasShape) as number[] | number[][] };
  };
  const fwd = rnnForward(v.cell, dirWeights(0), seqs, { returnSequences: v.returnSequences, goBackwards: v.goBackwards, mask });
  const bwd = v.bidirectional ? rnnForward(v.cell, dirWeights(1), seqs, { returnSequences: v.returnSequences, goBackwards: !v.goBackwards, mask }) : undefined;
  return { fwd, bwd, mask };
}

/** y of the model from the directions: Bidirectional concatenates forward and (re-reversed) backward, zeroing masked steps of sequences. */
function output(v: Variant, fwd: RecurrentForward, bwd: RecurrentForward | undefined, mask: number[][] | undefined): number[] {
  if (!bwd) return flat(fwd.y);
  if (!v.returnSequences) return fwd.last.flatMap((h, b) => [...h, ...bwd.last[b]]);
  const live = (b: number, t: number) => !mask || mask[b][t] === 1;
  return fwd.sequence.flatMap((steps, b) =>
    steps.flatMap((h, t) => [...(live(b, t) ? h : h.map(() => 0)), ...(live(b, t) ? bwd.sequence[b][T - 1 - t] : h.map(() => 0))]),
  );
}

function agree(got: ArrayLike<number>, want: ArrayLike<number>, floor: number, tol: number, what: string): void {
  const max = Array.from(want).reduce((m, x) => Math.max(m, Math.abs(x)), 0);
  const { err, at } = worst(got, want, (i) => Math.max(Math.abs(want[i]), floor * max, 1e-12));
  expect(err, `${what}[${at}]: deltaflow ${got[at]}, reference ${want[at]}`).toBeLessThan(tol);
}

describe.each(variants.map((v, i) => [label(v), v, i] as const))('%s', (_, v, i) => {
  it('predict and computeGradients match the float64 reference', () => {
    const { model, x, shape } = build(v, 100 + i);
    const { fwd, bwd, mask } = reference(v, model.getWeights(), x);
    const want = output(v, fwd, bwd, mask);
    const got = model.predict({ data: x, shape });
    expect(got.shape).toEqual([B, ...(model.outputShape.slice(1) as number[])]);
    expect(got.size).toBe(B * (v.returnSequences ? T : 1) * (v.bidirectional ? 2 : 1) * U);
    agree(got.dataSync(), want, 0.1, 2e-5, 'output');

    // mse against random targets: dy = 2(y − target)/N, split back into the directions.
    const target = uniform(rng(7 + i), want.length, -1, 1);
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { loss, grads } = model.computeGradients({ data: x, shape }, { data: target, shape: got.shape });
    expect(loss).toBeCloseTo(want.reduce((s, y, k) => s + (y - target[k]) ** 2, 0) / want.length, 5);
    const dy = want.map((y, k) => (2 * (y - target[k])) / want.length);
    const width = bwd ? 2 * U : U;
    const part = (d: number) => {
      const rows = nest(dy, B, ...(v.returnSequences ? [T] : []), width) as number[][] | number[][][];
      if (!v.returnSequences) return (rows as number[][]).map((r) => r.slice(d * U, (d + 1) * U));
      // The backward direction's outputs were re-reversed and masked steps zeroed: undo both for its gradient.
      return (rows as number[][][]).map((steps, b) =>
        steps.map((_, t) => {
          const pos = d === 0 ? t : T - 1 - t;
          return mask && mask[b][pos] === 0 && bwd ? new Array<number>(U).fill(0) : steps[pos].slice(d * U, (d + 1) * U);
        }),
      );
    };
    const g0 = rnnBackward(fwd.cache, part(0));
    const gs = bwd ? [g0, rnnBackward(bwd.cache, part(1))] : [g0];
    const wanted: number[][] = [];
    if (v.masked) {
      // The table's gradient: each position's dx added to the row its index names.
      const dTable = new Array<number>(VOCAB * F).fill(0);
      INDICES.forEach((row, b) => row.forEach((idx, t) => gs.forEach((g) => g.dx[b][t].forEach((d, f) => (dTable[idx * F + f] += d)))));
      wanted.push(dTable);
    }
    for (const g of gs) wanted.push(flat(g.dW), flat(g.dR), flat(g.db));
    expect(grads.length).toBe(wanted.length);
    grads.forEach((g, k) => agree(g.dataSync(), wanted[k], 0.01, 2e-4, `gradient ${k}`));
  });
});

describe('recurrent layers: shapes, weights and options', () => {
  it('plans Keras shapes: kernels [features, gates·units], GRU resetAfter bias [2, 3·units]', () => {
    const cases: [df.Layer, number[][], (number | null)[]][] = [
      [df.layers.simpleRNN({ units: 4, inputShape: [7, 3] }), [[3, 4], [4, 4], [4]], [null, 4]],
      [df.layers.lstm({ units: 4, returnSequences: true, inputShape: [7, 3] }), [[3, 16], [4, 16], [16]], [null, 7, 4]],
      [df.layers.gru({ units: 4, inputShape: [7, 3] }), [[3, 12], [4, 12], [2, 12]], [null, 4]],
      [df.layers.gru({ units: 4, resetAfter: false, useBias: false, inputShape: [7, 3] }), [[3, 12], [4, 12]], [null, 4]],
      [df.layers.bidirectional({ layer: df.layers.lstm({ units: 2, returnSequences: true }), inputShape: [7, 3] }), [[3, 8], [2, 8], [8], [3, 8], [2, 8], [8]], [null, 7, 4]],
    ];
    for (const [layer, weights, out] of cases) {
      const m = df.sequential({ layers: [layer] });
      expect(m.getWeights().map((w) => w.shape), layer.className).toEqual(weights);
      expect(layer.outputShape).toEqual(out);
      expect(layer.countParams()).toBe(weights.reduce((n, s) => n + s.reduce((a, b) => a * b, 1), 0));
    }
  });

  it('names weights as tfjs does, the Bidirectional directions forward_ and backward_', () => {
    const m = df.sequential({ layers: [df.layers.bidirectional({ layer: df.layers.gru({ units: 2, returnSequences: true }), inputShape: [3, 2] }), df.layers.lstm({ units: 1 })] });
    // The inner GRU's default name is its kind: Keras's 'forward_gru'.
    expect(m.weights.map((w) => w.name)).toEqual([
      'bidirectional/forward_gru/kernel', 'bidirectional/forward_gru/recurrent_kernel', 'bidirectional/forward_gru/bias',
      'bidirectional/backward_gru/kernel', 'bidirectional/backward_gru/recurrent_kernel', 'bidirectional/backward_gru/bias',
      'lstm/kernel', 'lstm/recurrent_kernel', 'lstm/bias',
    ]);
  });

  it('starts as Keras: orthogonal recurrent kernel, zero bias with ones on the forget gate (unitForgetBias)', () => {
    const m = df.sequential({ seed: 3, layers: [df.layers.lstm({ units: 6, inputShape: [4, 5] })] });
    const [, r, b] = m.getWeights();
    const R = nest(r.dataSync(), 6, 24) as number[][];
    // Rows of R [6 × 24] are orthonormal.
    for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) expect(R[i].reduce((s, v, k) => s + v * R[j][k], 0)).toBeCloseTo(i === j ? 1 : 0, 5);
    expect(Array.from(b.dataSync())).toEqual([...new Array(6).fill(0), ...new Array(6).fill(1), ...new Array(12).fill(0)]);
    const off = df.sequential({ layers: [df.layers.lstm({ units: 2, unitForgetBias: false, biasInitializer: 'ones', inputShape: [4, 5] })] });
    expect(Array.from(off.getWeights()[2].dataSync())).toEqual(new Array(8).fill(1));
  });

  it('an all-padding row keeps the zero state: its output is 0 and no weight gets a gradient from it', () => {
    const m = df.sequential({ seed: 2, layers: [df.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] }), df.layers.lstm({ units: 3 })] });
    m.setWeights(m.getWeights().map((w) => ({ data: uniform(rng(1), w.size, -1, 1), shape: w.shape })));
    const y = m.predict({ data: new Float32Array([0, 0, 0, 0, 1, 2, 0, 3]), shape: [2, 4] }).dataSync();
    expect(Array.from(y.slice(0, 3))).toEqual([0, 0, 0]);
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const { grads } = m.computeGradients({ data: new Float32Array([0, 0, 0, 0]), shape: [1, 4] }, { data: new Float32Array([1, 1, 1]), shape: [1, 3] });
    for (const g of grads) expect(Array.from(g.dataSync()).every((v) => v === 0)).toBe(true);
  });

  it('a mask must end in a recurrent layer or a pooling: sequences reaching the loss or a batchNormalization are refused', () => {
    const emb = () => df.layers.embedding({ inputDim: 5, outputDim: 3, maskZero: true, inputShape: [4] });
    const x = { data: new Float32Array([1, 2, 0, 0]), shape: [1, 4] };
    const ok = df.sequential({ layers: [emb(), df.layers.lstm({ units: 2, returnSequences: true }), df.layers.gru({ units: 2 }), df.layers.dense({ units: 1 })] });
    ok.compile({ optimizer: 'adam', loss: 'mse' });
    expect(() => ok.trainOnBatch(x, { data: new Float32Array([1]), shape: [1, 1] })).not.toThrow();
    const pooled = df.sequential({ layers: [emb(), df.layers.gru({ units: 2, returnSequences: true }), df.layers.globalAveragePooling1d(), df.layers.dense({ units: 1 })] });
    pooled.compile({ optimizer: 'adam', loss: 'mse' });
    expect(Number.isFinite(pooled.trainOnBatch(x, { data: new Float32Array([1]), shape: [1, 1] }))).toBe(true);
    const bad = df.sequential({ layers: [emb(), df.layers.lstm({ units: 2, returnSequences: true })] });
    bad.compile({ optimizer: 'adam', loss: 'mse' });
    expect(() => bad.trainOnBatch(x, { data: new Float32Array(8), shape: [1, 4, 2] })).toThrow(/maskZero: its mask would reach the loss/);
    const normed = df.sequential({ layers: [emb(), df.layers.simpleRNN({ units: 2, returnSequences: true }), df.layers.batchNormalization(), df.layers.flatten()] });
    normed.compile({ optimizer: 'adam', loss: 'mse' });
    expect(() => normed.trainOnBatch(x, { data: new Float32Array(8), shape: [1, 8] })).toThrow(/BatchNormalization/);
  });

  it('refuses what it does not run, naming the option and what to do', () => {
    expect(() => df.layers.lstm({ units: 4, dropout: 0.2 } as never)).toThrow(/lstm: .*dropout/);
    expect(() => df.layers.gru({ units: 4, recurrentDropout: 0.1 } as never)).toThrow(/recurrentDropout/);
    expect(() => df.layers.lstm({ units: 4, returnState: true } as never)).toThrow(/returnState/);
    expect(() => df.layers.simpleRNN({ units: 4, stateful: true } as never)).toThrow(/stateful/);
    expect(() => df.layers.lstm({ units: 4, unitsx: 3 } as never)).toThrow(/unknown option 'unitsx'/);
    expect(() => df.layers.lstm({ units: 0 })).toThrow(/lstm: units/);
    expect(() => df.layers.gru({ units: 2, activation: 'softmax' })).toThrow(/gru: activation: 'softmax' is not supported in a recurrent layer/);
    expect(() => df.layers.lstm({ units: 2, recurrentActivation: 'gelu' })).toThrow(/recurrentActivation: 'gelu'/);
    expect(() => df.layers.lstm({ units: 2, returnSequences: 'yes' } as never)).toThrow(/returnSequences must be true or false/);
    expect(() => df.layers.bidirectional({ layer: df.layers.dense({ units: 2 }) as never })).toThrow(/must be a recurrent layer .*got a Dense layer/);
    expect(() => df.layers.bidirectional({ layer: df.layers.lstm({ units: 2 }), mergeMode: 'sum' as never })).toThrow(/mergeMode "sum" is not supported/);
    // Harmless spellings tfjs and Keras write are accepted.
    expect(() => df.layers.lstm({ units: 2, dropout: 0, unroll: false, implementation: 2 } as never)).not.toThrow();
    expect(() => df.layers.gru({ units: 2, reset_after: false, return_sequences: true } as never)).not.toThrow();
  });

  it('needs rows of [timesteps, features], when the model is built', () => {
    expect(() => df.sequential({ layers: [df.layers.lstm({ units: 2, inputShape: [6] })] })).toThrow(/layer 'lstm' \(LSTM\): expects rows of \[timesteps, features\].*got rows of \[6\]/);
  });

  it('trains: an LSTM learns to remember the first step of a sequence', async () => {
    const next = rng(5);
    const rows = 256;
    const steps = 12;
    const x = uniform(next, rows * steps, -1, 1);
    const y = Float32Array.from({ length: rows }, (_, r) => (x[r * steps] > 0 ? 1 : 0));
    const m = df.sequential({ seed: 1, layers: [df.layers.lstm({ units: 8, inputShape: [steps, 1] }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
    m.compile({ optimizer: df.optimizers.adam({ learningRate: 0.02 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    const h = await m.fit({ data: x, shape: [rows, steps, 1] }, { data: y, shape: [rows, 1] }, { epochs: 40, batchSize: 32, verbose: 0 });
    expect(h.history.accuracy.at(-1)).toBeGreaterThan(0.95);
  });
});

