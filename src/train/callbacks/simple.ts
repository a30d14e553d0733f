// The small Keras callbacks: LearningRateScheduler, TerminateOnNaN, CSVLogger, and LambdaCallback-style hooks.
import type { Logs } from '../logs.js';
import type { Callback } from '../callbacks.js';
import { ModelCallback } from './monitor.js';
import { requireNodePlatform } from '../../platform.js';
import { checkOptions, type OptionSpec } from '../../options.js';

/** Sets the learning rate at the start of each epoch from schedule(epoch, currentLr). */
export class LearningRateScheduler extends ModelCallback implements Callback {
  constructor(
    private readonly schedule: (epoch: number, lr: number) => number,
    private readonly verbose = 0,
  ) {
    super();
    if (typeof schedule !== 'function') throw new Error('learningRateScheduler: schedule must be a function (epoch, lr) => lr');
  }

  /** Sets the optimizer's learning rate to schedule(epoch, current rate). */
  onEpochBegin(epoch: number): void {
    const optimizer = this.model!.optimizer!;
    const lr = optimizer.learningRate;
    if (typeof lr !== 'number') throw new Error('learningRateScheduler needs a numeric learning rate, not a schedule object');
    const next = this.schedule(epoch, lr);
    if (typeof next !== 'number' || !Number.isFinite(next) || next < 0) {
      throw new Error(`learningRateScheduler: the schedule returned ${next} at epoch ${epoch}; it must be a finite number ≥ 0`);
    }
    optimizer.learningRate = next;
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: LearningRateScheduler setting learning rate to ${next}.`);
  }

  /** Adds the learning rate to the epoch's logs as 'learning_rate'. */
  onEpochEnd(_epoch: number, logs?: Logs): void {
    if (logs) logs.learning_rate = this.model!.optimizer!.learningRate as number;
  }
}

/**
 * Stops training when the loss becomes NaN or infinite. Checked at the end of every epoch (the loss
 * stays NaN once it is), so fit keeps its single WASM call per epoch.
 */
export class TerminateOnNaN extends ModelCallback implements Callback {
  /** Stops training if the epoch's loss is not finite. */
  onEpochEnd(epoch: number, logs?: Logs): void {
    const loss = logs?.loss;
    if (loss !== undefined && !Number.isFinite(loss)) {
      console.log(`Epoch ${epoch + 1}: invalid loss ${loss}, terminating training`);
      this.model!.stopTraining = true;
    }
  }
}

/** Options of `df.callbacks.csvLogger(config)`. */
export interface CSVLoggerConfig {
  /** The column separator (default ','). */
  separator?: string;
  /** Append to an existing file instead of replacing it (default false). */
  append?: boolean;
}

const CSV_OPTIONS: OptionSpec<CSVLoggerConfig> = { known: { separator: true, append: true } };

/** Streams epoch results to a CSV file (Node, Deno, Bun: file access from the platform registry): a header of the logged keys, then one row per epoch. */
export class CSVLogger implements Callback {
  private keys?: string[];
  private lines: string[] = [];
  private readonly separator: string;
  private readonly append: boolean;

  constructor(
    /** The CSV file it writes. */
    readonly filename: string,
    config: CSVLoggerConfig = {},
  ) {
    if (typeof filename !== 'string' || filename === '') throw new Error('csvLogger: filename must be a non-empty path');
    config = checkOptions('csvLogger', config, CSV_OPTIONS);
    this.separator = config.separator ?? ',';
    this.append = config.append ?? false;
  }

  /** Empties the file, unless appending. */
  async onTrainBegin(): Promise<void> {
    const { fs } = requireNodePlatform('csvLogger');
    this.keys = undefined;
    if (!this.append) await fs.writeFile(this.filename, '');
  }

  /** Writes the epoch's row (and the header first). */
  async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    const { fs } = requireNodePlatform('csvLogger');
    const entries = logs ?? {};
    let text = '';
    if (!this.keys) {
      this.keys = Object.keys(entries).sort();
      const existing = this.append ? await fs.readFile(this.filename, 'utf8').catch(() => '') : '';
      if (!existing) text += ['epoch', ...this.keys].join(this.separator) + '\n';
    }
    text += [epoch, ...this.keys.map((k) => entries[k] ?? '')].join(this.separator) + '\n';
    await fs.appendFile(this.filename, text);
  }
}
