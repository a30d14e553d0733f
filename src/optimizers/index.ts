// Optimizers by name (Keras strings), as configured objects (Keras style), and through the
// TensorFlow.js factories for ported code. The formulas are Keras 3's (see docs/optimizers.md).
import { registry } from '../registry/lookup.js';
import type { NameOf } from '../registry/names.js';
import { Adadelta, type AdadeltaConfig } from './adadelta.js';
import { Adagrad, type AdagradConfig } from './adagrad.js';
import { Adam, AdamW, type AdamConfig } from './adam.js';
import { Adamax, type AdamaxConfig } from './adamax.js';
import { Lion, type LionConfig } from './lion.js';
import { Nadam, type NadamConfig } from './nadam.js';
import { Optimizer, type LearningRate, type OptimizerOptions } from './optimizer.js';
import { RMSprop, type RMSpropConfig } from './rmsprop.js';
import { LearningRateSchedule, schedules } from './schedules.js';
import { SGD, type SGDConfig } from './sgd.js';

export { Optimizer, SGD, Adam, AdamW, Adagrad, RMSprop, Adadelta, Adamax, Nadam, Lion, LearningRateSchedule };
export type { SGDConfig, AdamConfig, AdagradConfig, RMSpropConfig, AdadeltaConfig, AdamaxConfig, NadamConfig, LionConfig, OptimizerOptions, LearningRate };

const ROWS = [
  { name: 'sgd', create: () => new SGD() },
  // Not Keras strings: SGD with momentum 0.9 (and Nesterov's look-ahead), the lesson's names.
  { name: 'momentum', create: () => new SGD({ momentum: 0.9 }) },
  { name: 'nesterov', aliases: ['nag'], create: () => new SGD({ momentum: 0.9, nesterov: true }) },
  { name: 'adagrad', create: () => new Adagrad() },
  { name: 'adadelta', create: () => new Adadelta() },
  { name: 'rmsprop', create: () => new RMSprop() },
  { name: 'adam', create: () => new Adam() },
  { name: 'amsgrad', create: () => new Adam({ amsgrad: true }) },
  { name: 'adamax', create: () => new Adamax() },
  { name: 'nadam', create: () => new Nadam() },
  { name: 'adamw', create: () => new AdamW() },
  { name: 'lion', create: () => new Lion() },
] as const satisfies readonly { name: string; aliases?: readonly string[]; create(): Optimizer }[];
const byName = registry('optimizer', ROWS);

/** An optimizer's name ('adam', 'sgd', 'nesterov', …), each with Keras 3's defaults. */
export type OptimizerName = NameOf<(typeof ROWS)[number]>;

/** Every optimizer name compile() accepts. */
export const optimizerNames = byName.names;

/** Keras-style factories: df.optimizers.adam({ learningRate: 0.01, clipnorm: 1 }). */
export const optimizers = {
  /** `new SGD(config)`: SGD, with momentum and Nesterov if asked. */
  sgd: (config?: SGDConfig) => new SGD(config),
  /** `new Adam(config)`. */
  adam: (config?: AdamConfig) => new Adam(config),
  /** `new AdamW(config)`: Adam with decoupled weight decay (default 0.004). */
  adamw: (config?: AdamConfig) => new AdamW(config),
  /** `new Adagrad(config)`. */
  adagrad: (config?: AdagradConfig) => new Adagrad(config),
  /** `new RMSprop(config)`. */
  rmsprop: (config?: RMSpropConfig) => new RMSprop(config),
  /** `new Adadelta(config)`. */
  adadelta: (config?: AdadeltaConfig) => new Adadelta(config),
  /** `new Adamax(config)`. */
  adamax: (config?: AdamaxConfig) => new Adamax(config),
  /** `new Nadam(config)`. */
  nadam: (config?: NadamConfig) => new Nadam(config),
  /** `new Lion(config)`. */
  lion: (config?: LionConfig) => new Lion(config),
  schedules,
};

// tfjs passes null for "use the backend's epsilon" (1e-7).
const eps = (e: number | null | undefined) => e ?? undefined;

/** TensorFlow.js-style factories for ported code: df.train.adam(0.01). Keras formulas; see the docs' table. */
export const train = {
  /** tfjs's `tf.train.sgd(learningRate)`. */
  sgd: (learningRate: number) => new SGD({ learningRate }),
  /** tfjs's `tf.train.momentum(learningRate, momentum, useNesterov)`. */
  momentum: (learningRate: number, momentum: number, useNesterov = false) => new SGD({ learningRate, momentum, nesterov: useNesterov }),
  /** tfjs's `tf.train.adagrad(learningRate, initialAccumulatorValue)`. */
  adagrad: (learningRate: number, initialAccumulatorValue = 0.1) => new Adagrad({ learningRate, initialAccumulatorValue }),
  /** tfjs's `tf.train.adadelta(learningRate, rho, epsilon)` (Keras's formula; see docs/optimizers.md). */
  adadelta: (learningRate = 0.001, rho = 0.95, epsilon: number | null = null) => new Adadelta({ learningRate, rho, epsilon: eps(epsilon) }),
  /** tfjs's `tf.train.rmsprop(learningRate, decay, momentum, epsilon, centered)` (Keras's formula). */
  rmsprop: (learningRate: number, decay = 0.9, momentum = 0, epsilon: number | null = null, centered = false) =>
    new RMSprop({ learningRate, rho: decay, momentum, epsilon: eps(epsilon), centered }),
  /** tfjs's `tf.train.adam(learningRate, beta1, beta2, epsilon)`. */
  adam: (learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null) => new Adam({ learningRate, beta1, beta2, epsilon: eps(epsilon) }),
  /** tfjs's `tf.train.adamax(learningRate, beta1, beta2, epsilon)`. */
  adamax: (learningRate = 0.002, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null) => new Adamax({ learningRate, beta1, beta2, epsilon: eps(epsilon) }),
};

/** An optimizer from a name or an Optimizer object. */
export function resolveOptimizer(spec: unknown): Optimizer {
  if (spec instanceof Optimizer) return spec;
  return byName.get(spec).create();
}
