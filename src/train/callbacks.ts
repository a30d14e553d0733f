// Callbacks: Keras's hooks. fit() crosses into WASM once per batch only when a batch hook is present.
import type { Optimizer } from '../optimizers/optimizer.js';
import type { Input, Tensor } from '../tensor.js';
import type { Logs } from './logs.js';

/** What callbacks see of the model being trained (Keras's `self.model`): a df.Sequential. */
export interface TrainingModel {
  /** The model's name. */
  readonly name: string;
  /** Set to true to stop fit() after the current batch. */
  stopTraining: boolean;
  /** The compiled optimizer (its learning rate is what schedulers change). */
  optimizer?: Optimizer;
  /** Copies of the weights. */
  getWeights(): Tensor[];
  /** Replaces the weights (earlyStopping's restoreBestWeights uses it). */
  setWeights(weights: readonly Input[]): void;
}

/** Keras's callback hooks: any object with some of these methods can be passed in `fit({ callbacks })`. */
export interface Callback {
  /** Called by fit() before training with the model being trained (Keras's `self.model`). */
  setModel?(model: TrainingModel): void;
  /** Before the first epoch. */
  onTrainBegin?(logs?: Logs): void | Promise<void>;
  /** After the last epoch, with its logs. */
  onTrainEnd?(logs?: Logs): void | Promise<void>;
  /** Before each epoch (0-based). */
  onEpochBegin?(epoch: number, logs?: Logs): void | Promise<void>;
  /** After each epoch, with its loss, metrics and val_ values. */
  onEpochEnd?(epoch: number, logs?: Logs): void | Promise<void>;
  /** Before each batch (asking for it makes fit cross into WASM once per batch). */
  onBatchBegin?(batch: number, logs?: Logs): void | Promise<void>;
  /** After each batch, with its loss and metrics. */
  onBatchEnd?(batch: number, logs?: Logs): void | Promise<void>;
  /** After each yield of fit's yieldEvery (tfjs's onYield), with the epoch's running logs. */
  onYield?(epoch: number, batch: number, logs: Logs): void | Promise<void>;
}

/** Calls one hook on every callback in order, awaiting each. */
export async function fire<K extends keyof Callback>(callbacks: readonly Callback[], hook: K, ...args: Parameters<NonNullable<Callback[K]>>): Promise<void> {
  for (const cb of callbacks) {
    const fn = cb[hook] as ((...a: unknown[]) => void | Promise<void>) | undefined;
    if (fn) await fn.apply(cb, args);
  }
}

/** True when any callback wants per-batch hooks. */
export function wantsBatches(callbacks: readonly Callback[]): boolean {
  return callbacks.some((cb) => cb.onBatchBegin || cb.onBatchEnd);
}
