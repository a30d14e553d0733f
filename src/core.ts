// deltaflow's training core, 'deltaflow/core': models, layers, optimizers, training — everything a page,
// a worker or an edge function needs to train and predict, small enough to ship (see the size budget).
// The full entry adds save/load (io), CSV tables (data) and SVG plots (plot).
import { dense } from './model/dense.js';
import { dropout } from './model/dropout.js';
import { activation } from './model/activation.js';
import * as init from './registry/initializers.js';

export { ready, setThreads, getThreads, wasmSimd, type ReadyOptions, type ThreadsOptions } from './wasm/load.js';
export { relaxedSimdSupported, type WasmSimd } from './wasm/relaxed.js';
export { Tensor, tensor, tensor2d, tensor3d, tensor4d, type Input, type NestedArray } from './tensor.js';
export { memory, type MemoryInfo } from './model/memory.js';
export { Sequential, sequential, type SequentialConfig, type CompileArgs, type Logs } from './model/sequential.js';
export { Dense, type DenseConfig } from './model/dense.js';
export { Dropout, type DropoutConfig } from './model/dropout.js';
export { Activation, type ActivationConfig } from './model/activation.js';
export type { Layer } from './model/layer.js';
export { History } from './train/history.js';
export type { Callback } from './train/callbacks.js';
export {
  callbacks, EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN, CSVLogger,
  type EarlyStoppingConfig, type ModelCheckpointConfig, type ReduceLROnPlateauConfig, type CSVLoggerConfig,
} from './train/callbacks/index.js';
export type { FitArgs } from './train/fit.js';
export {
  Optimizer, SGD, Adam, AdamW, Adagrad, RMSprop, Adadelta, Adamax, Nadam, Lion, LearningRateSchedule, optimizers, train, optimizerNames,
  type SGDConfig, type AdamConfig, type AdagradConfig, type RMSpropConfig, type AdadeltaConfig, type AdamaxConfig, type NadamConfig,
  type LionConfig, type OptimizerOptions, type LearningRate,
} from './optimizers/index.js';
export { activations } from './registry/activations.js';
export { losses } from './registry/losses.js';

/** Layer factories: df.layers.dense({ units, activation, inputShape }), dropout({ rate }), activation({ activation }). */
export const layers = { dense, dropout, activation };

/** Initializers with parameters: df.initializers.randomNormal({ stddev: 0.1 }). */
export const initializers = {
  randomUniform: init.randomUniform,
  randomNormal: init.randomNormal,
  truncatedNormal: init.truncatedNormal,
  constant: init.constantInitializer,
  names: init.initializers.names,
};
