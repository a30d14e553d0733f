// Conv1D: y = act(x ⊛ kernel + bias) over sequences [steps, c], kernel [k, c, filters] as Keras keeps it.
// Planned as Conv2D over the image [1, steps, c] with a 1×k window: the kernel [1, k, c, filters] has the same memory.
import { checkOptions, type OptionSpec } from '../options.js';
import { BaseConv, CONV_OPTIONS, CONV_UNSUPPORTED, type ConvConfig } from './conv-base.js';
import type { LayerPlan } from './base.js';
import { geometryArgs1d, padding1d, single, slide1d, type Padding1D, type Window1D } from './geometry1d.js';

/** Options of `df.layers.conv1d(config)`. */
export interface Conv1DConfig extends ConvConfig {
  /** The window's length: n (or [n]). */
  kernelSize: number | [number];
  /** The step between windows (default 1). */
  strides?: number | [number];
  /** 'valid' (default), 'same' or 'causal' (zeros only before the sequence: output t sees inputs ≤ t). */
  padding?: Padding1D;
  /** The spacing between the window's taps (default 1). */
  dilationRate?: number | [number];
}

const OPTIONS: OptionSpec<Conv1DConfig> = { known: CONV_OPTIONS, unsupported: CONV_UNSUPPORTED };

/** A 1-D convolution over sequences [steps, channels]: activation(conv(x, kernel) + bias), one GEMM per sequence. */
export class Conv1D extends BaseConv {
  readonly className = 'Conv1D';
  readonly kindName = 'conv1d';
  /** The window: kernel size, stride, dilation and padding. */
  readonly window: Window1D;

  constructor(config: Conv1DConfig) {
    if (!config || typeof config !== 'object') throw new Error('conv1d: expected a config object such as { filters: 64, kernelSize: 5 }');
    config = checkOptions('conv1d', config, OPTIONS);
    super('conv1d', config);
    const strides = single('conv1d: strides', config.strides, 1);
    const dilation = single('conv1d: dilationRate', config.dilationRate, 1);
    // As Keras: a dilated convolution moves one position at a time.
    if (strides > 1 && dilation > 1) throw new Error('conv1d: strides > 1 and dilationRate > 1 cannot be combined');
    const pad = padding1d('conv1d: padding', config.padding, ['valid', 'same', 'causal']);
    this.window = { kernel: single('conv1d: kernelSize', config.kernelSize), strides, dilation, padding: pad };
  }

  computeOutputShape(inShape: number[]): number[] {
    this.refuseSoftmax('sequences');
    const g = slide1d(inShape, this.window, this.filters, (w) => this.shapeError(w));
    return [g.ow, g.oc];
  }

  plan(inShape: number[]): LayerPlan {
    const g = slide1d(inShape, this.window, this.filters, (w) => this.shapeError(w));
    return this.planConv(inShape, [g.ow, g.oc], { c: g.c, oc: g.oc, positions: g.ow }, [this.window.kernel], geometryArgs1d(g, this.window));
  }
}

/** df.layers.conv1d({ filters, kernelSize, strides, padding, dilationRate, activation, inputShape, … }). */
export function conv1d(config: Conv1DConfig): Conv1D {
  return new Conv1D(config);
}
