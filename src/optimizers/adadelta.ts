// Adadelta, Keras 3 and the paper: Δ = −√(E[Δ²] + ε)/√(E[g²] + ε)·g with E[g²] already updated; p += lr·Δ.
import { OPT_ADADELTA } from '../shared/ids.js';
import { Optimizer, checkEpsilon, checkUnitInterval, complement, type OptimizerOptions } from './optimizer.js';
import { checkOptions } from '../options.js';
import { optimizerSpec } from './options.js';

/** Options of `df.optimizers.adadelta(config)`. */
export interface AdadeltaConfig extends OptimizerOptions {
  /** The moving averages' decay (default 0.95). */
  rho?: number;
  /** Added under the roots (default 1e-7). */
  epsilon?: number;
}

const OPTIONS = optimizerSpec<AdadeltaConfig>({ rho: true, epsilon: true });

/** Adadelta: steps scaled by the ratio of moving RMS of updates and gradients. */
export class Adadelta extends Optimizer {
  readonly id = OPT_ADADELTA;
  readonly name = 'adadelta';
  readonly slots = 2;
  /** The moving averages' decay. */
  readonly rho: number;
  /** Added under the roots. */
  readonly epsilon: number;

  constructor(config: AdadeltaConfig = {}) {
    config = checkOptions('adadelta', config, OPTIONS);
    super(0.001, config);
    this.rho = checkUnitInterval('rho', config.rho ?? 0.95);
    this.epsilon = checkEpsilon(config.epsilon ?? 1e-7);
  }

  protected constants() {
    return { hp: [this.rho, complement(this.rho), this.epsilon], flags: 0 };
  }

  protected hyperparameters() {
    return { rho: this.rho, epsilon: this.epsilon };
  }
}
