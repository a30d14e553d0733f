// Embedding: integer indices [timesteps] → rows of a trained table, [timesteps, outputDim] (Keras 3's
// semantics, tfjs's names). Its inputs are indices, not another layer's floats, so it comes first, and
// every index is checked before anything runs: an index outside the table is an error, never a clamp.
import { resolveInitializer, type Initializer, type InitializerName } from '../registry/initializers.js';
import { resolveRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers.js';
import { checkPositiveInteger } from '../numbers.js';
import { LAYER_EMBEDDING } from '../shared/plan.js';
import type { Matrix } from '../tensor.js';
import { showShape, type InputConfig } from './input.js';
import { Layer, layerPlan, type LayerPlan } from './base.js';
import { checkOptions, type OptionSpec } from '../options.js';
import { LAYER_UNSUPPORTED } from './options.js';

/** Indices are staged as float32, which holds every integer up to 2^24 exactly. */
const MAX_INPUT_DIM = 2 ** 24;

/** Options of `df.layers.embedding(config)`. */
export interface EmbeddingConfig extends Omit<InputConfig, 'inputDim'> {
  /** The number of rows of the table: indices run from 0 to inputDim − 1 (the vocabulary size, + 1 with maskZero). */
  inputDim: number;
  /** The length of each row of the table: the output per index. */
  outputDim: number;
  /** How the table starts (default 'randomUniform', ±0.05 as in Keras and tfjs). */
  embeddingsInitializer?: InitializerName | Initializer;
  /** Adds l1·Σ|w| + l2·Σw² of the table to the training loss. */
  embeddingsRegularizer?: RegularizerIdentifier;
  /**
   * Index 0 is padding (Keras's mask_zero; default false): recurrent layers skip those steps, carrying their
   * state over, and globalAveragePooling1d averages over the others. A model where Keras would use the mask
   * elsewhere (reaching the loss or a batchNormalization) is refused; after flatten() (which drops the mask
   * in Keras too) nothing changes.
   */
  maskZero?: boolean;
  /** The number of indices per row (tfjs's inputLength): the same as inputShape [inputLength]. */
  inputLength?: number | number[];
  /** The layer's name (default 'embedding', 'embedding_1', …). */
  name?: string;
}

const OPTIONS: OptionSpec<EmbeddingConfig> = {
  known: {
    inputShape: true, batchInputShape: true, name: true,
    inputDim: true, outputDim: true, embeddingsInitializer: true, embeddingsRegularizer: true, maskZero: true, inputLength: true,
  },
  unsupported: {
    ...LAYER_UNSUPPORTED,
    embeddingsConstraint: { instead: 'constrain the table yourself after each epoch (a callback with getWeights/setWeights)', harmless: (v) => v == null },
    sparse: { instead: 'the table is trained densely, as tfjs does', harmless: (v) => v == null || v === false },
    loraRank: { instead: 'LoRA is not supported', harmless: (v) => v == null },
  },
};

/** Keras 3 layers that compute with a mask deltaflow does not apply: their numbers would differ. */
const USES_MASK = new Set(['BatchNormalization']);

/** A trained lookup table: each integer index in a row becomes that row of the table. */
export class Embedding extends Layer {
  readonly className = 'Embedding';
  readonly kindName = 'embedding';
  /** The number of rows of the table. */
  private readonly rows: number;
  /** The length of each table row. */
  readonly outputDim: number;
  /** How the table starts. */
  readonly embeddingsInitializer: Initializer;
  /** The penalty on the table added to the loss, if any. */
  readonly embeddingsRegularizer?: Regularizer;
  /** Whether index 0 is padding (Keras's mask_zero). */
  readonly maskZero: boolean;
  /** The number of indices per row, as given (tfjs's inputLength). */
  readonly inputLength?: number | number[];

  constructor(config: EmbeddingConfig) {
    if (!config || typeof config !== 'object') throw new Error('embedding: expected a config object such as { inputDim: 1000, outputDim: 8 }');
    config = checkOptions('embedding', config, OPTIONS);
    const length = config.inputLength === undefined || config.inputLength === null ? undefined : lengths(config.inputLength);
    const declared = config.inputShape ?? config.batchInputShape?.slice(1);
    if (length && declared && showShape(length) !== showShape(declared as number[])) {
      throw new Error(`embedding: inputLength ${JSON.stringify(config.inputLength)} does not match the input shape ${JSON.stringify(declared)}`);
    }
    super('embedding', { inputShape: config.inputShape ?? (config.batchInputShape ? undefined : length), batchInputShape: config.batchInputShape, name: config.name });
    this.rows = checkPositiveInteger('embedding: inputDim', config.inputDim, MAX_INPUT_DIM);
    this.outputDim = checkPositiveInteger('embedding: outputDim', config.outputDim);
    this.embeddingsInitializer = resolveInitializer(config.embeddingsInitializer ?? 'randomUniform');
    this.embeddingsRegularizer = resolveRegularizer('embedding: embeddingsRegularizer', config.embeddingsRegularizer);
    if (config.maskZero !== undefined && typeof config.maskZero !== 'boolean') throw new Error(`embedding: maskZero must be true or false, got ${JSON.stringify(config.maskZero)}`);
    this.maskZero = config.maskZero ?? false;
    this.inputLength = length && (typeof config.inputLength === 'number' ? length[0] : length);
  }

  /** The number of rows of the table (indices 0 … inputDim − 1), tfjs's inputDim; not the input's width as for other layers. */
  override get inputDim(): number {
    return this.rows;
  }

  override get firstOnly(): string {
    return 'its inputs are integer indices (as Keras requires), not the output of another layer';
  }

  computeOutputShape(inShape: number[]): number[] {
    return [...inShape, this.outputDim];
  }

  /** With maskZero, index 0 marks padding: the mask recurrent layers use to skip those steps. */
  override maskOut(): boolean {
    return this.maskZero;
  }

  plan(inShape: number[]): LayerPlan {
    const { inputDim, outputDim } = this;
    const embeddings = { name: 'embeddings', shape: [inputDim, outputDim], fanIn: inputDim, fanOut: outputDim, initializer: this.embeddingsInitializer, regularizer: this.embeddingsRegularizer };
    return layerPlan({ kind: LAYER_EMBEDDING, inShape, outShape: this.computeOutputShape(inShape), weights: [embeddings], args: [inputDim] });
  }

  /** Every value of x must be an integer in [0, inputDim): the first bad one is named by row, position and value. */
  override checkInputValues(x: Matrix): void {
    const { data, cols } = x;
    for (let at = 0; at < data.length; at++) {
      const v = data[at];
      if (Number.isInteger(v) && v >= 0 && v < this.inputDim) continue;
      const what = Number.isInteger(v) ? `outside the table's ${this.inputDim} rows` : 'not an integer';
      throw new Error(
        `layer '${this.name ?? this.kindName}' (Embedding): x row ${Math.floor(at / cols)}, position ${at % cols} is ${v}, ${what}; ` +
          `its inputs must be integer indices in [0, ${this.inputDim - 1}] (inputDim ${this.inputDim})`,
      );
    }
  }

  /** With maskZero, Keras would compute with the mask if it reached the loss or a layer that uses it: refused, as deltaflow does not. */
  override checkTraining(layers: readonly Layer[]): void {
    if (!this.maskZero) return;
    // Each layer passes the mask on, consumes it (recurrent layers skip the masked steps) or drops it (Flatten).
    for (const l of layers.slice(layers.indexOf(this) + 1)) {
      if (USES_MASK.has(l.className)) throw this.maskError(`layer '${l.name}' (${l.className}), which in Keras computes with the mask`);
      if (!l.maskOut(true)) return;
    }
    throw this.maskError('the loss, which in Keras leaves the masked positions out');
  }

  private maskError(reached: string): Error {
    return new Error(
      `layer '${this.name ?? this.kindName}' (Embedding) has maskZero: its mask would reach ${reached}; deltaflow applies masks only in recurrent layers and globalAveragePooling1d, ` +
        'so the numbers would differ from Keras: add flatten() after it (Keras drops the mask there too), end the sequence with a recurrent layer, or set maskZero false',
    );
  }
}

/** tfjs's inputLength: one length, or one per axis. */
function lengths(v: unknown): number[] {
  const list = Array.isArray(v) ? v : [v];
  if (list.length === 0 || !list.every((n) => Number.isInteger(n) && n > 0)) throw new Error(`embedding: inputLength must be a positive integer or a list of them, got ${JSON.stringify(v)}`);
  return list as number[];
}

/** df.layers.embedding({ inputDim, outputDim, inputLength }). */
export function embedding(config: EmbeddingConfig): Embedding {
  return new Embedding(config);
}
