// GRU (Cho et al.), Keras 3's semantics: gates z, r, h in that column order. resetAfter (Keras 3's
// default) applies the reset gate after the recurrent product and has two biases; false is tfjs's GRU.
import { CELL_GRU, CELL_GRU_BEFORE } from '../shared/plan.js';
import { checkOptions } from '../options.js';
import { GatedRNN, flag, recurrentOptions, type GatedConfig } from './recurrent.js';

/** Options of `df.layers.gru(config)`. */
export interface GRUConfig extends GatedConfig {
  /** Apply the reset gate after the recurrent product, with a separate recurrent bias (default true, Keras 3; tfjs supports only false). */
  resetAfter?: boolean;
}

const OPTIONS = recurrentOptions<GRUConfig>({ recurrentActivation: true, resetAfter: true });

/** Gated recurrent unit: an update gate mixes the old state with a candidate the reset gate shapes. */
export class GRU extends GatedRNN {
  readonly className = 'GRU';
  readonly kindName = 'gru';
  /** Whether the reset gate applies after the recurrent product. */
  readonly resetAfter: boolean;

  constructor(config: GRUConfig) {
    if (!config || typeof config !== 'object') throw new Error('gru: expected a config object such as { units: 32 }');
    config = checkOptions('gru', config, OPTIONS);
    super('gru', config);
    this.resetAfter = flag('gru: resetAfter', config.resetAfter, true);
  }

  get cell(): number {
    return this.resetAfter ? CELL_GRU : CELL_GRU_BEFORE;
  }

  get gates(): number {
    return 3;
  }

  /** With resetAfter: [input bias, recurrent bias], as Keras stores it. */
  override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }
}

/** df.layers.gru({ units, returnSequences, resetAfter, … }). */
export function gru(config: GRUConfig): GRU {
  return new GRU(config);
}
