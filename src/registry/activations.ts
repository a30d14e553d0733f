// Activations: the one table a new activation is added to (its id, names and parameter default).
import * as ids from '../shared/ids.js';
import { registry } from './lookup.js';

export interface ActivationRow {
  readonly name: string;
  readonly aliases?: readonly string[];
  readonly id: number;
  /** The activation's parameter and its default (Keras 3), passed to the kernels as alpha. */
  readonly alpha?: number;
}

export const activations = registry<ActivationRow>('activation', [
  { name: 'linear', id: ids.ACT_LINEAR, aliases: ['none', 'identity'] },
  { name: 'sigmoid', id: ids.ACT_SIGMOID },
  { name: 'relu', id: ids.ACT_RELU },
  { name: 'tanh', id: ids.ACT_TANH },
  { name: 'softplus', id: ids.ACT_SOFTPLUS },
  { name: 'relu6', id: ids.ACT_RELU6 },
  // Keras 3 `activations.leaky_relu` slope 0.2 (the LeakyReLU *layer* defaults to 0.3).
  { name: 'leakyRelu', id: ids.ACT_LEAKY_RELU, alpha: 0.2 },
  { name: 'elu', id: ids.ACT_ELU, alpha: 1.0 },
  { name: 'selu', id: ids.ACT_SELU },
  { name: 'gelu', id: ids.ACT_GELU },
  { name: 'swish', id: ids.ACT_SWISH, aliases: ['silu'] },
  { name: 'mish', id: ids.ACT_MISH },
  { name: 'softsign', id: ids.ACT_SOFTSIGN },
  // Keras 3 form relu6(x + 3) / 6 = clip(x/6 + 0.5, 0, 1); tfjs uses 0.2·x + 0.5.
  { name: 'hardSigmoid', id: ids.ACT_HARD_SIGMOID },
  { name: 'softmax', id: ids.ACT_SOFTMAX },
]);

/** True when the backward pass needs the pre-activation x rather than the output alone. */
export function needsInput(id: number): boolean {
  return (ids.ACT_BWD_NEEDS_INPUT & (1 << id)) !== 0;
}
