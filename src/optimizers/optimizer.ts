// The optimizer contract: constants written once into the plan header, a few scalars per step
// (learning rate, bias corrections) computed here, and one WASM pass per step over all parameters.
import { S_LR } from '../shared/plan.js';

export abstract class Optimizer {
  /** OPT_* id of the kernel family. */
  abstract readonly id: number;
  /** Canonical name ('adam', 'sgd', …). */
  abstract readonly name: string;
  /** Optimizer state slots per parameter (mirrored blocks of the parameter count). */
  abstract readonly slots: number;
  /** Steps taken so far (Keras `iterations`). */
  iterations = 0;
  private lr: number;

  constructor(learningRate: number) {
    this.lr = checkLearningRate(learningRate);
  }

  /** The learning rate; may be changed between epochs or batches. */
  get learningRate(): number {
    return this.lr;
  }

  set learningRate(value: number) {
    this.lr = checkLearningRate(value);
  }

  /** Constants for the kernel: up to four f32 hyperparameters and a flags word. */
  abstract constants(): { hp: number[]; flags: number };

  /** Writes the scalars of step t (1-based) into out at S_* offsets. */
  stepScalars(t: number, out: Float32Array): void {
    out[S_LR] = this.learningRate;
  }

  /** The configuration, Keras-style, for summaries and saving. */
  abstract getConfig(): Record<string, number | boolean | string>;
}

function checkLearningRate(lr: number): number {
  if (typeof lr !== 'number' || !Number.isFinite(lr) || lr < 0) throw new Error(`learningRate must be a finite number ≥ 0, got ${lr}`);
  return lr;
}

/** Throws unless `value` lies in [lo, hi) — the shared check for β, ρ and momentum. */
export function checkUnitInterval(name: string, value: number): number {
  if (typeof value !== 'number' || !(value >= 0 && value < 1)) throw new Error(`${name} must be in [0, 1), got ${value}`);
  return value;
}

/** Throws unless ε is a finite number > 0. */
export function checkEpsilon(value: number): number {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) throw new Error(`epsilon must be a finite number > 0, got ${value}`);
  return value;
}
