// Lion (Chen et al. 2023), Keras 3: p −= lr·sign(β1·m + (1−β1)·g); m = β2·m + (1−β2)·g.
import { OPT_LION } from '../shared/ids.js';
import { checkReal } from '../numbers.js';
import { Optimizer, complementF32, type OptimizerOptions } from './optimizer.js';
import { checkOptions } from '../options.js';
import { optimizerSpec } from './options.js';

/** Options of `df.optimizers.lion(config)`. */
export interface LionConfig extends OptimizerOptions {
  /** The interpolation for the step (default 0.9). */
  beta1?: number;
  /** The momentum's decay (default 0.99). */
  beta2?: number;
}

const OPTIONS = optimizerSpec<LionConfig>({ beta1: true, beta2: true });

/** Lion: the sign of an interpolated momentum, with decoupled weight decay. */
export class Lion extends Optimizer {
  readonly id = OPT_LION;
  readonly name = 'lion';
  readonly slots = 1;
  /** The interpolation between momentum and gradient for the step. */
  readonly beta1: number;
  /** The momentum's decay. */
  readonly beta2: number;

  constructor(config: LionConfig = {}) {
    config = checkOptions('lion', config, OPTIONS);
    super(0.001, config);
    // Keras: β1 in (0, 1] (at 0 Lion degenerates to signSGD); β2 in [0, 1].
    this.beta1 = checkReal('beta1', config.beta1 ?? 0.9, { above: 0, max: 1 });
    this.beta2 = checkReal('beta2', config.beta2 ?? 0.99, { min: 0, max: 1 });
  }

  protected constants() {
    // Keras's Lion casts β to f32 before 1 − β.
    return { hp: [this.beta1, complementF32(this.beta1), this.beta2, complementF32(this.beta2)], flags: 0 };
  }

  protected hyperparameters() {
    return { beta_1: this.beta1, beta_2: this.beta2 };
  }
}
