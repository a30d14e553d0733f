// UpSampling2D (nearest neighbour: each value repeated size[0]×size[1] times) and ZeroPadding2D
// (zeros around each image): the image-size changes of the textbook's autoencoder and GAN.
import { LAYER_UP_SAMPLING, LAYER_ZERO_PADDING } from '../shared/plan.js';
import type { InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { channelsLast, geometryArgs, imageShape, pair } from './geometry.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

/** Options of `df.layers.upSampling2d(config)`. */
export interface UpSampling2DConfig extends InputConfig {
  /** Repeats along rows and columns, default [2, 2]. */
  size?: number | [number, number];
  /** Only 'nearest'. */
  interpolation?: 'nearest';
  /** Only 'channelsLast', Keras's default. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default 'up_sampling2d', …). */
  name?: string;
}

const UP_OPTIONS: OptionSpec<UpSampling2DConfig> = {
  known: { ...LAYER_OPTIONS, size: true, interpolation: true, dataFormat: true },
  unsupported: LAYER_UNSUPPORTED,
};

/** Repeats each pixel size[0] × size[1] times (nearest neighbour). */
export class UpSampling2D extends Layer {
  readonly className = 'UpSampling2D';
  readonly kindName = 'up_sampling2d';
  /** The repeat factors [rows, cols]. */
  readonly size: [number, number];

  constructor(config: UpSampling2DConfig = {}) {
    if (config === null || typeof config !== 'object') throw new Error('upSampling2d: expected a config object such as { size: 2 }');
    config = checkOptions('upSampling2d', config, UP_OPTIONS);
    super('upSampling2d', config);
    this.size = pair('upSampling2d: size', config.size, [2, 2]);
    if (config.interpolation !== undefined && config.interpolation !== 'nearest') {
      throw new Error(`upSampling2d: interpolation ${JSON.stringify(config.interpolation)} is not supported, only 'nearest'`);
    }
    channelsLast('upSampling2d: dataFormat', config.dataFormat);
  }

  computeOutputShape(inShape: number[]): number[] {
    const [h, w, c] = imageShape(inShape, (what) => this.shapeError(what));
    return [h * this.size[0], w * this.size[1], c];
  }

  plan(inShape: number[]): LayerPlan {
    const [h, w, c] = imageShape(inShape, (what) => this.shapeError(what));
    const [oh, ow] = [h * this.size[0], w * this.size[1]];
    const g = { h, w, c, oh, ow, oc: c, pt: 0, pl: 0, pb: 0, pr: 0 };
    return layerPlan({ kind: LAYER_UP_SAMPLING, inShape, outShape: [oh, ow, c], args: geometryArgs(g, { kernel: this.size, strides: this.size, dilation: [1, 1], padding: 'valid' }) });
  }
}

/** Options of `df.layers.zeroPadding2d(config)`. */
export interface ZeroPadding2DConfig extends InputConfig {
  /** n (all sides), [rows, cols] (symmetric), or [[top, bottom], [left, right]]; default 1. */
  padding?: number | [number, number] | [[number, number], [number, number]];
  /** Only 'channelsLast', Keras's default. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default 'zero_padding2d', …). */
  name?: string;
}

const PAD_OPTIONS: OptionSpec<ZeroPadding2DConfig> = { known: { ...LAYER_OPTIONS, padding: true, dataFormat: true }, unsupported: LAYER_UNSUPPORTED };

/** Adds rows and columns of zeros around each image. */
export class ZeroPadding2D extends Layer {
  readonly className = 'ZeroPadding2D';
  readonly kindName = 'zero_padding2d';
  /** [[top, bottom], [left, right]]. */
  readonly padding: [[number, number], [number, number]];

  constructor(config: ZeroPadding2DConfig = {}) {
    if (config === null || typeof config !== 'object') throw new Error('zeroPadding2d: expected a config object such as { padding: 1 }');
    config = checkOptions('zeroPadding2d', config, PAD_OPTIONS);
    super('zeroPadding2d', config);
    const p = config.padding ?? 1;
    const ok = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 1 << 16;
    const bad = () => new Error(`zeroPadding2d: padding must be n, [rows, cols] or [[top, bottom], [left, right]] of integers ≥ 0, got ${JSON.stringify(p)}`);
    if (typeof p === 'number') {
      if (!ok(p)) throw bad();
      this.padding = [[p, p], [p, p]];
    } else if (Array.isArray(p) && p.length === 2 && p.every((v) => typeof v === 'number')) {
      const [r, c] = p as [number, number];
      if (!ok(r) || !ok(c)) throw bad();
      this.padding = [[r, r], [c, c]];
    } else if (Array.isArray(p) && p.length === 2 && p.every((v) => Array.isArray(v) && v.length === 2 && v.every(ok))) {
      const [[t, b], [l, r]] = p as [[number, number], [number, number]];
      this.padding = [[t, b], [l, r]];
    } else throw bad();
    channelsLast('zeroPadding2d: dataFormat', config.dataFormat);
  }

  computeOutputShape(inShape: number[]): number[] {
    const [h, w, c] = imageShape(inShape, (what) => this.shapeError(what));
    const [[t, b], [l, r]] = this.padding;
    return [h + t + b, w + l + r, c];
  }

  plan(inShape: number[]): LayerPlan {
    const [h, w, c] = imageShape(inShape, (what) => this.shapeError(what));
    const [[pt, pb], [pl, pr]] = this.padding;
    const g = { h, w, c, oh: h + pt + pb, ow: w + pl + pr, oc: c, pt, pl, pb, pr };
    return layerPlan({ kind: LAYER_ZERO_PADDING, inShape, outShape: [g.oh, g.ow, c], args: geometryArgs(g) });
  }
}

/** df.layers.upSampling2d({ size: 2 }). */
export const upSampling2d = (config?: UpSampling2DConfig) => new UpSampling2D(config);
/** df.layers.zeroPadding2d({ padding: 1 }). */
export const zeroPadding2d = (config?: ZeroPadding2DConfig) => new ZeroPadding2D(config);
