// RMSprop, Keras 3: v = ρv + (1−ρ)g²; step lr·g/√(v + ε), centered √(v − ḡ² + ε); optional momentum.
import { OPT_RMSPROP } from '../shared/ids.js';
import { Optimizer, checkEpsilon, checkUnitInterval, complement, type OptimizerOptions } from './optimizer.js';
import { checkOptions } from '../options.js';
import { optimizerSpec } from './options.js';

/** Options of `df.optimizers.rmsprop(config)`. */
export interface RMSpropConfig extends OptimizerOptions {
  /** The moving average's decay (default 0.9). */
  rho?: number;
  /** The momentum (default 0). */
  momentum?: number;
  /** Added under the root (default 1e-7). */
  epsilon?: number;
  /** Subtract the gradients' moving mean (default false). */
  centered?: boolean;
}

const OPTIONS = optimizerSpec<RMSpropConfig>({ rho: true, momentum: true, epsilon: true, centered: true });

/** RMSprop: steps divided by a moving root mean square of the gradients; optional momentum and centering. */
export class RMSprop extends Optimizer {
  readonly id = OPT_RMSPROP;
  readonly name = 'rmsprop';
  /** The moving average's decay. */
  readonly rho: number;
  /** The momentum (0 for none). */
  readonly momentum: number;
  /** Added under the root. */
  readonly epsilon: number;
  /** Whether the gradients' moving mean is subtracted (centered RMSprop). */
  readonly centered: boolean;

  constructor(config: RMSpropConfig = {}) {
    config = checkOptions('rmsprop', config, OPTIONS);
    super(0.001, config);
    this.rho = checkUnitInterval('rho', config.rho ?? 0.9);
    this.momentum = checkUnitInterval('momentum', config.momentum ?? 0);
    this.epsilon = checkEpsilon(config.epsilon ?? 1e-7);
    this.centered = config.centered ?? false;
  }

  /** v, then the momentum buffer if momentum > 0, then the mean gradient if centered. */
  get slots(): number {
    return 1 + (this.momentum > 0 ? 1 : 0) + (this.centered ? 1 : 0);
  }

  protected constants() {
    return { hp: [this.rho, complement(this.rho), this.momentum, this.epsilon], flags: this.centered ? 4 : 0 };
  }

  protected hyperparameters() {
    return { rho: this.rho, momentum: this.momentum, epsilon: this.epsilon, centered: this.centered };
  }
}
