// Flatten and Reshape: the same values, row-major, in another shape. Rows are already laid out in
// Keras's order (channels_last, last axis fastest), so both are copies of the row.
import { LAYER_RESHAPE } from '../shared/plan.js';
import { showShape, sizeOf, type InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { channelsLast } from './geometry.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

/** Options of `df.layers.flatten(config)`. */
export interface FlattenConfig extends InputConfig {
  /** Only 'channelsLast', Keras's default. */
  dataFormat?: 'channelsLast';
  /** The layer's name (default 'flatten', 'flatten_1', …). */
  name?: string;
}

const FLATTEN_OPTIONS: OptionSpec<FlattenConfig> = { known: { ...LAYER_OPTIONS, dataFormat: true }, unsupported: LAYER_UNSUPPORTED };

/** Reshapes each row to one axis: [h, w, c] → [h · w · c]. */
export class Flatten extends Layer {
  readonly className = 'Flatten';
  readonly kindName = 'flatten';

  constructor(config: FlattenConfig = {}) {
    if (config === null || typeof config !== 'object') throw new Error('flatten: expected a config object');
    config = checkOptions('flatten', config, FLATTEN_OPTIONS);
    super('flatten', config);
    channelsLast('flatten: dataFormat', config.dataFormat);
  }

  computeOutputShape(inShape: number[]): number[] {
    return [sizeOf(inShape)];
  }

  plan(inShape: number[]): LayerPlan {
    return layerPlan({ kind: LAYER_RESHAPE, inShape, outShape: this.computeOutputShape(inShape) });
  }
}

/** Options of `df.layers.reshape(config)`. */
export interface ReshapeConfig extends InputConfig {
  /** The new shape of each row; one entry may be -1 (inferred). */
  targetShape: number[];
  /** The layer's name (default 'reshape', 'reshape_1', …). */
  name?: string;
}

const RESHAPE_OPTIONS: OptionSpec<ReshapeConfig> = { known: { ...LAYER_OPTIONS, targetShape: true }, unsupported: LAYER_UNSUPPORTED };

/** Reshapes each row to `targetShape` (the batch axis stays). */
export class Reshape extends Layer {
  readonly className = 'Reshape';
  readonly kindName = 'reshape';
  /** The shape of each output row. */
  readonly targetShape: number[];

  constructor(config: ReshapeConfig) {
    if (!config || typeof config !== 'object') throw new Error('reshape: expected a config object such as { targetShape: [7, 7, 64] }');
    config = checkOptions('reshape', config, RESHAPE_OPTIONS);
    super('reshape', config);
    const t = config.targetShape;
    if (!Array.isArray(t) || t.length === 0 || t.length > 4 || !t.every((d) => d === -1 || (Number.isInteger(d) && d > 0))) {
      throw new Error(`reshape: targetShape must be 1 to 4 positive integers (one may be -1), got ${JSON.stringify(t)}`);
    }
    if (t.filter((d) => d === -1).length > 1) throw new Error(`reshape: at most one entry of targetShape may be -1, got ${JSON.stringify(t)}`);
    this.targetShape = [...t];
  }

  computeOutputShape(inShape: number[]): number[] {
    const n = sizeOf(inShape);
    const known = sizeOf(this.targetShape.filter((d) => d !== -1));
    const out = this.targetShape.map((d) => (d === -1 ? n / known : d));
    if (!out.every((d) => Number.isInteger(d) && d > 0) || sizeOf(out) !== n) {
      throw this.shapeError(`cannot reshape rows of shape ${showShape(inShape)} (${n} values) to ${showShape(this.targetShape)}`);
    }
    return out;
  }

  plan(inShape: number[]): LayerPlan {
    return layerPlan({ kind: LAYER_RESHAPE, inShape, outShape: this.computeOutputShape(inShape) });
  }
}

/** df.layers.flatten(). */
export const flatten = (config?: FlattenConfig) => new Flatten(config);
/** df.layers.reshape({ targetShape }). */
export const reshape = (config: ReshapeConfig) => new Reshape(config);
