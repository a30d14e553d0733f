// LSTM (Hochreiter & Schmidhuber), Keras 3's semantics: gates i, f, c, o in that column order, so saved
// weights load in Keras and tfjs without reordering; unitForgetBias starts the forget gate's bias at 1.
import { CELL_LSTM } from '../shared/plan.js';
import { checkOptions } from '../options.js';
import type { Initializer } from '../registry/initializers.js';
import { GatedRNN, flag, recurrentOptions, type GatedConfig } from './recurrent.js';

/** Options of `df.layers.lstm(config)`. */
export interface LSTMConfig extends GatedConfig {
  /** Start the forget gate's bias at 1 (Keras's default true; tfjs's false). */
  unitForgetBias?: boolean;
}

const OPTIONS = recurrentOptions<LSTMConfig>({ recurrentActivation: true, unitForgetBias: true });

/** Long short-term memory: a cell state the gates write, keep and read, which carries gradients across many steps. */
export class LSTM extends GatedRNN {
  readonly className = 'LSTM';
  readonly kindName = 'lstm';
  readonly cell = CELL_LSTM;
  /** Whether the forget gate's bias starts at 1. */
  readonly unitForgetBias: boolean;

  constructor(config: LSTMConfig) {
    if (!config || typeof config !== 'object') throw new Error('lstm: expected a config object such as { units: 32 }');
    config = checkOptions('lstm', config, OPTIONS);
    super('lstm', config);
    this.unitForgetBias = flag('lstm: unitForgetBias', config.unitForgetBias, true);
  }

  get gates(): number {
    return 4;
  }

  /** Keras: the bias initializer on i, c and o, ones on f. */
  protected override biasFill(): Initializer {
    const inner = this.biasInitializer;
    if (!this.unitForgetBias) return inner;
    const units = this.units;
    return {
      name: inner.name,
      minRank: inner.minRank,
      fill: (rt, rng, ptr, n, _fanIn, _fanOut, ...rest) => {
        inner.fill(rt, rng, ptr, units, units, units, ...rest);
        rt.heap.f32(ptr + units * 4, units).fill(1);
        inner.fill(rt, rng, ptr + 2 * units * 4, n - 2 * units, 2 * units, 2 * units, ...rest);
      },
    };
  }
}

/** df.layers.lstm({ units, returnSequences, … }). */
export function lstm(config: LSTMConfig): LSTM {
  return new LSTM(config);
}
