// Generated image models for the property suite (test/property/images.test.ts, scripts/fuzz.mjs): a
// small random input shape, 1–4 image layers (conv2d, max/average pooling, zero padding, upsampling,
// batch norm, LeakyReLU, dropout) and an optional head (global pooling, flatten + dense). Each model is
// checked against the float64 reference of test/ref/images.ts on the same weights: predict and evaluate
// (inference), computeGradients (training mode), one SGD trainOnBatch (w − lr·g, batch norm's moving
// statistics), and no memory left once it is disposed. A model whose 'valid' window does not fit must be
// refused, by sequential() or add(), with an error naming the layer as the model names it.
import fc from 'fast-check';
import * as df from '../../src/index.js';
import { toLayer } from '../helpers/layer-specs.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { ReferenceNet, windowAxis, type LayerSpec } from '../ref/images.js';
import { usedBytes } from './runner.js';

type Pair = [number, number];
export type ImageLoss = 'mse' | 'binaryCrossentropy' | 'categoricalCrossentropy';
export type ImageLayer = LayerSpec | { kind: 'dropout'; rate: number };

export interface ImageModel {
  seed: number;
  inShape: [number, number, number];
  layers: ImageLayer[];
  loss: ImageLoss;
  /** Whether the first layer declares inputShape (else the first predict fixes it). */
  declareInput: boolean;
  /** Built by sequential({ layers }) or by add(), one layer at a time. */
  build: 'layers' | 'add';
  rows: number;
  dataSeed: number;
  learningRate: number;
}

// ---- Tolerances ----
// Those of test/model/images.test.ts, with one more floor: generated models hit ill-conditioned corners
// the hand-made grids avoid (a batch norm over two nearly equal values, a batch norm after a batch norm,
// a confident softmax whose p − y is what is left of 1 − p, rows that cancel), where f32 rounding alone
// moves a result by far more than 1e-4 of it. sensitivity() measures that in float64, and an entry's
// scale is at least ROUNDING · sensitivity / tolerance.

/** predict(): within 1e-5 of max(|reference|, 0.1 × the batch's largest |output|, the rounding floor). */
const PREDICT_TOL = 1e-5;
const PREDICT_FLOOR = 0.1;
/** Each gradient entry within 1e-4 of max(|reference|, 0.05 × its tensor's largest, 0.1 × the rows' own mean |gradient|, the rounding floor). */
const GRAD_TOL = 1e-4;
/** Losses within 1e-5 of lossScale(). */
const LOSS_TOL = 1e-5;
/** Moving statistics within 1e-5 of max(|reference|, the terms they sum, 1e-3). */
const STATS_TOL = 1e-5;
/** Data is drawn again until every relu pre-activation and every max's runner-up is this far from its kink. */
const KINK_MARGIN = 1e-4;
const DRAWS = 8;
/** sensitivity()'s relative perturbation and draws, and the rounding (64 units of 2^-24) a model may carry per unit of it. */
const SENS_DELTA = 1e-6;
const SENS_DRAWS = 3;
const ROUNDING = 64 * 2 ** -24;
/** f32 rounding of w − lr·g: a few units in the last place of the weight. */
const F32_ULP = 2 ** -23;

// ---- Generators ----

const CONV_ACTIVATIONS = ['linear', 'relu', 'tanh', 'sigmoid', 'gelu', 'leakyRelu'] as const;
const int = (min: number, max: number) => fc.integer({ min, max });
const pair = (min: number, max: number): fc.Arbitrary<Pair> => fc.tuple(int(min, max), int(min, max));
const padding = fc.constantFrom('valid' as const, 'same' as const);

const conv2dGen: fc.Arbitrary<ImageLayer> = fc
  .record({ filters: int(1, 6), kernel: pair(1, 3), strides: pair(1, 2), dilation: pair(1, 2), padding, activation: fc.constantFrom(...CONV_ACTIVATIONS), useBias: fc.boolean() })
  // Strides > 1 and dilation > 1 cannot be combined (on any axes).
  .map((s) => ({ kind: 'conv2d' as const, ...s, dilation: s.strides.some((v) => v > 1) ? ([1, 1] as Pair) : s.dilation }));

const poolGen: fc.Arbitrary<ImageLayer> = fc.record({
  kind: fc.constantFrom('maxPooling2d' as const, 'averagePooling2d' as const),
  pool: pair(1, 3),
  strides: fc.option(pair(1, 3), { nil: undefined }),
  padding,
});

const layerGen: fc.Arbitrary<ImageLayer> = fc.oneof(
  { weight: 5, arbitrary: conv2dGen },
  { weight: 3, arbitrary: poolGen },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('zeroPadding2d' as const), padding: fc.tuple(pair(0, 2), pair(0, 2)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('upSampling2d' as const), size: pair(1, 2) }) },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('batchNormalization' as const),
      center: fc.boolean(),
      scale: fc.boolean(),
      momentum: fc.constantFrom(undefined, 0.9, 0.5),
      epsilon: fc.constantFrom(undefined, 0.01),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('leakyReLU' as const), alpha: fc.constantFrom(undefined, 0.1, 0.2) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropout' as const), rate: fc.constantFrom(0, 0, 0.25, 0.5) }) },
);

type Head = { layers: ImageLayer[]; loss: ImageLoss };

const denseGen: fc.Arbitrary<Head> = fc
  .record({ units: int(1, 5), output: fc.constantFrom('softmax' as const, 'sigmoid' as const, 'linear' as const), useBias: fc.boolean() })
  .map(({ units, output, useBias }) => ({
    layers: [{ kind: 'dense' as const, units, activation: output, useBias }],
    loss: output === 'softmax' ? 'categoricalCrossentropy' : output === 'sigmoid' ? 'binaryCrossentropy' : 'mse',
  }));

const globalGen = fc.constantFrom('globalAveragePooling2d' as const, 'globalMaxPooling2d' as const);

/** Nothing (the images are the output), a global pooling (with or without a dense), or flatten + dense. */
const headGen: fc.Arbitrary<Head> = fc.oneof(
  { weight: 1, arbitrary: fc.constant<Head>({ layers: [], loss: 'mse' }) },
  { weight: 1, arbitrary: globalGen.map((kind): Head => ({ layers: [{ kind }], loss: 'mse' })) },
  { weight: 1, arbitrary: fc.tuple(globalGen, denseGen).map(([kind, d]): Head => ({ layers: [{ kind }, ...d.layers], loss: d.loss })) },
  { weight: 2, arbitrary: denseGen.map((d): Head => ({ layers: [{ kind: 'flatten' }, ...d.layers], loss: d.loss })) },
);

const seedGen = fc.integer({ min: 0, max: 0xffffffff });

export const imageModelGen: fc.Arbitrary<ImageModel> = fc
  .record({
    seed: seedGen,
    inShape: fc.tuple(int(1, 9), int(1, 9), int(1, 5)),
    body: fc.array(layerGen, { minLength: 1, maxLength: 4 }),
    head: headGen,
    declareInput: fc.oneof({ weight: 3, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
    build: fc.constantFrom('layers' as const, 'add' as const),
    rows: int(1, 6),
    dataSeed: seedGen,
    learningRate: fc.constantFrom(0.1, 0.01),
    bceImages: fc.boolean(),
  })
  .map(({ body, head, bceImages, ...m }) => {
    const layers = [...body, ...head.layers];
    // Images out of a sigmoid conv: binaryCrossentropy on them too (the fused loss path).
    const last = layers[layers.length - 1];
    const loss = head.layers.length === 0 && bceImages && last.kind === 'conv2d' && last.activation === 'sigmoid' ? 'binaryCrossentropy' : head.loss;
    return { ...m, layers, loss };
  });

// ---- Building ----

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

export { toLayer } from '../helpers/layer-specs.js';

const NAMES: Record<ImageLayer['kind'], [string, string]> = {
  conv2d: ['conv2d', 'Conv2D'],
  dense: ['dense', 'Dense'],
  maxPooling2d: ['max_pooling2d', 'MaxPooling2D'],
  averagePooling2d: ['average_pooling2d', 'AveragePooling2D'],
  globalAveragePooling2d: ['global_average_pooling2d', 'GlobalAveragePooling2D'],
  globalMaxPooling2d: ['global_max_pooling2d', 'GlobalMaxPooling2D'],
  flatten: ['flatten', 'Flatten'],
  reshape: ['reshape', 'Reshape'],
  upSampling2d: ['up_sampling2d', 'UpSampling2D'],
  zeroPadding2d: ['zero_padding2d', 'ZeroPadding2D'],
  batchNormalization: ['batch_normalization', 'BatchNormalization'],
  leakyReLU: ['leaky_re_lu', 'LeakyReLU'],
  activation: ['activation', 'Activation'],
  dropout: ['dropout', 'Dropout'],
};

/** Layer i's name in the model, as Keras names it: 'conv2d', 'conv2d_1', … per kind. */
function layerName(layers: ImageLayer[], i: number): string {
  const before = layers.slice(0, i).filter((l) => l.kind === layers[i].kind).length;
  return before === 0 ? NAMES[layers[i].kind][0] : `${NAMES[layers[i].kind][0]}_${before}`;
}

/**
 * The first layer whose 'valid' window does not fit its input, and the error it must raise; or null
 * when every window fits.
 */
function misfit(m: ImageModel): { at: number; message: string } | null {
  let shape: number[] = m.inShape;
  for (let i = 0; i < m.layers.length; i++) {
    const s = m.layers[i];
    if (s.kind === 'conv2d' || s.kind === 'maxPooling2d' || s.kind === 'averagePooling2d') {
      const conv = s.kind === 'conv2d';
      const kernel = conv ? s.kernel : s.pool;
      const strides = (conv ? s.strides : s.strides ?? s.pool) ?? [1, 1];
      const dilation: Pair = conv ? s.dilation ?? [1, 1] : [1, 1];
      const [h, w, c] = shape;
      const r = windowAxis(h, kernel[0], strides[0], dilation[0], s.padding ?? 'valid');
      const q = windowAxis(w, kernel[1], strides[1], dilation[1], s.padding ?? 'valid');
      if (r.out === 0 || q.out === 0) {
        const dilated = dilation.some((d) => d > 1) ? ` dilated by ${dilation.join('×')}` : '';
        return { at: i, message: `layer '${layerName(m.layers, i)}' (${NAMES[s.kind][1]}): a ${kernel.join('×')} window${dilated} does not fit in an input of ${h}×${w} with padding 'valid'` };
      }
      shape = [r.out, q.out, conv ? s.filters : c];
    } else if (s.kind === 'zeroPadding2d') shape = [shape[0] + s.padding[0][0] + s.padding[0][1], shape[1] + s.padding[1][0] + s.padding[1][1], shape[2]];
    else if (s.kind === 'upSampling2d') shape = [shape[0] * s.size[0], shape[1] * s.size[1], shape[2]];
    else if (s.kind === 'globalAveragePooling2d' || s.kind === 'globalMaxPooling2d') shape = [shape[2]];
    else if (s.kind === 'flatten') shape = [size(shape)];
    else if (s.kind === 'dense') shape = [...shape.slice(0, -1), s.units];
  }
  return null;
}

export function buildModel(m: ImageModel, layers: ImageLayer[]): df.Sequential {
  const made = layers.map((s, i) => toLayer(s, i === 0 && m.declareInput ? m.inShape : undefined));
  if (m.build === 'layers') return df.sequential({ seed: m.seed, layers: made });
  const model = df.sequential({ seed: m.seed });
  for (const l of made) model.add(l);
  return model;
}

/** The error `fn` throws, or a failure naming the model when it throws none. */
function thrown(fn: () => unknown, what: string): Error {
  try {
    fn();
  } catch (e) {
    if (e instanceof Error) return e;
    throw new Error(`${what} threw a non-Error: ${String(e)}`);
  }
  throw new Error(`${what} did not throw`);
}

// ---- Data ----

function targets(next: () => number, loss: ImageLoss, rows: number, units: number): Float32Array {
  if (loss === 'mse') return uniform(next, rows * units, -1, 1);
  if (loss === 'binaryCrossentropy') return uniform(next, rows * units, 0, 1);
  const y = new Float32Array(rows * units);
  for (let r = 0; r < rows; r++) y[r * units + Math.floor(next() * units)] = 1;
  return y;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

/** Random biases, batch norm parameters and moving statistics (nothing at a special value); kernels as the model's seed made them. */
function drawWeights(model: df.Sequential, ref: ReferenceNet, next: () => number): Float32Array[] {
  const shapes = ref.weightShapes();
  model.setWeights(
    model.getWeights().map((w, i) => {
      switch (shapes[i].name) {
        case 'bias':
        case 'beta':
        case 'moving_mean':
          return { data: uniform(next, w.size, -0.3, 0.3), shape: w.shape };
        case 'gamma':
        case 'moving_variance':
          return { data: uniform(next, w.size, 0.5, 1.5), shape: w.shape };
        default:
          return w;
      }
    }),
  );
  return model.getWeights().map((w) => w.dataSync());
}

/**
 * Per entry, the largest |Δ| / δ over a few random relative perturbations (1 ± δ) of every weight, every
 * input, every layer's output and δ, and batch norm's batch statistics, x̂ and means of δ: the result's
 * sensitivity to rounding. An f32 model rounds all of those by a few units of 2^-24, so ROUNDING ·
 * sensitivity is the error conditioning alone explains (a batch norm whose f32 mean moves every x̂ of a
 * channel that spreads little beside its size, rows that cancel). `run` may also `nudge` a value by δ
 * times a size of its choosing (a target, by the size of the output it is subtracted from).
 */
function sensitivity(
  want: Float64Array[],
  run: (weights: Float64Array[], x: Float64Array, perturb: (a: Float64Array) => void, nudge: (v: number, size: number) => number) => Float64Array[],
  weights: Float32Array[],
  x: Float32Array,
): Float64Array[] {
  const next = rng(0x5eed);
  const jiggle = (v: number) => v * (1 + SENS_DELTA * (2 * next() - 1));
  const nudge = (v: number, size: number) => v + SENS_DELTA * (2 * next() - 1) * size;
  const perturb = (a: Float64Array) => a.forEach((v, i) => (a[i] = jiggle(v)));
  const out = want.map((g) => new Float64Array(g.length));
  for (let k = 0; k < SENS_DRAWS; k++) {
    const w = weights.map((a) => Float64Array.from(a, jiggle));
    const xs = Float64Array.from(x, jiggle);
    run(w, xs, perturb, nudge).forEach((g, t) => g.forEach((v, i) => (out[t][i] = Math.max(out[t][i], Math.abs(v - want[t][i]) / SENS_DELTA))));
  }
  return out;
}

/**
 * The model's weights (set) and data for a generated model, drawn again from derived seeds until nothing
 * sits near a kink; undefined when no draw does.
 */
export function drawData(m: ImageModel, model: df.Sequential, ref: ReferenceNet): { weights: Float32Array[]; x: Float32Array; y: Float32Array; attempt: number } | undefined {
  for (let attempt = 0; attempt < DRAWS; attempt++) {
    const next = rng((m.dataSeed + attempt * 0x9e3779b9) >>> 0);
    const weights = drawWeights(model, ref, next);
    const x = uniform(next, m.rows * size(m.inShape), -1.5, 1.5);
    const y = targets(next, m.loss, m.rows, ref.outputWidth);
    if (ref.kinkMargin(weights, x, m.rows, true, true) > KINK_MARGIN) return { weights, x, y, attempt };
  }
  return undefined;
}

// ---- The property ----

/** What happened to a generated model: checked in full, refused (a window that does not fit), or skipped (no data away from the kinks). */
export type ImageOutcome = 'checked' | 'dropout' | 'refused' | 'kinked';

export class ImageFailure extends Error {}

/** Models whose first draw of data sat near a kink and was drawn again. */
export const imageStats = { redrawn: 0 };

/**
 * What a loss's error is relative to: the loss, or what its rounding is relative to when it is small. For
 * mse, 2·(p − t)·Δp with Δp relative to p: mean p² bounds it. A cross-entropy of a confident p is
 * −log p ≈ 1 − p, whose rounding is absolute: 1.
 */
function lossScale(loss: ImageLoss, value: number, out: Float64Array): number {
  if (loss !== 'mse') return Math.max(Math.abs(value), 1);
  let sq = 0;
  for (const v of out) sq += v * v;
  return Math.max(Math.abs(value), sq / out.length, 1e-30);
}

function expectBelow(err: number, tol: number, what: () => string): void {
  if (!(err < tol)) throw new ImageFailure(`${what()} (error ${err}, tolerance ${tol})`);
}

/** The whole property for one generated image model. */
export function checkImageModel(m: ImageModel): ImageOutcome {
  const before = usedBytes();
  const outcome = checkModel(m);
  const after = usedBytes();
  if (after > before) throw new ImageFailure(`${after - before} bytes were left allocated after the model was disposed`);
  return outcome;
}

function checkModel(m: ImageModel): ImageOutcome {
  const bad = misfit(m);
  if (bad) {
    const message = new RegExp(`^${bad.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
    if (!m.declareInput) {
      // Without an input shape nothing can be refused when the layers go in: the first batch of images
      // fixes the shape and is refused then, leaving the model without one and usable.
      const model = buildModel(m, m.layers);
      try {
        const x = { data: new Float32Array(m.rows * size(m.inShape)), shape: [m.rows, ...m.inShape] };
        const e = thrown(() => model.predict(x), 'predict on images a window does not fit');
        if (!message.test(e.message)) throw new ImageFailure(`predict: expected /${message.source}/, got ${JSON.stringify(e.message)}`);
        if (model.inputShape !== undefined) throw new ImageFailure(`a refused batch fixed the input shape to [${model.inputShape}]`);
      } finally {
        model.dispose();
      }
      return 'refused';
    }
    if (m.build === 'layers') {
      const e = thrown(() => buildModel(m, m.layers), 'sequential() with a window that does not fit');
      if (!message.test(e.message)) throw new ImageFailure(`sequential(): expected /${message.source}/, got ${JSON.stringify(e.message)}`);
      return 'refused';
    }
    // add(): the layers before it go in; the misfit is refused and the model keeps what it had.
    const model = buildModel(m, m.layers.slice(0, bad.at));
    try {
      const names = model.layers.map((l) => l.name);
      const layer = toLayer(m.layers[bad.at], bad.at === 0 ? m.inShape : undefined);
      const e = thrown(() => model.add(layer), `add() of layer ${bad.at}`);
      if (!message.test(e.message)) throw new ImageFailure(`add(): expected /${message.source}/, got ${JSON.stringify(e.message)}`);
      const now = model.layers.map((l) => l.name);
      if (now.join() !== names.join()) throw new ImageFailure(`a refused add() changed the layers: [${names}] → [${now}]`);
    } finally {
      model.dispose();
    }
    return 'refused';
  }

  const dropping = m.layers.some((l) => l.kind === 'dropout' && l.rate > 0);
  const specs = m.layers.filter((l): l is LayerSpec => l.kind !== 'dropout');
  const ref = new ReferenceNet(m.inShape, specs);
  const model = buildModel(m, m.layers);
  try {
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: m.learningRate }), loss: m.loss });
    const rows = m.rows;
    const xShape = [rows, ...m.inShape];
    const yShape = [rows, ...ref.outShape];
    if (!m.declareInput) {
      // The first batch fixes the input shape (and builds the weights).
      model.predict({ data: new Float32Array(rows * size(m.inShape)), shape: xShape });
    }
    if (JSON.stringify(model.outputShape) !== JSON.stringify([null, ...ref.outShape])) throw new ImageFailure(`output shape [${model.outputShape.slice(1)}] vs the reference's [${ref.outShape}]`);
    const shapes = model.getWeights().map((w) => w.shape);
    if (JSON.stringify(shapes) !== JSON.stringify(ref.weightShapes().map((s) => s.shape))) throw new ImageFailure(`weight shapes ${JSON.stringify(shapes)} vs the reference's ${JSON.stringify(ref.weightShapes())}`);

    const drawn = drawData(m, model, ref);
    if (!drawn) return 'kinked';
    if (drawn.attempt > 0) imageStats.redrawn++;
    const { weights, x, y } = drawn;
    const xs = { data: x, shape: xShape };
    const ys = { data: y, shape: yShape };

    // predict and evaluate: inference mode (batch norm's moving statistics, dropout the identity).
    const got = model.predict(xs);
    if (JSON.stringify(got.shape) !== JSON.stringify(yShape)) throw new ImageFailure(`predict's shape [${got.shape}] vs [${yShape}]`);
    const want = ref.predict(weights, x, rows);
    const values = got.dataSync();
    // Relative to the output, or to the batch's largest output, or to the terms an output sums when they cancel.
    const floor = Math.max(PREDICT_FLOOR * maxAbs(want), 1e-30);
    const [predictSens] = sensitivity([want], (w, xs, perturb) => [ref.forward(w, xs, rows, false, perturb).out], weights, x);
    const p = worst(values, want, (i) => Math.max(Math.abs(want[i]), floor, (ROUNDING * predictSens[i]) / PREDICT_TOL));
    expectBelow(p.err, PREDICT_TOL, () => `predict: output[${p.at}] ${values[p.at]} vs reference ${want[p.at]}`);
    const evaluated = model.evaluate(xs, ys).loss;
    const inferenceLoss = ref.loss(m.loss, weights, x, y, rows, false);
    expectBelow(Math.abs(evaluated - inferenceLoss) / lossScale(m.loss, inferenceLoss, want), LOSS_TOL, () => `evaluate: loss ${evaluated} vs reference ${inferenceLoss}`);

    if (dropping) {
      // Dropout's masks are not in the reference: a finite loss and gradients of the right shapes, a finite step.
      const g = model.computeGradients(xs, ys);
      if (!Number.isFinite(g.loss)) throw new ImageFailure(`computeGradients with dropout: loss ${g.loss}`);
      if (JSON.stringify(g.grads.map((t) => t.shape)) !== JSON.stringify(ref.gradientShapes())) throw new ImageFailure('computeGradients with dropout: gradient shapes differ from the reference');
      if (!g.grads.every((t) => t.dataSync().every(Number.isFinite))) throw new ImageFailure('computeGradients with dropout: a gradient is not finite');
      const loss = model.trainOnBatch(xs, ys);
      if (!Number.isFinite(loss) || !model.getWeights().every((t) => t.dataSync().every(Number.isFinite))) throw new ImageFailure(`trainOnBatch with dropout: loss ${loss}, or a weight is not finite`);
      return 'dropout';
    }

    // computeGradients: training mode (batch norm's batch statistics).
    const trainLoss = ref.loss(m.loss, weights, x, y, rows);
    const trainOut = ref.forward(weights, x, rows, true).out;
    const trainScale = lossScale(m.loss, trainLoss, trainOut);
    const computed = model.computeGradients(xs, ys);
    expectBelow(Math.abs(computed.loss - trainLoss) / trainScale, LOSS_TOL, () => `computeGradients: loss ${computed.loss} vs reference ${trainLoss}`);
    const wantGrads = ref.gradients(m.loss, weights, x, y, rows);
    if (JSON.stringify(computed.grads.map((g) => g.shape)) !== JSON.stringify(ref.gradientShapes())) throw new ImageFailure('computeGradients: gradient shapes differ from the reference');
    const perRow = ref.batchCoupled || rows === 1 ? undefined : ref.rowGradientScale(m.loss, weights, x, y, rows);
    // A tensor whose reference gradient vanishes (a bias before a batch norm, a kernel of a window that
    // only reaches padding, everything before a batch norm of one value per channel) must be zero to within
    // the rounding of the largest gradient in the model. Where terms cancel (rows coupled by a batch norm's
    // statistics, whose own gradients then say nothing; every gradient in the model vanishing), the
    // conditioning says what rounding explains: how far the exact gradient moves when the weights, the data
    // and every intermediate result move by a few f32 roundings. The output's rounding is relative to
    // itself, not to what is left of it once the target is taken away (p − y of a confident softmax,
    // p − t of an mse fit): the targets move by δ·max(|p|, |y|), unnormalized.
    const top = Math.max(0, ...wantGrads.map(maxAbs));
    const width = ref.outputWidth;
    const sizes = Float64Array.from(y, (v, i) => Math.max(Math.abs(v), Math.abs(trainOut[i])));
    // Cross-entropy renormalizes the targets (its gradient is p·Σy − y): the largest p of the row rounds
    // in every entry, so every entry moves by the row's largest size.
    if (m.loss === 'categoricalCrossentropy') for (let r = 0; r < rows; r++) sizes.fill(Math.max(...sizes.subarray(r * width, (r + 1) * width)), r * width, (r + 1) * width);
    const sens = sensitivity(wantGrads, (w, xs, perturb, nudge) => ref.gradients(m.loss, w, xs, y.map((v, i) => nudge(v, sizes[i])), rows, perturb), weights, x);
    const scales = wantGrads.map((g, t) => {
      const tensorTop = maxAbs(g) < 1e-9 * top ? top : maxAbs(g);
      return Float64Array.from(g, (v, i) => Math.max(Math.abs(v), 0.05 * tensorTop, perRow ? 0.1 * perRow[t][i] : 0, 1e-30, (ROUNDING * sens[t][i]) / GRAD_TOL));
    });
    computed.grads.forEach((g, t) => {
      const values = g.dataSync();
      const e = worst(values, wantGrads[t], (i) => scales[t][i]);
      expectBelow(e.err, GRAD_TOL, () => `computeGradients: gradient[${t}][${e.at}] ${values[e.at]} vs reference ${wantGrads[t][e.at]} (scale ${scales[t][e.at]})`);
    });

    // One SGD step: the loss of the batch, each trainable weight to w − lr·g, each moving statistic by momentum.
    const moved = ref.movedStatistics(weights, x, rows);
    const stepLoss = model.trainOnBatch(xs, ys);
    expectBelow(Math.abs(stepLoss - trainLoss) / trainScale, LOSS_TOL, () => `trainOnBatch: loss ${stepLoss} vs reference ${trainLoss}`);
    const after = model.getWeights().map((w) => w.dataSync());
    const lr = Math.fround(m.learningRate);
    wantGrads.forEach((g, t) => {
      const w = weights[t];
      const a = after[t];
      for (let i = 0; i < g.length; i++) {
        const target = w[i] - lr * g[i];
        const rounding = 4 * F32_ULP * Math.max(Math.abs(w[i]), Math.abs(target));
        const err = Math.max(0, Math.abs(a[i] - target) - rounding) / (lr * scales[t][i]);
        expectBelow(err, GRAD_TOL, () => `trainOnBatch: weight[${t}][${i}] ${w[i]} → ${a[i]}, reference w − lr·g = ${target} (g ${g[i]}, scale ${scales[t][i]})`);
      }
    });
    // A moving statistic is momentum·old + (1 − momentum)·batch: rounding is relative to those terms (they
    // may cancel), and the batch's mean and variance carry the f32 rounding of the values they average,
    // relative to mean |x| and mean x².
    const bnInputs = ref.forward(weights, x, rows, true).inputs.filter((_, i) => specs[i].kind === 'batchNormalization');
    const bnSpecs = specs.filter((s) => s.kind === 'batchNormalization');
    moved.forEach((wantStat, k) => {
      const t = wantGrads.length + k;
      const bn = Math.floor(k / 2);
      const momentum = bnSpecs[bn].momentum ?? 0.99;
      const input = bnInputs[bn];
      const c = wantStat.length;
      const sizeOfBatch = (i: number) => {
        let s = 0;
        for (let v = i; v < input.length; v += c) s += k % 2 === 0 ? Math.abs(input[v]) : input[v] ** 2;
        return (s * c) / input.length;
      };
      const old = weights[t];
      const e = worst(after[t], wantStat, (i) => Math.max(Math.abs(wantStat[i]), momentum * Math.abs(old[i]), (1 - momentum) * sizeOfBatch(i), 1e-3));
      expectBelow(e.err, STATS_TOL, () => `trainOnBatch: moving statistic weight[${t}][${e.at}] ${after[t][e.at]} vs reference ${wantStat[e.at]} (was ${weights[t][e.at]})`);
    });
    if (after.length !== wantGrads.length + moved.length) throw new ImageFailure(`${after.length} weights after the step, expected ${wantGrads.length + moved.length}`);
    return 'checked';
  } finally {
    model.dispose();
  }
}
