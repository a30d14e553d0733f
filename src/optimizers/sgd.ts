// SGD with optional (Nesterov) momentum, Keras 3: m = momentum·m − lr·g; p += m (Nesterov: p += momentum·m − lr·g).
import { OPT_SGD } from '../shared/ids.js';
import { Optimizer, type OptimizerOptions } from './optimizer.js';

export interface SGDConfig extends OptimizerOptions {
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly id = OPT_SGD;
  readonly name: string = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(config: SGDConfig = {}) {
    super(0.01, config);
    const m = config.momentum ?? 0;
    // Keras accepts momentum in [0, 1].
    if (typeof m !== 'number' || !(m >= 0 && m <= 1)) throw new Error(`momentum must be in [0, 1], got ${m}`);
    this.momentum = m;
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
