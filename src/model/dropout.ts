// Dropout: during training each input is zeroed with probability `rate` and the rest scaled by
// 1/(1 − rate) (inverted dropout), so inference is the identity. Masks come from a seeded stream.
import { checkReal } from '../numbers.js';
import { LAYER_DROPOUT } from '../shared/plan.js';
import type { InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

/** Options of `df.layers.dropout(config)`. */
export interface DropoutConfig extends InputConfig {
  /** The fraction of inputs to drop, in [0, 1). */
  rate: number;
  /** Seeds this layer's masks; otherwise they come from the model's seeded stream. */
  seed?: number;
  /** The layer's name (default 'dropout', 'dropout_1', …). */
  name?: string;
}

const OPTIONS: OptionSpec<DropoutConfig> = {
  known: { ...LAYER_OPTIONS, rate: true, seed: true },
  unsupported: { ...LAYER_UNSUPPORTED, noiseShape: { instead: 'every input is dropped on its own; leave noiseShape out', harmless: (v) => v == null } },
};

/** Sets a random fraction of its inputs to 0 while training and scales the rest by 1 / (1 − rate); passes them through at inference. */
export class Dropout extends Layer {
  readonly className = 'Dropout';
  readonly kindName = 'dropout';
  /** The fraction of inputs dropped. */
  readonly rate: number;
  /** The seed of its masks, if given. */
  readonly seed?: number;

  constructor(config: DropoutConfig) {
    if (!config || typeof config !== 'object') throw new Error('dropout: expected a config object such as { rate: 0.5 }');
    config = checkOptions('dropout', config, OPTIONS);
    super('dropout', config);
    const { rate, seed } = config;
    // Checked as f32 too: a rate that rounds to 1 would scale the kept inputs by 1/0.
    if (typeof rate !== 'number' || !(rate >= 0 && rate < 1)) throw new Error(`dropout: rate must be a number in [0, 1), got ${JSON.stringify(rate)}`);
    checkReal('dropout: rate', rate, { min: 0, below: 1 });
    if (seed !== undefined && (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff)) throw new Error(`dropout: seed must be an integer in [0, 2^32), got ${seed}`);
    this.rate = rate;
    this.seed = seed;
  }

  /** A mask passes through unchanged (Keras). */
  override maskOut(maskIn: boolean): boolean {
    return maskIn;
  }

  computeOutputShape(inShape: number[]): number[] {
    return inShape;
  }

  plan(inShape: number[]): LayerPlan {
    return layerPlan({ kind: LAYER_DROPOUT, inShape, outShape: inShape, rate: this.rate, mask: true, stream: { seed: this.seed } });
  }
}

/** df.layers.dropout({ rate, seed }). */
export function dropout(config: DropoutConfig): Dropout {
  return new Dropout(config);
}
