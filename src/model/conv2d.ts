// Conv2D: y = act(x ⊛ kernel + bias) over images [h, w, c], kernel [kh, kw, c, filters] as Keras keeps it.
// Computed as a GEMM per image on im2col patches, so it runs on the same microkernels as Dense.
import { needsInput, activations, type ActivationName, type ActivationRow } from '../registry/activations.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../registry/initializers.js';
import { resolveRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { checkPositiveInteger } from '../numbers.js';
import { LAYER_CONV2D } from '../shared/plan.js';
import type { InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';
import { channelsLast, geometryArgs, pair, padding, slide, type Padding, type Window } from './geometry.js';

/** Options of `df.layers.conv2d(config)`. */
export interface Conv2DConfig extends InputConfig {
  /** The number of output channels (a positive integer). */
  filters: number;
  /** The window's size: n, or [height, width]. */
  kernelSize: number | [number, number];
  /** The step between windows: n or [rows, cols] (default 1). */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
  /** The spacing between the window's taps: n or [rows, cols] (default 1). */
  dilationRate?: number | [number, number];
  /** The activation, by name (default 'linear'). */
  activation?: ActivationName;
  /** Add a bias per filter (default true). */
  useBias?: boolean;
  /** How the kernel [kh, kw, in, filters] starts (default 'glorotUniform'). */
  kernelInitializer?: InitializerName | Initializer;
  /** How the bias starts (default 'zeros'). */
  biasInitializer?: InitializerName | Initializer;
  /** Adds l1·Σ|w| + l2·Σw² of the kernel to the training loss: df.regularizers.l2({ l2: 1e-4 }) or 'l2'. */
  kernelRegularizer?: RegularizerIdentifier;
  /** The same for the bias. */
  biasRegularizer?: RegularizerIdentifier;
  /** Only 'channelsLast': images are [height, width, channels]. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default 'conv2d', 'conv2d_1', …). */
  name?: string;
}

const OPTIONS: OptionSpec<Conv2DConfig> = {
  known: {
    ...LAYER_OPTIONS, filters: true, kernelSize: true, strides: true, padding: true, dilationRate: true, activation: true, useBias: true,
    kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true, dataFormat: true,
  },
  unsupported: { ...LAYER_UNSUPPORTED, groups: { instead: 'only ordinary convolutions (groups 1) are supported', harmless: (v) => v === undefined || v === 1 } },
};

/** A 2-D convolution over images [height, width, channels]: activation(conv(x, kernel) + bias), one GEMM per image. */
export class Conv2D extends Layer {
  readonly className = 'Conv2D';
  readonly kindName = 'conv2d';
  /** The number of output channels. */
  readonly filters: number;
  /** The window: kernel size, strides, dilation and padding. */
  readonly window: Window;
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

  constructor(config: Conv2DConfig) {
    if (!config || typeof config !== 'object') throw new Error('conv2d: expected a config object such as { filters: 32, kernelSize: 3 }');
    config = checkOptions('conv2d', config, OPTIONS);
    super('conv2d', config);
    this.filters = checkPositiveInteger('conv2d: filters', config.filters);
    const strides = pair('conv2d: strides', config.strides, [1, 1]);
    const dilation = pair('conv2d: dilationRate', config.dilationRate, [1, 1]);
    // As Keras: a dilated convolution moves one position at a time.
    if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) throw new Error('conv2d: strides > 1 and dilationRate > 1 cannot be combined');
    this.window = { kernel: pair('conv2d: kernelSize', config.kernelSize), strides, dilation, padding: padding('conv2d: padding', config.padding) };
    channelsLast('conv2d: dataFormat', config.dataFormat);
    this.activation = activations.get(config.activation ?? 'linear');
    this.useBias = config.useBias ?? true;
    this.kernelInitializer = resolveInitializer(config.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(config.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer('conv2d: kernelRegularizer', config.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer('conv2d: biasRegularizer', config.biasRegularizer);
  }

  override get finalActivation(): number {
    return this.activation.id;
  }

  computeOutputShape(inShape: number[]): number[] {
    if (this.activation.name === 'softmax') throw this.shapeError('softmax over feature maps is not supported; flatten, then a dense softmax');
    const g = slide(inShape, this.window, this.filters, (w) => this.shapeError(w));
    return [g.oh, g.ow, g.oc];
  }

  plan(inShape: number[]): LayerPlan {
    const g = slide(inShape, this.window, this.filters, (w) => this.shapeError(w));
    const [kh, kw] = this.window.kernel;
    const k = kh * kw * g.c;
    const act = this.activation;
    // Keras's fans for a conv kernel: the receptive field times the channels in, and times the filters.
    const kernel = { name: 'kernel', shape: [kh, kw, g.c, g.oc], fanIn: k, fanOut: kh * kw * g.oc, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer };
    const bias = { name: 'bias', shape: [g.oc], fanIn: g.oc, fanOut: g.oc, initializer: this.biasInitializer, regularizer: this.biasRegularizer };
    return layerPlan({
      kind: LAYER_CONV2D,
      inShape,
      outShape: [g.oh, g.ow, g.oc],
      act: act.id,
      alpha: act.alpha ?? 0,
      weights: this.useBias ? [kernel, bias] : [kernel],
      keepsPreActivation: needsInput(act.id),
      // One image's patches [positions × k], then a [k × filters] kernel gradient (after the GEMM region).
      scratch: g.oh * g.ow * k + k * g.oc,
      args: geometryArgs(g, this.window),
    });
  }
}

/** df.layers.conv2d({ filters, kernelSize, strides, padding, dilationRate, activation, inputShape, … }). */
export function conv2d(config: Conv2DConfig): Conv2D {
  return new Conv2D(config);
}
