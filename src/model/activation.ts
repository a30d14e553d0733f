// Activation: y = act(x) as a layer of its own (Keras's Activation), e.g. a softmax after a linear Dense.
import { activations, type ActivationRow } from '../registry/activations.js';
import { LAYER_ACTIVATION } from '../shared/plan.js';
import { declaredInput, layerName, type InputConfig } from './input.js';
import type { LayerKind, LayerPlan } from './layer.js';

export interface ActivationConfig extends InputConfig {
  activation: string;
  name?: string;
}

export class Activation implements LayerKind {
  readonly className = 'Activation';
  readonly activation: ActivationRow;
  readonly inputDim?: number;
  name?: string;

  constructor(config: ActivationConfig) {
    if (!config || typeof config !== 'object') throw new Error("activation: expected a config object such as { activation: 'relu' }");
    this.activation = activations.get(config.activation);
    this.inputDim = declaredInput('activation', config);
    this.name = layerName('activation', config.name);
  }

  outputWidth(fanIn: number | undefined): number | undefined {
    return fanIn;
  }

  plan(fanIn: number): LayerPlan {
    const act = this.activation;
    // The backward pass reads its input (the previous layer's output), already in the workspace.
    return { kind: LAYER_ACTIVATION, fanIn, units: fanIn, act: act.id, alpha: act.alpha ?? 0, rate: 0, weights: [], keepsPreActivation: false, mask: false, scratch: 0 };
  }
}

/** df.layers.activation({ activation }). */
export function activation(config: ActivationConfig): Activation {
  return new Activation(config);
}
