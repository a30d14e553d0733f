// The property suite over generated recurrent models (arbitraries.ts's recurrentModelGen): every cell,
// size, direction, Bidirectional, two stacked, an Embedding(maskZero) with padded index rows in front, a
// pooling or a dense after; predict and computeGradients against the float64 oracle (test/ref/recurrent.ts),
// and interleaved calls on two models where a failed call (bad rank, timesteps, features, NaN, an index out
// of the table, bad weights) names the problem and leaves both models exactly as they were. `npm test` runs
// a seeded share; DELTAFLOW_FUZZ_RECURRENT_RUNS and DELTAFLOW_FUZZ_SEED run more, or others.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform } from '../helpers/random.js';
import { TFJS_HARD_SIGMOID, gatesOf, rnnForward, type RecurrentCell, type RecurrentWeights } from '../ref/recurrent.js';
import { recurrentModelGen, recurrentSequenceGen, type IndexRowKind, type RecurrentCmd, type RecurrentDataGen, type RecurrentLayerGen, type RecurrentModelGen } from './arbitraries.js';
import { snapshot, usedBytes } from './runner.js';

const runs = Number(process.env.DELTAFLOW_FUZZ_RECURRENT_RUNS ?? 120);
const sequenceRuns = Math.max(1, Math.round(runs / 3));
const seed = process.env.DELTAFLOW_FUZZ_SEED !== undefined ? Number(process.env.DELTAFLOW_FUZZ_SEED) : 20261202;
const stats = { models: 0, gradients: 0, masked: 0, sequences: 0, calls: 0, refused: 0 };

beforeAll(() => df.ready());

afterAll(() => {
  console.log(
    `recurrent property: ${stats.models} models (${stats.gradients} with gradients checked, ${stats.masked} masked), ` +
      `${stats.sequences} call sequences (${stats.calls} calls, ${stats.refused} refused as they should be) (seed ${seed})`,
  );
});

// ---- building a model and its data from the generated description ----

function recurrentLayer(l: RecurrentLayerGen, inputShape?: number[]): df.Layer {
  const input = inputShape ? { inputShape } : {};
  const base = { units: l.units, returnSequences: l.returnSequences, goBackwards: l.goBackwards, useBias: l.useBias, activation: l.activation };
  const inner =
    l.cell === 'simpleRNN'
      ? df.layers.simpleRNN({ ...base, ...(l.bidirectional ? {} : input) })
      : l.cell === 'lstm'
        ? df.layers.lstm({ ...base, recurrentActivation: l.recurrentActivation, ...(l.bidirectional ? {} : input) })
        : df.layers.gru({ ...base, recurrentActivation: l.recurrentActivation, resetAfter: l.cell === 'gruAfter', ...(l.bidirectional ? {} : input) });
  return l.bidirectional ? df.layers.bidirectional({ layer: inner as df.RNN, ...input }) : inner;
}

/** Whether the model's output is still a masked sequence (it then gets a flatten, which drops the mask). */
function maskReachesEnd(spec: RecurrentModelGen): boolean {
  return !!spec.embedding && spec.layers.every((l) => l.returnSequences) && spec.head.kind !== 'gap';
}

/** The model, with every weight drawn uniform in [-0.7, 0.7] from the spec's seed. */
function buildRecurrent(spec: RecurrentModelGen): df.Sequential {
  const T = spec.timesteps;
  const layers: df.Layer[] = [];
  if (spec.embedding) layers.push(df.layers.embedding({ inputDim: spec.embedding.vocab, outputDim: spec.features, maskZero: true, inputShape: [T] }));
  spec.layers.forEach((l, i) => layers.push(recurrentLayer(l, i === 0 && !spec.embedding ? [T, spec.features] : undefined)));
  if (spec.head.kind === 'gap') layers.push(df.layers.globalAveragePooling1d());
  if (spec.head.kind === 'dense') layers.push(df.layers.dense({ units: spec.head.units, activation: spec.head.activation }));
  if (maskReachesEnd(spec)) layers.push(df.layers.flatten());
  const model = df.sequential({ seed: spec.seed, layers });
  const next = rng(spec.seed ^ 0x5bd1e995);
  model.setWeights(model.getWeights().map((w) => ({ data: uniform(next, w.size, -0.7, 0.7), shape: w.shape })));
  return model;
}

/** One index row of a kind: padding (0) anywhere, nowhere, everywhere, or at both ends. */
function indexRow(kind: IndexRowKind, next: () => number, T: number, vocab: number): number[] {
  const any = () => Math.floor(next() * vocab);
  const word = () => 1 + Math.floor(next() * (vocab - 1));
  if (kind === 'allZero') return new Array<number>(T).fill(0);
  if (kind === 'unmasked') return Array.from({ length: T }, word);
  if (kind === 'random') return Array.from({ length: T }, any);
  const head = Math.floor(next() * Math.ceil(T / 2)) + 1;
  const tail = Math.floor(next() * Math.ceil(T / 2)) + 1;
  return Array.from({ length: T }, (_, t) => (t < head || t >= T - tail ? 0 : word()));
}

const KINDS: IndexRowKind[] = ['random', 'unmasked', 'allZero', 'maskedEnds'];

/** Valid x for `rows` rows: index rows with an embedding (kinds as given, else drawn), else floats in [-1.5, 1.5]. */
function validX(spec: RecurrentModelGen, next: () => number, rows: number, kinds?: IndexRowKind[]): Float32Array {
  const T = spec.timesteps;
  if (!spec.embedding) return uniform(next, rows * T * spec.features, -1.5, 1.5);
  const { vocab } = spec.embedding;
  return Float32Array.from(Array.from({ length: rows }, (_, r) => indexRow(kinds?.[r] ?? KINDS[Math.floor(next() * 4)], next, T, vocab)).flat());
}

const xShape = (spec: RecurrentModelGen, rows: number) => (spec.embedding ? [rows, spec.timesteps] : [rows, spec.timesteps, spec.features]);

const nest = (data: ArrayLike<number>, ...shape: number[]): unknown => {
  if (shape.length === 1) return Array.from(data);
  const step = shape.slice(1).reduce((a, b) => a * b, 1);
  return Array.from({ length: shape[0] }, (_, i) => nest(Array.from(data).slice(i * step, (i + 1) * step), ...shape.slice(1)));
};

const esc = (s: string) => s.replace(/[[\]().*+?^$|\\]/g, '\\$&');

interface CallData {
  x: df.Input;
  /** x's values as the model reads them, when valid. */
  flat: Float32Array;
  rows: number;
  /** The error a hostile x must raise. */
  error?: RegExp;
}

/** x for a call, valid or hostile as generated, with the error a hostile one must raise. */
function callData(spec: RecurrentModelGen, d: RecurrentDataGen): CallData {
  const next = rng(d.seed);
  const T = spec.timesteps;
  const F = spec.features;
  const rows = d.rows;
  const shape = xShape(spec, rows);
  const inShape = `[${shape.slice(1).join(', ')}]`;
  const flat = validX(spec, next, rows);
  const at = Math.floor(next() * flat.length);
  const nested = next() < 0.3;
  const form = (data: Float32Array, s: number[]): df.Input => (nested ? (nest(data, ...s) as number[][]) : { data, shape: s });
  const wrongShape = (s: number[]) => ({ x: form(new Float32Array(s.reduce((a, b) => a * b, 1)).fill(1), s), flat, rows, error: new RegExp(`x has .* but the model's input shape is ${esc(inShape)}`) });
  switch (d.hostile) {
    case 'none':
      return { x: form(flat, shape), flat, rows };
    case 'rank':
      return wrongShape(spec.embedding ? [rows, T, 2] : [rows, T * F]);
    case 'timesteps':
      return wrongShape(spec.embedding ? [rows, T + 1] : [rows, T + 1, F]);
    case 'features':
      return wrongShape(spec.embedding ? [rows, T, 1, 1] : [rows, T, F + 1]);
    case 'nan': {
      const bad = flat.slice();
      bad[at] = Number.NaN;
      return { x: form(bad, shape), flat, rows, error: /x\[\d+\](\[\d+\])+ is NaN: values must be finite 32-bit floats/ };
    }
    case 'index': {
      const bad = flat.slice();
      if (!spec.embedding) {
        bad[at] = Number.POSITIVE_INFINITY;
        return { x: form(bad, shape), flat, rows, error: /x\[\d+\](\[\d+\])+ is Infinity: values must be finite 32-bit floats/ };
      }
      const { vocab } = spec.embedding;
      const v = [vocab, vocab + 7, -1, 0.5][Math.floor(next() * 4)];
      bad[at] = v;
      const what = Number.isInteger(v) ? `outside the table's ${vocab} rows` : 'not an integer';
      const error = new RegExp(`\\(Embedding\\): x row ${Math.floor(at / T)}, position ${at % T} is ${esc(String(v))}, ${what}; its inputs must be integer indices in \\[0, ${vocab - 1}\\]`);
      return { x: form(bad, shape), flat, rows, error };
    }
  }
}

// ---- the float64 oracle of a whole model ----

function refCell(l: RecurrentLayerGen): RecurrentCell {
  const kind = l.cell === 'simpleRNN' ? 'simpleRNN' : l.cell === 'lstm' ? 'lstm' : 'gru';
  const recurrentActivation = l.recurrentActivation === 'hardSigmoidTfjs' ? TFJS_HARD_SIGMOID : l.recurrentActivation;
  return { kind, units: l.units, activation: l.activation, recurrentActivation, resetAfter: l.cell === 'gruAfter' };
}

const rowsOf = (w: ArrayLike<number>, r: number, c: number) => Array.from({ length: r }, (_, i) => Array.from({ length: c }, (_, j) => w[i * c + j]));

/** The model's output for `rows` rows of x in float64, from its weights in getWeights() order. */
function referenceForward(spec: RecurrentModelGen, ws: readonly ArrayLike<number>[], x: ArrayLike<number>, rows: number): Float64Array {
  const T = spec.timesteps;
  let w = 0;
  let width = spec.features;
  let mask: number[][] | undefined;
  let cur: number[][][] | number[][];
  if (spec.embedding) {
    const table = ws[w++];
    const idx = rowsOf(x, rows, T);
    cur = idx.map((row) => row.map((i) => Array.from({ length: width }, (_, f) => table[i * width + f])));
    mask = idx.map((row) => row.map((i) => (i === 0 ? 0 : 1)));
  } else {
    cur = nest(x, rows, T, width) as number[][][];
  }
  let isSequence = true;
  for (const l of spec.layers) {
    const cell = refCell(l);
    const G = gatesOf(cell.kind) * l.units;
    const direction = (): RecurrentWeights => {
      const W = rowsOf(ws[w++], width, G);
      const R = rowsOf(ws[w++], l.units, G);
      if (!l.useBias) return { W, R };
      const b = ws[w++];
      return { W, R, b: l.cell === 'gruAfter' ? rowsOf(b, 2, G) : Array.from(b) };
    };
    const input = cur as number[][][];
    const opts = { returnSequences: l.returnSequences, mask };
    const fwd = rnnForward(cell, direction(), input, { ...opts, goBackwards: l.goBackwards });
    if (!l.bidirectional) cur = fwd.y;
    else {
      const bwd = rnnForward(cell, direction(), input, { ...opts, goBackwards: !l.goBackwards });
      if (!l.returnSequences) cur = fwd.last.map((h, b) => [...h, ...bwd.last[b]]);
      else {
        // Output i of both directions is input position i (T−1−i going backwards); masked positions are zeros (Keras).
        cur = fwd.sequence.map((steps, b) =>
          steps.map((h, i) => {
            const pos = l.goBackwards ? T - 1 - i : i;
            return !mask || mask[b][pos] === 1 ? [...h, ...bwd.sequence[b][T - 1 - i]] : new Array<number>(2 * l.units).fill(0);
          }),
        );
      }
    }
    width = (l.bidirectional ? 2 : 1) * l.units;
    isSequence = l.returnSequences;
    if (!isSequence) mask = undefined;
  }
  if (spec.head.kind === 'gap') {
    // The mean over the steps the mask keeps (by input position); a row with none gives zeros.
    cur = (cur as number[][][]).map((steps, b) => {
      const kept = steps.filter((_, t) => !mask || mask[b][t] === 1);
      return Array.from({ length: width }, (_, k) => (kept.length === 0 ? 0 : kept.reduce((s, h) => s + h[k], 0) / kept.length));
    });
  } else if (spec.head.kind === 'dense') {
    const { units, activation } = spec.head;
    const K = rowsOf(ws[w++], width, units);
    const bias = ws[w++];
    const f = activation === 'tanh' ? Math.tanh : (v: number) => v;
    const dense = (h: number[]) => Array.from({ length: units }, (_, j) => f(h.reduce((s, v, k) => s + v * K[k][j], bias[j])));
    cur = isSequence ? (cur as number[][][]).map((steps) => steps.map(dense)) : (cur as number[][]).map(dense);
  }
  if (w !== ws.length) throw new Error(`reference: read ${w} of ${ws.length} weights`);
  return Float64Array.from((cur as unknown[]).flat(2) as number[]);
}

function agreeOrFail(got: ArrayLike<number>, want: Float64Array, what: string): void {
  if (got.length !== want.length) throw new Error(`${what}: ${got.length} values, the reference has ${want.length}`);
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= 1e-4 * Math.max(1, Math.abs(want[i])))) throw new Error(`${what}[${i}] = ${got[i]} but the float64 reference gives ${want[i]}`);
  }
}

const SMOOTH = new Set(['tanh', 'sigmoid', 'linear']);
/** Central differences need every activation smooth (no relu, no hardSigmoid kinks). */
const smooth = (spec: RecurrentModelGen) => spec.layers.every((l) => SMOOTH.has(l.activation) && (l.cell === 'simpleRNN' || SMOOTH.has(l.recurrentActivation)));

/** predict, then computeGradients (mse) against central differences of the oracle at sampled entries. */
function checkModel(spec: RecurrentModelGen): void {
  const before = usedBytes();
  const model = buildRecurrent(spec);
  try {
    const next = rng(spec.seed);
    const rows = spec.rows;
    const x = validX(spec, next, rows, spec.embedding?.rows);
    const shape = xShape(spec, rows);
    const ws = model.getWeights().map((w) => Float64Array.from(w.dataSync()));
    const want = referenceForward(spec, ws, x, rows);
    const y = model.predict({ data: x, shape });
    expect(y.shape).toEqual([rows, ...(model.outputShape.slice(1) as number[])]);
    agreeOrFail(y.dataSync(), want, 'predict');

    if (!smooth(spec)) return;
    stats.gradients++;
    const target = uniform(next, want.length, -1, 1);
    const mse = (out: Float64Array) => out.reduce((s, v, k) => s + (v - target[k]) ** 2, 0) / out.length;
    model.compile({ optimizer: 'sgd', loss: 'mse' });
    const { loss, grads } = model.computeGradients({ data: x, shape }, { data: target, shape: y.shape });
    const refLoss = mse(want);
    if (!(Math.abs(loss - refLoss) <= 1e-4 * Math.max(1, refLoss))) throw new Error(`loss ${loss} but the float64 reference gives ${refLoss}`);
    expect(grads.length).toBe(ws.length);
    const h = 1e-5;
    grads.forEach((g, t) => {
      const got = g.dataSync();
      const w = ws[t];
      // Up to 12 entries of each weight, always the first and last.
      const picks = new Set([0, w.length - 1, ...Array.from({ length: 10 }, () => Math.floor(next() * w.length))]);
      const scale = got.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      for (const i of picks) {
        const w0 = w[i];
        w[i] = w0 + h;
        const up = mse(referenceForward(spec, ws, x, rows));
        w[i] = w0 - h;
        const down = mse(referenceForward(spec, ws, x, rows));
        w[i] = w0;
        const r = (up - down) / (2 * h);
        if (!(Math.abs(got[i] - r) <= 2e-3 * (Math.abs(r) + 0.05 * scale) + 1e-6)) {
          throw new Error(`gradient of ${model.weights[t].name}[${i}] = ${got[i]} but central differences of the float64 model give ${r}`);
        }
      }
    });
  } finally {
    model.dispose();
  }
  if (usedBytes() > before) throw new Error(`${usedBytes() - before} bytes were left allocated after the model was disposed`);
}

// ---- interleaved calls on two models ----

const finite = (m: df.Sequential) => m.getWeights().every((w) => w.dataSync().every(Number.isFinite));

function compileFor(m: df.Sequential): void {
  m.compile({ optimizer: df.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
}

/** The model predicts its spec's checked batch as the oracle does, on its current weights. */
function checkPredict(spec: RecurrentModelGen, m: df.Sequential, x: Float32Array, rows: number, got?: ArrayLike<number>): void {
  if (!finite(m)) return;
  const ws = m.getWeights().map((w) => w.dataSync());
  const y = got ?? m.predict({ data: x, shape: xShape(spec, rows) }).dataSync();
  agreeOrFail(y, referenceForward(spec, ws, x, rows), 'predict');
}

async function saveLoad(m: df.Sequential, includeOptimizer: boolean): Promise<df.Sequential> {
  let saved: df.ModelArtifacts | undefined;
  await m.save(df.io.withSaveHandler((a) => void (saved = a)), { includeOptimizer });
  const loaded = await df.loadLayersModel(df.io.fromMemory(saved!));
  try {
    const bits = (t: df.Tensor) => Array.from(new Uint32Array(t.dataSync().slice().buffer));
    expect(loaded.getWeights().map(bits)).toEqual(m.getWeights().map(bits));
    expect(loaded.layers.map((l) => l.getConfig())).toEqual(m.layers.map((l) => l.getConfig()));
    if (includeOptimizer) expect(loaded.getOptimizerState()).toEqual(m.getOptimizerState());
    if (!loaded.optimizer) compileFor(loaded);
  } catch (e) {
    loaded.dispose();
    throw e;
  }
  return loaded;
}

/** Runs the calls; after each, a failed one must have raised its error and changed neither model. */
async function checkCalls(specs: [RecurrentModelGen, RecurrentModelGen], cmds: RecurrentCmd[]): Promise<void> {
  const before = usedBytes();
  const models = specs.map((s) => {
    const m = buildRecurrent(s);
    compileFor(m);
    return m;
  });
  const probes = specs.map((s) => validX(s, rng(s.seed), s.rows, s.embedding?.rows));
  try {
    for (const [k, cmd] of cmds.entries()) {
      stats.calls++;
      const spec = specs[cmd.on];
      const m = models[cmd.on];
      const snaps = models.map(snapshot);
      let error: RegExp | undefined;
      let outcome: { ok: true; value?: unknown } | { ok: false; e: unknown };
      const data = 'data' in cmd ? callData(spec, cmd.data) : undefined;
      const targets = () => {
        const width = m.outputShape.slice(1).reduce((a: number, b) => a * (b ?? 1), 1);
        return { data: uniform(rng(k + 1), data!.rows * width, -1, 1), shape: [data!.rows, ...(m.outputShape.slice(1) as number[])] };
      };
      try {
        switch (cmd.op) {
          case 'predict':
            error = data!.error;
            outcome = { ok: true, value: m.predict(data!.x).dataSync().slice() };
            break;
          case 'trainOnBatch':
            error = data!.error;
            outcome = { ok: true, value: m.trainOnBatch(data!.x, targets()) };
            break;
          case 'fit':
            error = data!.error;
            outcome = { ok: true, value: await m.fit(data!.x, targets(), { epochs: cmd.epochs, batchSize: cmd.batchSize, verbose: 0 }) };
            break;
          case 'setWeights': {
            const ws = m.getWeights();
            let given: df.Input[] = ws.map((w) => ({ data: w.dataSync().map((v) => v * 0.5), shape: w.shape }));
            if (cmd.mode === 'wrongCount') (given = given.slice(0, -1)), (error = new RegExp(`setWeights: expected ${ws.length} arrays .*got ${ws.length - 1}`));
            if (cmd.mode === 'wrongShape') (given[0] = { data: new Float32Array(ws[0].size + 1), shape: [ws[0].size + 1] }), (error = /setWeights: .*shape/);
            if (cmd.mode === 'nan') (given[ws.length - 1] = { data: ws[ws.length - 1].dataSync().fill(Number.NaN), shape: ws[ws.length - 1].shape }), (error = /weights\[\d+\](\[\d+\])* is NaN: values must be finite/);
            if (!finite(m)) error ??= /NaN|finite/;
            m.setWeights(given);
            outcome = { ok: true };
            break;
          }
          case 'saveLoad': {
            if (!finite(m)) error = /holds NaN|non-finite|Infinity/;
            outcome = { ok: true, value: await saveLoad(m, cmd.includeOptimizer) };
            break;
          }
        }
      } catch (e) {
        outcome = { ok: false, e };
      }
      const what = `call ${k} (${JSON.stringify(cmd)})`;
      if (error) {
        if (outcome.ok) throw new Error(`${what} should have failed with ${error}, but it did not`);
        const message = outcome.e instanceof Error ? outcome.e.message : String(outcome.e);
        if (!error.test(message)) throw new Error(`${what} failed with "${message}", not ${error}`);
        stats.refused++;
        models.forEach((mm, i) => {
          if (snapshot(mm) !== snaps[i]) throw new Error(`${what} failed and changed model ${i}`);
        });
        continue;
      }
      if (!outcome.ok) throw outcome.e;
      // The other model is untouched; this one still computes what its weights say.
      const other = 1 - cmd.on;
      if (snapshot(models[other]) !== snaps[other]) throw new Error(`${what} changed the other model`);
      if (cmd.op === 'saveLoad') {
        const loaded = outcome.value as df.Sequential;
        const probe = { data: probes[cmd.on], shape: xShape(spec, spec.rows) };
        expect(Array.from(loaded.predict(probe).dataSync())).toEqual(Array.from(m.predict(probe).dataSync()));
        m.dispose();
        models[cmd.on] = loaded;
      }
      if (cmd.op === 'predict') checkPredict(spec, m, data!.flat, data!.rows, outcome.value as Float32Array);
      checkPredict(spec, models[cmd.on], probes[cmd.on], spec.rows);
    }
  } finally {
    for (const m of models) m.dispose();
  }
  if (usedBytes() > before) throw new Error(`${usedBytes() - before} bytes were left allocated after both models were disposed`);
}

describe('generated recurrent models', () => {
  it(`predict and computeGradients agree with the float64 oracle (${runs} models)`, () => {
    fc.assert(
      fc.property(recurrentModelGen, (spec) => {
        stats.models++;
        if (spec.embedding) stats.masked++;
        checkModel(spec);
      }),
      { numRuns: runs, seed, endOnFailure: process.env.DELTAFLOW_FUZZ_SHRINK === '0' },
    );
    expect(stats.models).toBeGreaterThanOrEqual(runs);
  }, Math.max(300_000, runs * 1000));

  it(`interleaved fit, predict, trainOnBatch, save→load and setWeights on two models: a failed call names the problem and changes nothing (${sequenceRuns} sequences)`, async () => {
    await fc.assert(
      fc.asyncProperty(recurrentSequenceGen, async ({ models, cmds }) => {
        stats.sequences++;
        await checkCalls(models, cmds);
      }),
      { numRuns: sequenceRuns, seed, endOnFailure: process.env.DELTAFLOW_FUZZ_SHRINK === '0' },
    );
    expect(stats.refused).toBeGreaterThan(0);
  }, Math.max(300_000, sequenceRuns * 3000));
});
