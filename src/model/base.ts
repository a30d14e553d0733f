// The layer contract: what the planner, summary(), getWeights/setWeights, save/load and initialization
// need from a layer, so none of them asks which kind it is. A kind is one class extending Layer (its
// output shape, its weights, its per-row buffers) and one file in assembly/layers/ (forward, backward).
import { declaredInput, layerName, sizeOf, type InputConfig } from './input.js';
import type { LayerPlan } from '../engine/contract.js';

export { layerPlan, type LayerPlan, type WeightSpec } from '../engine/contract.js';

export abstract class Layer {
  /** The Keras/tfjs class name: 'Dense', 'Conv2D'. */
  abstract readonly className: string;
  /** The prefix of default names, as Keras makes them: 'dense', 'conv2d', 'max_pooling2d'. */
  abstract readonly kindName: string;
  name?: string;
  /** The per-row input shape this layer declares, if any. */
  readonly inputShape?: number[];

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

  /** The output shape per row for input rows of shape `inShape`; throws, naming the layer, on a shape it cannot take. */
  abstract outputShape(inShape: number[]): number[];

  /** Everything the planner needs for input rows of shape `inShape`. */
  abstract plan(inShape: number[]): LayerPlan;

  /** The error a layer gives for an input shape it cannot take. */
  protected shapeError(what: string): Error {
    return new Error(`layer '${this.name ?? this.kindName}' (${this.className}): ${what}`);
  }
}
