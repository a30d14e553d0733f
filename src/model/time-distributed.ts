// TimeDistributed: applies one inner layer to every time step of [timesteps, …] rows (Keras 3's semantics,
// tfjs's names). The inner layers it takes act on the last axis or on each value (Dense, Activation,
// LeakyReLU), so applying one per step is applying it to the whole row: it plans as the inner layer on
// the same input, and its weights are the inner layer's, saved under the wrapper's name (tfjs's).
import { Layer, type LayerOwner, type LayerPlan } from './base.js';
import { isLayer } from './layer.js';
import { showShape, type InputConfig } from './input.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';

/**
 * The inner layer kinds (Keras class names) timeDistributed takes: those whose output at one time step
 * depends only on that step, over its last axis or value by value, so one pass over the row is exact.
 */
export const STEPWISE_LAYERS: ReadonlySet<string> = new Set(['Dense', 'Activation', 'LeakyReLU']);

/** Options of `df.layers.timeDistributed(config)`. */
export interface TimeDistributedConfig extends InputConfig {
  /** The layer applied to every time step: a new df.layers.dense (or activation, leakyReLU), not in any model. */
  layer: Layer;
  /** The layer's name (default 'time_distributed', 'time_distributed_1', …); its weights are saved under it. */
  name?: string;
}

const OPTIONS: OptionSpec<TimeDistributedConfig> = { known: { ...LAYER_OPTIONS, layer: true }, unsupported: LAYER_UNSUPPORTED };

/** The model (or wrapper) a layer is attached to, if any: Layer keeps it private, as no one else needs it. */
const ownerOf = (layer: Layer): LayerOwner | undefined => (layer as unknown as { owner?: LayerOwner }).owner;

/** Applies its inner layer to every time step (axis 1) of its input: [timesteps, …] → [timesteps, …inner output]. */
export class TimeDistributed extends Layer {
  readonly className = 'TimeDistributed';
  readonly kindName = 'time_distributed';
  /** The inner layer, applied to each time step; its getWeights() are this layer's. */
  readonly layer: Layer;
  /** The model this layer belongs to, which the inner layer asks through `innerOwner`. */
  private model?: LayerOwner;
  /** What the inner layer sees as its model: this wrapper, one time step of its input, its weights. */
  private readonly innerOwner: LayerOwner = {
    layerInputShape: () => this.model?.layerInputShape(this)?.slice(1),
    layerWeights: (_layer, trainableOnly) => this.getWeights(trainableOnly),
    setLayerWeights: (_layer, weights) => this.setWeights(weights),
  };

  constructor(config: TimeDistributedConfig) {
    if (!config || typeof config !== 'object') throw new Error('timeDistributed: expected a config object such as { layer: df.layers.dense({ units: 8 }) }');
    config = checkOptions('timeDistributed', config, OPTIONS);
    const inner = config.layer;
    if (!isLayer(inner)) {
      const got = inner === null ? 'null' : typeof inner === 'object' ? `an object (${(inner as object).constructor?.name ?? 'no class'})` : typeof inner;
      throw new Error(`timeDistributed: layer must be a deltaflow layer such as df.layers.dense({ units: 8 }), got ${got}`);
    }
    const who = `layer '${inner.name ?? inner.kindName}' (${inner.className})`;
    if (!STEPWISE_LAYERS.has(inner.className)) {
      const dropout = inner.className === 'Dropout' ? '; dropout already drops each value on its own: put df.layers.dropout before or after timeDistributed instead' : '';
      throw new Error(`timeDistributed: ${who} cannot be applied per time step here; the inner layer must be one of ${[...STEPWISE_LAYERS].join(', ')}${dropout}`);
    }
    if (ownerOf(inner)) throw new Error(`timeDistributed: ${who} is already in a model or another timeDistributed; give timeDistributed a new layer`);
    super('timeDistributed', config);
    this.layer = inner;
    if (this.inputShape) this.stepShape(this.inputShape, (what) => new Error(`timeDistributed: ${what}`));
    inner.attachTo(this.innerOwner);
  }

  override get finalActivation(): number | undefined {
    return this.layer.finalActivation;
  }

  /** A mask passes through to every step's output (Keras). */
  override maskOut(maskIn: boolean): boolean {
    return maskIn;
  }

  computeOutputShape(inShape: number[]): number[] {
    return this.inner((l) => l.computeOutputShape(inShape), inShape);
  }

  plan(inShape: number[]): LayerPlan {
    // The inner layer over the whole row is the inner layer per step: the same kind, weights and buffers.
    return this.inner((l) => l.plan(inShape), inShape);
  }

  /** @internal The model's weights are this layer's and, through it, the inner layer's. */
  override attachTo(owner: LayerOwner): void {
    super.attachTo(owner);
    this.model = owner;
  }

  /** The inner layer's answer for input rows of shape `inShape`, after checking the shape; its errors name this layer. */
  private inner<T>(ask: (layer: Layer) => T, inShape: number[]): T {
    this.stepShape(inShape, (what) => this.shapeError(what));
    if (ownerOf(this.layer) !== this.innerOwner) {
      throw this.shapeError(`its inner layer '${this.layer.name ?? this.layer.kindName}' (${this.layer.className}) has since been added to a model of its own; wrap a new layer instead`);
    }
    try {
      return ask(this.layer);
    } catch (e) {
      throw this.shapeError(`inner ${(e as Error).message}`);
    }
  }

  /** One time step of `inShape`, checked: a time axis and at least one more, and the inner layer's declared inputShape (if any) matching. */
  private stepShape(inShape: readonly number[], error: (what: string) => Error): number[] {
    if (inShape.length < 2) throw error(`its input must have a time axis and at least one more ([timesteps, features]), got rows of shape ${showShape(inShape)}`);
    const step = inShape.slice(1);
    const declared = this.layer.inputShape;
    if (declared && showShape(declared) !== showShape(step)) {
      throw error(`its inner layer '${this.layer.name ?? this.layer.kindName}' declares inputShape ${showShape(declared)}, but one time step of its input ${showShape(inShape)} has shape ${showShape(step)}`);
    }
    return step;
  }
}

/** df.layers.timeDistributed({ layer: df.layers.dense({ units }), inputShape: [timesteps, features] }). */
export function timeDistributed(config: TimeDistributedConfig): TimeDistributed {
  return new TimeDistributed(config);
}
