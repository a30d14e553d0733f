// df.callbacks: Keras's callbacks by their tfjs-style factory names.
import { EarlyStopping, type EarlyStoppingConfig } from './early-stopping.js';
import { ModelCheckpoint, type ModelCheckpointConfig } from './model-checkpoint.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauConfig } from './reduce-lr.js';
import { CSVLogger, LearningRateScheduler, TerminateOnNaN, type CSVLoggerConfig } from './simple.js';

export { EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN, CSVLogger };
export type { EarlyStoppingConfig, ModelCheckpointConfig, ReduceLROnPlateauConfig, CSVLoggerConfig };

export const callbacks = {
  earlyStopping: (config?: EarlyStoppingConfig) => new EarlyStopping(config),
  modelCheckpoint: (config: ModelCheckpointConfig) => new ModelCheckpoint(config),
  reduceLROnPlateau: (config?: ReduceLROnPlateauConfig) => new ReduceLROnPlateau(config),
  learningRateScheduler: (schedule: (epoch: number, lr: number) => number, verbose = 0) => new LearningRateScheduler(schedule, verbose),
  terminateOnNaN: () => new TerminateOnNaN(),
  csvLogger: (filename: string, config?: CSVLoggerConfig) => new CSVLogger(filename, config),
};
