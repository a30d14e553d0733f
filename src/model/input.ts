// What every layer may declare about the model's input, and its optional name.

export interface InputConfig {
  /** [inputDim]: the width of the model's input (first layer only). */
  inputShape?: readonly number[];
  /** Same as inputShape: [inputDim]. */
  inputDim?: number;
  /** [null, inputDim], as tfjs/Keras write it. */
  batchInputShape?: readonly (number | null)[];
}

/** The input width a layer config declares, if any; `kind` names the layer in errors. */
export function declaredInput(kind: string, config: InputConfig): number | undefined {
  let dim: unknown;
  if (config.inputShape !== undefined) {
    if (!Array.isArray(config.inputShape) || config.inputShape.length !== 1) {
      throw new Error(`${kind}: inputShape must be [features] (the model takes rows of numbers), got ${JSON.stringify(config.inputShape)}`);
    }
    dim = config.inputShape[0];
  } else if (config.batchInputShape !== undefined) {
    if (!Array.isArray(config.batchInputShape) || config.batchInputShape.length !== 2) {
      throw new Error(`${kind}: batchInputShape must be [batch, features], got ${JSON.stringify(config.batchInputShape)}`);
    }
    dim = config.batchInputShape[1];
  } else if (config.inputDim !== undefined) dim = config.inputDim;
  else return undefined;
  if (!Number.isInteger(dim) || (dim as number) <= 0) throw new Error(`${kind}: the input width must be a positive integer, got ${JSON.stringify(dim)}`);
  return dim as number;
}

/** A layer's name, checked; undefined lets the model pick 'dense', 'dense_1', …. */
export function layerName(kind: string, name: unknown): string | undefined {
  if (name === undefined) return undefined;
  if (typeof name !== 'string' || name === '') throw new Error(`${kind}: name must be a non-empty string, got ${JSON.stringify(name)}`);
  return name;
}
