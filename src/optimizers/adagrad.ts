// Adagrad, Keras 3: acc += g²; p −= lr·g / √(acc + ε), the accumulator starting at 0.1.
import { OPT_ADAGRAD } from '../shared/ids.js';
import { checkReal } from '../numbers.js';
import { Optimizer, checkEpsilon, type OptimizerOptions } from './optimizer.js';
import { checkOptions } from '../options.js';
import { optimizerSpec } from './options.js';

export interface AdagradConfig extends OptimizerOptions {
  initialAccumulatorValue?: number;
  epsilon?: number;
}

const OPTIONS = optimizerSpec<AdagradConfig>({ initialAccumulatorValue: true, epsilon: true });

export class Adagrad extends Optimizer {
  readonly id = OPT_ADAGRAD;
  readonly name = 'adagrad';
  readonly slots = 1;
  readonly initialAccumulatorValue: number;
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
