// What every pooling layer shares whatever its rank: the options, the window read from them, and a plan
// for the 2-D kernels (a sequence [steps, c] runs as the image [1, steps, c]). pooling.ts and pooling1d.ts
// give each rank's window and shapes.
import { LAYER_GLOBAL_MAX_POOL, LAYER_MAX_POOL } from '../shared/plan.js';
import { sizeOf, type InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { channelsLast, geometryArgs, type Geometry } from './geometry.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

/** The options a sliding pooling layer reads, whatever its rank. */
interface WindowPoolingOptions extends InputConfig {
  poolSize?: unknown;
  strides?: unknown;
  padding?: unknown;
  dataFormat?: 'channelsLast';
  name?: string;
}

const OPTIONS: OptionSpec<WindowPoolingOptions> = {
  known: { ...LAYER_OPTIONS, poolSize: true, strides: true, padding: true, dataFormat: true },
  unsupported: LAYER_UNSUPPORTED,
};

/** A pooling window of one rank: how it reads its options and where it lies over a row. */
export interface PoolingRank<W> {
  /** The window from poolSize, strides and padding; `kind` names the layer in errors. */
  window(kind: string, config: WindowPoolingOptions): W;
  /** Where the window goes over rows of `inShape`, as the 2-D kernels see it; `fail` names the layer. */
  slide(inShape: number[], window: W, fail: (what: string) => Error): Geometry;
  /** The output row's shape. */
  outShape(g: Geometry): number[];
  /** The kernels' argument words. */
  args(g: Geometry, window: W): number[];
}

/** MaxPooling and AveragePooling of any rank: a window slid over each channel. */
export abstract class WindowPooling<W> extends Layer {
  /** The window: pool size, strides and padding. */
  readonly window: W;
  protected abstract readonly kind: number;
  private readonly rank: PoolingRank<W>;

  constructor(kind: string, config: WindowPoolingOptions = {}, rank: PoolingRank<W>) {
    if (config === null || typeof config !== 'object') throw new Error(`${kind}: expected a config object such as { poolSize: 2 }`);
    config = checkOptions(kind, config, OPTIONS);
    super(kind, config);
    this.rank = rank;
    this.window = rank.window(kind, config);
    channelsLast(`${kind}: dataFormat`, config.dataFormat);
  }

  computeOutputShape(inShape: number[]): number[] {
    return this.rank.outShape(this.geometry(inShape));
  }

  plan(inShape: number[]): LayerPlan {
    const g = this.geometry(inShape);
    const outShape = this.rank.outShape(g);
    // Max pooling keeps each output's argmax (an index into the input row) for backward.
    return layerPlan({ kind: this.kind, inShape, outShape, aux: this.kind === LAYER_MAX_POOL ? sizeOf(outShape) : 0, args: this.rank.args(g, this.window) });
  }

  private geometry(inShape: number[]): Geometry {
    return this.rank.slide(inShape, this.window, (w) => this.shapeError(w));
  }
}

/** The options a global pooling layer reads, whatever its rank. */
interface GlobalPoolingOptions extends InputConfig {
  dataFormat?: 'channelsLast';
  name?: string;
}

const GLOBAL_OPTIONS: OptionSpec<GlobalPoolingOptions> = {
  known: { ...LAYER_OPTIONS, dataFormat: true },
  unsupported: { ...LAYER_UNSUPPORTED, keepdims: { instead: 'add a reshape() after it', harmless: (v) => !v } },
};

/** A row of `inShape` as the image [h, w, c] the kernels reduce; `fail` names the layer. */
export type RowImage = (inShape: number[], fail: (what: string) => Error) => [number, number, number];

/** GlobalAveragePooling and GlobalMaxPooling of any rank: every position reduced to one value per channel. */
export abstract class GlobalPooling extends Layer {
  protected abstract readonly kind: number;
  private readonly image: RowImage;

  constructor(kind: string, config: GlobalPoolingOptions = {}, image: RowImage) {
    if (config === null || typeof config !== 'object') throw new Error(`${kind}: expected a config object`);
    config = checkOptions(kind, config, GLOBAL_OPTIONS);
    super(kind, config);
    this.image = image;
    channelsLast(`${kind}: dataFormat`, config.dataFormat);
  }

  computeOutputShape(inShape: number[]): number[] {
    return [this.image(inShape, (w) => this.shapeError(w))[2]];
  }

  plan(inShape: number[]): LayerPlan {
    const [h, w, c] = this.image(inShape, (what) => this.shapeError(what));
    const g = { h, w, c, oh: 1, ow: 1, oc: c, pt: 0, pl: 0, pb: 0, pr: 0 };
    return layerPlan({ kind: this.kind, inShape, outShape: [c], aux: this.kind === LAYER_GLOBAL_MAX_POOL ? c : 0, args: geometryArgs(g) });
  }
}
