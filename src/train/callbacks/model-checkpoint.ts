// ModelCheckpoint (Keras): save the model after each epoch (or only when the monitored value improves),
// to a path that may name the epoch and logged values: 'ckpt/epoch-{epoch:02d}-{val_loss:.2f}'.
import type { Logs } from '../logs.js';
import type { Callback } from '../callbacks.js';
import { ModelCallback, improves, isMax, monitored, type Mode } from './monitor.js';
import { checkOptions, type OptionSpec } from '../../options.js';

/** Options of `df.callbacks.modelCheckpoint(config)`. */
export interface ModelCheckpointConfig {
  /** The folder (or URL) to save to; `{epoch}` and logged keys such as `{val_loss:.4f}` are filled in. */
  filepath: string;
  /** The logged value `saveBestOnly` compares (default 'val_loss'). */
  monitor?: string;
  /** Save only when the monitored value improves (default false). */
  saveBestOnly?: boolean;
  /** Which way is better: 'min', 'max' or 'auto' (default: from the name). */
  mode?: Mode;
  /** Save the optimizer state too, so training can resume exactly. */
  includeOptimizer?: boolean;
  /** 1: say when it saves (default 0). */
  verbose?: number;
}

type Saver = { save(url: string, options?: { includeOptimizer?: boolean }): Promise<unknown> };

const unset = (v: unknown) => v === undefined || v === null;
const OPTIONS: OptionSpec<ModelCheckpointConfig> = {
  known: { filepath: true, monitor: true, saveBestOnly: true, mode: true, includeOptimizer: true, verbose: true },
  unsupported: {
    saveWeightsOnly: { instead: 'the whole model is saved (tfjs format); load it with df.loadLayersModel', harmless: (v) => unset(v) || v === false },
    saveFreq: { instead: 'a checkpoint is written after every epoch', harmless: (v) => unset(v) || v === 'epoch' },
    initialValueThreshold: { instead: 'with saveBestOnly the first epoch is always saved', harmless: unset },
  },
};

/** Saves the model at the end of epochs (Keras's ModelCheckpoint). */
export class ModelCheckpoint extends ModelCallback implements Callback {
  /** Where it saves; `{epoch}` and logged keys such as `{val_loss:.4f}` are filled in. */
  readonly filepath: string;
  /** The logged value compared with `saveBestOnly`. */
  readonly monitor: string;
  /** Whether it saves only when the monitored value improves. */
  readonly saveBestOnly: boolean;
  private readonly includeOptimizer: boolean;
  private readonly max: boolean;
  private readonly verbose: number;
  private best = Infinity;
  private readonly warned = { done: false };
  /** Paths written so far, in order. */
  readonly saved: string[] = [];

  constructor(config: ModelCheckpointConfig) {
    super();
    if (!config || typeof config !== 'object') throw new Error("modelCheckpoint: expected a config object such as { filepath: 'ckpt/epoch-{epoch}' }");
    config = checkOptions('modelCheckpoint', config, OPTIONS);
    if (typeof config.filepath !== 'string' || config.filepath === '') throw new Error('modelCheckpoint: filepath must be a non-empty string');
    this.filepath = config.filepath;
    this.monitor = config.monitor ?? 'val_loss';
    this.saveBestOnly = config.saveBestOnly ?? false;
    this.includeOptimizer = config.includeOptimizer ?? false;
    this.max = isMax(this.monitor, config.mode ?? 'auto');
    this.verbose = config.verbose ?? 0;
  }

  /** Resets the best value. */
  onTrainBegin(): void {
    this.best = this.max ? -Infinity : Infinity;
  }

  /** Saves the model if due. */
  async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
    if (this.saveBestOnly) {
      const current = monitored(logs, this.monitor, 'modelCheckpoint', this.warned);
      if (current === undefined || !improves(current, this.best, 0, this.max)) return;
      this.best = current;
    }
    const path = formatPath(this.filepath, epoch + 1, logs ?? {});
    const url = /^[a-z]+:\/\//.test(path) ? path : `file://${path}`;
    await (this.model as unknown as Saver).save(url, { includeOptimizer: this.includeOptimizer });
    this.saved.push(path);
    if (this.verbose > 0) console.log(`Epoch ${epoch + 1}: saving model to ${path}`);
  }
}

/** Keras's path template: {epoch}, {epoch:02d}, {val_loss:.2f}, … */
export function formatPath(template: string, epoch: number, logs: Logs): string {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (whole, key: string, spec: string | undefined) => {
    const value = key === 'epoch' ? epoch : logs[key];
    if (value === undefined) throw new Error(`modelCheckpoint: the filepath names '{${key}}', which is not in the logs (${Object.keys(logs).join(', ')})`);
    if (!spec) return String(value);
    const fixed = /^\.(\d+)f$/.exec(spec);
    if (fixed) return value.toFixed(Number(fixed[1]));
    const padded = /^0?(\d+)d$/.exec(spec);
    if (padded) return String(Math.round(value)).padStart(Number(padded[1]), spec.startsWith('0') ? '0' : ' ');
    throw new Error(`modelCheckpoint: unsupported format '${whole}' (use {key}, {key:02d} or {key:.2f})`);
  });
}
