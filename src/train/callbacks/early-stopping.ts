// EarlyStopping (Keras 3): stop when the monitored value has not improved for `patience` epochs,
// optionally restoring the weights of the best epoch when training ends.
import type { Logs } from '../logs.js';
import type { Tensor } from '../../tensor.js';
import type { Callback } from '../callbacks.js';
import { ModelCallback, improves, isMax, monitored, type Mode } from './monitor.js';
import { checkOptions, type OptionSpec } from '../../options.js';

export interface EarlyStoppingConfig {
  monitor?: string;
  minDelta?: number;
  patience?: number;
  mode?: Mode;
  baseline?: number;
  restoreBestWeights?: boolean;
  startFromEpoch?: number;
  verbose?: number;
}

const OPTIONS: OptionSpec<EarlyStoppingConfig> = {
  known: { monitor: true, minDelta: true, patience: true, mode: true, baseline: true, restoreBestWeights: true, startFromEpoch: true, verbose: true },
};

export class EarlyStopping extends ModelCallback implements Callback {
  readonly monitor: string;
  readonly patience: number;
  readonly minDelta: number;
  readonly baseline?: number;
  readonly restoreBestWeights: boolean;
  readonly startFromEpoch: number;
  private readonly max: boolean;
  private readonly verbose: number;
  /** The epoch training stopped at (0 when it ran to the end). */
  stoppedEpoch = 0;
  bestEpoch = 0;
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

  onTrainBegin(): void {
    this.wait = 0;
    this.stoppedEpoch = 0;
    this.bestWeights = undefined;
    this.bestEpoch = 0;
    this.best = this.max ? -Infinity : Infinity;
  }

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
