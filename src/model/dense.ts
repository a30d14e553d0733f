// Dense: output = activation(input · kernel + bias), kernel [in, out], over the last axis of the input
// (Keras's semantics: an input [steps, in] gives [steps, units], every step through the same kernel).
import { needsInput, activations, type ActivationName, type ActivationRow } from '../registry/activations.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../registry/initializers.js';
import { resolveRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { checkPositiveInteger } from '../numbers.js';
import { LAYER_DENSE } from '../shared/plan.js';
import { sizeOf, type InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

/** Options of `df.layers.dense(config)`. */
export interface DenseConfig extends InputConfig {
  /** The number of outputs (a positive integer). */
  units: number;
  /** The activation, by name (default 'linear'). */
  activation?: ActivationName;
  /** Add a bias (default true). */
  useBias?: boolean;
  /** How the kernel [in, units] starts (default 'glorotUniform'). */
  kernelInitializer?: InitializerName | Initializer;
  /** How the bias starts (default 'zeros'). */
  biasInitializer?: InitializerName | Initializer;
  /** Adds l1·Σ|w| + l2·Σw² of the kernel to the training loss: df.regularizers.l2({ l2: 1e-4 }) or 'l2'. */
  kernelRegularizer?: RegularizerIdentifier;
  /** The same for the bias. */
  biasRegularizer?: RegularizerIdentifier;
  /** The layer's name (default 'dense', 'dense_1', …). */
  name?: string;
}

const OPTIONS: OptionSpec<DenseConfig> = {
  known: { ...LAYER_OPTIONS, units: true, activation: true, useBias: true, kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true },
  unsupported: LAYER_UNSUPPORTED,
};

/** A fully connected layer: activation(x · kernel + bias) over the last axis. */
export class Dense extends Layer {
  readonly className = 'Dense';
  readonly kindName = 'dense';
  /** The number of outputs. */
  readonly units: number;
  /** The activation applied to the outputs. */
  readonly activation: ActivationRow;
  /** Whether the layer adds a bias. */
  readonly useBias: boolean;
  /** How the kernel starts. */
  readonly kernelInitializer: Initializer;
  /** How the bias starts. */
  readonly biasInitializer: Initializer;
  /** The penalty on the kernel added to the loss, if any. */
  readonly kernelRegularizer?: Regularizer;
  /** The penalty on the bias added to the loss, if any. */
  readonly biasRegularizer?: Regularizer;

  constructor(config: DenseConfig) {
    if (!config || typeof config !== 'object') throw new Error('dense: expected a config object such as { units: 8 }');
    config = checkOptions('dense', config, OPTIONS);
    super('dense', config);
    this.units = checkPositiveInteger('dense: units', config.units);
    this.activation = activations.get(config.activation ?? 'linear');
    this.useBias = config.useBias ?? true;
    this.kernelInitializer = resolveInitializer(config.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(config.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer('dense: kernelRegularizer', config.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer('dense: biasRegularizer', config.biasRegularizer);
  }

  override get finalActivation(): number {
    return this.activation.id;
  }

  /** A mask passes through unchanged (Keras). */
  override maskOut(maskIn: boolean): boolean {
    return maskIn;
  }

  computeOutputShape(inShape: number[]): number[] {
    return [...inShape.slice(0, -1), this.units];
  }

  plan(inShape: number[]): LayerPlan {
    const { units, activation: act } = this;
    const fanIn = inShape[inShape.length - 1];
    const kernel = { name: 'kernel', shape: [fanIn, units], fanIn, fanOut: units, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer };
    // Keras scales a bias initializer by the bias's own shape.
    const bias = { name: 'bias', shape: [units], fanIn: units, fanOut: units, initializer: this.biasInitializer, regularizer: this.biasRegularizer };
    return layerPlan({
      kind: LAYER_DENSE,
      inShape,
      outShape: this.computeOutputShape(inShape),
      act: act.id,
      alpha: act.alpha ?? 0,
      weights: this.useBias ? [kernel, bias] : [kernel],
      keepsPreActivation: needsInput(act.id),
      scratch: 0, // its GEMMs pack into the GEMM region every workspace has
      // Every position before the last axis is a row of its own.
      args: [sizeOf(inShape) / fanIn],
    });
  }
}

/** df.layers.dense({ units, activation, inputShape, … }). */
export function dense(config: DenseConfig): Dense {
  return new Dense(config);
}
