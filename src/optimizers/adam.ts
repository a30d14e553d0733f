// Adam, AMSGrad and AdamW, Keras 3 (ε-hat form): the facade carries α_t = lr·√(1−β2ᵗ)/(1−β1ᵗ) per
// step; AdamW is Adam with decoupled weight decay (default 0.004).
import { OPT_ADAM } from '../shared/ids.js';
import { Optimizer, Powers, checkEpsilon, checkUnitInterval, complement, type OptimizerOptions } from './optimizer.js';
import { checkOptions } from '../options.js';
import { optimizerSpec } from './options.js';

/** Options of `df.optimizers.adam(config)` and `adamw(config)`. */
export interface AdamConfig extends OptimizerOptions {
  /** The first moment's decay (default 0.9). */
  beta1?: number;
  /** The second moment's decay (default 0.999). */
  beta2?: number;
  /** Added to the denominator (default 1e-7). */
  epsilon?: number;
  /** Keep the largest second moment (AMSGrad; default false). */
  amsgrad?: boolean;
}

const OPTIONS = optimizerSpec<AdamConfig>({ beta1: true, beta2: true, epsilon: true, amsgrad: true });

/** Adam (Kingma & Ba), Keras 3's ε-hat form; `amsgrad` keeps the largest second moment. */
export class Adam extends Optimizer {
  readonly id = OPT_ADAM;
  readonly name: string = 'adam';
  /** The first moment's decay. */
  readonly beta1: number;
  /** The second moment's decay. */
  readonly beta2: number;
  /** Added to the denominator. */
  readonly epsilon: number;
  /** Whether AMSGrad's maximum of the second moments is used. */
  readonly amsgrad: boolean;
  private readonly beta1Powers: Powers;
  private readonly beta2Powers: Powers;

  constructor(config: AdamConfig = {}) {
    config = checkOptions('adam', config, OPTIONS);
    super(0.001, config);
    this.beta1 = checkUnitInterval('beta1', config.beta1 ?? 0.9);
    this.beta2 = checkUnitInterval('beta2', config.beta2 ?? 0.999);
    this.epsilon = checkEpsilon(config.epsilon ?? 1e-7);
    this.amsgrad = config.amsgrad ?? false;
    this.beta1Powers = new Powers(this.beta1);
    this.beta2Powers = new Powers(this.beta2);
  }

  get slots(): number {
    return this.amsgrad ? 3 : 2;
  }

  protected constants() {
    // The kernel needs only the complements: 1 − β formed in float64, as Keras does from its Python floats.
    return { hp: [complement(this.beta1), complement(this.beta2), this.epsilon], flags: this.amsgrad ? 2 : 0 };
  }

  protected override stepSize(t: number, lr: number): number {
    return (lr * Math.sqrt(1 - this.beta2Powers.at(t))) / (1 - this.beta1Powers.at(t));
  }

  protected hyperparameters() {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon, amsgrad: this.amsgrad };
  }
}

/** Adam with decoupled weight decay (Loshchilov & Hutter), Keras 3 defaults. */
export class AdamW extends Adam {
  override readonly name = 'adamw';
  constructor(config: AdamConfig = {}) {
    config = checkOptions('adamw', config, OPTIONS);
    // Keras refuses weight_decay=None for AdamW: decay is what makes it AdamW.
    if (config?.weightDecay === null) throw new Error('adamw: weightDecay must be a number (default 0.004), got null; use adam for no decay');
    super({ ...config, weightDecay: config.weightDecay ?? 0.004 });
  }
}
