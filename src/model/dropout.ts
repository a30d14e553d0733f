// Dropout: during training each input is zeroed with probability `rate` and the rest scaled by
// 1/(1 − rate) (inverted dropout), so inference is the identity. Masks come from a seeded stream.
import { checkReal } from '../numbers.js';
import { LAYER_DROPOUT } from '../shared/plan.js';
import { declaredInput, layerName, type InputConfig } from './input.js';
import type { LayerKind, LayerPlan } from './layer.js';

export interface DropoutConfig extends InputConfig {
  rate: number;
  /** Seeds this layer's masks; otherwise they come from the model's seeded stream. */
  seed?: number;
  name?: string;
}

export class Dropout implements LayerKind {
  readonly className = 'Dropout';
  readonly rate: number;
  readonly seed?: number;
  readonly inputDim?: number;
  name?: string;

  constructor(config: DropoutConfig) {
    if (!config || typeof config !== 'object') throw new Error('dropout: expected a config object such as { rate: 0.5 }');
    const { rate, seed } = config;
    // Checked as f32 too: a rate that rounds to 1 would scale the kept inputs by 1/0.
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be a number in [0, 1), got ${JSON.stringify(rate)}`);
    checkReal('dropout: rate', rate, { min: 0, below: 1 });
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) throw new Error(`dropout: seed must be an integer in [0, 2^32), got ${seed}`);
    this.rate = rate;
    this.seed = seed;
    this.inputDim = declaredInput('dropout', config);
    this.name = layerName('dropout', config.name);
  }

  outputWidth(fanIn: number | undefined): number | undefined {
    return fanIn;
  }

  plan(fanIn: number): LayerPlan {
    return {
      kind: LAYER_DROPOUT,
      fanIn,
      units: fanIn,
      act: 0,
      alpha: 0,
      rate: this.rate,
      weights: [],
      keepsPreActivation: false,
      mask: true,
      scratch: 0,
      stream: { seed: this.seed },
    };
  }
}

/** df.layers.dropout({ rate, seed }). */
export function dropout(config: DropoutConfig): Dropout {
  return new Dropout(config);
}
