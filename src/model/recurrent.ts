// What SimpleRNN, LSTM and GRU share (tfjs's RNN): units, activations, the three weights in Keras's gate
// order, the options, and the plan of one LAYER_RECURRENT record that runs every time step in one call.
// Bidirectional plans two of them into one record through recurrentPlan.
import { activations, needsInput, type ActivationName, type ActivationRow } from '../registry/activations.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../registry/initializers.js';
import { resolveRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { checkPositiveInteger } from '../numbers.js';
import * as P from '../shared/plan.js';
import { ACT_SOFTMAX } from '../shared/ids.js';
import { showShape, type InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan, type WeightSpec } from './base.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';
import type { OptionSpec, Unsupported } from '../options.js';

/** Options every recurrent layer takes: `df.layers.simpleRNN`, `lstm`, `gru`. */
export interface RecurrentConfig extends InputConfig {
  /** The size of the state and of each step's output (a positive integer). */
  units: number;
  /** The activation of the state (default 'tanh'). */
  activation?: ActivationName;
  /** Add biases (default true). */
  useBias?: boolean;
  /** Output every step's state, [timesteps, units], instead of the last one, [units] (default false). */
  returnSequences?: boolean;
  /** Run from the last step to the first (default false); with returnSequences the outputs are in that order, as Keras. */
  goBackwards?: boolean;
  /** How the kernel [features, gates·units] starts (default 'glorotUniform'). */
  kernelInitializer?: InitializerName | Initializer;
  /** How the recurrent kernel [units, gates·units] starts (default 'orthogonal'). */
  recurrentInitializer?: InitializerName | Initializer;
  /** How the bias starts (default 'zeros'). */
  biasInitializer?: InitializerName | Initializer;
  /** Adds l1·Σ|w| + l2·Σw² of the kernel to the training loss. */
  kernelRegularizer?: RegularizerIdentifier;
  /** The same for the recurrent kernel. */
  recurrentRegularizer?: RegularizerIdentifier;
  /** The same for the bias. */
  biasRegularizer?: RegularizerIdentifier;
  /** The layer's name (default 'simple_rnn', 'lstm', 'gru', then '_1', …). */
  name?: string;
}

/** The recurrent activation of the gated layers (LSTM, GRU). */
export interface GatedConfig extends RecurrentConfig {
  /** The gates' activation (default 'sigmoid', Keras 3; tfjs defaults to its own 'hardSigmoid'). */
  recurrentActivation?: ActivationName;
}

const unset = (v: unknown) => v === undefined || v === null;
const zero = (v: unknown) => unset(v) || v === 0;

/** tfjs/Keras recurrent options deltaflow does not have, with what to do instead. */
const RECURRENT_UNSUPPORTED: Readonly<Record<string, Unsupported>> = {
  ...LAYER_UNSUPPORTED,
  dropout: { instead: 'add a df.layers.dropout before the recurrent layer (dropout inside the step is not supported yet)', harmless: zero },
  recurrentDropout: { instead: 'recurrent dropout is not supported yet; leave it 0', harmless: zero },
  returnState: { instead: 'a sequential model has one output: use returnSequences, or the last output (the final state h)', harmless: (v) => unset(v) || v === false },
  stateful: { instead: 'every batch starts from a zero state; leave stateful false', harmless: (v) => unset(v) || v === false },
  recurrentConstraint: { instead: 'constrain the recurrent kernel yourself after each epoch (a callback with getWeights/setWeights)', harmless: unset },
  cell: { instead: 'use df.layers.simpleRNN, lstm or gru', harmless: unset },
  timeMajor: { instead: 'inputs are [batch, timesteps, features] (batch-major)', harmless: (v) => unset(v) || v === false },
  // Only how a graph backend schedules the loop; deltaflow always runs it in one WASM call.
  unroll: { instead: 'leave unroll out', harmless: (v) => unset(v) || typeof v === 'boolean' },
  implementation: { instead: 'leave implementation out', harmless: (v) => unset(v) || v === 1 || v === 2 },
  useCudnn: { instead: 'leave useCudnn out', harmless: () => true },
  seed: { instead: "give df.sequential({ seed })", harmless: unset },
};

/** The option spec of a recurrent layer with its own extra options. */
export function recurrentOptions<T extends RecurrentConfig>(extra: Omit<OptionSpec<T>['known'], keyof RecurrentConfig>): OptionSpec<T> {
  return {
    known: {
      ...LAYER_OPTIONS, units: true, activation: true, useBias: true, returnSequences: true, goBackwards: true,
      kernelInitializer: true, recurrentInitializer: true, biasInitializer: true,
      kernelRegularizer: true, recurrentRegularizer: true, biasRegularizer: true, ...extra,
    } as OptionSpec<T>['known'],
    unsupported: RECURRENT_UNSUPPORTED,
  };
}

/** A recurrent layer over rows of [timesteps, features]; the kinds differ in their cell. */
export abstract class RNN extends Layer {
  /** CELL_* id of the step (src/shared/plan.ts). */
  abstract readonly cell: number;
  /** The size of the state. */
  readonly units: number;
  /** The state's activation. */
  readonly activation: ActivationRow;
  /** Whether the layer adds biases. */
  readonly useBias: boolean;
  /** Whether every step's output is returned. */
  readonly returnSequences: boolean;
  /** Whether the steps run from last to first. */
  readonly goBackwards: boolean;
  /** How the kernel starts. */
  readonly kernelInitializer: Initializer;
  /** How the recurrent kernel starts. */
  readonly recurrentInitializer: Initializer;
  /** How the bias starts. */
  readonly biasInitializer: Initializer;
  /** The penalty on the kernel added to the loss, if any. */
  readonly kernelRegularizer?: Regularizer;
  /** The penalty on the recurrent kernel, if any. */
  readonly recurrentRegularizer?: Regularizer;
  /** The penalty on the bias, if any. */
  readonly biasRegularizer?: Regularizer;

  protected constructor(kind: string, config: RecurrentConfig) {
    super(kind, config);
    this.units = checkPositiveInteger(`${kind}: units`, config.units);
    this.activation = stepActivation(`${kind}: activation`, config.activation ?? 'tanh');
    this.useBias = flag(`${kind}: useBias`, config.useBias, true);
    this.returnSequences = flag(`${kind}: returnSequences`, config.returnSequences, false);
    this.goBackwards = flag(`${kind}: goBackwards`, config.goBackwards, false);
    this.kernelInitializer = resolveInitializer(config.kernelInitializer ?? 'glorotUniform');
    this.recurrentInitializer = resolveInitializer(config.recurrentInitializer ?? 'orthogonal');
    this.biasInitializer = resolveInitializer(config.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer(`${kind}: kernelRegularizer`, config.kernelRegularizer);
    this.recurrentRegularizer = resolveRegularizer(`${kind}: recurrentRegularizer`, config.recurrentRegularizer);
    this.biasRegularizer = resolveRegularizer(`${kind}: biasRegularizer`, config.biasRegularizer);
  }

  /** Gates per unit (LSTM 4, GRU 3, SimpleRNN 1). */
  abstract get gates(): number;

  /** The gates' activation; SimpleRNN has none. */
  get recurrentActivationRow(): ActivationRow | undefined {
    return undefined;
  }

  /** The bias's shape ([gates·units]; GRU with resetAfter: [2, gates·units]). */
  biasShape(): number[] {
    return [this.gates * this.units];
  }

  /** How the bias is filled (LSTM's unitForgetBias puts ones on the forget gate). */
  protected biasFill(): Initializer {
    return this.biasInitializer;
  }

  computeOutputShape(inShape: number[]): number[] {
    const [steps] = this.steps(inShape);
    return this.returnSequences ? [steps, this.units] : [this.units];
  }

  /** A mask goes on with the sequence; the last step's output has none (Keras). */
  override maskOut(maskIn: boolean): boolean {
    return maskIn && this.returnSequences;
  }

  plan(inShape: number[], masked = false): LayerPlan {
    return recurrentPlan([this], inShape, masked, false, this.computeOutputShape(inShape));
  }

  /** @internal This layer's weights for `features` inputs per step, names prefixed for a wrapper ('forward_lstm/'). */
  weightSpecs(features: number, prefix = ''): WeightSpec[] {
    const g = this.gates * this.units;
    const kernel: WeightSpec = { name: `${prefix}kernel`, shape: [features, g], fanIn: features, fanOut: g, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer };
    const recurrent: WeightSpec = { name: `${prefix}recurrent_kernel`, shape: [this.units, g], fanIn: this.units, fanOut: g, initializer: this.recurrentInitializer, regularizer: this.recurrentRegularizer };
    if (!this.useBias) return [kernel, recurrent];
    const shape = this.biasShape();
    // Keras's fans of the bias's own shape: [n] → n, n; [2, n] → 2, n.
    const [fanIn, fanOut] = shape.length === 1 ? [shape[0], shape[0]] : shape;
    return [kernel, recurrent, { name: `${prefix}bias`, shape, fanIn, fanOut, initializer: this.biasFill(), regularizer: this.biasRegularizer }];
  }

  /** [timesteps, features] of an input row, or an error naming the layer. */
  steps(inShape: number[]): [number, number] {
    if (inShape.length !== 2) {
      throw this.shapeError(`expects rows of [timesteps, features] (an Embedding's output, or data shaped [batch, timesteps, features]), got rows of ${showShape(inShape)}`);
    }
    return inShape as [number, number];
  }
}

/** LSTM and GRU: their gates have an activation of their own (recurrentActivation). */
export abstract class GatedRNN extends RNN {
  /** The gates' activation. */
  readonly recurrentActivation: ActivationRow;

  protected constructor(kind: string, config: GatedConfig) {
    super(kind, config);
    this.recurrentActivation = stepActivation(`${kind}: recurrentActivation`, config.recurrentActivation ?? 'sigmoid');
  }

  override get recurrentActivationRow(): ActivationRow {
    return this.recurrentActivation;
  }
}

/**
 * The one record of `layers` (one recurrent layer, or a Bidirectional's forward and backward copies run
 * over the same input, outputs concatenated). `zeroMasked`: a skipped step outputs zeros (Bidirectional).
 */
export function recurrentPlan(layers: RNN[], inShape: number[], masked: boolean, zeroMasked: boolean, outShape: number[]): LayerPlan {
  const [first] = layers;
  const [steps, features] = first.steps(inShape);
  const dirs = layers.length;
  const units = first.units;
  const g = first.gates * units;
  const rec = first.recurrentActivationRow;
  const biasFloats = first.useBias ? first.biasShape().reduce((a, b) => a * b, 1) : 0;
  const row = dirs * (steps * g + 3 * steps * units + g + 4 * units) + (dirs === 2 ? steps * features : 0);
  const args = new Array<number>(P.ARG_WORDS).fill(0);
  args[P.R_CELL] = first.cell;
  args[P.R_STEPS] = steps;
  args[P.R_FEATURES] = features;
  args[P.R_UNITS] = units;
  args[P.R_BIAS] = biasFloats;
  args[P.R_DIRS] = dirs;
  args[P.R_BACKWARDS] = first.goBackwards ? 1 : 0;
  args[P.R_SEQUENCES] = first.returnSequences ? 1 : 0;
  args[P.R_MASKED] = masked ? 1 : 0;
  args[P.R_ZERO_MASKED] = zeroMasked && first.returnSequences ? 1 : 0;
  args[P.R_REC_ACT] = rec?.id ?? 0;
  args[P.R_REC_ALPHA] = new Int32Array(new Float32Array([rec?.alpha ?? 0]).buffer)[0];
  args[P.R_ROW] = row;
  const prefixes = dirs === 2 ? [`forward_${first.name ?? first.kindName}/`, `backward_${first.name ?? first.kindName}/`] : [''];
  return layerPlan({
    kind: P.LAYER_RECURRENT,
    inShape,
    outShape,
    act: first.activation.id,
    alpha: first.activation.alpha ?? 0,
    weights: layers.flatMap((l, i) => l.weightSpecs(features, prefixes[i])),
    aux: row,
    args,
  });
}

/** An activation a step can differentiate from its output alone (no softmax, gelu, swish or mish). */
export function stepActivation(what: string, name: unknown): ActivationRow {
  const row = activations.get(name as string);
  if (row.id === ACT_SOFTMAX || needsInput(row.id)) {
    throw new Error(`${what}: '${row.name}' is not supported in a recurrent layer; use tanh, sigmoid, relu, hardSigmoid, hardSigmoidTfjs or another activation whose derivative follows from its output`);
  }
  return row;
}

/** A boolean option, or its default; anything else is an error naming it. */
export function flag(what: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new Error(`${what} must be true or false, got ${JSON.stringify(v)}`);
  return v;
}
