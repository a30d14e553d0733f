// The registry contract: every row of every registry has a kernel, a float64 reference and a save/load
// round trip, so adding a name is adding a row (plus its kernel and reference), and nothing is missed.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import * as ids from '../../src/shared/ids.js';
import { activations, needsInput } from '../../src/registry/activations.js';
import { losses } from '../../src/registry/losses.js';
import { initializers } from '../../src/registry/initializers.js';
import { optimizerNames } from '../../src/optimizers/index.js';
import type { Runtime } from '../../src/wasm/load.js';
import { get, put, runtime } from '../helpers/kernels.js';
import { rng, uniform } from '../helpers/random.js';
import { ACTIVATIONS, softmaxRef } from '../ref/activations.js';
import { refLoss } from '../ref/losses.js';
import { capture } from '../io/helpers.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
});

/** A saved-and-loaded copy of a model, through memory. */
async function roundTrip(m: df.Sequential, includeOptimizer = false): Promise<df.Sequential> {
  const a = await capture((h) => m.save(h, { includeOptimizer }));
  return df.loadLayersModel(df.io.fromMemory(a));
}

describe('activations', () => {
  it('ids are distinct and cover 0 … ACT_COUNT − 1', () => {
    expect(activations.rows.map((r) => r.id).sort((a, b) => a - b)).toEqual(Array.from({ length: ids.ACT_COUNT }, (_, i) => i));
  });

  for (const row of activations.rows) {
    describe(row.name, () => {
      it('its kernel matches its float64 reference', () => {
        const x = uniform(rng(row.id + 1), 3 * 5, -3, 3);
        const xp = put(rt, x);
        const yp = put(rt, x.length);
        const alpha = Math.fround(row.alpha ?? 0);
        rt.kernels.f32_vact(row.id, alpha, 3, 5, xp, yp);
        const y = get(rt, yp, x.length);
        const want = row.id === ids.ACT_SOFTMAX ? softmaxRef(Array.from(x), 3, 5) : Array.from(x, (v) => ACTIVATIONS[row.id].f(v, alpha));
        for (let i = 0; i < x.length; i++) expect(Math.abs(y[i] - want[i])).toBeLessThanOrEqual(1e-6 * Math.max(1, Math.abs(want[i])));
        rt.heap.free(yp);
        rt.heap.free(xp);
      });

      it('its cost class is consistent: needsInput rows have a reference derivative from x', () => {
        if (row.id === ids.ACT_SOFTMAX) return;
        const ref = ACTIVATIONS[row.id];
        expect(typeof ref.df).toBe('function');
        // The cheap class is piecewise linear: never one of the rows that recompute from x.
        if ((ids.ACT_CHEAP_FWD >> row.id) & 1) expect(needsInput(row.id)).toBe(false);
      });

      it('saves and loads back as itself (and by its saved name as Keras and tfjs write it)', async () => {
        const units = row.name === 'softmax' ? 3 : 2;
        const m = df.sequential({ seed: 3, layers: [df.layers.dense({ units, activation: row.name, inputShape: [2] })] });
        const back = await roundTrip(m);
        expect((back.layers[0] as df.Dense).activation.name).toBe(row.name);
        expect(back.predict([[0.5, -1]]).dataSync()).toEqual(m.predict([[0.5, -1]]).dataSync());
      });
    });
  }
});

describe('losses', () => {
  for (const row of losses.rows) {
    it(`${row.name}: a kernel matching its float64 reference, and it survives a save with the training config`, async () => {
      expect(row.id).toBeLessThan(ids.LOSS_COUNT);
      const cols = row.sparse ? 3 : 3;
      const pred = Float32Array.from([0.2, 0.5, 0.3, 0.1, 0.1, 0.8]);
      const target = row.sparse ? Float32Array.from([1, 2]) : Float32Array.from([0, 1, 0, 0, 0, 1]);
      const pp = put(rt, pred);
      const tp = put(rt, target);
      const got = rt.kernels.f32_loss(row.id, 2, cols, pp, tp, 0, 0, Math.fround(row.delta ?? 1));
      expect(got).toBeCloseTo(refLoss(row.id, 2, cols, pred, target, row.delta ?? 1), 5);
      rt.heap.free(tp);
      rt.heap.free(pp);
      const m = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 3, activation: 'softmax', inputShape: [2] })] });
      m.compile({ optimizer: 'sgd', loss: row.name });
      const back = await roundTrip(m, true);
      expect(back.lossRow?.name).toBe(row.name);
    });
  }
});

describe('initializers', () => {
  for (const row of initializers.rows) {
    it(`${row.name}: fills a kernel and survives a save`, async () => {
      const m = df.sequential({ seed: 5, layers: [df.layers.dense({ units: 4, kernelInitializer: row.name, inputShape: [3] })] });
      const w = m.getWeights()[0].dataSync();
      expect(w.every(Number.isFinite)).toBe(true);
      const back = await roundTrip(m);
      expect(back.getWeights()[0].dataSync()).toEqual(w);
      expect((back.layers[0] as df.Dense).kernelInitializer.name).toBe(row.name);
    });
  }
});

describe('optimizers', () => {
  for (const name of optimizerNames) {
    it(`${name}: steps a model and resumes exactly after a save with its state`, async () => {
      const build = () => {
        const m = df.sequential({ seed: 9, layers: [df.layers.dense({ units: 2, inputShape: [3] })] });
        m.compile({ optimizer: name, loss: 'mse' });
        return m;
      };
      const x = [[1, 2, 3], [-1, 0, 2]];
      const y = [[1, 0], [0, 1]];
      const a = build();
      const before = a.getWeights()[0].dataSync();
      a.trainOnBatch(x, y);
      expect(a.getWeights()[0].dataSync()).not.toEqual(before);
      const b = await roundTrip(a, true);
      a.trainOnBatch(x, y);
      b.trainOnBatch(x, y);
      expect(b.getWeights()[0].dataSync()).toEqual(a.getWeights()[0].dataSync());
    });
  }
});
