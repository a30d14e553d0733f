// Nadam, Keras 3: Adam with Nesterov momentum and Dozat's momentum-cache schedule
// u_t = β1·(1 − ½·0.96^t) (Keras 3; Keras 2 had 0.96^(0.004·t)), whose running product the facade carries.
import { OPT_NADAM } from '../shared/ids.js';
import { S_AUX } from '../shared/plan.js';
import { getRuntime } from '../wasm/load.js';
import { Optimizer, Powers, checkEpsilon, checkUnitInterval, complementF32, type OptimizerOptions } from './optimizer.js';
import { checkOptions } from '../options.js';
import { optimizerSpec } from './options.js';

/** Options of `df.optimizers.nadam(config)`. */
export interface NadamConfig extends OptimizerOptions {
  /** The first moment's decay (default 0.9). */
  beta1?: number;
  /** The second moment's decay (default 0.999). */
  beta2?: number;
  /** Added to the denominator (default 1e-7). */
  epsilon?: number;
}

const OPTIONS = optimizerSpec<NadamConfig>({ beta1: true, beta2: true, epsilon: true });

/** Nadam: Adam with Nesterov momentum, Keras 3's momentum schedule. */
export class Nadam extends Optimizer {
  readonly id = OPT_NADAM;
  readonly name = 'nadam';
  readonly slots = 2;
  /** The first moment's decay. */
  readonly beta1: number;
  /** The second moment's decay. */
  readonly beta2: number;
  /** Added to the denominator. */
  readonly epsilon: number;
  private readonly beta2Powers: Powers;
  private uT = 0;
  private uProduct = 1;

  constructor(config: NadamConfig = {}) {
    config = checkOptions('nadam', config, OPTIONS);
    super(0.001, config);
    this.beta1 = checkUnitInterval('beta1', config.beta1 ?? 0.9);
    this.beta2 = checkUnitInterval('beta2', config.beta2 ?? 0.999);
    this.epsilon = checkEpsilon(config.epsilon ?? 1e-7);
    this.beta2Powers = new Powers(this.beta2);
  }

  protected constants() {
    // Keras's Nadam casts β to f32 before 1 − β.
    return { hp: [complementF32(this.beta1), complementF32(this.beta2), this.epsilon], flags: 0 };
  }

  private u(t: number): number {
    return this.beta1 * (1 - 0.5 * getRuntime().kernels.math_pow(0.96, t));
  }

  /** Π_{i ≤ t} u_i, cached for sequential t. */
  private product(t: number): number {
    if (t < this.uT) {
      this.uT = 0;
      this.uProduct = 1;
    }
    while (this.uT < t) this.uProduct *= this.u(++this.uT);
    return this.uProduct;
  }

  protected override stepSize(t: number, lr: number, out: Float32Array): number {
    const uProd = this.product(t);
    const ut1 = this.u(t + 1);
    out[S_AUX] = this.u(t);
    out[S_AUX + 1] = ut1;
    out[S_AUX + 2] = uProd;
    out[S_AUX + 3] = uProd * ut1;
    out[S_AUX + 4] = this.beta2Powers.at(t);
    return lr;
  }

  protected hyperparameters() {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
