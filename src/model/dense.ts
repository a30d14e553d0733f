// Dense: output = activation(input · kernel + bias), kernel [in, out], the only trainable layer here.
import { activations, type ActivationRow } from '../registry/activations.js';
import { resolveInitializer, type Initializer } from '../registry/initializers.js';

export interface DenseConfig {
  units: number;
  activation?: string;
  /** [inputDim]: the width of the model's input (first layer only). */
  inputShape?: readonly number[];
  /** Same as inputShape: [inputDim]. */
  inputDim?: number;
  /** [null, inputDim], as tfjs/Keras write it. */
  batchInputShape?: readonly (number | null)[];
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
    this.inputDim = declaredInput(config);
    if (config.name !== undefined) {
      if (typeof config.name !== 'string' || config.name === '') throw new Error(`dense: name must be a non-empty string, got ${JSON.stringify(config.name)}`);
      this.name = config.name;
    }
  }
}

function declaredInput(config: DenseConfig): number | undefined {
  let dim: unknown;
  if (config.inputShape !== undefined) {
    if (!Array.isArray(config.inputShape) || config.inputShape.length !== 1) {
      throw new Error(`dense: inputShape must be [features] (a Dense model takes rows of numbers), got ${JSON.stringify(config.inputShape)}`);
    }
    dim = config.inputShape[0];
  } else if (config.batchInputShape !== undefined) {
    if (!Array.isArray(config.batchInputShape) || config.batchInputShape.length !== 2) {
      throw new Error(`dense: batchInputShape must be [batch, features], got ${JSON.stringify(config.batchInputShape)}`);
    }
    dim = config.batchInputShape[1];
  } else if (config.inputDim !== undefined) dim = config.inputDim;
  else return undefined;
  if (!Number.isInteger(dim) || (dim as number) <= 0) throw new Error(`dense: the input width must be a positive integer, got ${JSON.stringify(dim)}`);
  return dim as number;
}

/** df.layers.dense({ units, activation, inputShape, … }). */
export function dense(config: DenseConfig): Dense {
  return new Dense(config);
}
