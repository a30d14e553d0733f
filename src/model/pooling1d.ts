// Pooling over sequences [steps, c]: MaxPooling1D and AveragePooling1D slide a window per channel, the
// global ones reduce the steps to one value per channel; each runs as its 2-D kind over the image [1, steps, c].
import { LAYER_AVG_POOL, LAYER_GLOBAL_AVG_POOL, LAYER_GLOBAL_MAX_POOL, LAYER_MASKED_MEAN, LAYER_MAX_POOL } from '../shared/plan.js';
import type { InputConfig } from './input.js';
import { layerPlan, type LayerPlan } from './base.js';
import type { Padding } from './geometry.js';
import { geometryArgs1d, padding1d, sequenceShape, single, slide1d, type Window1D } from './geometry1d.js';
import { GlobalPooling, WindowPooling, type PoolingRank, type RowImage } from './pooling-base.js';

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

/** 1-D windows over sequences [steps, c], as the image [1, steps, c]. */
const SEQUENCE: PoolingRank<Window1D> = {
  window: (kind, config) => {
    const pool = single(`${kind}: poolSize`, config.poolSize, 2);
    return { kernel: pool, strides: single(`${kind}: strides`, config.strides, pool), dilation: 1, padding: padding1d(`${kind}: padding`, config.padding, ['valid', 'same']) };
  },
  slide: (inShape, window, fail) => slide1d(inShape, window, undefined, fail),
  outShape: (g) => [g.ow, g.c],
  args: (g, window) => geometryArgs1d(g, window),
};

/** A sequence [steps, c] as the image [1, steps, c] the global poolings reduce. */
const sequenceImage: RowImage = (inShape, fail) => {
  const [steps, c] = sequenceShape(inShape, fail);
  return [1, steps, c];
};

/** The largest value of each window, per channel. */
export class MaxPooling1D extends WindowPooling<Window1D> {
  readonly className = 'MaxPooling1D';
  readonly kindName = 'max_pooling1d';
  protected readonly kind = LAYER_MAX_POOL;
  constructor(config?: Pooling1DConfig) {
    super('maxPooling1d', config, SEQUENCE);
  }
}

/** The mean of each window, per channel (over the steps inside the sequence with 'same'). */
export class AveragePooling1D extends WindowPooling<Window1D> {
  readonly className = 'AveragePooling1D';
  readonly kindName = 'average_pooling1d';
  protected readonly kind = LAYER_AVG_POOL;
  constructor(config?: Pooling1DConfig) {
    super('averagePooling1d', config, SEQUENCE);
  }
}

/** Options of `df.layers.globalAveragePooling1d(config)` and `globalMaxPooling1d(config)`. */
export interface GlobalPooling1DConfig extends InputConfig {
  /** Only 'channelsLast', Keras's default. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default from its kind). */
  name?: string;
}

/** The mean of each channel over the whole sequence: [steps, c] → [c]; under an Embedding's mask, over the steps it keeps (Keras 3). */
export class GlobalAveragePooling1D extends GlobalPooling {
  readonly className = 'GlobalAveragePooling1D';
  readonly kindName = 'global_average_pooling1d';
  protected readonly kind = LAYER_GLOBAL_AVG_POOL;
  constructor(config?: GlobalPooling1DConfig) {
    super('globalAveragePooling1d', config, sequenceImage);
  }

  /** Masked: the mean over the kept steps only (a row with none gives zeros, where Keras divides 0 by 0). */
  override plan(inShape: number[], masked = false): LayerPlan {
    if (!masked) return super.plan(inShape);
    const [steps, c] = sequenceShape(inShape, (what) => this.shapeError(what));
    return layerPlan({ kind: LAYER_MASKED_MEAN, inShape, outShape: [c], args: [steps, c] });
  }
}

/** The largest value of each channel over the whole sequence: [steps, c] → [c]. */
export class GlobalMaxPooling1D extends GlobalPooling {
  readonly className = 'GlobalMaxPooling1D';
  readonly kindName = 'global_max_pooling1d';
  protected readonly kind = LAYER_GLOBAL_MAX_POOL;
  constructor(config?: GlobalPooling1DConfig) {
    super('globalMaxPooling1d', config, sequenceImage);
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
