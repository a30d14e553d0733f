// deltaflow's training core, 'deltaflow/core': models, layers, optimizers, training — everything a page,
// a worker or an edge function needs to train and predict, small enough to ship (see the size budget).
// The full entry adds save/load (io), CSV tables (data) and SVG plots (plot).
import { dense } from './model/dense.js';
import { dropout } from './model/dropout.js';
import { activation } from './model/activation.js';
import { conv2d } from './model/conv2d.js';
import { conv1d } from './model/conv1d.js';
import { maxPooling1d, averagePooling1d, globalAveragePooling1d, globalMaxPooling1d } from './model/pooling1d.js';
import { maxPooling2d, averagePooling2d, globalAveragePooling2d, globalMaxPooling2d } from './model/pooling.js';
import { flatten, reshape } from './model/reshape.js';
import { upSampling2d, zeroPadding2d } from './model/resize.js';
import { batchNormalization } from './model/batch-norm.js';
import { embedding } from './model/embedding.js';
import { leakyReLU } from './model/leaky-relu.js';
import { timeDistributed } from './model/time-distributed.js';
import { simpleRNN } from './model/simple-rnn.js';
import { lstm } from './model/lstm.js';
import { gru } from './model/gru.js';
import { bidirectional } from './model/bidirectional.js';
import * as init from './registry/initializers.js';

export { ready, setThreads, getThreads, wasmSimd, type ReadyOptions, type ThreadsOptions } from './wasm/load.js';
export { relaxedSimdSupported, type WasmSimd } from './wasm/relaxed.js';
export {
  Tensor, Rank, tensor, scalar, tensor1d, tensor2d, tensor3d, tensor4d,
  type Input, type NestedArray, type ArrayMap, type Scalar, type Tensor1D, type Tensor2D, type Tensor3D, type Tensor4D, type TfjsLike,
  type Values as TensorValues,
} from './tensor.js';
export { memory, type MemoryInfo } from './model/memory.js';
export { Sequential, sequential, type SequentialConfig, type CompileArgs, type Logs } from './model/sequential.js';
export { Dense, type DenseConfig } from './model/dense.js';
export { Dropout, type DropoutConfig } from './model/dropout.js';
export { Activation, type ActivationConfig } from './model/activation.js';
export { Conv2D, type Conv2DConfig } from './model/conv2d.js';
export { Conv1D, type Conv1DConfig } from './model/conv1d.js';
export { BaseConv, type ConvConfig } from './model/conv-base.js';
export {
  MaxPooling1D, AveragePooling1D, GlobalAveragePooling1D, GlobalMaxPooling1D, type Pooling1DConfig, type GlobalPooling1DConfig,
} from './model/pooling1d.js';
export {
  MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D, GlobalMaxPooling2D, type Pooling2DConfig, type GlobalPooling2DConfig,
} from './model/pooling.js';
export { Flatten, Reshape, type FlattenConfig, type ReshapeConfig } from './model/reshape.js';
export { UpSampling2D, ZeroPadding2D, type UpSampling2DConfig, type ZeroPadding2DConfig } from './model/resize.js';
export { BatchNormalization, type BatchNormalizationConfig } from './model/batch-norm.js';
export { Embedding, type EmbeddingConfig } from './model/embedding.js';
export { LeakyReLU, type LeakyReLUConfig } from './model/leaky-relu.js';
export { TimeDistributed, type TimeDistributedConfig } from './model/time-distributed.js';
export { RNN, GatedRNN, type RecurrentConfig, type GatedConfig } from './model/recurrent.js';
export { SimpleRNN, type SimpleRNNConfig } from './model/simple-rnn.js';
export { LSTM, type LSTMConfig } from './model/lstm.js';
export { GRU, type GRUConfig } from './model/gru.js';
export { Bidirectional, type BidirectionalConfig, type MergeMode } from './model/bidirectional.js';
export { Layer } from './model/base.js';
export { LayerVariable } from './model/variable.js';
export type { ConfigDict, ConfigValue } from './model/layer-config.js';
export { History } from './train/history.js';
export type { Callback } from './train/callbacks.js';
export {
  callbacks, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN, CSVLogger,
  type EarlyStoppingConfig, type ModelCheckpointConfig, type ReduceLROnPlateauConfig, type CSVLoggerConfig,
} from './train/callbacks/index.js';
export type { FitArgs } from './train/fit.js';
export type { YieldEvery } from './train/yield.js';
export type { LossFunction, MetricFunction } from './registry/js-functions.js';
export {
  Optimizer, SGD, Adam, AdamW, Adagrad, RMSprop, Adadelta, Adamax, Nadam, Lion, LearningRateSchedule, optimizers, train, optimizerNames,
  type SGDConfig, type AdamConfig, type AdagradConfig, type RMSpropConfig, type AdadeltaConfig, type AdamaxConfig, type NadamConfig,
  type LionConfig, type OptimizerOptions, type LearningRate, type OptimizerName,
} from './optimizers/index.js';
export { activations, type ActivationRow, type ActivationName } from './registry/activations.js';
export { regularizers, Regularizer, type RegularizerIdentifier } from './regularizers.js';
export { losses, type LossRow, type LossName } from './registry/losses.js';
export type { MetricName } from './registry/metrics.js';
export type { Initializer, InitializerName } from './registry/initializers.js';
export type { SnakeCase, Spellings, NameOf } from './registry/names.js';
export type { Padding } from './model/geometry.js';
export type { Padding1D } from './model/geometry1d.js';
export type { InputConfig } from './model/input.js';
export type { TrainingModel } from './train/callbacks.js';
export type { Mode as MonitorMode } from './train/callbacks/monitor.js';
export type {
  ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay, CosineDecay,
  ExponentialDecayConfig, InverseTimeDecayConfig, PiecewiseConstantDecayConfig, PolynomialDecayConfig, CosineDecayConfig,
} from './optimizers/schedules.js';

/** Layer factories, tfjs's names: df.layers.dense({ units, activation, inputShape }), conv2d({ filters, kernelSize }), …. */
export const layers = {
  dense, dropout, activation, conv2d, maxPooling2d, averagePooling2d, globalAveragePooling2d, globalMaxPooling2d,
  conv1d, maxPooling1d, averagePooling1d, globalAveragePooling1d, globalMaxPooling1d,
  flatten, reshape, upSampling2d, zeroPadding2d, batchNormalization, leakyReLU, embedding, timeDistributed,
  simpleRNN, lstm, gru, bidirectional,
};

/** Initializers with parameters: df.initializers.randomNormal({ stddev: 0.1 }). */
export const initializers = {
  randomUniform: init.randomUniform,
  randomNormal: init.randomNormal,
  truncatedNormal: init.truncatedNormal,
  constant: init.constantInitializer,
  orthogonal: init.orthogonal,
  /** The names of the initializers `kernelInitializer` and friends accept. */
  names: init.initializers.names,
};
