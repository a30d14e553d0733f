// What Keras's monitoring callbacks share: which logged value to watch, and which way is better.
import type { Logs } from '../logs.js';
import type { TrainingModel } from '../callbacks.js';

/** Whether the monitored value should fall ('min') or rise ('max'); 'auto' decides from its name (accuracy-like rises). */
export type Mode = 'auto' | 'min' | 'max';

/** A callback that fit() hands the model to before training (Keras's `self.model`). */
export abstract class ModelCallback {
  model?: TrainingModel;
  setModel(model: TrainingModel): void {
    this.model = model;
  }
}

/** 'auto' follows Keras: accuracies improve upward, losses and errors downward. */
export function isMax(monitor: string, mode: Mode): boolean {
  if (mode !== 'auto' && mode !== 'min' && mode !== 'max') throw new Error(`mode must be 'auto', 'min' or 'max', got ${JSON.stringify(mode)}`);
  if (mode !== 'auto') return mode === 'max';
  return /acc/.test(monitor.replace(/^val_/, ''));
}

/** monitor_op(current − minDelta, reference) with minDelta signed by the direction, as Keras does. */
export function improves(current: number, reference: number, minDelta: number, max: boolean): boolean {
  return max ? current - minDelta > reference : current + minDelta < reference;
}

/** The monitored value from the logs, or undefined with one warning naming what is available. */
export function monitored(logs: Logs | undefined, monitor: string, who: string, warned: { done: boolean }): number | undefined {
  const value = logs?.[monitor];
  if (value === undefined && !warned.done) {
    warned.done = true;
    console.warn(`${who}: '${monitor}' is not in the logs (available: ${Object.keys(logs ?? {}).join(', ')}); add validation data or pick another monitor`);
  }
  return value;
}
