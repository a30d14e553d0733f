// What Conv1D and Conv2D share (tfjs's BaseConv): filters, the activation fused into the GEMM epilogue,
// bias, initializers and regularizers, and the plan of one GEMM per image over its im2col patches.
import { needsInput, activations, type ActivationName, type ActivationRow } from '../registry/activations.js';
import { resolveInitializer, type Initializer, type InitializerName } from '../registry/initializers.js';
import { resolveRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { checkPositiveInteger } from '../numbers.js';
import { LAYER_CONV2D } from '../shared/plan.js';
import type { InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import type { Unsupported } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';
import { channelsLast } from './geometry.js';

/** The options every convolution takes, besides its window (kernelSize, strides, padding, dilationRate). */
export interface ConvConfig extends InputConfig {
  /** The number of output channels (a positive integer). */
  filters: number;
  /** The activation, by name (default 'linear'). */
  activation?: ActivationName;
  /** Add a bias per filter (default true). */
  useBias?: boolean;
  /** How the kernel starts (default 'glorotUniform'). */
  kernelInitializer?: InitializerName | Initializer;
  /** How the bias starts (default 'zeros'). */
  biasInitializer?: InitializerName | Initializer;
  /** Adds l1·Σ|w| + l2·Σw² of the kernel to the training loss: df.regularizers.l2({ l2: 1e-4 }) or 'l2'. */
  kernelRegularizer?: RegularizerIdentifier;
  /** The same for the bias. */
  biasRegularizer?: RegularizerIdentifier;
  /** Only 'channelsLast' (Keras's default): channels are the last axis. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default from its kind: 'conv2d', 'conv2d_1', …). */
  name?: string;
}

/** The option keys of Conv1D and Conv2D (the same names; the window options differ only in their values). */
export const CONV_OPTIONS = {
  ...LAYER_OPTIONS, filters: true, kernelSize: true, strides: true, padding: true, dilationRate: true, activation: true, useBias: true,
  kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true, dataFormat: true,
} as const;

/** Keras options of a convolution that deltaflow does not take. */
export const CONV_UNSUPPORTED: Readonly<Record<string, Unsupported>> = {
  ...LAYER_UNSUPPORTED,
  groups: { instead: 'only ordinary convolutions (groups 1) are supported', harmless: (v) => v === undefined || v === 1 },
};

/** A convolution's geometry as the plan needs it: channels in and out, output positions per image. */
export interface ConvGeometry {
  c: number;
  oc: number;
  positions: number;
}

/** A convolution over images of any rank: activation(conv(x, kernel) + bias), one GEMM per image. */
export abstract class BaseConv extends Layer {
  /** The number of output channels. */
  readonly filters: number;
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

  /** `config` has been checked by the subclass (its options and its window). */
  protected constructor(kind: string, config: ConvConfig) {
    super(kind, config);
    this.filters = checkPositiveInteger(`${kind}: filters`, config.filters);
    channelsLast(`${kind}: dataFormat`, config.dataFormat);
    this.activation = activations.get(config.activation ?? 'linear');
    this.useBias = config.useBias ?? true;
    this.kernelInitializer = resolveInitializer(config.kernelInitializer ?? 'glorotUniform');
    this.biasInitializer = resolveInitializer(config.biasInitializer ?? 'zeros');
    this.kernelRegularizer = resolveRegularizer(`${kind}: kernelRegularizer`, config.kernelRegularizer);
    this.biasRegularizer = resolveRegularizer(`${kind}: biasRegularizer`, config.biasRegularizer);
  }

  override get finalActivation(): number {
    return this.activation.id;
  }

  /** Softmax runs over one row's last axis in Dense only: over positions it would mean something else. */
  protected refuseSoftmax(over: string): void {
    if (this.activation.name === 'softmax') throw this.shapeError(`softmax over ${over} is not supported; flatten, then a dense softmax`);
  }

  /** The plan of one GEMM per image: `window` is the kernel's spatial shape, `args` the kind's geometry words. */
  protected planConv(inShape: number[], outShape: number[], g: ConvGeometry, window: readonly number[], args: number[]): LayerPlan {
    const taps = window.reduce((a, b) => a * b, 1);
    const k = taps * g.c;
    const act = this.activation;
    // Keras's fans for a conv kernel: the receptive field times the channels in, and times the filters.
    const kernel = { name: 'kernel', shape: [...window, g.c, g.oc], fanIn: k, fanOut: taps * g.oc, initializer: this.kernelInitializer, regularizer: this.kernelRegularizer };
    const bias = { name: 'bias', shape: [g.oc], fanIn: g.oc, fanOut: g.oc, initializer: this.biasInitializer, regularizer: this.biasRegularizer };
    return layerPlan({
      kind: LAYER_CONV2D,
      inShape,
      outShape,
      act: act.id,
      alpha: act.alpha ?? 0,
      weights: this.useBias ? [kernel, bias] : [kernel],
      keepsPreActivation: needsInput(act.id),
      // One image's patches [positions × k], then a [k × filters] kernel gradient (after the GEMM region).
      scratch: g.positions * k + k * g.oc,
      args,
    });
  }
}
