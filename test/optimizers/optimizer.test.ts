// The optimizer objects: names, defaults, validation, and standalone use on any parameter vector.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng } from '../helpers/random.js';
import { refClipNorm, refClipValue, refSumsq } from '../ref/clip.js';
import { ReferenceMLP } from '../ref/mlp.js';
import { getRuntime } from '../../src/wasm/load.js';

beforeAll(() => df.ready());

describe('optimizer configuration', () => {
  it('Keras 3 defaults', () => {
    expect(df.optimizers.sgd().getConfig()).toMatchObject({ learning_rate: 0.01, momentum: 0, nesterov: false });
    expect(df.optimizers.rmsprop().getConfig()).toMatchObject({ learning_rate: 0.001, rho: 0.9, momentum: 0, epsilon: 1e-7, centered: false });
    expect(df.optimizers.adagrad().getConfig()).toMatchObject({ learning_rate: 0.001, initial_accumulator_value: 0.1, epsilon: 1e-7 });
    expect(df.optimizers.adadelta().getConfig()).toMatchObject({ learning_rate: 0.001, rho: 0.95, epsilon: 1e-7 });
    expect(df.optimizers.adam().getConfig()).toMatchObject({ learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999, epsilon: 1e-7, amsgrad: false });
    expect(df.optimizers.adamw().getConfig()).toMatchObject({ learning_rate: 0.001, weight_decay: 0.004 });
    expect(df.optimizers.adamax().getConfig()).toMatchObject({ learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999 });
    expect(df.optimizers.nadam().getConfig()).toMatchObject({ learning_rate: 0.001, beta_1: 0.9, beta_2: 0.999 });
    expect(df.optimizers.lion().getConfig()).toMatchObject({ learning_rate: 0.001, beta_1: 0.9, beta_2: 0.99 });
  });

  it('clear errors for bad hyperparameters, at construction', () => {
    expect(() => df.optimizers.rmsprop({ rho: 1 })).toThrow(/rho must be in \[0, 1\), got 1/);
    expect(() => df.optimizers.adam({ beta2: -0.1 })).toThrow(/beta2 must be in \[0, 1\), got -0.1/);
    expect(() => df.optimizers.adamax({ beta1: NaN })).toThrow(/beta1 must be in \[0, 1\), got NaN/);
    expect(() => df.optimizers.nadam({ epsilon: -1 })).toThrow(/epsilon must be a finite number > 0, got -1/);
    expect(() => df.optimizers.adagrad({ epsilon: 0 })).toThrow(/epsilon must be a finite number > 0, got 0/);
    expect(() => df.optimizers.sgd({ learningRate: NaN })).toThrow(/learningRate must be a finite number ≥ 0 or a schedule, got NaN/);
    expect(() => df.optimizers.adam({ clipnorm: 1, clipvalue: 1 })).toThrow(/only one of clipnorm, clipvalue and globalClipnorm can be set/);
    expect(() => df.optimizers.adam({ clipnorm: 0 })).toThrow(/clipnorm must be a finite number > 0, got 0/);
    expect(() => df.optimizers.sgd({ weightDecay: -1 })).toThrow(/weightDecay must be a finite number ≥ 0, got -1/);
    const opt = df.optimizers.adam();
    expect(() => (opt.learningRate = -0.5)).toThrow(/learningRate must be a finite number ≥ 0/);
    expect(opt.learningRate).toBe(0.001);
  });

  it('hyperparameters are checked as the f32 the kernels compute with', () => {
    // Finite doubles that are infinite, zero or 1 as f32: accepted before, then NaN weights.
    expect(() => df.optimizers.adamw({ weightDecay: 1e39 })).toThrow(/weightDecay must be a finite number ≥ 0, got 1e\+39, which is Infinity as the 32-bit float/);
    expect(() => df.optimizers.sgd({ learningRate: 1e39 })).toThrow(/learningRate must be a finite number ≥ 0, got 1e\+39/);
    expect(() => df.optimizers.adam({ epsilon: 1e-50 })).toThrow(/epsilon must be a finite number > 0, got 1e-50, which is 0 as the 32-bit float/);
    expect(() => df.optimizers.nadam({ beta2: 0.99999999 })).toThrow(/beta2 must be in \[0, 1\), got 0.99999999, which is 1 as the 32-bit float/);
    expect(() => df.optimizers.adam({ clipnorm: 1e-46 })).toThrow(/clipnorm must be a finite number > 0/);
    expect(() => df.optimizers.adagrad({ initialAccumulatorValue: 4e38 })).toThrow(/initialAccumulatorValue must be a finite number ≥ 0/);
    expect(() => df.optimizers.sgd({ momentum: 1.5 })).toThrow(/momentum must be in \[0, 1\], got 1.5/);
  });

  it("Lion's β1 range and AdamW's weightDecay follow Keras", () => {
    // Keras: beta_1 in (0, 1] (0 degenerates to signSGD); AdamW refuses weight_decay=None.
    expect(() => df.optimizers.lion({ beta1: 0 })).toThrow(/beta1 must be in \(0, 1\], got 0/);
    expect(df.optimizers.lion({ beta1: 1 }).getConfig()).toMatchObject({ beta_1: 1 });
    expect(df.optimizers.lion({ beta2: 1 }).getConfig()).toMatchObject({ beta_2: 1 });
    expect(() => df.optimizers.adamw({ weightDecay: null as unknown as number })).toThrow(/adamw: weightDecay must be a number/);
    expect(df.optimizers.adamw({ weightDecay: undefined }).getConfig()).toMatchObject({ weight_decay: 0.004 });
    expect(df.optimizers.adam({ weightDecay: null as unknown as number }).getConfig()).toMatchObject({ weight_decay: null });
  });

  it('every word of a step record is written, whatever the memory held', () => {
    for (const name of df.optimizerNames) {
      const m = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [1] })] });
      m.compile({ optimizer: name, loss: 'mse' });
      const record = new Float32Array(8).fill(NaN);
      m.optimizer!.stepScalars(1, record);
      expect(record.every(Number.isFinite), `${name}: ${Array.from(record)}`).toBe(true);
    }
  });

  it('names and aliases resolve to configured optimizers', () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [1] })] });
    const check = (name: string, cls: new (...a: never[]) => df.Optimizer, config: Record<string, unknown>) => {
      m.compile({ optimizer: name, loss: 'mse' });
      expect(m.optimizer).toBeInstanceOf(cls);
      expect(m.optimizer!.getConfig()).toMatchObject(config);
    };
    check('momentum', df.SGD, { momentum: 0.9, nesterov: false });
    check('nag', df.SGD, { momentum: 0.9, nesterov: true });
    check('nesterov', df.SGD, { momentum: 0.9, nesterov: true });
    check('amsgrad', df.Adam, { amsgrad: true });
    check('AdamW', df.AdamW, { weight_decay: 0.004 });
    check('RMSProp', df.RMSprop, { rho: 0.9 });
  });

  it('tfjs factories take tfjs argument order', () => {
    expect(df.train.rmsprop(0.01, 0.8, 0.5, 1e-6, true).getConfig()).toMatchObject({ learning_rate: 0.01, rho: 0.8, momentum: 0.5, epsilon: 1e-6, centered: true });
    expect(df.train.adagrad(0.2, 0.3).getConfig()).toMatchObject({ learning_rate: 0.2, initial_accumulator_value: 0.3 });
    expect(df.train.adadelta().getConfig()).toMatchObject({ learning_rate: 0.001, rho: 0.95, epsilon: 1e-7 });
    expect(df.train.adamax().getConfig()).toMatchObject({ learning_rate: 0.002 });
    expect(df.train.momentum(0.1, 0.8, true).getConfig()).toMatchObject({ learning_rate: 0.1, momentum: 0.8, nesterov: true });
  });
});

describe('applyGradients: standalone minimization', () => {
  it('minimizes a quadratic with every optimizer', () => {
    for (const name of df.optimizerNames) {
      const m = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [1] })] });
      m.compile({ optimizer: name, loss: 'mse' });
      const opt = m.optimizer!;
      // The model keeps this optimizer's state until it lets go of it.
      m.dispose();
      // Each family's own scale: adaptive steps ≈ lr, SGD's bounded by the curvature 20.
      opt.learningRate = ({ adagrad: 0.5, adadelta: 10, lion: 0.01 } as Record<string, number>)[name] ?? 0.05;
      const p = new Float32Array([3, -2]);
      const f = () => p[0] ** 2 + 10 * p[1] ** 2;
      const start = f();
      for (let i = 0; i < 300; i++) opt.applyGradients(p, [2 * p[0], 20 * p[1]]);
      expect(f(), name).toBeLessThan(start / 10);
      expect(opt.iterations).toBe(300);
    }
  });

  it('bad gradients or a different vector are refused and leave params alone', () => {
    const opt = df.optimizers.adam();
    const p = new Float32Array([1, 2, 3]);
    opt.applyGradients(p, [0.1, 0.1, 0.1]);
    const after = Array.from(p);
    expect(() => opt.applyGradients(p, [1, 2])).toThrow(/grads has 2 values but params has 3/);
    expect(() => opt.applyGradients(p, [1, NaN, 2])).toThrow(/grads\[1\] is NaN; params left unchanged/);
    expect(() => opt.applyGradients(new Float32Array(4), [0, 0, 0, 0])).toThrow(/state is for 3 parameters, got 4/);
    expect(() => opt.applyGradients([1, 2, 3] as unknown as Float32Array, [0, 0, 0])).toThrow(/params must be a Float32Array/);
    expect(Array.from(p)).toEqual(after);
    expect(opt.iterations).toBe(1);
  });
});

describe('clipping inside a model', () => {
  it.each([
    ['clipnorm', { clipnorm: 0.01 }],
    ['globalClipnorm', { globalClipnorm: 0.01 }],
    ['clipvalue', { clipvalue: 0.001 }],
  ])('%s clips per tensor / globally / per element before the SGD step', (kind, options) => {
    const x = [[0.5, -1, 2], [1, 1, -0.5], [0, 2, 1]];
    const y = [[1, 0], [0, 1], [1, 0]];
    const model = df.sequential({ seed: 4, layers: [df.layers.dense({ units: 4, activation: 'tanh', inputShape: [3] }), df.layers.dense({ units: 2, activation: 'softmax' })] });
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.5, ...options }), loss: 'categoricalCrossentropy' });
    const before = model.getWeights().map((w) => w.dataSync());
    const grads = model.computeGradients(x, y).grads.map((g) => Float64Array.from(g.dataSync()));
    const norm = (g: Float64Array) => Math.sqrt(g.reduce((s, v) => s + v * v, 0));
    const global = Math.sqrt(grads.reduce((s, g) => s + norm(g) ** 2, 0));
    const clipped = grads.map((g) =>
      g.map((v) =>
        kind === 'clipnorm' ? (v * 0.01) / Math.max(norm(g), 0.01) : kind === 'globalClipnorm' ? v * 0.01 * Math.min(1 / global, 100) : Math.min(Math.max(v, -0.001), 0.001),
      ),
    );
    // The test only means something if clipping changed the gradients.
    expect(clipped.some((g, i) => g.some((v, j) => Math.abs(v - grads[i][j]) > 1e-6))).toBe(true);
    model.trainOnBatch(x, y);
    model.getWeights().forEach((w, i) => {
      const got = w.dataSync();
      got.forEach((v, j) => expect(v).toBeCloseTo(before[i][j] - 0.5 * clipped[i][j], 6));
    });
  });
});

describe('complements such as 1 − β are formed as Keras forms them', () => {
  // One step on a 1→1 model with g = 2 (mse of w·1 against 0 at w = 1), fresh slots: each slot holds
  // g·(1 − β) or g²·(1 − β) computed in f32 with the complement Keras uses. Adam, Adamax, RMSprop and
  // Adadelta take 1 − β from Python floats (float64, then f32); Nadam and Lion cast β to f32 first.
  const f = Math.fround;
  const c64 = (b: number) => f(1 - b);
  const c32 = (b: number) => f(1 - f(b));
  const cases: [string, df.Optimizer, number[][]][] = [
    ['adam', df.optimizers.adam(), [[f(2 * c64(0.9))], [f(4 * c64(0.999))]]],
    ['adamax', df.optimizers.adamax(), [[f(2 * c64(0.9))], [2]]],
    ['rmsprop', df.optimizers.rmsprop(), [[f(c64(0.9) * 4)]]],
    ['adadelta', df.optimizers.adadelta(), [[f(c64(0.95) * 4)], []]],
    ['nadam', df.optimizers.nadam(), [[f(2 * c32(0.9))], [f(4 * c32(0.999))]]],
    ['lion', df.optimizers.lion(), [[f(2 * c32(0.99))]]],
  ];
  it.each(cases)('%s', (name, optimizer, want) => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 1, useBias: false, kernelInitializer: 'ones', inputShape: [1] })] });
    m.compile({ optimizer, loss: 'mse' });
    expect(m.computeGradients([[1]], [[0]]).grads[0].dataSync()[0]).toBe(2);
    m.trainOnBatch([[1]], [[0]]);
    const slots = m.getOptimizerState().slots;
    want.forEach((w, s) => {
      if (w.length) expect(slots[s][0], `${name} slot ${s}`).toBe(w[0]);
    });
    // The f32 complement of 0.999 differs from Keras's 0.001 by 6.4e-6 relative: the test can tell them apart.
    if (name === 'adam') expect(slots[1][0]).not.toBe(f(4 * c32(0.999)));
  });
});

describe('clipping walks the tensors that exist: models with Dropout and Activation layers', () => {
  // The per-tensor clip once treated every layer as Dense: for a layer without a kernel it rescaled
  // the first in·units floats of memory (static data, other models' arenas).
  const opts = { clipnorm: { clipnorm: 0.05 }, clipvalue: { clipvalue: 0.01 }, globalClipnorm: { globalClipnorm: 0.05 } } as const;
  const r = rng(11);
  const x = Array.from({ length: 6 }, () => Array.from({ length: 4 }, () => r() * 2 - 1));
  const y = x.map((row) => [row[0] - row[1], row[2] * row[3]]);

  it.each(Object.keys(opts) as (keyof typeof opts)[])('%s: the step equals the float64 reference, and no other memory changes', (kind) => {
    const guard = memoryGuard();

    // dense(4→6) · Activation(tanh) · Dropout(0) · dense(2) is the reference's tanh/linear 4-6-2 MLP.
    const model = df.sequential({
      seed: 5,
      layers: [
        df.layers.dense({ units: 6, inputShape: [4] }),
        df.layers.activation({ activation: 'tanh' }),
        df.layers.dropout({ rate: 0 }),
        df.layers.dense({ units: 2 }),
      ],
    });
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.5, ...opts[kind] }), loss: 'mse' });
    const w0 = model.getWeights().map((w) => Float64Array.from(w.dataSync()));
    const ref = new ReferenceMLP({ sizes: [4, 6, 2], activations: ['tanh', 'linear'] });
    const grads = ref.gradients('mse', w0, x.flat(), y.flat(), x.length);
    const clipped = kind === 'clipnorm' ? grads.map((g) => refClipNorm(g, 0.05)) : kind === 'clipvalue' ? grads.map((g) => refClipValue(g, 0.01)) : refGlobal(grads, 0.05);
    // Only meaningful if clipping changed the gradients.
    expect(clipped.some((g, i) => g.some((v, j) => Math.abs(v - grads[i][j]) > 1e-4))).toBe(true);

    model.trainOnBatch(x, y);
    model.getWeights().forEach((w, i) => {
      const got = w.dataSync();
      got.forEach((v, j) => expect(Math.abs(v - (w0[i][j] - 0.5 * clipped[i][j])), `weights[${i}][${j}]`).toBeLessThan(2e-6));
    });
    guard.check();
    expect(model.summary(null)).toContain('dense_1 (Dense)');
  });

  it('a trained Dropout model keeps every tensor step within lr·clipnorm and leaves other memory alone', () => {
    const guard = memoryGuard();
    const model = df.sequential({ seed: 9, layers: [df.layers.dense({ units: 32, activation: 'relu', inputShape: [16] }), df.layers.dropout({ rate: 0.5 }), df.layers.dense({ units: 1 })] });
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.1, clipnorm: 1 }), loss: 'mse' });
    const xs = Array.from({ length: 8 }, () => Array.from({ length: 16 }, () => r() * 4));
    const ys = xs.map((row) => [row.reduce((a, b) => a + b, 0)]);
    for (let s = 0; s < 5; s++) {
      const w0 = model.getWeights().map((w) => w.dataSync());
      model.trainOnBatch(xs, ys);
      model.getWeights().forEach((w, i) => {
        const d = w.dataSync().map((v, j) => v - w0[i][j]);
        expect(Math.hypot(...d), `step ${s} tensor ${i}`).toBeLessThanOrEqual(0.1 * 1 * (1 + 1e-5));
      });
    }
    guard.check();
  });
});

/**
 * A snapshot of the module's static data (below the heap) and of a bystander model's arena; check()
 * fails if anything there changed. The stray clip wrote from address 0 up.
 */
function memoryGuard(): { check(): void } {
  const { heap, kernels } = getRuntime();
  const bystander = df.sequential({ seed: 3, layers: [df.layers.dense({ units: 3, inputShape: [2] })] });
  const probe = bystander.predict([[0.5, -0.25]]).dataSync();
  const arena = (bystander as unknown as { trainer: { arena: { base: number; layout: { bytes: number } } } }).trainer.arena;
  const ranges: [number, number][] = [[0, kernels.heap_base()], [arena.base, arena.layout.bytes]];
  const saved = ranges.map(([at, n]) => heap.u8(at, n).slice());
  return {
    check() {
      ranges.forEach(([at, n], i) => expect(Buffer.compare(heap.u8(at, n), saved[i]), `bytes [${at}, ${at + n}) changed`).toBe(0));
      expect(bystander.predict([[0.5, -0.25]]).dataSync()).toEqual(probe);
    },
  };
}

/** Keras clip_by_global_norm in float64. */
function refGlobal(grads: Float64Array[], c: number): Float64Array[] {
  const norm = Math.sqrt(grads.reduce((s, g) => s + refSumsq(g), 0));
  return grads.map((g) => g.map((v) => v * c * Math.min(1 / norm, 1 / c)));
}
