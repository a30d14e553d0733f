// df.callbacks: Keras's callbacks by their tfjs-style factory names.
import { EarlyStopping, type EarlyStoppingConfig } from './early-stopping.js';
import { ModelCheckpoint, type ModelCheckpointConfig } from './model-checkpoint.js';
import { ReduceLROnPlateau, type ReduceLROnPlateauConfig } from './reduce-lr.js';
import { CSVLogger, LearningRateScheduler, TerminateOnNaN, type CSVLoggerConfig } from './simple.js';

export { EarlyStopping, ModelCheckpoint, ReduceLROnPlateau, LearningRateScheduler, TerminateOnNaN, CSVLogger };
export type { EarlyStoppingConfig, ModelCheckpointConfig, ReduceLROnPlateauConfig, CSVLoggerConfig };

/** Keras's callbacks by their tfjs factory names: `df.callbacks.earlyStopping({ patience: 10 })`, …. */
export const callbacks = {
  /** Stops training when the monitored value stops improving. */
  earlyStopping: (config?: EarlyStoppingConfig) => new EarlyStopping(config),
  /** Saves the model after epochs (or only when it improves). */
  modelCheckpoint: (config: ModelCheckpointConfig) => new ModelCheckpoint(config),
  /** Divides the learning rate when the monitored value stops improving. */
  reduceLROnPlateau: (config?: ReduceLROnPlateauConfig) => new ReduceLROnPlateau(config),
  /** Sets the learning rate each epoch from schedule(epoch, lr). */
  learningRateScheduler: (schedule: (epoch: number, lr: number) => number, verbose = 0) => new LearningRateScheduler(schedule, verbose),
  /** Stops training when the loss is NaN or infinite. */
  terminateOnNaN: () => new TerminateOnNaN(),
  /** Appends each epoch's logs to a CSV file. */
  csvLogger: (filename: string, config?: CSVLoggerConfig) => new CSVLogger(filename, config),
};
