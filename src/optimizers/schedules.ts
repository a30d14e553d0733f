// Learning-rate schedules (Keras 3 names and arguments). A schedule maps the optimizer's step count
// (0 for the first update, as Keras passes `iterations`) to a learning rate. Powers and cosines come
// from the WASM module so every runtime computes the same rates.
import { getRuntime } from '../wasm/load.js';
import { checkOptions, type OptionSpec } from '../options.js';

/** A learning rate that changes with the step count: pass one as `learningRate` to any optimizer. */
export abstract class LearningRateSchedule {
  /** The schedule's Keras class name, as saved. */
  abstract readonly name: string;
  /** The learning rate for the update after `step` earlier updates. */
  abstract at(step: number): number;
  /** Its arguments in Keras's snake_case, as saved with the optimizer. */
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

/** Arguments of `exponentialDecay` and `inverseTimeDecay`. */
export interface ExponentialDecayConfig {
  /** The rate at step 0 (lr₀). */
  initialLearningRate: number;
  /** The steps over which the rate is applied once. */
  decaySteps: number;
  /** The factor (exponential) or the divisor's slope (inverse time) per decaySteps. */
  decayRate: number;
  /** Change the rate only every decaySteps steps (default false: continuously). */
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

/** Arguments of `inverseTimeDecay`: the same as exponential decay's. */
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

/** Arguments of `piecewiseConstantDecay`. */
export interface PiecewiseConstantDecayConfig {
  /** Increasing step counts where the rate changes. */
  boundaries: number[];
  /** The rates: one more than the boundaries. */
  values: number[];
}

/** values[0] up to boundaries[0] (inclusive), values[i] up to boundaries[i], then the last value. */
export class PiecewiseConstantDecay extends LearningRateSchedule {
  /** 'PiecewiseConstantDecay'. */
  readonly name = 'PiecewiseConstantDecay';
  constructor(/** The boundaries and values it was made with. */ readonly config: PiecewiseConstantDecayConfig) {
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
  /** Its arguments as Keras saves them. */
  getConfig() {
    return { boundaries: [...this.config.boundaries], values: [...this.config.values] };
  }
}

/** Arguments of `polynomialDecay`. */
export interface PolynomialDecayConfig {
  /** The rate at step 0 (lr₀). */
  initialLearningRate: number;
  /** The steps to reach endLearningRate. */
  decaySteps: number;
  /** The rate at decaySteps and after (default 0.0001). */
  endLearningRate?: number;
  /** The polynomial's power (default 1: linear). */
  power?: number;
  /** Restart the decay after decaySteps, over a multiple of it (default false). */
  cycle?: boolean;
}

/** (lr₀ − end)·(1 − step/decaySteps)^power + end, holding at end (or restarting with cycle). */
export class PolynomialDecay extends LearningRateSchedule {
  /** 'PolynomialDecay'. */
  readonly name = 'PolynomialDecay';
  constructor(/** The arguments it was made with. */ readonly config: PolynomialDecayConfig) {
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
  /** Its arguments as Keras saves them (snake_case, defaults filled in). */
  getConfig() {
    const c = this.config;
    return { initial_learning_rate: c.initialLearningRate, decay_steps: c.decaySteps, end_learning_rate: c.endLearningRate ?? 0.0001, power: c.power ?? 1, cycle: !!c.cycle };
  }
}

/** Arguments of `cosineDecay`. */
export interface CosineDecayConfig {
  /** The rate at step 0 (lr₀). */
  initialLearningRate: number;
  /** The steps of the cosine decay (after the warmup). */
  decaySteps: number;
  /** The final rate as a fraction of the peak (default 0). */
  alpha?: number;
  /** The peak rate the warmup rises to linearly (default: no warmup). */
  warmupTarget?: number;
  /** The warmup's length in steps (default 0). */
  warmupSteps?: number;
}

/** Optional linear warmup from lr₀ to warmupTarget, then cosine decay to alpha × the peak. */
export class CosineDecay extends LearningRateSchedule {
  /** 'CosineDecay'. */
  readonly name = 'CosineDecay';
  constructor(/** The arguments it was made with. */ readonly config: CosineDecayConfig) {
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
  /** Its arguments as Keras saves them (snake_case, defaults filled in). */
  getConfig() {
    const c = this.config;
    return { initial_learning_rate: c.initialLearningRate, decay_steps: c.decaySteps, alpha: c.alpha ?? 0, warmup_target: c.warmupTarget ?? null, warmup_steps: c.warmupSteps ?? 0 };
  }
}

// Each schedule's arguments (Keras's snake_case spellings accepted), checked by the factories.
const RATE_DECAY: OptionSpec<ExponentialDecayConfig> = { known: { initialLearningRate: true, decaySteps: true, decayRate: true, staircase: true } };
const PIECEWISE: OptionSpec<PiecewiseConstantDecayConfig> = { known: { boundaries: true, values: true } };
const POLYNOMIAL: OptionSpec<PolynomialDecayConfig> = { known: { initialLearningRate: true, decaySteps: true, endLearningRate: true, power: true, cycle: true } };
const COSINE: OptionSpec<CosineDecayConfig> = { known: { initialLearningRate: true, decaySteps: true, alpha: true, warmupTarget: true, warmupSteps: true } };

/** df.optimizers.schedules.exponentialDecay({ … }) and friends. */
export const schedules = {
  exponentialDecay: (c: ExponentialDecayConfig) => new ExponentialDecay(checkOptions('exponentialDecay', c, RATE_DECAY)),
  inverseTimeDecay: (c: InverseTimeDecayConfig) => new InverseTimeDecay(checkOptions('inverseTimeDecay', c, RATE_DECAY)),
  piecewiseConstantDecay: (c: PiecewiseConstantDecayConfig) => new PiecewiseConstantDecay(checkOptions('piecewiseConstantDecay', c, PIECEWISE)),
  polynomialDecay: (c: PolynomialDecayConfig) => new PolynomialDecay(checkOptions('polynomialDecay', c, POLYNOMIAL)),
  cosineDecay: (c: CosineDecayConfig) => new CosineDecay(checkOptions('cosineDecay', c, COSINE)),
};
