// fast-check generators for the property suite: models (layer kinds, sizes, activations, losses,
// optimizers with clipping and decay), data (shapes, forms, hostile values) and call sequences. Data is
// drawn as a seed here and built when a call runs, shaped to the model as it is then (after add, compile).
import fc from 'fast-check';

export const ACTIVATIONS = [
  'linear', 'sigmoid', 'relu', 'tanh', 'softplus', 'relu6', 'leakyRelu', 'elu', 'selu', 'gelu', 'swish', 'mish', 'softsign', 'hardSigmoid', 'softmax',
] as const;
export const LOSSES = ['meanSquaredError', 'meanAbsoluteError', 'huber', 'binaryCrossentropy', 'categoricalCrossentropy', 'sparseCategoricalCrossentropy'] as const;
export const OPTIMIZERS = ['sgd', 'momentum', 'nesterov', 'adagrad', 'adadelta', 'rmsprop', 'adam', 'amsgrad', 'adamax', 'nadam', 'adamw', 'lion'] as const;
const INITIALIZERS = ['glorotUniform', 'glorotNormal', 'heUniform', 'heNormal', 'lecunUniform', 'lecunNormal', 'zeros', 'ones', 'randomNormal'] as const;

export type LossName = (typeof LOSSES)[number];

export type LayerGen =
  | { kind: 'dense'; units: number; activation: string; useBias: boolean; init: string }
  | { kind: 'dropout'; rate: number; seed?: number }
  | { kind: 'activation'; activation: string };

/** An optimizer: by name, or configured; `hostile` options must make its construction fail. */
export interface OptGen {
  name: (typeof OPTIMIZERS)[number];
  byName: boolean;
  learningRate: number;
  clip?: ['clipnorm' | 'clipvalue' | 'globalClipnorm', number];
  weightDecay?: number;
  hostile?: Record<string, unknown>;
}

export interface ModelGen {
  seed: number;
  inputWidth: number;
  /** Whether the first layer declares inputShape (else the first fit/predict fixes it). */
  declareInput: boolean;
  layers: LayerGen[];
  loss: LossName;
  optimizer: OptGen;
  metrics: boolean;
}

/** How a call's data goes wrong, if it does: each of these must be refused with a named error. */
export const HOSTILE = ['nan', 'infinity', 'f32Overflow', 'ragged', 'wrongWidth', 'empty', 'string', 'targetRows', 'targetWidth', 'badLabel'] as const;
export type Hostility = 'none' | (typeof HOSTILE)[number];
export type Form = 'nested' | 'shaped32' | 'shaped64' | 'plain' | 'tensor';

export interface DataGen {
  seed: number;
  rows: number;
  form: Form;
  hostile: Hostility;
}

export type CallbackGen =
  | { kind: 'none' }
  | { kind: 'yield' }
  | { kind: 'stopAt'; batch: number }
  | { kind: 'predict' }
  | { kind: 'setLearningRate'; lr: number }
  | { kind: 'throwAt'; batch: number };

export interface FitCmd {
  op: 'fit';
  data: DataGen;
  epochs: number;
  /** A batch size, or a value that must be refused. */
  batchSize: number;
  shuffle: boolean;
  validationSplit: 0 | 0.25 | 0.5;
  callback: CallbackGen;
}

/** Calls whose effect on the model does not depend on when, during another fit, they run. */
export type SideCmd =
  | FitCmd
  | { op: 'predict'; data: DataGen; batchSize?: number }
  | { op: 'evaluate'; data: DataGen; batchSize?: number }
  | { op: 'trainOnBatch'; data: DataGen }
  | { op: 'getWeights' }
  | { op: 'add'; layer: LayerGen }
  | { op: 'compile'; optimizer: OptGen | 'same'; loss: LossName }
  | { op: 'restoreOptimizerState' }
  | { op: 'save' }
  | { op: 'dispose' };

export type Cmd =
  | SideCmd
  | { op: 'computeGradients'; data: DataGen }
  | { op: 'setWeights'; mode: 'same' | 'scaled' | 'wrongCount' | 'wrongShape' | 'nan' }
  | { op: 'saveLoad'; includeOptimizer: boolean }
  | { op: 'addHostile'; kind: 'huge' | 'badWidth' | 'duplicate' | 'notALayer' }
  | { op: 'compileHostile'; kind: 'loss' | 'metric' | 'optimizer' }
  | { op: 'concurrent'; fit: FitCmd; then: SideCmd }
  | { op: 'setThreads'; n: 1 | 2 };

// Mostly tiny; sometimes past 8, so the GEMM's 4×8 tiles and the SIMD tails are hit.
const units = fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 6 }) }, { weight: 1, arbitrary: fc.integer({ min: 7, max: 20 }) });
const activation = fc.constantFrom(...ACTIVATIONS);
const seed = fc.integer({ min: 0, max: 0xffffffff });

export const layerGen: fc.Arbitrary<LayerGen> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ kind: fc.constant('dense' as const), units, activation, useBias: fc.boolean(), init: fc.constantFrom(...INITIALIZERS) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dropout' as const), rate: fc.constantFrom(0, 0.1, 0.5, 0.9), seed: fc.option(seed, { nil: undefined }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('activation' as const), activation }) },
);

const clip = fc.option(
  fc.tuple(fc.constantFrom('clipnorm' as const, 'clipvalue' as const, 'globalClipnorm' as const), fc.constantFrom(0.01, 0.5, 1, 10)),
  { nil: undefined },
);

/** Values each optimizer must refuse: infinite, zero or 1 as f32, out of range, not numbers. */
const hostileOptions = fc.constantFrom<Record<string, unknown>>(
  { learningRate: Number.NaN },
  { learningRate: -1 },
  { learningRate: 1e39 },
  { weightDecay: 1e39 },
  { weightDecay: -0.1 },
  { clipnorm: 0 },
  { clipvalue: -1 },
  { globalClipnorm: 1e-50 },
  { clipnorm: 1, clipvalue: 1 },
  { learningRate: '0.1' },
);

export const optGen: fc.Arbitrary<OptGen> = fc.record({
  name: fc.constantFrom(...OPTIMIZERS),
  byName: fc.boolean(),
  learningRate: fc.constantFrom(0.001, 0.01, 0.05),
  clip,
  weightDecay: fc.option(fc.constantFrom(0, 0.004, 0.1), { nil: undefined }),
});

export const hostileOptGen: fc.Arbitrary<OptGen> = fc.record({
  name: fc.constantFrom(...OPTIMIZERS),
  byName: fc.constant(false),
  learningRate: fc.constant(0.01),
  hostile: hostileOptions,
});

export const modelGen: fc.Arbitrary<ModelGen> = fc.record({
  seed,
  inputWidth: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 5 }) }, { weight: 1, arbitrary: fc.integer({ min: 6, max: 17 }) }),
  declareInput: fc.boolean(),
  layers: fc.array(layerGen, { minLength: 1, maxLength: 4 }),
  loss: fc.constantFrom(...LOSSES),
  optimizer: optGen,
  metrics: fc.boolean(),
});

export const dataGen: fc.Arbitrary<DataGen> = fc.record({
  seed,
  rows: fc.oneof({ weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }) }, { weight: 1, arbitrary: fc.integer({ min: 13, max: 40 }) }),
  form: fc.constantFrom<Form>('nested', 'shaped32', 'shaped64', 'plain', 'tensor'),
  hostile: fc.oneof({ weight: 6, arbitrary: fc.constant<Hostility>('none') }, { weight: 1, arbitrary: fc.constantFrom<Hostility>(...HOSTILE) }),
});

const callbackGen: fc.Arbitrary<CallbackGen> = fc.oneof(
  { weight: 4, arbitrary: fc.constant<CallbackGen>({ kind: 'none' }) },
  { weight: 1, arbitrary: fc.constant<CallbackGen>({ kind: 'yield' }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('stopAt' as const), batch: fc.integer({ min: 0, max: 6 }) }) },
  { weight: 1, arbitrary: fc.constant<CallbackGen>({ kind: 'predict' }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('setLearningRate' as const), lr: fc.constantFrom(0.001, 0.02) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('throwAt' as const), batch: fc.integer({ min: 0, max: 6 }) }) },
);

/** A batch size: mostly small and valid, sometimes larger than the data, sometimes one WASM cannot take. */
const batchSize = fc.oneof(
  { weight: 8, arbitrary: fc.integer({ min: 1, max: 16 }) },
  { weight: 1, arbitrary: fc.constantFrom(2 ** 31 - 1, 1e9) },
  { weight: 1, arbitrary: fc.constantFrom(0, -3, 2.5, 2 ** 31, 2 ** 32 + 1, Number.NaN) },
);

export const fitGen: fc.Arbitrary<FitCmd> = fc.record({
  op: fc.constant('fit' as const),
  data: dataGen,
  epochs: fc.integer({ min: 0, max: 3 }),
  batchSize,
  shuffle: fc.boolean(),
  validationSplit: fc.constantFrom<0 | 0.25 | 0.5>(0, 0, 0.25, 0.5),
  callback: callbackGen,
});

const predictBatch = fc.option(fc.oneof(fc.integer({ min: 1, max: 16 }), fc.constantFrom(1e6, 2 ** 31 - 1)), { nil: undefined });

const sideGen: fc.Arbitrary<SideCmd> = fc.oneof(
  { weight: 3, arbitrary: fitGen },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('predict' as const), data: dataGen, batchSize: predictBatch }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('evaluate' as const), data: dataGen, batchSize: predictBatch }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('trainOnBatch' as const), data: dataGen }) },
  { weight: 1, arbitrary: fc.constant<SideCmd>({ op: 'getWeights' }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('add' as const), layer: layerGen }) },
  {
    weight: 1,
    arbitrary: fc.record({ op: fc.constant('compile' as const), optimizer: fc.oneof({ weight: 3, arbitrary: optGen }, { weight: 1, arbitrary: fc.constant('same' as const) }, { weight: 1, arbitrary: hostileOptGen }), loss: fc.constantFrom(...LOSSES) }),
  },
  { weight: 1, arbitrary: fc.constant<SideCmd>({ op: 'restoreOptimizerState' }) },
  { weight: 1, arbitrary: fc.constant<SideCmd>({ op: 'save' }) },
  { weight: 1, arbitrary: fc.constant<SideCmd>({ op: 'dispose' }) },
);

/** Calls of a sequence; `threads` adds setThreads (slow: it starts workers), for the long runs. */
export function cmdGen(threads: boolean): fc.Arbitrary<Cmd> {
  const arbitraries: fc.WeightedArbitrary<Cmd>[] = [
    { weight: 12, arbitrary: sideGen },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('computeGradients' as const), data: dataGen }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('setWeights' as const), mode: fc.constantFrom('same' as const, 'scaled' as const, 'wrongCount' as const, 'wrongShape' as const, 'nan' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('saveLoad' as const), includeOptimizer: fc.boolean() }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('addHostile' as const), kind: fc.constantFrom('huge' as const, 'badWidth' as const, 'duplicate' as const, 'notALayer' as const) }) },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('compileHostile' as const), kind: fc.constantFrom('loss' as const, 'metric' as const, 'optimizer' as const) }) },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('concurrent' as const), fit: fitGen.map((f) => ({ ...f, callback: { kind: 'yield' as const }, epochs: Math.max(1, f.epochs) })), then: sideGen }) },
  ];
  if (threads) arbitraries.push({ weight: 1, arbitrary: fc.record({ op: fc.constant('setThreads' as const), n: fc.constantFrom<1 | 2>(1, 2) }) });
  return fc.oneof(...arbitraries);
}

/** A model and the calls made on it. */
export function sequenceGen(threads = false): fc.Arbitrary<{ model: ModelGen; cmds: Cmd[] }> {
  return fc.record({ model: modelGen, cmds: fc.array(cmdGen(threads), { minLength: 1, maxLength: 10 }) });
}

// ---- recurrent models and their call sequences (test/property/recurrent.test.ts) ----

/** The recurrent cells: GRU both ways (Keras 3's reset after, tfjs's reset before). */
export const RECURRENT_CELLS = ['simpleRNN', 'lstm', 'gruAfter', 'gruBefore'] as const;
export type RecurrentCellName = (typeof RECURRENT_CELLS)[number];

/** One recurrent layer of a generated model, possibly wrapped in a Bidirectional. */
export interface RecurrentLayerGen {
  cell: RecurrentCellName;
  units: number;
  returnSequences: boolean;
  goBackwards: boolean;
  bidirectional: boolean;
  useBias: boolean;
  /** The state's activation; relu has a kink, so models with it are checked by predict only. */
  activation: 'tanh' | 'sigmoid' | 'linear' | 'relu';
  /** The gates' (LSTM, GRU); the hard sigmoids (Keras 3's, tfjs's) have kinks, as relu. */
  recurrentActivation: 'sigmoid' | 'tanh' | 'hardSigmoid' | 'hardSigmoidTfjs';
}

/** How an index row in front of an Embedding(maskZero) is drawn: padding anywhere, none, all, or at the ends. */
export type IndexRowKind = 'random' | 'unmasked' | 'allZero' | 'maskedEnds';

/** What follows the recurrent layers. */
export type RecurrentHead = { kind: 'none' } | { kind: 'gap' } | { kind: 'dense'; units: number; activation: 'linear' | 'tanh' };

export interface RecurrentModelGen {
  seed: number;
  timesteps: number;
  /** Features per step: the data's last axis, or the Embedding's outputDim. */
  features: number;
  /** An Embedding with maskZero in front (index rows as x), or undefined (float rows [timesteps, features]). */
  embedding?: { vocab: number; rows: IndexRowKind[] };
  /** Rows of the checked batch (without an embedding; with one, a row per index row kind). */
  rows: number;
  /** One or two (stacked: the first returns sequences). */
  layers: RecurrentLayerGen[];
  head: RecurrentHead;
}

const recurrentLayerGen: fc.Arbitrary<RecurrentLayerGen> = fc.record({
  cell: fc.constantFrom(...RECURRENT_CELLS),
  units: fc.integer({ min: 1, max: 9 }),
  returnSequences: fc.boolean(),
  goBackwards: fc.boolean(),
  bidirectional: fc.boolean(),
  useBias: fc.oneof({ weight: 4, arbitrary: fc.constant(true) }, { weight: 1, arbitrary: fc.constant(false) }),
  activation: fc.oneof({ weight: 5, arbitrary: fc.constant('tanh' as const) }, { weight: 1, arbitrary: fc.constantFrom('sigmoid' as const, 'linear' as const, 'relu' as const) }),
  recurrentActivation: fc.oneof({ weight: 5, arbitrary: fc.constant('sigmoid' as const) }, { weight: 1, arbitrary: fc.constantFrom('tanh' as const, 'hardSigmoid' as const, 'hardSigmoidTfjs' as const) }),
});

const headGen: fc.Arbitrary<RecurrentHead> = fc.oneof(
  { weight: 2, arbitrary: fc.constant<RecurrentHead>({ kind: 'none' }) },
  { weight: 1, arbitrary: fc.constant<RecurrentHead>({ kind: 'gap' }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('dense' as const), units: fc.integer({ min: 1, max: 4 }), activation: fc.constantFrom('linear' as const, 'tanh' as const) }) },
);

/** A recurrent model: cell, sizes, directions, stacking, an optional masking Embedding and a head. */
export const recurrentModelGen: fc.Arbitrary<RecurrentModelGen> = fc
  .record({
    seed,
    timesteps: fc.integer({ min: 1, max: 8 }),
    features: fc.integer({ min: 1, max: 5 }),
    embedding: fc.option(
      fc.record({
        vocab: fc.integer({ min: 2, max: 7 }),
        rows: fc.array(fc.constantFrom<IndexRowKind>('random', 'unmasked', 'allZero', 'maskedEnds'), { minLength: 1, maxLength: 4 }),
      }),
      { nil: undefined, freq: 2 },
    ),
    rows: fc.integer({ min: 1, max: 4 }),
    layers: fc.array(recurrentLayerGen, { minLength: 1, maxLength: 2 }),
    head: headGen,
  })
  .map((m) => {
    // A stacked layer reads the first one's sequence; a pooling needs a sequence to pool.
    const layers = m.layers.map((l, i) => (i < m.layers.length - 1 ? { ...l, returnSequences: true } : l));
    const head = m.head.kind === 'gap' && !layers.at(-1)!.returnSequences ? { kind: 'none' as const } : m.head;
    return { ...m, layers, head, rows: m.embedding ? m.embedding.rows.length : m.rows };
  });

/** How a call's x goes wrong for a recurrent model, if it does. */
export const RECURRENT_HOSTILE = ['rank', 'timesteps', 'features', 'nan', 'index'] as const;
export type RecurrentHostility = 'none' | (typeof RECURRENT_HOSTILE)[number];

export interface RecurrentDataGen {
  seed: number;
  rows: number;
  hostile: RecurrentHostility;
}

/** A call on one of two models (`on`); each must leave both models as they were when it fails. */
export type RecurrentCmd =
  | { op: 'fit'; on: 0 | 1; data: RecurrentDataGen; epochs: number; batchSize: number }
  | { op: 'predict'; on: 0 | 1; data: RecurrentDataGen }
  | { op: 'trainOnBatch'; on: 0 | 1; data: RecurrentDataGen }
  | { op: 'saveLoad'; on: 0 | 1; includeOptimizer: boolean }
  | { op: 'setWeights'; on: 0 | 1; mode: 'scaled' | 'wrongShape' | 'wrongCount' | 'nan' };

const recurrentDataGen: fc.Arbitrary<RecurrentDataGen> = fc.record({
  seed,
  rows: fc.integer({ min: 1, max: 6 }),
  hostile: fc.oneof({ weight: 3, arbitrary: fc.constant<RecurrentHostility>('none') }, { weight: 2, arbitrary: fc.constantFrom<RecurrentHostility>(...RECURRENT_HOSTILE) }),
});
const on = fc.constantFrom<0 | 1>(0, 1);

export const recurrentCmdGen: fc.Arbitrary<RecurrentCmd> = fc.oneof(
  { weight: 2, arbitrary: fc.record({ op: fc.constant('fit' as const), on, data: recurrentDataGen, epochs: fc.integer({ min: 1, max: 2 }), batchSize: fc.integer({ min: 1, max: 5 }) }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('predict' as const), on, data: recurrentDataGen }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant('trainOnBatch' as const), on, data: recurrentDataGen }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('saveLoad' as const), on, includeOptimizer: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('setWeights' as const), on, mode: fc.constantFrom('scaled' as const, 'wrongShape' as const, 'wrongCount' as const, 'nan' as const) }) },
);

/** Two recurrent models and the calls made on them, interleaved. */
export const recurrentSequenceGen: fc.Arbitrary<{ models: [RecurrentModelGen, RecurrentModelGen]; cmds: RecurrentCmd[] }> = fc.record({
  models: fc.tuple(recurrentModelGen, recurrentModelGen),
  cmds: fc.array(recurrentCmdGen, { minLength: 1, maxLength: 8 }),
});
