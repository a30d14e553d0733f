// ReduceLROnPlateau (Keras 3): multiply the learning rate by `factor` when the monitored value has not
// improved for `patience` epochs, then wait `cooldown` epochs; never below `minLr`.
import type { Logs } from '../logs.js';
import type { Callback } from '../callbacks.js';
import { nonNegative } from './early-stopping.js';
import { ModelCallback, improves, isMax, monitored, type Mode } from './monitor.js';
import { checkOptions, type OptionSpec } from '../../options.js';

export interface ReduceLROnPlateauConfig {
  monitor?: string;
  factor?: number;
  patience?: number;
  mode?: Mode;
  minDelta?: number;
  cooldown?: number;
  minLr?: number;
  verbose?: number;
}

const OPTIONS: OptionSpec<ReduceLROnPlateauConfig> = {
  known: { monitor: true, factor: true, patience: true, mode: true, minDelta: true, cooldown: true, minLr: true, verbose: true },
  // Keras 2's name for minDelta.
  unsupported: { epsilon: { instead: "it is Keras 2's old name: write minDelta" } },
};

export class ReduceLROnPlateau extends ModelCallback implements Callback {
  readonly monitor: string;
  readonly factor: number;
  readonly patience: number;
  readonly minDelta: number;
  readonly cooldown: number;
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

  onTrainBegin(): void {
    this.wait = 0;
    this.cooldownCounter = 0;
    this.best = this.max ? -Infinity : Infinity;
  }

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
