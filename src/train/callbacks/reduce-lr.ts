// ReduceLROnPlateau (Keras 3): multiply the learning rate by `factor` when the monitored value has not
// improved for `patience` epochs, then wait `cooldown` epochs; never below `minLr`.
import type { Logs } from '../logs.js';
import type { Callback } from '../callbacks.js';
import { nonNegative } from './early-stopping.js';
import { ModelCallback, improves, isMax, monitored, type Mode } from './monitor.js';
import { checkOptions, type OptionSpec } from '../../options.js';

/** Options of `df.callbacks.reduceLROnPlateau(config)`. */
export interface ReduceLROnPlateauConfig {
  /** The logged value to watch (default 'val_loss'). */
  monitor?: string;
  /** What the learning rate is multiplied by (default 0.1). */
  factor?: number;
  /** Epochs without improvement before reducing (default 10). */
  patience?: number;
  /** Which way is better: 'min', 'max' or 'auto' (default: from the name). */
  mode?: Mode;
  /** The smallest change that counts as an improvement (default 1e-4). */
  minDelta?: number;
  /** Epochs to wait after a reduction (default 0). */
  cooldown?: number;
  /** The lowest learning rate (default 0). */
  minLr?: number;
  /** 1: say when it reduces the rate (default 0). */
  verbose?: number;
}

const OPTIONS: OptionSpec<ReduceLROnPlateauConfig> = {
  known: { monitor: true, factor: true, patience: true, mode: true, minDelta: true, cooldown: true, minLr: true, verbose: true },
  // Keras 2's name for minDelta.
  unsupported: { epsilon: { instead: "it is Keras 2's old name: write minDelta" } },
};

/** Multiplies the learning rate by `factor` when the monitored value stops improving (Keras's ReduceLROnPlateau). */
export class ReduceLROnPlateau extends ModelCallback implements Callback {
  /** The logged value it watches. */
  readonly monitor: string;
  /** What the learning rate is multiplied by. */
  readonly factor: number;
  /** Epochs without improvement before it reduces the rate. */
  readonly patience: number;
  /** The smallest change that counts as an improvement. */
  readonly minDelta: number;
  /** Epochs to wait after a reduction before watching again. */
  readonly cooldown: number;
  /** The learning rate it never goes below. */
  readonly minLr: number;
  private readonly max: boolean;
  private readonly verbose: number;
  private wait = 0;
  private cooldownCounter = 0;
  private best = Infinity;
  private readonly warned = { done: false };

  constructor(config: ReduceLROnPlateauConfig = {}) {
    super();
    config = checkOptions('reduceLROnPlateau', config, OPTIONS);
    this.monitor = config.monitor ?? 'val_loss';
    this.factor = config.factor ?? 0.1;
    if (!(this.factor < 1 && this.factor >= 0)) throw new Error(`reduceLROnPlateau: factor must be in [0, 1), got ${this.factor}`);
    this.patience = nonNegative('patience', config.patience ?? 10);
    this.minDelta = config.minDelta ?? 1e-4;
    this.cooldown = nonNegative('cooldown', config.cooldown ?? 0);
    this.minLr = config.minLr ?? 0;
    this.max = isMax(this.monitor, config.mode ?? 'auto');
    this.verbose = config.verbose ?? 0;
  }

  /** Resets the wait, cooldown and best value. */
  onTrainBegin(): void {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.max ? -Infinity : Infinity;
  }

  /** Reduces the learning rate when patience runs out. */
  onEpochEnd(epoch: number, logs?: Logs): void {
    const optimizer = this.model!.optimizer!;
    const lr = optimizer.learningRate;
    if (typeof lr !== 'number') throw new Error('reduceLROnPlateau needs a numeric learning rate, not a schedule');
    if (logs) logs.learning_rate = lr;
    const current = monitored(logs, this.monitor, 'reduceLROnPlateau', this.warned);
    if (current === undefined) return;
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.wait = 0;
    }
    if (improves(current, this.best, this.minDelta, this.max)) {
      this.best = current;
      this.wait = 0;
    } else if (this.cooldownCounter <= 0) {
      this.wait++;
      if (this.wait >= this.patience && lr > this.minLr) {
        const next = Math.max(lr * this.factor, this.minLr);
        optimizer.learningRate = next;
        if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: ReduceLROnPlateau reducing learning rate to ${next}.`);
        this.cooldownCounter = this.cooldown;
        this.wait = 0;
      }
    }
  }
}
