// Optimizers by name (Keras strings) or as configured objects (Keras and tfjs factories).
import { registry } from '../registry/lookup.js';
import { Adam, type AdamConfig } from './adam.js';
import { Optimizer } from './optimizer.js';
import { SGD, type SGDConfig } from './sgd.js';

export { Optimizer, SGD, Adam };
export type { SGDConfig, AdamConfig };

const byName = registry<{ name: string; aliases?: string[]; create(): Optimizer }>('optimizer', [
  { name: 'sgd', create: () => new SGD() },
  { name: 'adam', create: () => new Adam() },
]);

/** Keras-style factories: df.optimizers.adam({ learningRate: 0.01 }). */
export const optimizers = {
  sgd: (config?: SGDConfig) => new SGD(config),
  adam: (config?: AdamConfig) => new Adam(config),
};

/** TensorFlow.js-style factories for ported code: df.train.adam(0.01). */
export const train = {
  sgd: (learningRate: number) => new SGD({ learningRate }),
  momentum: (learningRate: number, momentum: number, useNesterov = false) => new SGD({ learningRate, momentum, nesterov: useNesterov }),
  adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-7) => new Adam({ learningRate, beta1, beta2, epsilon }),
};

/** An optimizer from a name or an Optimizer object. */
export function resolveOptimizer(spec: unknown): Optimizer {
  if (spec instanceof Optimizer) return spec;
  return byName.get(spec).create();
}
