// LeakyReLU as a layer (Keras's LeakyReLU, tfjs's leakyReLU): y = x for x > 0, alpha·x otherwise; alpha defaults to 0.3.
import { activations } from '../registry/activations.js';
import { checkReal } from '../numbers.js';
import { LAYER_ACTIVATION } from '../shared/plan.js';
import type { InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

/** Options of `df.layers.leakyReLU(config)`. */
export interface LeakyReLUConfig extends InputConfig {
  /** The slope below zero, default 0.3 (Keras 3 calls it negative_slope). */
  alpha?: number;
  /** The layer's name (default 'leaky_re_lu', …). */
  name?: string;
}

const OPTIONS: OptionSpec<LeakyReLUConfig> = {
  known: { ...LAYER_OPTIONS, alpha: true },
  unsupported: { ...LAYER_UNSUPPORTED, negativeSlope: { instead: "tfjs calls Keras 3's negative_slope alpha: write alpha" } },
};

/** max(x, alpha · x), element-wise. */
export class LeakyReLU extends Layer {
  readonly className = 'LeakyReLU';
  readonly kindName = 'leaky_re_lu';
  /** The slope for negative inputs. */
  readonly alpha: number;

  constructor(config: LeakyReLUConfig = {}) {
    if (config === null || typeof config !== 'object') throw new Error('leakyReLU: expected a config object such as { alpha: 0.2 }');
    config = checkOptions('leakyReLU', config, OPTIONS);
    super('leakyReLU', config);
    this.alpha = checkReal('leakyReLU: alpha', config.alpha ?? 0.3, { min: 0 });
  }

  override get finalActivation(): number {
    return activations.get('leakyRelu').id;
  }

  /** A mask passes through unchanged (Keras). */
  override maskOut(maskIn: boolean): boolean {
    return maskIn;
  }

  computeOutputShape(inShape: number[]): number[] {
    return inShape;
  }

  plan(inShape: number[]): LayerPlan {
    return layerPlan({ kind: LAYER_ACTIVATION, inShape, outShape: inShape, act: this.finalActivation, alpha: this.alpha });
  }
}

/** df.layers.leakyReLU({ alpha: 0.2 }). */
export const leakyReLU = (config?: LeakyReLUConfig) => new LeakyReLU(config);
