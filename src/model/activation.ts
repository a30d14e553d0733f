// Activation: y = act(x) as a layer of its own (Keras's Activation), e.g. a softmax after a linear Dense.
import { activations, type ActivationRow } from '../registry/activations.js';
import { declaredInput, layerName, type InputConfig } from './input.js';

export interface ActivationConfig extends InputConfig {
  activation: string;
  name?: string;
}

export class Activation {
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
}

/** df.layers.activation({ activation }). */
export function activation(config: ActivationConfig): Activation {
  return new Activation(config);
}
