// model.weights: tfjs's LayerVariable, a named handle on one weight that reads and writes the model's
// current values (a copy each time; the values themselves stay in the model's WASM memory).
import type { Input, Tensor } from '../tensor.js';
import type { Layer } from './base.js';

/** One weight of a model, as tfjs's model.weights lists it: name, shape, dtype, trainable, read() and write(). */
export class LayerVariable {
  /** 'layer/weight', as tfjs names it: 'dense/kernel', 'batch_normalization/moving_mean'. */
  readonly name: string;
  /** tfjs keeps the name it was created with here; deltaflow's never change. */
  readonly originalName: string;
  /** The weight's shape: [in, out] for a kernel, [units] for a bias. */
  readonly shape: number[];
  /** Always 'float32'. */
  readonly dtype = 'float32' as const;
  /** false for state the layer updates itself (BatchNormalization's moving statistics). */
  readonly trainable: boolean;

  constructor(
    private readonly layer: Layer,
    /** Its place in layer.getWeights(). */
    private readonly index: number,
    name: string,
    shape: readonly number[],
    trainable: boolean,
  ) {
    this.name = name;
    this.originalName = name;
    this.shape = [...shape];
    this.trainable = trainable;
  }

  /** A copy of the weight's current values. */
  read(): Tensor {
    return this.layer.getWeights()[this.index];
  }

  /** Replaces the weight's values (same shape); checked before anything is written. */
  write(values: Input): void {
    const all: Input[] = this.layer.getWeights();
    all[this.index] = values;
    this.layer.setWeights(all);
  }

  /** Present for code ported from tfjs: the values live in the model, so there is nothing to free. */
  dispose(): void {}
}
