// Pooling over images [h, w, c]: MaxPooling2D and AveragePooling2D slide a window per channel;
// the global ones reduce every position to one value per channel ([h, w, c] → [c]).
import { LAYER_AVG_POOL, LAYER_GLOBAL_AVG_POOL, LAYER_GLOBAL_MAX_POOL, LAYER_MAX_POOL } from '../shared/plan.js';
import type { InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { channelsLast, geometryArgs, imageShape, pair, padding, slide, type Padding, type Window } from './geometry.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

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

const OPTIONS: OptionSpec<Pooling2DConfig> = {
  known: { ...LAYER_OPTIONS, poolSize: true, strides: true, padding: true, dataFormat: true },
  unsupported: LAYER_UNSUPPORTED,
};

abstract class Pooling2D extends Layer {
  readonly window: Window;
  protected abstract readonly kind: number;

  constructor(kind: string, config: Pooling2DConfig = {}) {
    if (config === null || typeof config !== 'object') throw new Error(`${kind}: expected a config object such as { poolSize: 2 }`);
    config = checkOptions(kind, config, OPTIONS);
    super(kind, config);
    const pool = pair(`${kind}: poolSize`, config.poolSize, [2, 2]);
    this.window = { kernel: pool, strides: pair(`${kind}: strides`, config.strides, pool), dilation: [1, 1], padding: padding(`${kind}: padding`, config.padding) };
    channelsLast(`${kind}: dataFormat`, config.dataFormat);
  }

  computeOutputShape(inShape: number[]): number[] {
    const g = slide(inShape, this.window, undefined, (w) => this.shapeError(w));
    return [g.oh, g.ow, g.c];
  }

  plan(inShape: number[]): LayerPlan {
    const g = slide(inShape, this.window, undefined, (w) => this.shapeError(w));
    const outShape = [g.oh, g.ow, g.c];
    // Max pooling keeps each output's argmax (an index into the input row) for backward.
    return layerPlan({ kind: this.kind, inShape, outShape, aux: this.kind === LAYER_MAX_POOL ? g.oh * g.ow * g.c : 0, args: geometryArgs(g, this.window) });
  }
}

/** The largest value of each window, per channel. */
export class MaxPooling2D extends Pooling2D {
  readonly className = 'MaxPooling2D';
  readonly kindName = 'max_pooling2d';
  protected readonly kind = LAYER_MAX_POOL;
  constructor(config?: Pooling2DConfig) {
    super('maxPooling2d', config);
  }
}

/** The mean of each window, per channel (over the positions inside the image with 'same'). */
export class AveragePooling2D extends Pooling2D {
  readonly className = 'AveragePooling2D';
  readonly kindName = 'average_pooling2d';
  protected readonly kind = LAYER_AVG_POOL;
  constructor(config?: Pooling2DConfig) {
    super('averagePooling2d', config);
  }
}

/** Options of `df.layers.globalAveragePooling2d(config)` and `globalMaxPooling2d(config)`. */
export interface GlobalPooling2DConfig extends InputConfig {
  /** Only 'channelsLast', Keras's default. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default from its kind). */
  name?: string;
}

const GLOBAL_OPTIONS: OptionSpec<GlobalPooling2DConfig> = {
  known: { ...LAYER_OPTIONS, dataFormat: true },
  unsupported: { ...LAYER_UNSUPPORTED, keepdims: { instead: 'add a reshape() after it', harmless: (v) => !v } },
};

abstract class GlobalPooling2D extends Layer {
  protected abstract readonly kind: number;

  constructor(kind: string, config: GlobalPooling2DConfig = {}) {
    if (config === null || typeof config !== 'object') throw new Error(`${kind}: expected a config object`);
    config = checkOptions(kind, config, GLOBAL_OPTIONS);
    super(kind, config);
    channelsLast(`${kind}: dataFormat`, config.dataFormat);
  }

  computeOutputShape(inShape: number[]): number[] {
    return [imageShape(inShape, (w) => this.shapeError(w))[2]];
  }

  plan(inShape: number[]): LayerPlan {
    const [h, w, c] = imageShape(inShape, (what) => this.shapeError(what));
    const g = { h, w, c, oh: 1, ow: 1, oc: c, pt: 0, pl: 0, pb: 0, pr: 0 };
    return layerPlan({ kind: this.kind, inShape, outShape: [c], aux: this.kind === LAYER_GLOBAL_MAX_POOL ? c : 0, args: geometryArgs(g) });
  }
}

/** The mean of each channel over the whole image: [h, w, c] → [c]. */
export class GlobalAveragePooling2D extends GlobalPooling2D {
  readonly className = 'GlobalAveragePooling2D';
  readonly kindName = 'global_average_pooling2d';
  protected readonly kind = LAYER_GLOBAL_AVG_POOL;
  constructor(config?: GlobalPooling2DConfig) {
    super('globalAveragePooling2d', config);
  }
}

/** The largest value of each channel over the whole image: [h, w, c] → [c]. */
export class GlobalMaxPooling2D extends GlobalPooling2D {
  readonly className = 'GlobalMaxPooling2D';
  readonly kindName = 'global_max_pooling2d';
  protected readonly kind = LAYER_GLOBAL_MAX_POOL;
  constructor(config?: GlobalPooling2DConfig) {
    super('globalMaxPooling2d', config);
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
