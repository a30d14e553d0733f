// EarlyStopping (Keras 3): stop when the monitored value has not improved for `patience` epochs,
// optionally restoring the weights of the best epoch when training ends.
import type { Logs } from '../logs.js';
import type { Tensor } from '../../tensor.js';
import type { Callback } from '../callbacks.js';
import { ModelCallback, improves, isMax, monitored, type Mode } from './monitor.js';
import { checkOptions, type OptionSpec } from '../../options.js';

/** Options of `df.callbacks.earlyStopping(config)` (Keras's names, camelCase). */
export interface EarlyStoppingConfig {
  /** The logged value to watch (default 'val_loss'). */
  monitor?: string;
  /** The smallest change that counts as an improvement (default 0). */
  minDelta?: number;
  /** Epochs without improvement before stopping (default 0). */
  patience?: number;
  /** Which way is better: 'min', 'max' or 'auto' (default: from the name). */
  mode?: Mode;
  /** Stop unless the monitored value beats this within patience epochs. */
  baseline?: number;
  /** Restore the best epoch's weights when training ends (default false). */
  restoreBestWeights?: boolean;
  /** Epochs to train before watching (default 0). */
  startFromEpoch?: number;
  /** 1: say when it stops (default 0). */
  verbose?: number;
}

const OPTIONS: OptionSpec<EarlyStoppingConfig> = {
  known: { monitor: true, minDelta: true, patience: true, mode: true, baseline: true, restoreBestWeights: true, startFromEpoch: true, verbose: true },
};

/** Stops fit when the monitored value has not improved for `patience` epochs (Keras's EarlyStopping). */
export class EarlyStopping extends ModelCallback implements Callback {
  /** The logged value it watches. */
  readonly monitor: string;
  /** Epochs without improvement before it stops training. */
  readonly patience: number;
  /** The smallest change that counts as an improvement. */
  readonly minDelta: number;
  /** A value the monitored one must beat, if given. */
  readonly baseline?: number;
  /** Whether the best epoch's weights are restored at the end. */
  readonly restoreBestWeights: boolean;
  /** Epochs to wait before watching. */
  readonly startFromEpoch: number;
  private readonly max: boolean;
  private readonly verbose: number;
  /** The epoch training stopped at (0 when it ran to the end). */
  stoppedEpoch = 0;
  /** The epoch with the best value so far. */
  bestEpoch = 0;
  /** The best value so far. */
  best = Infinity;
  private wait = 0;
  private bestWeights?: Tensor[];
  private readonly warned = { done: false };

  constructor(config: EarlyStoppingConfig = {}) {
    super();
    config = checkOptions('earlyStopping', config, OPTIONS);
    this.monitor = config.monitor ?? 'val_loss';
    this.patience = nonNegative('patience', config.patience ?? 0);
    this.minDelta = Math.abs(config.minDelta ?? 0);
    this.baseline = config.baseline;
    this.restoreBestWeights = config.restoreBestWeights ?? false;
    this.startFromEpoch = nonNegative('startFromEpoch', config.startFromEpoch ?? 0);
    this.max = isMax(this.monitor, config.mode ?? 'auto');
    this.verbose = config.verbose ?? 0;
  }

  /** Resets the wait, the best value and the best weights. */
  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestWeights = undefined;
    this.bestEpoch = 0;
    this.best = this.max ? -Infinity : Infinity;
  }

  /** Compares the epoch's value with the best and stops training when patience runs out. */
  onEpochEnd(epoch: number, logs?: Logs): void {
    const current = monitored(logs, this.monitor, 'earlyStopping', this.warned);
    if (current === undefined || epoch < this.startFromEpoch) return;
    const model = this.model!;
    if (this.restoreBestWeights && !this.bestWeights) {
      this.bestWeights = model.getWeights();
      this.bestEpoch = epoch;
    }
    this.wait++;
    if (improves(current, this.best, this.minDelta, this.max)) {
      this.best = current;
      this.bestEpoch = epoch;
      if (this.restoreBestWeights) this.bestWeights = model.getWeights();
      // Only restart the wait when the baseline is beaten too.
      if (this.baseline === undefined || improves(current, this.baseline, this.minDelta, this.max)) this.wait = 0;
      return;
    }
    if (this.wait >= this.patience && epoch > 0) {
      this.stoppedEpoch = epoch;
      model.stopTraining = true;
    }
  }

  /** Restores the best weights when asked to. */
  onTrainEnd(): void {
    if (this.stoppedEpoch > 0 && this.verbose > 0) console.log(`Epoch ${this.stoppedEpoch + 1}: early stopping`);
    if (this.restoreBestWeights && this.bestWeights) {
      if (this.verbose > 0) console.log(`Restoring model weights from the end of the best epoch: ${this.bestEpoch + 1}.`);
      this.model!.setWeights(this.bestWeights);
    }
  }
}

export function nonNegative(name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) throw new Error(`${name} must be an integer ≥ 0, got ${JSON.stringify(v)}`);
  return v;
}
