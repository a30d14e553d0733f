// RMSprop, Keras 3: v = ρv + (1−ρ)g²; step lr·g/√(v + ε), centered √(v − ḡ² + ε); optional momentum.
import { OPT_RMSPROP } from '../shared/ids.js';
import { Optimizer, checkEpsilon, checkUnitInterval, complement, type OptimizerOptions } from './optimizer.js';
import { checkOptions } from '../options.js';
import { optimizerSpec } from './options.js';

export interface RMSpropConfig extends OptimizerOptions {
  rho?: number;
  momentum?: number;
  epsilon?: number;
  centered?: boolean;
}

const OPTIONS = optimizerSpec<RMSpropConfig>({ rho: true, momentum: true, epsilon: true, centered: true });

export class RMSprop extends Optimizer {
  readonly id = OPT_RMSPROP;
  readonly name = 'rmsprop';
  readonly rho: number;
  readonly momentum: number;
  readonly epsilon: number;
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
