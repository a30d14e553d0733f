// What every layer may declare about the model's input, and its optional name.

/** The input options any layer accepts; the first layer's declare the model's input. */
export interface InputConfig {
  /** The shape of one input row without the batch axis: [features], or [height, width, channels] for images. */
  inputShape?: readonly number[];
  /** Same as inputShape: [inputDim]. */
  inputDim?: number;
  /** [null, …inputShape], as tfjs/Keras write it. */
  batchInputShape?: readonly (number | null)[];
}

/** Dimensions past this are refused up front: no real row has them, and products stay exact. */
const MAX_DIM = 1 << 24;

/** The per-row input shape a layer config declares, if any; `kind` names the layer in errors. */
export function declaredInput(kind: string, config: InputConfig): number[] | undefined {
  let dims: unknown[];
  if (config.inputShape !== undefined) {
    if (!Array.isArray(config.inputShape) || config.inputShape.length === 0) {
      throw new Error(`${kind}: inputShape must be a non-empty array such as [features] or [28, 28, 1], got ${JSON.stringify(config.inputShape)}`);
    }
    dims = config.inputShape;
  } else if (config.batchInputShape !== undefined) {
    if (!Array.isArray(config.batchInputShape) || config.batchInputShape.length < 2) {
      throw new Error(`${kind}: batchInputShape must be [batch, …shape], got ${JSON.stringify(config.batchInputShape)}`);
    }
    dims = config.batchInputShape.slice(1);
  } else if (config.inputDim !== undefined) dims = [config.inputDim];
  else return undefined;
  for (const d of dims) {
    if (!Number.isInteger(d) || (d as number) <= 0 || (d as number) > MAX_DIM) {
      throw new Error(`${kind}: every input dimension must be a positive integer, got ${JSON.stringify(dims)}`);
    }
  }
  if (dims.length > 4) throw new Error(`${kind}: inputs of rank ${dims.length} per row are not supported (at most [height, width, channels])`);
  return dims as number[];
}

/** A layer's name, checked; undefined lets the model pick 'dense', 'dense_1', …. */
export function layerName(kind: string, name: unknown): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== 'string' || name === '') throw new Error(`${kind}: name must be a non-empty string, got ${JSON.stringify(name)}`);
  return name;
}

/** The number of values in one row of this shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A shape as Keras prints it: [28, 28, 1]. */
export function showShape(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
