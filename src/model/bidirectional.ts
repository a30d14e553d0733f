// Bidirectional (Keras 3's semantics, tfjs's names): a recurrent layer run forward and a copy of it run
// backward over the same sequence, outputs concatenated; both directions are one record, one WASM call.
import { checkOptions, type OptionSpec } from '../options.js';
import { Layer, type LayerPlan } from './base.js';
import { LAYER_OPTIONS, LAYER_UNSUPPORTED } from './options.js';
import { RNN, recurrentPlan } from './recurrent.js';
import type { InputConfig } from './input.js';

/** How the two directions' outputs combine. */
export type MergeMode = 'concat';

/** Options of `df.layers.bidirectional(config)`. */
export interface BidirectionalConfig extends InputConfig {
  /** The recurrent layer to run both ways (df.layers.lstm, gru or simpleRNN), not added to any model itself. */
  layer: RNN;
  /** How the outputs combine (default 'concat': forward units, then backward units). */
  mergeMode?: MergeMode;
  /** The layer's name (default 'bidirectional', 'bidirectional_1', …). */
  name?: string;
}

const OPTIONS: OptionSpec<BidirectionalConfig> = {
  known: { ...LAYER_OPTIONS, layer: true, mergeMode: true },
  unsupported: {
    ...LAYER_UNSUPPORTED,
    backwardLayer: { instead: 'the backward direction is a copy of `layer` (Keras\'s default); leave backwardLayer out', harmless: (v) => v === undefined || v === null },
  },
};

/** A recurrent layer over the sequence in both directions. */
export class Bidirectional extends Layer {
  readonly className = 'Bidirectional';
  readonly kindName = 'bidirectional';
  /** The wrapped recurrent layer (its weights are the forward direction's). */
  readonly layer: RNN;
  /** How the outputs combine. */
  readonly mergeMode: MergeMode;

  constructor(config: BidirectionalConfig) {
    if (!config || typeof config !== 'object') throw new Error('bidirectional: expected a config object such as { layer: df.layers.lstm({ units: 32 }) }');
    config = checkOptions('bidirectional', config, OPTIONS);
    if (!(config.layer instanceof RNN)) {
      throw new Error(`bidirectional: layer must be a recurrent layer (df.layers.lstm, gru or simpleRNN), got ${describe(config.layer)}`);
    }
    const mode = config.mergeMode ?? 'concat';
    if (mode !== 'concat') {
      throw new Error(`bidirectional: mergeMode ${JSON.stringify(mode)} is not supported; only 'concat' (the default) is`);
    }
    super('bidirectional', { inputShape: config.inputShape ?? config.layer.inputShape, inputDim: config.inputDim, batchInputShape: config.batchInputShape, name: config.name });
    this.layer = config.layer;
    this.mergeMode = mode;
  }

  computeOutputShape(inShape: number[]): number[] {
    const inner = this.layer.computeOutputShape(inShape);
    return [...inner.slice(0, -1), 2 * this.layer.units];
  }

  /** A mask goes on with a returned sequence, as the wrapped layer's. */
  override maskOut(maskIn: boolean): boolean {
    return this.layer.maskOut(maskIn);
  }

  plan(inShape: number[], masked = false): LayerPlan {
    // Keras zeroes the masked steps' outputs of both directions when it returns sequences.
    return recurrentPlan([this.layer, this.layer], inShape, masked, true, this.computeOutputShape(inShape));
  }
}

function describe(v: unknown): string {
  if (v instanceof Layer) return `a ${v.className} layer`;
  return v === null ? 'null' : typeof v;
}

/** df.layers.bidirectional({ layer: df.layers.lstm({ units }) }). */
export function bidirectional(config: BidirectionalConfig): Bidirectional {
  return new Bidirectional(config);
}
