// The layer contract: what the planner, summary(), getWeights/setWeights, save/load and initialization
// need from a layer, so none of them asks which kind it is. A kind is one class extending Layer (its
// output shape, its weights, its per-row buffers) and one file in assembly/layers/ (forward, backward).
import type { Initializer } from '../registry/initializers.js';
import { declaredInput, layerName, sizeOf, type InputConfig } from './input.js';

/** A weight a layer owns, in the layer's own order (Keras's). */
export interface WeightSpec {
  /** Its name within the layer, as Keras and tfjs save it: 'kernel', 'bias', 'moving_mean'. */
  name: string;
  shape: number[];
  /** The fan-in and fan-out its initializer scales by. */
  fanIn: number;
  fanOut: number;
  initializer: Initializer;
  /** false: state the layer updates itself (batch norm's moving statistics), never the optimizer. */
  trainable?: boolean;
}

/** A layer as the planner lays it out for input rows of shape `inShape`. */
export interface LayerPlan {
  /** LAYER_* kind: the file in assembly/layers/ that runs it. */
  kind: number;
  inShape: number[];
  outShape: number[];
  /** Input and output row widths (the products of the shapes). */
  fanIn: number;
  units: number;
  /** Activation id and parameter, dropout rate: per-kind record words. */
  act: number;
  alpha: number;
  rate: number;
  /** Its weights; the first two trainable ones are bound to L_W and L_B, the first non-trainable to L_STATE. */
  weights: WeightSpec[];
  /** Per-row buffers besides output and delta: the pre-activation (when the derivative needs it), a mask, `aux` floats. */
  keepsPreActivation: boolean;
  mask: boolean;
  aux: number;
  /** Floats of the aux buffer kept per call besides, in front of the per-row ones (batch norm's batch statistics). */
  auxFixed?: number;
  /** Workspace floats its kernels need for one call. */
  scratch: number;
  /** The per-kind argument words (image layers: the G_* geometry), at most ARG_WORDS. */
  args?: number[];
  /** An own random stream (dropout masks), seeded from `seed` or forked off the model's. */
  stream?: { seed?: number };
}

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

/** A plan with the fields most kinds leave empty filled in. */
export function layerPlan(p: Pick<LayerPlan, 'kind' | 'inShape' | 'outShape'> & Partial<LayerPlan>): LayerPlan {
  return {
    fanIn: sizeOf(p.inShape),
    units: sizeOf(p.outShape),
    act: 0,
    alpha: 0,
    rate: 0,
    weights: [],
    keepsPreActivation: false,
    mask: false,
    aux: 0,
    scratch: 0,
    ...p,
  };
}
