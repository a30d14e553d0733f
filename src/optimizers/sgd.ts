// SGD with optional (Nesterov) momentum, Keras 3: m = momentum·m − lr·g; p += m (Nesterov: p += momentum·m − lr·g).
import { OPT_SGD } from '../shared/ids.js';
import { checkReal } from '../numbers.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';
import { checkOptions } from '../options.js';
import { optimizerSpec } from './options.js';

/** Options of `df.optimizers.sgd(config)`. */
export interface SGDConfig extends OptimizerOptions {
  /** The momentum, in [0, 1) (default 0). */
  momentum?: number;
  /** Use Nesterov's look-ahead (default false). */
  nesterov?: boolean;
}

const OPTIONS = optimizerSpec<SGDConfig>({ momentum: true, nesterov: true });

/** Stochastic gradient descent, with optional momentum and Nesterov's look-ahead. */
export class SGD extends Optimizer {
  readonly id = OPT_SGD;
  readonly name: string = 'sgd';
  /** The momentum (0 for plain SGD). */
  readonly momentum: number;
  /** Whether Nesterov's look-ahead is used. */
  readonly nesterov: boolean;

  constructor(config: SGDConfig = {}) {
    config = checkOptions('sgd', config, OPTIONS);
    super(0.01, config);
    // Keras accepts momentum in [0, 1].
    this.momentum = checkReal('momentum', config.momentum ?? 0, { min: 0, max: 1 });
    this.nesterov = config.nesterov ?? false;
  }

  get slots(): number {
    return this.momentum > 0 ? 1 : 0;
  }

  protected constants() {
    return { hp: [this.momentum], flags: this.nesterov ? 1 : 0 };
  }

  protected hyperparameters() {
    return { momentum: this.momentum, nesterov: this.nesterov };
  }
}
