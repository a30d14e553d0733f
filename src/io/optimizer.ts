// Optimizers in model files. tfjs's class and config keys where tfjs has the same optimizer with the
// same state (so tfjs resumes training from a deltaflow file); otherwise 'deltaflow>' + the Keras 3
// class name with Keras's snake_case config, which tfjs refuses ("Unknown optimizer") rather than
// silently training with another formula. State tensors use tfjs's names: 'iter', then
// '<weight>/<slot>' slot by slot ('m' for every weight, then 'v', …).
import { Adadelta } from '../optimizers/adadelta.js';
import { Adagrad } from '../optimizers/adagrad.js';
import { Adam, AdamW } from '../optimizers/adam.js';
import { Adamax } from '../optimizers/adamax.js';
import { Lion } from '../optimizers/lion.js';
import { Nadam } from '../optimizers/nadam.js';
import type { LearningRate, Optimizer } from '../optimizers/optimizer.js';
import { RMSprop } from '../optimizers/rmsprop.js';
import { schedules } from '../optimizers/schedules.js';
import { SGD } from '../optimizers/sgd.js';
import { nameKey } from '../registry/lookup.js';
import { CLIP_NONE } from '../shared/ids.js';
import { ModelFormatError, wrap } from './errors.js';
import { describe, isObj, nonEmptyStr, obj, own, type Obj } from './fields.js';

export const DELTAFLOW_PREFIX = 'deltaflow>';

const KERAS_CLASS: Record<string, string> = {
  sgd: 'SGD',
  adam: 'Adam',
  adamw: 'AdamW',
  rmsprop: 'RMSprop',
  adagrad: 'Adagrad',
  adadelta: 'Adadelta',
  adamax: 'Adamax',
  nadam: 'Nadam',
  lion: 'Lion',
};

// Optimizer fields the writers read; each optimizer class declares its own.
interface Fields {
  momentum?: number;
  nesterov?: boolean;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  amsgrad?: boolean;
  rho?: number;
  centered?: boolean;
  initialAccumulatorValue?: number;
}

/** The state slot names of an optimizer, in its slot order (tfjs's names where tfjs has them). */
export function slotNames(opt: Optimizer): string[] {
  const f = opt as unknown as Fields;
  let names: string[];
  switch (opt.name) {
    case 'sgd':
      names = (f.momentum ?? 0) > 0 ? ['momentum'] : [];
      break;
    case 'adam':
    case 'adamw':
      names = f.amsgrad ? ['m', 'v', 'vhat'] : ['m', 'v'];
      break;
    case 'rmsprop':
      names = ['rms', ...((f.momentum ?? 0) > 0 ? ['momentum'] : []), ...(f.centered ? ['mg'] : [])];
      break;
    case 'adagrad':
      names = ['accumulator'];
      break;
    case 'adadelta':
      names = ['accum_grad', 'accum_var'];
      break;
    case 'adamax':
    case 'nadam':
      names = ['m', 'v'];
      break;
    case 'lion':
      names = ['m'];
      break;
    default:
      names = [];
  }
  return names.length === opt.slots ? names : Array.from({ length: opt.slots }, (_, i) => `slot${i}`);
}

/** The optimizer's { class_name, config } for trainingConfig.optimizer_config. */
export function optimizerConfig(opt: Optimizer): { class_name: string; config: Obj } {
  const f = opt as unknown as Fields;
  const lr = opt.learningRate;
  const plain = opt.clipKind === CLIP_NONE && !opt.weightDecay && typeof lr === 'number';
  if (plain) {
    switch (opt.name) {
      case 'sgd':
        return (f.momentum ?? 0) > 0
          ? { class_name: 'Momentum', config: { learningRate: lr, momentum: f.momentum, useNesterov: !!f.nesterov } }
          : { class_name: 'SGD', config: { learningRate: lr } };
      case 'adam':
        if (!f.amsgrad) return { class_name: 'Adam', config: { learningRate: lr, beta1: f.beta1, beta2: f.beta2, epsilon: f.epsilon } };
        break;
      case 'rmsprop':
        return { class_name: 'RMSProp', config: { learningRate: lr, decay: f.rho, momentum: f.momentum, epsilon: f.epsilon, centered: !!f.centered } };
      case 'adagrad':
        // tfjs's Adagrad has no epsilon of its own: it uses the backend's, 1e-7.
        if (f.epsilon === 1e-7) return { class_name: 'Adagrad', config: { learningRate: lr, initialAccumulatorValue: f.initialAccumulatorValue } };
        break;
      case 'adadelta':
        return { class_name: 'Adadelta', config: { learningRate: lr, rho: f.rho, epsilon: f.epsilon } };
      case 'adamax':
        return { class_name: 'Adamax', config: { learningRate: lr, beta1: f.beta1, beta2: f.beta2, epsilon: f.epsilon, decay: 0 } };
    }
  }
  const keras = KERAS_CLASS[opt.name] ?? opt.name;
  return { class_name: DELTAFLOW_PREFIX + keras, config: opt.getConfig() };
}

// ---- reading ----

function numberOr(c: Map<string, unknown>, key: string, path: string): number | undefined {
  const v = c.get(key);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v)) throw new ModelFormatError(`${path}.${key} must be a finite number, got ${describe(v)}`);
  return v;
}

function flagOr(c: Map<string, unknown>, key: string, path: string): boolean | undefined {
  const v = c.get(key);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') throw new ModelFormatError(`${path}.${key} must be true or false, got ${describe(v)}`);
  return v;
}

/** Config keys by nameKey, so 'learning_rate' and 'learningRate', 'beta_1' and 'beta1' read alike. */
function keyed(config: Obj): Map<string, unknown> {
  const m = new Map<string, unknown>();
  for (const k of Object.keys(config)) m.set(nameKey(k), config[k]);
  return m;
}

const SCHEDULES: Record<string, (c: Map<string, unknown>, path: string) => LearningRate> = {
  exponentialdecay: (c, p) =>
    schedules.exponentialDecay({ initialLearningRate: numberOr(c, 'initiallearningrate', p)!, decaySteps: numberOr(c, 'decaysteps', p)!, decayRate: numberOr(c, 'decayrate', p)!, staircase: flagOr(c, 'staircase', p) }),
  inversetimedecay: (c, p) =>
    schedules.inverseTimeDecay({ initialLearningRate: numberOr(c, 'initiallearningrate', p)!, decaySteps: numberOr(c, 'decaysteps', p)!, decayRate: numberOr(c, 'decayrate', p)!, staircase: flagOr(c, 'staircase', p) }),
  piecewiseconstantdecay: (c, p) => {
    const list = (k: string) => {
      const v = c.get(k);
      if (!Array.isArray(v) || v.length > 100_000 || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) throw new ModelFormatError(`${p}.${k} must be an array of finite numbers`);
      return v as number[];
    };
    return schedules.piecewiseConstantDecay({ boundaries: list('boundaries'), values: list('values') });
  },
  polynomialdecay: (c, p) =>
    schedules.polynomialDecay({
      initialLearningRate: numberOr(c, 'initiallearningrate', p)!,
      decaySteps: numberOr(c, 'decaysteps', p)!,
      endLearningRate: numberOr(c, 'endlearningrate', p),
      power: numberOr(c, 'power', p),
      cycle: flagOr(c, 'cycle', p),
    }),
  cosinedecay: (c, p) =>
    schedules.cosineDecay({
      initialLearningRate: numberOr(c, 'initiallearningrate', p)!,
      decaySteps: numberOr(c, 'decaysteps', p)!,
      alpha: numberOr(c, 'alpha', p),
      warmupTarget: numberOr(c, 'warmuptarget', p),
      warmupSteps: numberOr(c, 'warmupsteps', p),
    }),
};

function learningRate(c: Map<string, unknown>, path: string): LearningRate | undefined {
  const v = c.get('learningrate') ?? c.get('lr');
  if (v === undefined || v === null || typeof v === 'number') return numberOr(new Map([['learningrate', v]]), 'learningrate', path);
  if (!isObj(v)) throw new ModelFormatError(`${path}.learning_rate must be a number or a schedule { class_name, config }, got ${describe(v)}`);
  const cls = nonEmptyStr(own(v, 'class_name'), `${path}.learning_rate.class_name`);
  const make = SCHEDULES[nameKey(cls)];
  if (!make) throw new ModelFormatError(`${path}.learning_rate: unknown schedule '${cls}'. Known: ExponentialDecay, InverseTimeDecay, PiecewiseConstantDecay, PolynomialDecay, CosineDecay`);
  const cfg = keyed(obj(own(v, 'config') ?? {}, `${path}.learning_rate.config`));
  return wrap(`${path}.learning_rate`, () => make(cfg, `${path}.learning_rate.config`));
}

/** An optimizer from trainingConfig.optimizer_config (tfjs, Keras or deltaflow form). */
export function readOptimizer(x: unknown): Optimizer {
  const path = 'trainingConfig.optimizer_config';
  const o = obj(x, path);
  const cls = nonEmptyStr(own(o, 'class_name'), `${path}.class_name`);
  const c = keyed(obj(own(o, 'config') ?? {}, `${path}.config`));
  const p = `${path}.config`;
  const n = (k: string) => numberOr(c, k, p);
  const b = (k: string) => flagOr(c, k, p);
  const common = {
    learningRate: learningRate(c, p),
    clipnorm: n('clipnorm'),
    clipvalue: n('clipvalue'),
    globalClipnorm: n('globalclipnorm'),
    weightDecay: n('weightdecay'),
  };
  const kind = nameKey(cls.startsWith(DELTAFLOW_PREFIX) ? cls.slice(DELTAFLOW_PREFIX.length) : cls);
  return wrap(`optimizer '${cls}'`, () => {
    switch (kind) {
      case 'sgd':
        return new SGD({ ...common, momentum: n('momentum'), nesterov: b('nesterov') });
      case 'momentum':
        return new SGD({ ...common, momentum: n('momentum') ?? 0, nesterov: b('usenesterov') ?? b('nesterov') });
      case 'adam':
        return new Adam({ ...common, beta1: n('beta1'), beta2: n('beta2'), epsilon: n('epsilon'), amsgrad: b('amsgrad') });
      case 'adamw':
        return new AdamW({ ...common, beta1: n('beta1'), beta2: n('beta2'), epsilon: n('epsilon'), amsgrad: b('amsgrad') });
      case 'rmsprop':
        return new RMSprop({ ...common, rho: n('rho') ?? n('decay'), momentum: n('momentum'), epsilon: n('epsilon'), centered: b('centered') });
      case 'adagrad':
        return new Adagrad({ ...common, initialAccumulatorValue: n('initialaccumulatorvalue'), epsilon: n('epsilon') });
      case 'adadelta':
        return new Adadelta({ ...common, rho: n('rho'), epsilon: n('epsilon') });
      case 'adamax': {
        const decay = n('decay');
        if (decay) throw new ModelFormatError(`tfjs's learning-rate decay ${decay} is not supported`);
        return new Adamax({ ...common, beta1: n('beta1'), beta2: n('beta2'), epsilon: n('epsilon') });
      }
      case 'nadam':
        return new Nadam({ ...common, beta1: n('beta1'), beta2: n('beta2'), epsilon: n('epsilon') });
      case 'lion':
        return new Lion({ ...common, beta1: n('beta1'), beta2: n('beta2') });
    }
    throw new ModelFormatError(`unknown optimizer class '${cls}'. Known: SGD, Momentum, Adam, AdamW, RMSprop, Adagrad, Adadelta, Adamax, Nadam, Lion`);
  });
}
