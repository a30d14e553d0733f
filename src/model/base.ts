// The layer contract: what the planner, summary(), getWeights/setWeights, save/load and initialization
// need from a layer, so none of them asks which kind it is. A kind is one class extending Layer (its
// output shape, its weights, its per-row buffers) and one file in assembly/layers/ (forward, backward).
import { declaredInput, layerName, sizeOf, type InputConfig } from './input.js';
import type { LayerPlan } from '../engine/contract.js';
import type { Input, Matrix, Tensor } from '../tensor.js';
import { tfjsConfig, type ConfigDict } from './layer-config.js';

export { layerPlan, type LayerPlan, type WeightSpec } from '../engine/contract.js';

/**
 * The model a layer belongs to, as the layer sees it: its weights live in the model's arena, so the
 * layer asks the model for them instead of reaching into the engine (the model attaches itself in add()).
 */
export interface LayerOwner {
  /** The shape of one input row of `layer`, once the model knows its own input shape. */
  layerInputShape(layer: Layer): number[] | undefined;
  /** Copies of `layer`'s weights in its own order (kernel, bias; gamma, beta, moving_mean, moving_variance), or only its trainable ones. */
  layerWeights(layer: Layer, trainableOnly: boolean): Tensor[];
  /** Replaces `layer`'s weights; every count, shape and value is checked before anything is written. */
  setLayerWeights(layer: Layer, weights: readonly Input[]): void;
}

/** What every layer shares: its name, the shapes it maps, its weights and its Keras/tfjs config; layers come from `df.layers`. */
export abstract class Layer {
  /** The Keras/tfjs class name: 'Dense', 'Conv2D'. */
  abstract readonly className: string;
  /** The prefix of default names, as Keras makes them: 'dense', 'conv2d', 'max_pooling2d'. */
  abstract readonly kindName: string;
  /** The layer's name: the one given, or Keras's default ('dense', 'dense_1', …) once it is in a model. */
  name?: string;
  /** The per-row input shape this layer declares, if any. */
  readonly inputShape?: number[];
  /** The model this layer was last added to. */
  private owner?: LayerOwner;

  constructor(kind: string, config: InputConfig & { name?: string }) {
    this.inputShape = declaredInput(kind, config);
    this.name = layerName(kind, config.name);
  }

  /** The input width this layer declares, if any (the product of its inputShape). */
  get inputDim(): number | undefined {
    return this.inputShape && sizeOf(this.inputShape);
  }

  /** The activation this layer applies last, when its backward pass can start from dLoss/dz (the fused sigmoid+BCE, softmax+CCE). */
  get finalActivation(): number | undefined {
    return undefined;
  }

  /** Why this layer can only be a model's first layer (its inputs are not another layer's floats), or undefined. */
  get firstOnly(): string | undefined {
    return undefined;
  }

  /** As the first layer, checks the values of the model's input rows before anything runs (Embedding: indices); most layers take any. */
  checkInputValues(_x: Matrix): void {}

  /** Before a pass with a loss (fit, evaluate, trainOnBatch, computeGradients): refuses a model whose numbers would differ from Keras's. */
  checkTraining(_layers: readonly Layer[]): void {}

  /** Before predict: refuses a model whose predictions would differ from Keras's. */
  checkPrediction(_layers: readonly Layer[]): void {}

  /** The output shape per row for input rows of shape `inShape`; throws, naming the layer, on a shape it cannot take. */
  abstract computeOutputShape(inShape: number[]): number[];

  /**
   * Everything the planner needs for input rows of shape `inShape`; `masked`: its input carries a mask
   * (an Embedding with maskZero reaches it), which recurrent layers consume.
   */
  abstract plan(inShape: number[], masked?: boolean): LayerPlan;

  /** Whether this layer's output carries a mask, given whether its input does (Keras's compute_mask): most layers drop it. */
  maskOut(_maskIn: boolean): boolean {
    return false;
  }

  /** @internal Called by the model that adds this layer: from now on the layer's weights are that model's. */
  attachTo(owner: LayerOwner): void {
    this.owner = owner;
  }

  /** tfjs's layer.outputShape: [null, …per-row shape], the batch axis as null; an error while the input shape is unknown. */
  get outputShape(): (number | null)[] {
    return [null, ...this.computeOutputShape(this.builtInput('outputShape'))];
  }

  /**
   * Copies of this layer's weights, tfjs's order: kernel then bias; BatchNormalization gamma, beta,
   * moving_mean, moving_variance. `trainableOnly` leaves out the ones training does not change (as tfjs).
   */
  getWeights(trainableOnly = false): Tensor[] {
    this.builtInput('getWeights');
    return this.owner!.layerWeights(this, trainableOnly);
  }

  /** Replaces this layer's weights (same count and shapes as getWeights()); a bad call changes nothing. */
  setWeights(weights: readonly Input[]): void {
    this.builtInput('setWeights');
    this.owner!.setLayerWeights(this, weights);
  }

  /** The number of values in this layer's weights, trainable or not (tfjs's countParams). */
  countParams(): number {
    return this.plan(this.builtInput('countParams')).weights.reduce((n, w) => n + sizeOf(w.shape), 0);
  }

  /** tfjs's layer.getConfig(): the config model.save() writes for this layer, with tfjs's camelCase keys. */
  getConfig(): ConfigDict {
    return tfjsConfig(this);
  }

  /** The shape of one input row, or an error naming the layer and `what` was asked while it is not known. */
  private builtInput(what: string): number[] {
    const shape = this.owner?.layerInputShape(this);
    if (shape) return shape;
    const who = `layer '${this.name ?? this.kindName}' (${this.className})`;
    if (!this.owner) throw new Error(`${what}: ${who} is not built: add it to a model (df.sequential) whose first layer has an inputShape`);
    throw new Error(`${what}: ${who} is not built yet: its model does not know its input shape; give the first layer an inputShape, or call fit or predict`);
  }

  /** The error a layer gives for an input shape it cannot take. */
  protected shapeError(what: string): Error {
    return new Error(`layer '${this.name ?? this.kindName}' (${this.className}): ${what}`);
  }
}
