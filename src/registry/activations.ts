// Activations: the one table a new activation is added to (its id, names, parameter default and saved
// name); its kernels are a case in assembly/kernels/f32_vact.ts, its cost class a bit in src/shared/ids.ts.
import * as ids from '../shared/ids.js';
import { registry } from './lookup.js';
import type { NameOf } from './names.js';

/** One activation: its names, its kernel id and how it is saved. */
export interface ActivationRow {
  /** The canonical (tfjs camelCase) name. */
  readonly name: string;
  /** Other accepted names; each also in snake_case. */
  readonly aliases?: readonly string[];
  /** The kernels' id for it (src/shared/ids.ts). */
  readonly id: number;
  /** The activation's parameter and its default (Keras 3), passed to the kernels as alpha. */
  readonly alpha?: number;
  /**
   * The name Keras and tfjs save exactly this function under (read back by it and by the aliases).
   * Absent: no other writer means this function by its name, so it is saved as 'deltaflow>name'.
   */
  readonly saved?: string;
}

const ROWS = [
  { name: 'linear', id: ids.ACT_LINEAR, aliases: ['none', 'identity'], saved: 'linear' },
  { name: 'sigmoid', id: ids.ACT_SIGMOID, saved: 'sigmoid' },
  { name: 'relu', id: ids.ACT_RELU, saved: 'relu' },
  { name: 'tanh', id: ids.ACT_TANH, saved: 'tanh' },
  { name: 'softplus', id: ids.ACT_SOFTPLUS, saved: 'softplus' },
  { name: 'relu6', id: ids.ACT_RELU6, saved: 'relu6' },
  // Keras 3 `activations.leaky_relu` slope 0.2 (the LeakyReLU *layer* defaults to 0.3).
  { name: 'leakyRelu', id: ids.ACT_LEAKY_RELU, alpha: 0.2, saved: 'leaky_relu' },
  { name: 'elu', id: ids.ACT_ELU, alpha: 1.0, saved: 'elu' },
  { name: 'selu', id: ids.ACT_SELU, saved: 'selu' },
  { name: 'gelu', id: ids.ACT_GELU, saved: 'gelu' },
  { name: 'swish', id: ids.ACT_SWISH, aliases: ['silu'], saved: 'swish' },
  { name: 'mish', id: ids.ACT_MISH, saved: 'mish' },
  { name: 'softsign', id: ids.ACT_SOFTSIGN, saved: 'softsign' },
  // Keras 3 form relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1); tfjs and Keras 2 mean 0.2·x + 0.5 (hardSigmoidTfjs)
  // by the same name, so it is not `saved`.
  { name: 'hardSigmoid', id: ids.ACT_HARD_SIGMOID },
  { name: 'softmax', id: ids.ACT_SOFTMAX, saved: 'softmax' },
  // tfjs's (and Keras 2's) hardSigmoid, clip(0.2·x + 0.5, 0, 1), the default recurrentActivation of tfjs's
  // LSTM and GRU. Named for where deltaflow's users meet it: 'hardSigmoid' is Keras 3's (above), and
  // 'hardSigmoidTfjs' sorts next to it and says which of the two a model uses. Saved as 'hard_sigmoid',
  // which tfjs computes the same; that name is read back as this row from every file but a Keras 3 one.
  { name: 'hardSigmoidTfjs', id: ids.ACT_HARD_SIGMOID_TFJS, saved: 'hard_sigmoid' },
] as const satisfies readonly ActivationRow[];

/** Every activation by name; `activations.names` lists the canonical ones. */
export const activations = registry<ActivationRow>('activation', ROWS);

/** An activation's name: tfjs camelCase ('leakyRelu'), Keras snake_case ('leaky_relu') or an alias ('silu'). */
export type ActivationName = NameOf<(typeof ROWS)[number]>;

/** True when the backward pass needs the pre-activation x rather than the output alone (a cost class in ids.ts). */
export function needsInput(id: number): boolean {
  return (ids.ACT_BWD_NEEDS_INPUT & (1 << id)) !== 0;
}
