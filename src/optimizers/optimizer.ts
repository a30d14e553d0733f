// The optimizer contract: constants written once into a plan header, a few scalars per step
// (scheduled learning rate, bias corrections) computed here, and one WASM call per step that clips,
// decays and updates every parameter in a single pass.
import { CLIP_GLOBAL_NORM, CLIP_NONE, CLIP_NORM, CLIP_VALUE } from '../shared/ids.js';
import { OPT_HP_WORDS, S_DECAY_LR, S_LR, STEP_WORDS } from '../shared/plan.js';
import { checkReal } from '../numbers.js';
import { LearningRateSchedule } from './schedules.js';
import { Standalone } from './standalone.js';

/** A fixed learning rate or a schedule of the step count. */
export type LearningRate = number | LearningRateSchedule;

/** Options every optimizer takes (Keras 3 names). */
export interface OptimizerOptions {
  /** A number or a schedule from `df.optimizers.schedules` (default: Keras 3's, 0.01 for SGD and 0.001 for the others). */
  learningRate?: LearningRate;
  /** Clip each gradient tensor to this L2 norm. */
  clipnorm?: number;
  /** Clip each gradient element to [−clipvalue, clipvalue]. */
  clipvalue?: number;
  /** Clip all gradients together to this global L2 norm. */
  globalClipnorm?: number;
  /** Decoupled weight decay: p −= p·weightDecay·lr before each update. */
  weightDecay?: number;
}

/**
 * @internal Who keeps an optimizer's state (its slots and, with them, the meaning of `iterations`): a
 * model, in its arena, or the optimizer's own applyGradients block. One at a time.
 */
export interface StateOwner {
  /** "model 'm'", for errors. */
  describe(): string;
  /** Whether it still keeps `o`'s state (a disposed or recompiled model no longer does). */
  keeps(o: Optimizer): boolean;
}

/** What the kernel reads from the plan header. */
export interface OptimizerHeader {
  opt: number;
  hp: number[];
  flags: number;
  clipKind: number;
  clip: number;
  weightDecay: number;
}

/** What every optimizer shares: learning rate, clipping and weight decay, its step count and state; one WASM pass updates all parameters. */
export abstract class Optimizer {
  /** OPT_* id of the kernel family. */
  abstract readonly id: number;
  /** Canonical name ('adam', 'sgd', …). */
  abstract readonly name: string;
  /** Optimizer state slots per parameter (mirrored blocks of the parameter count). */
  abstract readonly slots: number;
  /** Steps taken so far (Keras `iterations`). */
  iterations = 0;
  /** Which clipping applies: none, per value, per tensor's norm or the global norm. */
  readonly clipKind: number;
  /** The clipping threshold. */
  readonly clip: number;
  /** The decoupled weight decay per step (0 for none). */
  readonly weightDecay: number;
  private lr: LearningRate;
  private standalone?: Standalone;
  private owner?: WeakRef<StateOwner>;

  protected constructor(defaultLearningRate: number, options: OptimizerOptions) {
    this.lr = checkLearningRate(options.learningRate ?? defaultLearningRate);
    const clips = (['clipnorm', 'clipvalue', 'globalClipnorm'] as const).filter((k) => options[k] !== undefined && options[k] !== null);
    if (clips.length > 1) throw new Error(`only one of clipnorm, clipvalue and globalClipnorm can be set, got ${clips.join(' and ')}`);
    const kind = clips[0];
    this.clipKind = kind === 'clipnorm' ? CLIP_NORM : kind === 'clipvalue' ? CLIP_VALUE : kind === 'globalClipnorm' ? CLIP_GLOBAL_NORM : CLIP_NONE;
    this.clip = kind ? checkReal(kind, options[kind], { above: 0 }) : 0;
    this.weightDecay = checkReal('weightDecay', options.weightDecay ?? 0, { min: 0 });
  }

  /** The learning rate: a number or a schedule; may be changed between epochs or batches. */
  get learningRate(): LearningRate {
    return this.lr;
  }

  set learningRate(value: LearningRate) {
    this.lr = checkLearningRate(value);
  }

  /** The learning rate of step t (1-based): a schedule sees t − 1 earlier updates, as in Keras. */
  learningRateAt(t: number): number {
    return typeof this.lr === 'number' ? this.lr : this.lr.at(t - 1);
  }

  /** The kernel's constants: up to OPT_HP_WORDS f32 hyperparameters and a flags word. */
  protected abstract constants(): { hp: number[]; flags: number };

  /** The constants its WASM pass reads. */
  header(): OptimizerHeader {
    const { hp, flags } = this.constants();
    if (hp.length > OPT_HP_WORDS) throw new Error(`optimizer '${this.name}' has more than ${OPT_HP_WORDS} constants`);
    return { opt: this.id, hp, flags, clipKind: this.clipKind, clip: this.clip, weightDecay: this.weightDecay };
  }

  /**
   * Writes the scalars of step t (1-based) at S_* offsets in out; throws naming the step if any is not
   * finite (a schedule gone wrong), before anything is updated.
   */
  stepScalars(t: number, out: Float32Array): void {
    // Every word of the record, so no scalar is whatever the memory held before.
    out.fill(0, 0, STEP_WORDS);
    const lr = this.learningRateAt(t);
    if (!Number.isFinite(lr) || lr < 0) throw new Error(`optimizer '${this.name}': the learning rate at step ${t} is ${lr}; weights left unchanged`);
    out[S_DECAY_LR] = lr;
    out[S_LR] = this.stepSize(t, lr, out);
    for (let i = 0; i < STEP_WORDS; i++) {
      if (!Number.isFinite(out[i])) throw new Error(`optimizer '${this.name}': step ${t} scalar ${i} is ${out[i]}; weights left unchanged`);
    }
  }

  /** The step size the kernel uses (bias-corrected ones override), writing any S_AUX scalars. */
  protected stepSize(_t: number, lr: number, _out: Float32Array): number {
    return lr;
  }

  /** Fills freshly zeroed values of state slot `s` (e.g. Adagrad's initial accumulator). */
  initSlot(_s: number, _values: Float32Array): void {}

  /**
   * Updates `params` in place from `grads` with one step of this optimizer (clipping and weight decay
   * included), keeping its state between calls: for minimizing your own functions.
   */
  applyGradients(params: Float32Array, grads: ArrayLike<number>): void {
    if (!this.standalone) {
      const standalone = new Standalone(this);
      this.claim(standalone, 'applyGradients');
      this.standalone = standalone;
    }
    this.standalone.step(params, grads);
  }

  /**
   * @internal Makes `owner` the keeper of this optimizer's state; throws, naming both, if another owner
   * still keeps it (one optimizer object compiled into two models would share `iterations` and moments).
   */
  claim(owner: StateOwner, what: string): void {
    const current = this.owner?.deref();
    if (current && current !== owner && current.keeps(this)) {
      throw new Error(
        `${what}: this ${this.name} optimizer already keeps the state of ${current.describe()} (its iterations and slots); ` +
          `give each model its own optimizer object, e.g. df.optimizers.${this.name}({ … })`,
      );
    }
    this.owner = new WeakRef(owner);
  }

  /** The configuration, Keras-style. */
  getConfig(): Record<string, unknown> {
    const lr = this.lr;
    return {
      name: this.name,
      learning_rate: typeof lr === 'number' ? lr : { class_name: lr.name, config: lr.getConfig() },
      weight_decay: this.weightDecay || null,
      clipnorm: this.clipKind === CLIP_NORM ? this.clip : null,
      clipvalue: this.clipKind === CLIP_VALUE ? this.clip : null,
      global_clipnorm: this.clipKind === CLIP_GLOBAL_NORM ? this.clip : null,
      ...this.hyperparameters(),
    };
  }

  protected abstract hyperparameters(): Record<string, number | boolean>;
}

function checkLearningRate(lr: LearningRate): LearningRate {
  if (lr instanceof LearningRateSchedule) return lr;
  if (typeof lr !== 'number' || !(lr >= 0)) throw new Error(`learningRate must be a finite number ≥ 0 or a schedule, got ${lr}`);
  return checkReal('learningRate', lr, { min: 0 });
}

/** Throws unless `value` lies in [0, 1), also as the kernels' f32 — the shared check for β and ρ. */
export function checkUnitInterval(name: string, value: unknown): number {
  return checkReal(name, value, { min: 0, below: 1 });
}

/** Throws unless ε is a finite number > 0 that f32 does not round to 0. */
export function checkEpsilon(value: unknown): number {
  return checkReal('epsilon', value, { above: 0 });
}

/** 1 − x as Keras forms it from a Python float: in float64, rounded to f32 once when the kernel reads it. */
export const complement = (x: number): number => 1 - x;

/** 1 − x as Keras forms it from a value already cast to the variable's f32 (Nadam, Lion). */
export const complementF32 = (x: number): number => Math.fround(1 - Math.fround(x));

/** βᵗ by repeated multiplication, cached for sequential t (exactly rounded everywhere, unlike Math.pow). */
export class Powers {
  private t = 0;
  private value = 1;
  constructor(private readonly base: number) {}
  at(t: number): number {
    if (t < this.t) {
      this.t = 0;
      this.value = 1;
    }
    while (this.t < t) {
      this.value *= this.base;
      this.t++;
    }
    return this.value;
  }
}
