// SGD with optional (Nesterov) momentum, Keras 3: m = momentum·m − lr·g; p += m (or p += momentum·m − lr·g).
import { OPT_SGD } from '../shared/ids.js';
import { Optimizer } from './optimizer.js';

export interface SGDConfig {
  learningRate?: number;
  momentum?: number;
  nesterov?: boolean;
}

export class SGD extends Optimizer {
  readonly id = OPT_SGD;
  readonly name = 'sgd';
  readonly momentum: number;
  readonly nesterov: boolean;

  constructor(config: SGDConfig = {}) {
    super(config.learningRate ?? 0.01);
    this.momentum = checkMomentum(config.momentum ?? 0);
    this.nesterov = config.nesterov ?? false;
  }

  get slots(): number {
    return this.momentum > 0 ? 1 : 0;
  }

  constants() {
    return { hp: [this.momentum], flags: this.nesterov ? 1 : 0 };
  }

  getConfig() {
    return { name: this.name, learning_rate: this.learningRate, momentum: this.momentum, nesterov: this.nesterov };
  }
}

// Keras accepts momentum in [0, 1].
function checkMomentum(m: number): number {
  if (typeof m !== 'number' || !(m >= 0 && m <= 1)) throw new Error(`momentum must be in [0, 1], got ${m}`);
  return m;
}
