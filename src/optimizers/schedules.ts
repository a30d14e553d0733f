// Learning-rate schedules (Keras 3 names and arguments). A schedule maps the optimizer's step count
// (0 for the first update, as Keras passes `iterations`) to a learning rate. Powers and cosines come
// from the WASM module so every runtime computes the same rates.
import { getRuntime } from '../wasm/load.js';

export abstract class LearningRateSchedule {
  abstract readonly name: string;
  /** The learning rate for the update after `step` earlier updates. */
  abstract at(step: number): number;
  abstract getConfig(): Record<string, unknown>;
}

const pow = (x: number, y: number) => getRuntime().kernels.math_pow(x, y);
const cos = (x: number) => getRuntime().kernels.math_cos(x);

function positive(schedule: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !(v > 0) || !Number.isFinite(v)) throw new Error(`${schedule}: ${name} must be a finite number > 0, got ${JSON.stringify(v)}`);
  return v;
}

function finite(schedule: string, name: string, v: unknown): number {
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${schedule}: ${name} must be a finite number, got ${JSON.stringify(v)}`);
  return v;
}

export interface ExponentialDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  decayRate: number;
  staircase?: boolean;
}

/** What exponential and inverse-time decay share: lr₀, a rate and its period, optionally in steps. */
abstract class RateDecay extends LearningRateSchedule {
  constructor(
    readonly name: string,
    readonly config: ExponentialDecayConfig,
  ) {
    super();
    finite(this.name, 'initialLearningRate', config.initialLearningRate);
    positive(this.name, 'decaySteps', config.decaySteps);
    finite(this.name, 'decayRate', config.decayRate);
  }
  /** step / decaySteps, floored with staircase. */
  protected periods(step: number): number {
    const p = step / this.config.decaySteps;
    return this.config.staircase ? Math.floor(p) : p;
  }
  getConfig() {
    const c = this.config;
    return { initial_learning_rate: c.initialLearningRate, decay_steps: c.decaySteps, decay_rate: c.decayRate, staircase: !!c.staircase };
  }
}

/** lr₀ · rate^(step / decaySteps), the exponent floored with staircase. */
export class ExponentialDecay extends RateDecay {
  constructor(config: ExponentialDecayConfig) {
    super('ExponentialDecay', config);
  }
  at(step: number): number {
    return this.config.initialLearningRate * pow(this.config.decayRate, this.periods(step));
  }
}

export type InverseTimeDecayConfig = ExponentialDecayConfig;

/** lr₀ / (1 + rate · step / decaySteps), the quotient floored with staircase. */
export class InverseTimeDecay extends RateDecay {
  constructor(config: InverseTimeDecayConfig) {
    super('InverseTimeDecay', config);
  }
  at(step: number): number {
    return this.config.initialLearningRate / (1 + this.config.decayRate * this.periods(step));
  }
}

export interface PiecewiseConstantDecayConfig {
  boundaries: number[];
  values: number[];
}

/** values[0] up to boundaries[0] (inclusive), values[i] up to boundaries[i], then the last value. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  readonly name = 'PiecewiseConstantDecay';
  constructor(readonly config: PiecewiseConstantDecayConfig) {
    super();
    const { boundaries, values } = config;
    if (!Array.isArray(boundaries) || !Array.isArray(values) || values.length !== boundaries.length + 1) {
      throw new Error(`${this.name}: values must have one more entry than boundaries, got ${values?.length} values for ${boundaries?.length} boundaries`);
    }
    boundaries.forEach((b, i) => {
      finite(this.name, `boundaries[${i}]`, b);
      if (i > 0 && !(b > boundaries[i - 1])) throw new Error(`${this.name}: boundaries must increase, got ${boundaries.join(', ')}`);
    });
    values.forEach((v, i) => finite(this.name, `values[${i}]`, v));
  }
  at(step: number): number {
    const { boundaries, values } = this.config;
    for (let i = 0; i < boundaries.length; i++) if (step <= boundaries[i]) return values[i];
    return values[values.length - 1];
  }
  getConfig() {
    return { boundaries: [...this.config.boundaries], values: [...this.config.values] };
  }
}

export interface PolynomialDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  endLearningRate?: number;
  power?: number;
  cycle?: boolean;
}

/** (lr₀ − end)·(1 − step/decaySteps)^power + end, holding at end (or restarting with cycle). */
export class PolynomialDecay extends LearningRateSchedule {
  readonly name = 'PolynomialDecay';
  constructor(readonly config: PolynomialDecayConfig) {
    super();
    finite(this.name, 'initialLearningRate', config.initialLearningRate);
    positive(this.name, 'decaySteps', config.decaySteps);
    finite(this.name, 'endLearningRate', config.endLearningRate ?? 0.0001);
    finite(this.name, 'power', config.power ?? 1);
  }
  at(step: number): number {
    const { initialLearningRate, cycle } = this.config;
    const end = this.config.endLearningRate ?? 0.0001;
    const power = this.config.power ?? 1;
    let decaySteps = this.config.decaySteps;
    if (cycle) decaySteps *= step === 0 ? 1 : Math.ceil(step / decaySteps);
    else step = Math.min(step, decaySteps);
    return (initialLearningRate - end) * pow(1 - step / decaySteps, power) + end;
  }
  getConfig() {
    const c = this.config;
    return { initial_learning_rate: c.initialLearningRate, decay_steps: c.decaySteps, end_learning_rate: c.endLearningRate ?? 0.0001, power: c.power ?? 1, cycle: !!c.cycle };
  }
}

export interface CosineDecayConfig {
  initialLearningRate: number;
  decaySteps: number;
  alpha?: number;
  warmupTarget?: number;
  warmupSteps?: number;
}

/** Optional linear warmup from lr₀ to warmupTarget, then cosine decay to alpha × the peak. */
export class CosineDecay extends LearningRateSchedule {
  readonly name = 'CosineDecay';
  constructor(readonly config: CosineDecayConfig) {
    super();
    finite(this.name, 'initialLearningRate', config.initialLearningRate);
    positive(this.name, 'decaySteps', config.decaySteps);
    finite(this.name, 'alpha', config.alpha ?? 0);
    if (config.warmupTarget !== undefined) finite(this.name, 'warmupTarget', config.warmupTarget);
    if (config.warmupSteps !== undefined && !(Number.isInteger(config.warmupSteps) && config.warmupSteps >= 0)) {
      throw new Error(`${this.name}: warmupSteps must be an integer ≥ 0, got ${config.warmupSteps}`);
    }
  }
  at(step: number): number {
    const { initialLearningRate, warmupTarget } = this.config;
    const warmupSteps = this.config.warmupSteps ?? 0;
    if (warmupTarget === undefined) return this.decay(step, initialLearningRate);
    if (step < warmupSteps) return (warmupTarget - initialLearningRate) * (step / warmupSteps) + initialLearningRate;
    return this.decay(step - warmupSteps, warmupTarget);
  }
  private decay(step: number, from: number): number {
    const { decaySteps } = this.config;
    const alpha = this.config.alpha ?? 0;
    const fraction = Math.min(step, decaySteps) / decaySteps;
    return from * ((1 - alpha) * (0.5 * (1 + cos(Math.PI * fraction))) + alpha);
  }
  getConfig() {
    const c = this.config;
    return { initial_learning_rate: c.initialLearningRate, decay_steps: c.decaySteps, alpha: c.alpha ?? 0, warmup_target: c.warmupTarget ?? null, warmup_steps: c.warmupSteps ?? 0 };
  }
}

/** df.optimizers.schedules.exponentialDecay({ … }) and friends. */
export const schedules = {
  exponentialDecay: (c: ExponentialDecayConfig) => new ExponentialDecay(c),
  inverseTimeDecay: (c: InverseTimeDecayConfig) => new InverseTimeDecay(c),
  piecewiseConstantDecay: (c: PiecewiseConstantDecayConfig) => new PiecewiseConstantDecay(c),
  polynomialDecay: (c: PolynomialDecayConfig) => new PolynomialDecay(c),
  cosineDecay: (c: CosineDecayConfig) => new CosineDecay(c),
};
