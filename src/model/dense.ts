// Dense: output = activation(input · kernel + bias), kernel [in, out], the only trainable layer here.
import { activations, type ActivationRow } from '../registry/activations.js';
import { resolveInitializer, type Initializer } from '../registry/initializers.js';
import { declaredInput, layerName, type InputConfig } from './input.js';

export interface DenseConfig extends InputConfig {
  units: number;
  activation?: string;
  useBias?: boolean;
  kernelInitializer?: string | Initializer;
  biasInitializer?: string | Initializer;
  name?: string;
}

export class Dense {
  readonly className = 'Dense';
  readonly units: number;
  readonly activation: ActivationRow;
  readonly useBias: boolean;
  readonly kernelInitializer: Initializer;
  readonly biasInitializer: Initializer;
  /** The input width this layer declares, if any. */
  readonly inputDim?: number;
  name?: string;

  constructor(config: DenseConfig) {
    if (!config || typeof config !== 'object') throw new Error('dense: expected a config object such as { units: 8 }');
    const { units } = config;
    if (!Number.isInteger(units) || units <= 0) throw new Error(`dense: units must be a positive integer, got ${units}`);
    this.units = units;
    this.activation = activations.get(config.activation ?? 'linear');
    this.useBias = config.useBias ?? true;
    this.kernelInitializer = resolveInitializer(config.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(config.biasInitializer ?? 'zeros');
    this.inputDim = declaredInput('dense', config);
    this.name = layerName('dense', config.name);
  }
}

/** df.layers.dense({ units, activation, inputShape, … }). */
export function dense(config: DenseConfig): Dense {
  return new Dense(config);
}
