// Conv1D: y = act(x ⊛ kernel + bias) over sequences [steps, c], kernel [k, c, filters] as Keras keeps it.
// Planned as Conv2D over the image [1, steps, c] with a 1×k window: the kernel [1, k, c, filters] has the same memory.
import { needsInput, activations, type ActivationName, type ActivationRow } from '../registry/activations.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../registry/initializers.js';
import { resolveRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { checkPositiveInteger } from '../numbers.js';
import { LAYER_CONV2D } from '../shared/plan.js';
import type { InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';
import { channelsLast } from './geometry.js';
import { geometryArgs1d, padding1d, single, slide1d, type Padding1D, type Window1D } from './geometry1d.js';

/** Options of `df.layers.conv1d(config)`. */
export interface Conv1DConfig extends InputConfig {
  /** The number of output channels (a positive integer). */
  filters: number;
  /** The window's length: n (or [n]). */
  kernelSize: number | [number];
  /** The step between windows (default 1). */
  strides?: number | [number];
  /** 'valid' (default), 'same' or 'causal' (zeros only before the sequence: output t sees inputs ≤ t). */
  padding?: Padding1D;
  /** The spacing between the window's taps (default 1). */
  dilationRate?: number | [number];
  /** The activation, by name (default 'linear'). */
  activation?: ActivationName;
  /** Add a bias per filter (default true). */
  useBias?: boolean;
  /** How the kernel [k, in, filters] starts (default 'glorotUniform'). */
  kernelInitializer?: InitializerName | Initializer;
  /** How the bias starts (default 'zeros'). */
  biasInitializer?: InitializerName | Initializer;
  /** Adds l1·Σ|w| + l2·Σw² of the kernel to the training loss: df.regularizers.l2({ l2: 1e-4 }) or 'l2'. */
  kernelRegularizer?: RegularizerIdentifier;
  /** The same for the bias. */
  biasRegularizer?: RegularizerIdentifier;
  /** Only 'channelsLast': sequences are [steps, channels]. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default 'conv1d', 'conv1d_1', …). */
  name?: string;
}

const OPTIONS: OptionSpec<Conv1DConfig> = {
  known: {
    ...LAYER_OPTIONS, filters: true, kernelSize: true, strides: true, padding: true, dilationRate: true, activation: true, useBias: true,
    kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true, dataFormat: true,
  },
  unsupported: { ...LAYER_UNSUPPORTED, groups: { instead: 'only ordinary convolutions (groups 1) are supported', harmless: (v) => v === undefined || v === 1 } },
};

/** A 1-D convolution over sequences [steps, channels]: activation(conv(x, kernel) + bias), one GEMM per sequence. */
export class Conv1D extends Layer {
  readonly className = 'Conv1D';
  readonly kindName = 'conv1d';
  /** The number of output channels. */
  readonly filters: number;
  /** The window: kernel size, stride, dilation and padding. */
  readonly window: Window1D;
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

  constructor(config: Conv1DConfig) {
    if (!config || typeof config !== 'object') throw new Error('conv1d: expected a config object such as { filters: 64, kernelSize: 5 }');
    config = checkOptions('conv1d', config, OPTIONS);
    super('conv1d', config);
    this.filters = checkPositiveInteger('conv1d: filters', config.filters);
    const strides = single('conv1d: strides', config.strides, 1);
    const dilation = single('conv1d: dilationRate', config.dilationRate, 1);
    // As Keras: a dilated convolution moves one position at a time.
    if (strides > 1 && dilation > 1) throw new Error('conv1d: strides > 1 and dilationRate > 1 cannot be combined');
    const pad = padding1d('conv1d: padding', config.padding, ['valid', 'same', 'causal']);
    this.window = { kernel: single('conv1d: kernelSize', config.kernelSize), strides, dilation, padding: pad };
    channelsLast('conv1d: dataFormat', config.dataFormat);
    this.activation = activations.get(config.activation ?? 'linear');
    this.useBias = config.useBias ?? true;
    this.kernelInitializer = resolveInitializer(config.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(config.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer('conv1d: kernelRegularizer', config.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer('conv1d: biasRegularizer', config.biasRegularizer);
  }

  override get finalActivation(): number {
    return this.activation.id;
  }

  computeOutputShape(inShape: number[]): number[] {
    if (this.activation.name === 'softmax') throw this.shapeError('softmax over sequences is not supported; flatten, then a dense softmax');
    const g = slide1d(inShape, this.window, this.filters, (w) => this.shapeError(w));
    return [g.ow, g.oc];
  }

  plan(inShape: number[]): LayerPlan {
    const outShape = this.computeOutputShape(inShape);
    const g = slide1d(inShape, this.window, this.filters, (w) => this.shapeError(w));
    const kw = this.window.kernel;
    const k = kw * g.c;
    const act = this.activation;
    // Keras's fans for a conv kernel: the receptive field times the channels in, and times the filters.
    const kernel = { name: 'kernel', shape: [kw, g.c, g.oc], fanIn: k, fanOut: kw * g.oc, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer };
    const bias = { name: 'bias', shape: [g.oc], fanIn: g.oc, fanOut: g.oc, initializer: this.biasInitializer, regularizer: this.biasRegularizer };
    return layerPlan({
      kind: LAYER_CONV2D,
      inShape,
      outShape,
      act: act.id,
      alpha: act.alpha ?? 0,
      weights: this.useBias ? [kernel, bias] : [kernel],
      keepsPreActivation: needsInput(act.id),
      // One sequence's patches [positions × k], then a [k × filters] kernel gradient (as Conv2D).
      scratch: g.ow * k + k * g.oc,
      args: geometryArgs1d(g, this.window),
    });
  }
}

/** df.layers.conv1d({ filters, kernelSize, strides, padding, dilationRate, activation, inputShape, … }). */
export function conv1d(config: Conv1DConfig): Conv1D {
  return new Conv1D(config);
}
