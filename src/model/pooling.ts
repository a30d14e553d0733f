// Pooling over images [h, w, c]: MaxPooling2D and AveragePooling2D slide a window per channel;
// the global ones reduce every position to one value per channel ([h, w, c] → [c]).
import { LAYER_AVG_POOL, LAYER_GLOBAL_AVG_POOL, LAYER_GLOBAL_MAX_POOL, LAYER_MAX_POOL } from '../shared/plan.js';
import type { InputConfig } from './input.js';
import { geometryArgs, imageShape, pair, padding, slide, type Padding, type Window } from './geometry.js';
import { GlobalPooling, WindowPooling, type PoolingRank } from './pooling-base.js';

/** Options of `df.layers.maxPooling2d(config)` and `averagePooling2d(config)`. */
export interface Pooling2DConfig extends InputConfig {
  /** The window, default [2, 2]. */
  poolSize?: number | [number, number];
  /** Default: the pool size. */
  strides?: number | [number, number];
  /** 'valid' (default) or 'same'. */
  padding?: Padding;
  /** Only 'channelsLast', Keras's default. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default from its kind, e.g. 'max_pooling2d'). */
  name?: string;
}

/** 2-D windows over images [h, w, c]. */
const IMAGE: PoolingRank<Window> = {
  window: (kind, config) => {
    const pool = pair(`${kind}: poolSize`, config.poolSize, [2, 2]);
    return { kernel: pool, strides: pair(`${kind}: strides`, config.strides, pool), dilation: [1, 1], padding: padding(`${kind}: padding`, config.padding) };
  },
  slide: (inShape, window, fail) => slide(inShape, window, undefined, fail),
  outShape: (g) => [g.oh, g.ow, g.c],
  args: (g, window) => geometryArgs(g, window),
};

/** The largest value of each window, per channel. */
export class MaxPooling2D extends WindowPooling<Window> {
  readonly className = 'MaxPooling2D';
  readonly kindName = 'max_pooling2d';
  protected readonly kind = LAYER_MAX_POOL;
  constructor(config?: Pooling2DConfig) {
    super('maxPooling2d', config, IMAGE);
  }
}

/** The mean of each window, per channel (over the positions inside the image with 'same'). */
export class AveragePooling2D extends WindowPooling<Window> {
  readonly className = 'AveragePooling2D';
  readonly kindName = 'average_pooling2d';
  protected readonly kind = LAYER_AVG_POOL;
  constructor(config?: Pooling2DConfig) {
    super('averagePooling2d', config, IMAGE);
  }
}

/** Options of `df.layers.globalAveragePooling2d(config)` and `globalMaxPooling2d(config)`. */
export interface GlobalPooling2DConfig extends InputConfig {
  /** Only 'channelsLast', Keras's default. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default from its kind). */
  name?: string;
}

/** The mean of each channel over the whole image: [h, w, c] → [c]. */
export class GlobalAveragePooling2D extends GlobalPooling {
  readonly className = 'GlobalAveragePooling2D';
  readonly kindName = 'global_average_pooling2d';
  protected readonly kind = LAYER_GLOBAL_AVG_POOL;
  constructor(config?: GlobalPooling2DConfig) {
    super('globalAveragePooling2d', config, imageShape);
  }
}

/** The largest value of each channel over the whole image: [h, w, c] → [c]. */
export class GlobalMaxPooling2D extends GlobalPooling {
  readonly className = 'GlobalMaxPooling2D';
  readonly kindName = 'global_max_pooling2d';
  protected readonly kind = LAYER_GLOBAL_MAX_POOL;
  constructor(config?: GlobalPooling2DConfig) {
    super('globalMaxPooling2d', config, imageShape);
  }
}

/** df.layers.maxPooling2d({ poolSize: 2 }). */
export const maxPooling2d = (config?: Pooling2DConfig) => new MaxPooling2D(config);
/** df.layers.averagePooling2d({ poolSize: 2 }). */
export const averagePooling2d = (config?: Pooling2DConfig) => new AveragePooling2D(config);
/** df.layers.globalAveragePooling2d(). */
export const globalAveragePooling2d = (config?: GlobalPooling2DConfig) => new GlobalAveragePooling2D(config);
/** df.layers.globalMaxPooling2d(). */
export const globalMaxPooling2d = (config?: GlobalPooling2DConfig) => new GlobalMaxPooling2D(config);
