// Pooling over sequences [steps, c]: MaxPooling1D and AveragePooling1D slide a window per channel, the
// global ones reduce the steps to one value per channel; each runs as its 2-D kind over the image [1, steps, c].
import { LAYER_AVG_POOL, LAYER_GLOBAL_AVG_POOL, LAYER_GLOBAL_MAX_POOL, LAYER_MASKED_MEAN, LAYER_MAX_POOL } from '../shared/plan.js';
import type { InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { channelsLast, geometryArgs, type Padding } from './geometry.js';
import { geometryArgs1d, padding1d, sequenceShape, single, slide1d, type Window1D } from './geometry1d.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

/** Options of `df.layers.maxPooling1d(config)` and `averagePooling1d(config)`. */
export interface Pooling1DConfig extends InputConfig {
  /** The window's length, default 2. */
  poolSize?: number | [number];
  /** Default: the pool size. */
  strides?: number | [number];
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
  /** Only 'channelsLast', Keras's default. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default from its kind, e.g. 'max_pooling1d'). */
  name?: string;
}

const OPTIONS: OptionSpec<Pooling1DConfig> = {
  known: { ...LAYER_OPTIONS, poolSize: true, strides: true, padding: true, dataFormat: true },
  unsupported: LAYER_UNSUPPORTED,
};

abstract class Pooling1D extends Layer {
  /** The window: pool size, stride and padding. */
  readonly window: Window1D;
  protected abstract readonly kind: number;

  constructor(kind: string, config: Pooling1DConfig = {}) {
    if (config === null || typeof config !== 'object') throw new Error(`${kind}: expected a config object such as { poolSize: 2 }`);
    config = checkOptions(kind, config, OPTIONS);
    super(kind, config);
    const pool = single(`${kind}: poolSize`, config.poolSize, 2);
    this.window = { kernel: pool, strides: single(`${kind}: strides`, config.strides, pool), dilation: 1, padding: padding1d(`${kind}: padding`, config.padding, ['valid', 'same']) };
    channelsLast(`${kind}: dataFormat`, config.dataFormat);
  }

  computeOutputShape(inShape: number[]): number[] {
    const g = slide1d(inShape, this.window, undefined, (w) => this.shapeError(w));
    return [g.ow, g.c];
  }

  plan(inShape: number[]): LayerPlan {
    const g = slide1d(inShape, this.window, undefined, (w) => this.shapeError(w));
    // Max pooling keeps each output's argmax (an index into the input row) for backward.
    return layerPlan({ kind: this.kind, inShape, outShape: [g.ow, g.c], aux: this.kind === LAYER_MAX_POOL ? g.ow * g.c : 0, args: geometryArgs1d(g, this.window) });
  }
}

/** The largest value of each window, per channel. */
export class MaxPooling1D extends Pooling1D {
  readonly className = 'MaxPooling1D';
  readonly kindName = 'max_pooling1d';
  protected readonly kind = LAYER_MAX_POOL;
  constructor(config?: Pooling1DConfig) {
    super('maxPooling1d', config);
  }
}

/** The mean of each window, per channel (over the steps inside the sequence with 'same'). */
export class AveragePooling1D extends Pooling1D {
  readonly className = 'AveragePooling1D';
  readonly kindName = 'average_pooling1d';
  protected readonly kind = LAYER_AVG_POOL;
  constructor(config?: Pooling1DConfig) {
    super('averagePooling1d', config);
  }
}

/** Options of `df.layers.globalAveragePooling1d(config)` and `globalMaxPooling1d(config)`. */
export interface GlobalPooling1DConfig extends InputConfig {
  /** Only 'channelsLast', Keras's default. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default from its kind). */
  name?: string;
}

const GLOBAL_OPTIONS: OptionSpec<GlobalPooling1DConfig> = {
  known: { ...LAYER_OPTIONS, dataFormat: true },
  unsupported: { ...LAYER_UNSUPPORTED, keepdims: { instead: 'add a reshape() after it', harmless: (v) => !v } },
};

abstract class GlobalPooling1D extends Layer {
  protected abstract readonly kind: number;

  constructor(kind: string, config: GlobalPooling1DConfig = {}) {
    if (config === null || typeof config !== 'object') throw new Error(`${kind}: expected a config object`);
    config = checkOptions(kind, config, GLOBAL_OPTIONS);
    super(kind, config);
    channelsLast(`${kind}: dataFormat`, config.dataFormat);
  }

  computeOutputShape(inShape: number[]): number[] {
    return [sequenceShape(inShape, (w) => this.shapeError(w))[1]];
  }

  plan(inShape: number[]): LayerPlan {
    const [steps, c] = sequenceShape(inShape, (what) => this.shapeError(what));
    const g = { h: 1, w: steps, c, oh: 1, ow: 1, oc: c, pt: 0, pl: 0, pb: 0, pr: 0 };
    return layerPlan({ kind: this.kind, inShape, outShape: [c], aux: this.kind === LAYER_GLOBAL_MAX_POOL ? c : 0, args: geometryArgs(g) });
  }
}

/** The mean of each channel over the whole sequence: [steps, c] → [c]; under an Embedding's mask, over the steps it keeps (Keras 3). */
export class GlobalAveragePooling1D extends GlobalPooling1D {
  readonly className = 'GlobalAveragePooling1D';
  readonly kindName = 'global_average_pooling1d';
  protected readonly kind = LAYER_GLOBAL_AVG_POOL;
  constructor(config?: GlobalPooling1DConfig) {
    super('globalAveragePooling1d', config);
  }

  /** Masked: the mean over the kept steps only (a row with none gives zeros, where Keras divides 0 by 0). */
  override plan(inShape: number[], masked = false): LayerPlan {
    if (!masked) return super.plan(inShape);
    const [steps, c] = sequenceShape(inShape, (what) => this.shapeError(what));
    return layerPlan({ kind: LAYER_MASKED_MEAN, inShape, outShape: [c], args: [steps, c] });
  }
}

/** The largest value of each channel over the whole sequence: [steps, c] → [c]. */
export class GlobalMaxPooling1D extends GlobalPooling1D {
  readonly className = 'GlobalMaxPooling1D';
  readonly kindName = 'global_max_pooling1d';
  protected readonly kind = LAYER_GLOBAL_MAX_POOL;
  constructor(config?: GlobalPooling1DConfig) {
    super('globalMaxPooling1d', config);
  }
}

/** df.layers.maxPooling1d({ poolSize: 2 }). */
export const maxPooling1d = (config?: Pooling1DConfig) => new MaxPooling1D(config);
/** df.layers.averagePooling1d({ poolSize: 2 }). */
export const averagePooling1d = (config?: Pooling1DConfig) => new AveragePooling1D(config);
/** df.layers.globalAveragePooling1d(). */
export const globalAveragePooling1d = (config?: GlobalPooling1DConfig) => new GlobalAveragePooling1D(config);
/** df.layers.globalMaxPooling1d(). */
export const globalMaxPooling1d = (config?: GlobalPooling1DConfig) => new GlobalMaxPooling1D(config);
