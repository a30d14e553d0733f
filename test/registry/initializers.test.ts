// The Orthogonal initializer (Keras 3 definition): orthonormal rows or columns from the seeded stream,
// checked against tfjs's QR of the same normals, through a model, and through a save.
import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import * as df from '../../src/index.js';
import { initializers, orthogonal } from '../../src/registry/initializers.js';
import type { Runtime } from '../../src/wasm/load.js';
import { get, put, runtime } from '../helpers/kernels.js';
import { capture } from '../io/helpers.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
  await tf.setBackend('cpu');
});

/** What an initializer fills for a weight of `shape`, from a generator seeded with `seed`. */
function fill(init: df.Initializer, shape: number[], seed: number): Float32Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const s = put(rt, 4);
  const out = put(rt, n);
  try {
    rt.kernels.rng_seed(s, seed);
    init.fill(rt, s, out, n, 0, 0, shape);
    return get(rt, out, n);
  } finally {
    rt.heap.free(out);
    rt.heap.free(s);
  }
}

/** The standard normals the generator seeded with `seed` draws first. */
function normals(n: number, seed: number): Float32Array {
  const s = put(rt, 4);
  const out = put(rt, n);
  rt.kernels.rng_seed(s, seed);
  rt.kernels.rng_normal(s, out, n, 0, 1, 0);
  const a = get(rt, out, n);
  rt.heap.free(out);
  rt.heap.free(s);
  return a;
}

/** The largest |(M·Mᵀ or Mᵀ·M) − g²·I| for w viewed as rows×cols, over the smaller side's Gram matrix. */
function gramError(w: ArrayLike<number>, rows: number, cols: number, gain = 1): number {
  const byRows = rows < cols;
  const k = byRows ? rows : cols;
  const at = (v: number, i: number) => (byRows ? w[v * cols + i] : w[i * cols + v]);
  const len = byRows ? cols : rows;
  let worst = 0;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let i = 0; i < len; i++) s += at(a, i) * at(b, i);
      worst = Math.max(worst, Math.abs(s - (a === b ? gain * gain : 0)));
    }
  }
  return worst;
}

const SHAPES = [[8, 32], [32, 8], [16, 16], [3, 5, 4]];

describe('orthogonal', () => {
  it('is a registry row with its tfjs and Keras names', () => {
    expect(initializers.names).toContain('orthogonal');
    expect(initializers.get('orthogonal').name).toBe('orthogonal');
    expect(initializers.get('Orthogonal').name).toBe('orthogonal');
    expect(df.initializers.orthogonal({ gain: 2 }).name).toBe('orthogonal');
  });

  for (const shape of SHAPES) {
    const cols = shape.at(-1)!;
    const rows = shape.reduce((a, b) => a * b, 1) / cols;
    it(`[${shape}]: ${rows < cols ? 'rows' : 'columns'} orthonormal to 1e-5, and each is a unit vector only by rounding`, () => {
      const w = fill(initializers.get('orthogonal'), shape, 11);
      expect(gramError(w, rows, cols)).toBeLessThan(1e-5);
      // Not the identity or any other fixed matrix: a random rotation.
      expect(new Set(Array.from(w, (v) => v.toFixed(4))).size).toBeGreaterThan(w.length / 2);
    });

    it(`[${shape}]: tfjs's QR of the same normals, made unique by sign(diag R) (Keras), to 1e-5`, () => {
      const m = Math.max(rows, cols);
      const c = Math.min(rows, cols);
      const a = tf.tensor2d(normals(m * c, 23), [m, c]);
      const [q, r] = tf.linalg.qr(a);
      const qs = q.dataSync();
      const rs = r.dataSync();
      // Keras: q·sign(diag r), transposed when rows < cols.
      const expected = new Float64Array(m * c);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < c; j++) {
          const v = qs[i * c + j] * Math.sign(rs[j * c + j]);
          if (rows < cols) expected[j * m + i] = v;
          else expected[i * c + j] = v;
        }
      }
      const w = fill(initializers.get('orthogonal'), shape, 23);
      let worst = 0;
      for (let i = 0; i < w.length; i++) worst = Math.max(worst, Math.abs(w[i] - expected[i]));
      expect(worst).toBeLessThan(1e-5);
      tf.dispose([a, q, r]);
    });
  }

  it('gain scales every entry (Gram matrix gain²·I)', () => {
    const one = fill(orthogonal(), [12, 5], 3);
    const two = fill(orthogonal({ gain: -2.5 }), [12, 5], 3);
    for (let i = 0; i < one.length; i++) expect(two[i]).toBeCloseTo(-2.5 * one[i], 6);
    expect(gramError(two, 12, 5, 2.5)).toBeLessThan(1e-4);
  });

  it('the same seed gives the same bits; another seed other numbers', () => {
    const a = fill(orthogonal(), [3, 5, 4], 42);
    expect(fill(orthogonal(), [3, 5, 4], 42)).toEqual(a);
    expect(fill(orthogonal(), [3, 5, 4], 43)).not.toEqual(a);
    const m = () => df.sequential({ seed: 8, layers: [df.layers.dense({ units: 6, kernelInitializer: 'orthogonal', inputShape: [10] })] });
    expect(m().getWeights()[0].dataSync()).toEqual(m().getWeights()[0].dataSync());
  });

  it('refuses a weight of fewer than 2 dimensions, naming the shape', () => {
    expect(() => fill(orthogonal(), [7], 1)).toThrow(/at least 2 dimensions, got shape \[7\]/);
  });

  it('a model with it on a bias is refused when planned, naming the weight, and stays as it was', () => {
    const bad = () => df.layers.dense({ units: 3, biasInitializer: 'orthogonal', name: 'd' });
    const m = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 3, biasInitializer: 'orthogonal', inputShape: [2], name: 'd' })] });
    const message = /d\/bias \[3\]: the orthogonal initializer needs a weight of at least 2 dimensions/;
    expect(() => m.getWeights()).toThrow(message);
    expect(() => m.getWeights()).toThrow(message);
    // Added to a built model: refused, and the model keeps its layers and weights.
    const ok = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 3, inputShape: [2] })] });
    const before = ok.getWeights()[0].dataSync();
    expect(() => ok.add(bad())).toThrow(message);
    expect(ok.layers.length).toBe(1);
    expect(ok.getWeights()[0].dataSync()).toEqual(before);
  });

  it('checks its options: gain a finite number, no seed of its own', () => {
    expect(() => orthogonal({ gain: Number.NaN })).toThrow(/gain must be a finite number, got NaN/);
    expect(() => orthogonal({ gain: '2' as unknown as number })).toThrow(/gain/);
    expect(() => orthogonal({ seed: 3 } as never)).toThrow(/seed/);
    expect(() => orthogonal({ gian: 3 } as never)).toThrow(/gian/);
    expect(orthogonal({ seed: null } as never).getConfig()).toEqual({ gain: 1 });
  });

  it("a Dense layer's kernel (inputShape 10, 6 units) has orthonormal columns, and the model trains", () => {
    const m = df.sequential({ seed: 4, layers: [df.layers.dense({ units: 6, kernelInitializer: 'orthogonal', inputShape: [10] }), df.layers.dense({ units: 1 })] });
    expect(gramError(m.getWeights()[0].dataSync(), 10, 6)).toBeLessThan(1e-5);
    m.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.05 }), loss: 'mse' });
    const x = Array.from({ length: 32 }, (_, i) => Array.from({ length: 10 }, (_, j) => Math.sin(i * 1.3 + j * 0.7)));
    const y = x.map((r) => [r[0] - 0.5 * r[3] + 0.25 * r[7]]);
    const first = m.trainOnBatch(x, y);
    let last = first;
    for (let i = 0; i < 200; i++) last = m.trainOnBatch(x, y);
    expect(Number.isFinite(last)).toBe(true);
    expect(last).toBeLessThan(first / 10);
  });

  it('a Conv1D kernel [3, 5, 4] is orthogonal as [15, 4]', () => {
    const m = df.sequential({ seed: 2, layers: [df.layers.conv1d({ filters: 4, kernelSize: 3, kernelInitializer: 'orthogonal', inputShape: [9, 5] })] });
    const k = m.getWeights()[0];
    expect(k.shape).toEqual([3, 5, 4]);
    expect(gramError(k.dataSync(), 15, 4)).toBeLessThan(1e-5);
  });

  it('saves as tfjs writes it (Orthogonal, gain) and loads back with its gain', async () => {
    const m = df.sequential({ seed: 6, layers: [df.layers.dense({ units: 3, kernelInitializer: df.initializers.orthogonal({ gain: 0.5 }), inputShape: [4] })] });
    const a = await capture((h) => m.save(h));
    const json = JSON.stringify(a.modelTopology);
    expect(json).toContain('"kernel_initializer":{"class_name":"Orthogonal","config":{"gain":0.5,"seed":null}}');
    const back = await df.loadLayersModel(df.io.fromMemory(a));
    const init = (back.layers[0] as df.Dense).kernelInitializer as ReturnType<typeof orthogonal>;
    expect(init.name).toBe('orthogonal');
    expect(init.getConfig()).toEqual({ gain: 0.5 });
    expect(back.getWeights()[0].dataSync()).toEqual(m.getWeights()[0].dataSync());
  });
});
