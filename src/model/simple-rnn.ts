// SimpleRNN: h_t = activation(x_t·kernel + h_{t−1}·recurrent_kernel + bias), Keras 3's semantics.
import { CELL_SIMPLE } from '../shared/plan.js';
import { checkOptions } from '../options.js';
import { RNN, recurrentOptions, type RecurrentConfig } from './recurrent.js';

/** Options of `df.layers.simpleRNN(config)`. */
export type SimpleRNNConfig = RecurrentConfig;

const OPTIONS = recurrentOptions<SimpleRNNConfig>({});

/** The plain recurrent layer: one gate, the state through its activation. */
export class SimpleRNN extends RNN {
  readonly className = 'SimpleRNN';
  readonly kindName = 'simple_rnn';
  readonly cell = CELL_SIMPLE;

  constructor(config: SimpleRNNConfig) {
    if (!config || typeof config !== 'object') throw new Error('simpleRNN: expected a config object such as { units: 32 }');
    super('simple_rnn', checkOptions('simpleRNN', config, OPTIONS));
  }

  get gates(): number {
    return 1;
  }
}

/** df.layers.simpleRNN({ units, activation, returnSequences, … }). */
export function simpleRNN(config: SimpleRNNConfig): SimpleRNN {
  return new SimpleRNN(config);
}
