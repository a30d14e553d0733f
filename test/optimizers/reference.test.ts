// Every optimizer, through the facade (opt.applyGradients), against a float64 reference written from
// the Keras 3 formulas: 100 steps on a fixed pseudo-random gradient sequence with non-default
// hyperparameters, plain and with clipnorm, clipvalue, globalClipnorm, weightDecay and a schedule.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { rng, uniform, worst } from '../helpers/random.js';
import { refClipNorm, refClipValue, refSumsq } from '../ref/clip.js';
import {
  refAdadelta, refAdagrad, refAdam, refAdamax, refDecay, refLion, refMomentum, refNadam, refRmsprop, refSgd,
  nadamSchedule,
} from '../ref/optimizers.js';

beforeAll(() => df.ready());

const N = 37;
const STEPS = 100;
// f32 against float64 over 100 steps: each step rounds a few times at 2⁻²⁴ relative, so 1e-5 relative
// with a floor of 1% of the largest |parameter| (a parameter crossing zero has no relative precision).
const TOL = 1e-5;
const FLOOR = 1e-2;

type Hyper = { lr: number };
type Update = (p: Float64Array, g: Float64Array, t: number, lr: number) => void;

interface Case {
  name: string;
  make: (o: df.OptimizerOptions) => df.Optimizer;
  reference: () => Update;
}

const zeros = () => new Float64Array(N);

const cases: Case[] = [
  { name: 'sgd', make: (o) => df.optimizers.sgd({ learningRate: 0.05, ...o }), reference: () => (p, g, _t, lr) => refSgd(p, g, lr) },
  {
    name: 'momentum',
    make: (o) => df.optimizers.sgd({ learningRate: 0.05, momentum: 0.7, ...o }),
    reference: () => {
      const m = zeros();
      return (p, g, _t, lr) => refMomentum(p, g, m, lr, 0.7, false);
    },
  },
  {
    name: 'nesterov',
    make: (o) => df.optimizers.sgd({ learningRate: 0.05, momentum: 0.7, nesterov: true, ...o }),
    reference: () => {
      const m = zeros();
      return (p, g, _t, lr) => refMomentum(p, g, m, lr, 0.7, true);
    },
  },
  {
    name: 'adagrad',
    make: (o) => df.optimizers.adagrad({ learningRate: 0.05, initialAccumulatorValue: 0.2, epsilon: 1e-4, ...o }),
    reference: () => {
      const acc = zeros().fill(Math.fround(0.2));
      return (p, g, _t, lr) => refAdagrad(p, g, acc, lr, 1e-4);
    },
  },
  ...[false, true].flatMap((centered) =>
    [0, 0.6].map((momentum) => ({
      name: `rmsprop centered=${centered} momentum=${momentum}`,
      make: (o: df.OptimizerOptions) => df.optimizers.rmsprop({ learningRate: 0.01, rho: 0.8, momentum, epsilon: 1e-4, centered, ...o }),
      reference: (): Update => {
        const v = zeros();
        const mom = momentum ? zeros() : null;
        const avg = centered ? zeros() : null;
        return (p, g, _t, lr) => refRmsprop(p, g, v, mom, avg, lr, 0.8, momentum, 1e-4);
      },
    })),
  ),
  {
    name: 'adadelta',
    make: (o) => df.optimizers.adadelta({ learningRate: 0.5, rho: 0.8, epsilon: 1e-4, ...o }),
    reference: () => {
      const a = zeros();
      const d = zeros();
      return (p, g, _t, lr) => refAdadelta(p, g, a, d, lr, 0.8, 1e-4);
    },
  },
  ...[false, true].map((amsgrad) => ({
    name: amsgrad ? 'amsgrad' : 'adam',
    make: (o: df.OptimizerOptions) => df.optimizers.adam({ learningRate: 0.01, beta1: 0.8, beta2: 0.95, epsilon: 1e-4, amsgrad, ...o }),
    reference: (): Update => {
      const m = zeros();
      const v = zeros();
      const vhat = amsgrad ? zeros() : null;
      return (p, g, t, lr) => refAdam(p, g, m, v, vhat, (lr * Math.sqrt(1 - 0.95 ** t)) / (1 - 0.8 ** t), 0.8, 0.95, 1e-4);
    },
  })),
  {
    name: 'adamax',
    make: (o) => df.optimizers.adamax({ learningRate: 0.01, beta1: 0.8, beta2: 0.95, epsilon: 1e-4, ...o }),
    reference: () => {
      const m = zeros();
      const u = zeros();
      return (p, g, t, lr) => refAdamax(p, g, m, u, lr, 0.8, 0.95, 1e-4, 0.8 ** t);
    },
  },
  {
    name: 'nadam',
    make: (o) => df.optimizers.nadam({ learningRate: 0.01, beta1: 0.8, beta2: 0.95, epsilon: 1e-4, ...o }),
    reference: () => {
      const m = zeros();
      const v = zeros();
      const schedule = nadamSchedule(0.8, 0.95, STEPS + 1);
      return (p, g, t, lr) => refNadam(p, g, m, v, lr, 0.8, 0.95, 1e-4, schedule[t - 1]);
    },
  },
  {
    name: 'lion',
    make: (o) => df.optimizers.lion({ learningRate: 0.003, beta1: 0.8, beta2: 0.95, ...o }),
    reference: () => {
      const m = zeros();
      return (p, g, _t, lr) => refLion(p, g, m, lr, 0.8, 0.95);
    },
  },
];

interface Variant {
  name: string;
  options: (c: Case) => df.OptimizerOptions;
  lr: (base: number, t: number) => number;
  clip?: (g: Float64Array) => void;
  decay?: number;
}

const variants: Variant[] = [
  { name: 'plain', options: () => ({}), lr: (b) => b },
  { name: 'clipnorm', options: () => ({ clipnorm: 0.5 }), lr: (b) => b, clip: (g) => g.set(refClipNorm(g, 0.5)) },
  { name: 'clipvalue', options: () => ({ clipvalue: 0.3 }), lr: (b) => b, clip: (g) => g.set(refClipValue(g, 0.3)) },
  {
    name: 'globalClipnorm',
    options: () => ({ globalClipnorm: 0.5 }),
    lr: (b) => b,
    clip: (g) => {
      const norm = Math.sqrt(refSumsq(g));
      const scale = 0.5 * Math.min(1 / norm, 1 / 0.5);
      for (let i = 0; i < g.length; i++) g[i] *= scale;
    },
  },
  { name: 'weightDecay', options: () => ({ weightDecay: 0.02 }), lr: (b) => b, decay: 0.02 },
  {
    name: 'schedule',
    // exponentialDecay: the rate of step t (1-based) is lr₀·0.5^((t−1)/20).
    options: () => ({}),
    lr: (b, t) => b * 0.5 ** ((t - 1) / 20),
  },
];

describe('optimizers vs float64 Keras references over 100 steps', () => {
  for (const c of cases) {
    for (const v of variants) {
      it(`${c.name}, ${v.name}`, () => {
        const probe = c.make({});
        const base = probe.learningRate as number;
        const options: df.OptimizerOptions = v.options(c);
        if (v.name === 'schedule') options.learningRate = df.optimizers.schedules.exponentialDecay({ initialLearningRate: base, decaySteps: 20, decayRate: 0.5 });
        const opt = c.make(options);
        const update = c.reference();
        const next = rng(99);
        const params = uniform(next, N, -1, 1);
        const ref = Float64Array.from(params);
        for (let t = 1; t <= STEPS; t++) {
          const g32 = uniform(next, N, -1.5, 1.5);
          opt.applyGradients(params, g32);
          const g = Float64Array.from(g32);
          v.clip?.(g);
          const lr = v.lr(base, t);
          if (v.decay) refDecay(ref, v.decay, lr);
          update(ref, g, t, lr);
        }
        const max = Math.max(...Array.from(ref, Math.abs));
        const { err, at } = worst(params, ref, (i) => Math.max(Math.abs(ref[i]), FLOOR * max));
        expect(err, `parameter ${at}: ${params[at]} vs ${ref[at]}`).toBeLessThanOrEqual(TOL);
      });
    }
  }
});
