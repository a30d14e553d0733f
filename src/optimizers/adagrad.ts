// Adagrad, Keras 3: acc += g²; p −= lr·g / √(acc + ε), the accumulator starting at 0.1.
import { OPT_ADAGRAD } from '../shared/ids.js';
import { checkReal } from '../numbers.js';
import { Optimizer, checkEpsilon, type OptimizerOptions } from './optimizer.js';
import { checkOptions } from '../options.js';
import { optimizerSpec } from './options.js';

/** Options of `df.optimizers.adagrad(config)`. */
export interface AdagradConfig extends OptimizerOptions {
  /** The accumulators' starting value (default 0.1). */
  initialAccumulatorValue?: number;
  /** Added under the root (default 1e-7). */
  epsilon?: number;
}

const OPTIONS = optimizerSpec<AdagradConfig>({ initialAccumulatorValue: true, epsilon: true });

/** Adagrad: each parameter's step divided by the root of its summed squared gradients. */
export class Adagrad extends Optimizer {
  readonly id = OPT_ADAGRAD;
  readonly name = 'adagrad';
  readonly slots = 1;
  /** The accumulators' starting value. */
  readonly initialAccumulatorValue: number;
  /** Added under the root. */
  readonly epsilon: number;

  constructor(config: AdagradConfig = {}) {
    config = checkOptions('adagrad', config, OPTIONS);
    super(0.001, config);
    this.initialAccumulatorValue = checkReal('initialAccumulatorValue', config.initialAccumulatorValue ?? 0.1, { min: 0 });
    this.epsilon = checkEpsilon(config.epsilon ?? 1e-7);
  }

  override initSlot(_s: number, values: Float32Array): void {
    values.fill(this.initialAccumulatorValue);
  }

  protected constants() {
    return { hp: [this.epsilon], flags: 0 };
  }

  protected hyperparameters() {
    return { initial_accumulator_value: this.initialAccumulatorValue, epsilon: this.epsilon };
  }
}
