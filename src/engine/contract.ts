// The layer contract as the engine sees it: what a layer kind hands the planner for one input shape.
// Layers (src/model/) produce these; the planner, the arena and the trainer (src/engine/) consume them
// and never ask which kind a layer is.
import type { Initializer } from '../registry/initializers.js';

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
  /** A kernel or bias regularizer's factors: l1·Σ|w| + l2·Σw² is added to the training loss. */
  regularizer?: { l1: number; l2: number };
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

/** A plan with the fields most kinds leave empty filled in. */
export function layerPlan(p: Pick<LayerPlan, 'kind' | 'inShape' | 'outShape'> & Partial<LayerPlan>): LayerPlan {
  return {
    fanIn: size(p.inShape),
    units: size(p.outShape),
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

function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
