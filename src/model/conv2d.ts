// Conv2D: y = act(x ⊛ kernel + bias) over images [h, w, c], kernel [kh, kw, c, filters] as Keras keeps it.
// Computed as a GEMM per image on im2col patches, so it runs on the same microkernels as Dense.
import { checkOptions, type OptionSpec } from '../options.js';
import { BaseConv, CONV_OPTIONS, CONV_UNSUPPORTED, type ConvConfig } from './conv-base.js';
import type { LayerPlan } from './base.js';
import { geometryArgs, pair, padding, slide, type Padding, type Window } from './geometry.js';

/** Options of `df.layers.conv2d(config)`. */
export interface Conv2DConfig extends ConvConfig {
  /** The window's size: n, or [height, width]. */
  kernelSize: number | [number, number];
  /** The step between windows: n or [rows, cols] (default 1). */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
  /** The spacing between the window's taps: n or [rows, cols] (default 1). */
  dilationRate?: number | [number, number];
}

const OPTIONS: OptionSpec<Conv2DConfig> = { known: CONV_OPTIONS, unsupported: CONV_UNSUPPORTED };

/** A 2-D convolution over images [height, width, channels]: activation(conv(x, kernel) + bias), one GEMM per image. */
export class Conv2D extends BaseConv {
  readonly className = 'Conv2D';
  readonly kindName = 'conv2d';
  /** The window: kernel size, strides, dilation and padding. */
  readonly window: Window;

  constructor(config: Conv2DConfig) {
    if (!config || typeof config !== 'object') throw new Error('conv2d: expected a config object such as { filters: 32, kernelSize: 3 }');
    config = checkOptions('conv2d', config, OPTIONS);
    super('conv2d', config);
    const strides = pair('conv2d: strides', config.strides, [1, 1]);
    const dilation = pair('conv2d: dilationRate', config.dilationRate, [1, 1]);
    // As Keras: a dilated convolution moves one position at a time.
    if (strides.some((s) => s > 1) && dilation.some((d) => d > 1)) throw new Error('conv2d: strides > 1 and dilationRate > 1 cannot be combined');
    this.window = { kernel: pair('conv2d: kernelSize', config.kernelSize), strides, dilation, padding: padding('conv2d: padding', config.padding) };
  }

  computeOutputShape(inShape: number[]): number[] {
    this.refuseSoftmax('feature maps');
    const g = slide(inShape, this.window, this.filters, (w) => this.shapeError(w));
    return [g.oh, g.ow, g.oc];
  }

  plan(inShape: number[]): LayerPlan {
    const g = slide(inShape, this.window, this.filters, (w) => this.shapeError(w));
    return this.planConv(inShape, [g.oh, g.ow, g.oc], { c: g.c, oc: g.oc, positions: g.oh * g.ow }, this.window.kernel, geometryArgs(g, this.window));
  }
}

/** df.layers.conv2d({ filters, kernelSize, strides, padding, dilationRate, activation, inputShape, … }). */
export function conv2d(config: Conv2DConfig): Conv2D {
  return new Conv2D(config);
}
