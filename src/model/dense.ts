// Dense: output = activation(input · kernel + bias), kernel [in, out].
import { needsInput, activations, type ActivationRow } from '../registry/activations.js';
import { resolveInitializer, type Initializer } from '../registry/initializers.js';
import { checkPositiveInteger } from '../numbers.js';
import { LAYER_DENSE } from '../shared/plan.js';
import { declaredInput, layerName, type InputConfig } from './input.js';
import type { LayerKind, LayerPlan } from './layer.js';

export interface DenseConfig extends InputConfig {
  units: number;
  activation?: string;
  useBias?: boolean;
  kernelInitializer?: string | Initializer;
  biasInitializer?: string | Initializer;
  name?: string;
}

export class Dense implements LayerKind {
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
    this.units = checkPositiveInteger('dense: units', config.units);
    this.activation = activations.get(config.activation ?? 'linear');
    this.useBias = config.useBias ?? true;
    this.kernelInitializer = resolveInitializer(config.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(config.biasInitializer ?? 'zeros');
    this.inputDim = declaredInput('dense', config);
    this.name = layerName('dense', config.name);
  }

  outputWidth(): number {
    return this.units;
  }

  plan(fanIn: number): LayerPlan {
    const { units, activation: act } = this;
    const kernel = { name: 'kernel', shape: [fanIn, units], fanIn, fanOut: units, initializer: this.kernelInitializer };
    // Keras scales a bias initializer by the bias's own shape.
    const bias = { name: 'bias', shape: [units], fanIn: units, fanOut: units, initializer: this.biasInitializer };
    return {
      kind: LAYER_DENSE,
      fanIn,
      units,
      act: act.id,
      alpha: act.alpha ?? 0,
      rate: 0,
      weights: this.useBias ? [kernel, bias] : [kernel],
      keepsPreActivation: needsInput(act.id),
      mask: false,
      scratch: 0, // its GEMMs pack into the GEMM region every workspace has
    };
  }
}

/** df.layers.dense({ units, activation, inputShape, … }). */
export function dense(config: DenseConfig): Dense {
  return new Dense(config);
}
