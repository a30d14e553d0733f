// The layer contract: what the planner, summary(), getWeights/setWeights, save/load and initialization
// need from a layer, so none of them asks which kind it is. A kind is one class here (its output
// width, its weights, its per-row buffers) and one case in assembly/train/network.ts (forward, backward).
import type { Initializer } from '../registry/initializers.js';
import { Activation } from './activation.js';
import { Dense } from './dense.js';
import { Dropout } from './dropout.js';

/** A weight a layer owns, in getWeights() order within the layer. */
export interface WeightSpec {
  /** Its name within the layer, as Keras and tfjs save it: 'kernel', 'bias'. */
  name: string;
  shape: number[];
  /** The fan-in and fan-out its initializer scales by. */
  fanIn: number;
  fanOut: number;
  initializer: Initializer;
}

/** A layer as the planner lays it out for inputs of width `fanIn`. */
export interface LayerPlan {
  /** LAYER_* kind: the case network.ts runs. */
  kind: number;
  fanIn: number;
  /** Output width. */
  units: number;
  /** Activation id and parameter (Dense, Activation), dropout rate (Dropout): the record's per-kind words. */
  act: number;
  alpha: number;
  rate: number;
  /** Its weights; the first is bound to the record's L_W, the second to L_B. */
  weights: WeightSpec[];
  /** Per-row buffers besides output and delta: the pre-activation (when the derivative needs it), a mask. */
  keepsPreActivation: boolean;
  mask: boolean;
  /** Workspace floats its kernels need for one call besides the GEMM packing region (GEMM_SCRATCH_FLOATS, always there, first). */
  scratch: number;
  /** An own random stream (dropout masks), seeded from `seed` or forked off the model's. */
  stream?: { seed?: number };
}

/** What every layer kind implements. */
export interface LayerKind {
  readonly className: string;
  name?: string;
  /** The input width this layer declares, if any. */
  readonly inputDim?: number;
  /** The output width for inputs of width `fanIn` (undefined while the input width is unknown). */
  outputWidth(fanIn: number | undefined): number | undefined;
  plan(fanIn: number): LayerPlan;
}

export type Layer = Dense | Dropout | Activation;

export function isLayer(x: unknown): x is Layer {
  return x instanceof Dense || x instanceof Dropout || x instanceof Activation;
}
