// Adamax, Keras 3: m as Adam, u = max(β2·u, |g|), p −= lr·m / ((1 − β1ᵗ)(u + ε)).
import { OPT_ADAMAX } from '../shared/ids.js';
import { S_AUX } from '../shared/plan.js';
import { Optimizer, Powers, checkEpsilon, checkUnitInterval, complement, type OptimizerOptions } from './optimizer.js';
import { checkOptions } from '../options.js';
import { optimizerSpec } from './options.js';

/** Options of `df.optimizers.adamax(config)`. */
export interface AdamaxConfig extends OptimizerOptions {
  /** The first moment's decay (default 0.9). */
  beta1?: number;
  /** The infinity norm's decay (default 0.999). */
  beta2?: number;
  /** Added to the denominator (default 1e-7). */
  epsilon?: number;
}

const OPTIONS = optimizerSpec<AdamaxConfig>({ beta1: true, beta2: true, epsilon: true });

/** Adamax: Adam with the infinity norm in place of the second moment. */
export class Adamax extends Optimizer {
  readonly id = OPT_ADAMAX;
  readonly name = 'adamax';
  readonly slots = 2;
  /** The first moment's decay. */
  readonly beta1: number;
  /** The infinity norm's decay. */
  readonly beta2: number;
  /** Added to the denominator. */
  readonly epsilon: number;
  private readonly beta1Powers: Powers;

  constructor(config: AdamaxConfig = {}) {
    config = checkOptions('adamax', config, OPTIONS);
    super(0.001, config);
    this.beta1 = checkUnitInterval('beta1', config.beta1 ?? 0.9);
    this.beta2 = checkUnitInterval('beta2', config.beta2 ?? 0.999);
    this.epsilon = checkEpsilon(config.epsilon ?? 1e-7);
    this.beta1Powers = new Powers(this.beta1);
  }

  protected constants() {
    return { hp: [complement(this.beta1), this.beta2, this.epsilon], flags: 0 };
  }

  protected override stepSize(t: number, lr: number, out: Float32Array): number {
    out[S_AUX] = this.beta1Powers.at(t);
    return lr;
  }

  protected hyperparameters() {
    return { beta_1: this.beta1, beta_2: this.beta2, epsilon: this.epsilon };
  }
}
