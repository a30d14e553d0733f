// Activation: y = act(x) as a layer of its own (Keras's Activation), e.g. a softmax after a linear Dense.
import { activations, type ActivationName, type ActivationRow } from '../registry/activations.js';
import { LAYER_ACTIVATION } from '../shared/plan.js';
import { ACT_SOFTMAX } from '../shared/ids.js';
import type { InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

/** Options of `df.layers.activation(config)`. */
export interface ActivationConfig extends InputConfig {
  /** The activation, by name. */
  activation: ActivationName;
  /** The layer's name (default 'activation', 'activation_1', …). */
  name?: string;
}

const OPTIONS: OptionSpec<ActivationConfig> = { known: { ...LAYER_OPTIONS, activation: true }, unsupported: LAYER_UNSUPPORTED };

/** Applies an activation to its input, element-wise. */
export class Activation extends Layer {
  readonly className = 'Activation';
  readonly kindName = 'activation';
  /** The activation it applies. */
  readonly activation: ActivationRow;

  constructor(config: ActivationConfig) {
    if (!config || typeof config !== 'object') throw new Error("activation: expected a config object such as { activation: 'relu' }");
    config = checkOptions('activation', config, OPTIONS);
    super('activation', config);
    this.activation = activations.get(config.activation);
  }

  override get finalActivation(): number {
    return this.activation.id;
  }

  /** A mask passes through unchanged (Keras). */
  override maskOut(maskIn: boolean): boolean {
    return maskIn;
  }

  computeOutputShape(inShape: number[]): number[] {
    if (this.activation.id === ACT_SOFTMAX && inShape.length > 1) throw this.shapeError(`softmax over an input of shape [${inShape.join(', ')}] is not supported; flatten first`);
    return inShape;
  }

  plan(inShape: number[]): LayerPlan {
    const act = this.activation;
    // The backward pass reads its input (the previous layer's output), already in the workspace.
    return layerPlan({ kind: LAYER_ACTIVATION, inShape, outShape: this.computeOutputShape(inShape), act: act.id, alpha: act.alpha ?? 0 });
  }
}

/** df.layers.activation({ activation }). */
export function activation(config: ActivationConfig): Activation {
  return new Activation(config);
}
