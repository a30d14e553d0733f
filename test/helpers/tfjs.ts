// The TensorFlow.js peer for parity tests: its cpu backend, with the tfjs-node banner it prints on the
// first tensor filtered out of console.warn (every other warning still shows), Adam stepped as Keras steps it, and
// what the parity tests do with both twins: predict, train on the same batches, compare.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, expect, vi } from 'vitest';
import * as df from '../../src/index.js';
import { worst } from './random.js';

/** Registers beforeAll/afterAll hooks that ready tfjs (cpu) and deltaflow for this test file. */
export function useTfjsPeer(): void {
  let warn: ReturnType<typeof vi.spyOn>;
  beforeAll(async () => {
    const original = console.warn.bind(console);
    warn = vi.spyOn(console, 'warn').mockImplementation((...args: unknown[]) => {
      if (!args.some((a) => typeof a === 'string' && a.includes('tfjs-node'))) original(...args);
    });
    await tf.setBackend('cpu');
    await tf.ready();
    await df.ready();
  });
  afterAll(() => warn.mockRestore());
}

/**
 * Adam as Keras 3 (and deltaflow) step it: w −= α_t·m/(√v + ε) with α_t = lr·√(1−β2ᵗ)/(1−β1ᵗ). tfjs's
 * own AdamOptimizer divides by √v̂ + ε instead, the same update but for ε, which is then ≈ 30× smaller
 * in the first steps: for the many gradients of a conv net within a few ε of zero the two differ by
 * design (and its small ε turns their rounding into whole steps), so tfjs trains here with this one.
 */
export class KerasAdam extends tf.Optimizer {
  static className = 'KerasAdam';
  private t = 0;
  private readonly slots = new Map<string, { m: tf.Variable; v: tf.Variable }>();

  constructor(
    private readonly lr: number,
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-7,
  ) {
    super();
  }

  override applyGradients(grads: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    this.t++;
    const alpha = (this.lr * Math.sqrt(1 - this.beta2 ** this.t)) / (1 - this.beta1 ** this.t);
    const list = Array.isArray(grads) ? grads : Object.entries(grads).map(([name, tensor]) => ({ name, tensor }));
    for (const { name, tensor: g } of list) {
      if (g == null) continue;
      const w = tf.engine().registeredVariables[name];
      let s = this.slots.get(name);
      if (!s) this.slots.set(name, (s = { m: tf.variable(tf.zerosLike(w), false), v: tf.variable(tf.zerosLike(w), false) }));
      const { m, v } = s;
      tf.tidy(() => {
        m.assign(tf.add(m, tf.mul(tf.sub(g, m), 1 - this.beta1)));
        v.assign(tf.add(v, tf.mul(tf.sub(tf.square(g), v), 1 - this.beta2)));
        w.assign(tf.sub(w, tf.div(tf.mul(m, alpha), tf.add(tf.sqrt(v), this.epsilon))));
      });
    }
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.lr, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }

  override dispose(): void {
    for (const { m, v } of this.slots.values()) tf.dispose([m, v]);
    super.dispose();
  }
}

/** tfjs's prediction for rows `x` of `shape`, copied out of its tensor. */
export function tfPredict(t: tf.LayersModel, x: Float32Array, shape: number[]): Float32Array {
  return tf.tidy(() => (t.predict(tf.tensor(x, shape)) as tf.Tensor).dataSync().slice() as Float32Array);
}

/** One training batch for both twins. */
export interface TwinBatch {
  x: Float32Array;
  xShape: number[];
  y: Float32Array;
  yShape: number[];
}

/**
 * `steps` trainOnBatch calls on deltaflow's model and its tfjs twin with the same batches (`batch(s)` for
 * step s); each step's loss must agree within `lossTol` (relative). The caller compares the weights after.
 */
export async function trainTwins(model: df.Sequential, t: tf.LayersModel, steps: number, batch: (s: number) => TwinBatch, lossTol = 1e-5): Promise<void> {
  for (let s = 0; s < steps; s++) {
    const { x, xShape, y, yShape } = batch(s);
    const ours = model.trainOnBatch({ data: x, shape: xShape }, { data: y, shape: yShape });
    const [tx, ty] = [tf.tensor(x, xShape), tf.tensor(y, yShape)];
    const theirs = (await t.trainOnBatch(tx, ty)) as number;
    tf.dispose([tx, ty]);
    expect(Math.abs(ours - theirs) / Math.abs(theirs), `step ${s} loss: deltaflow ${ours}, tfjs ${theirs}`).toBeLessThan(lossTol);
  }
}

/**
 * deltaflow's values `got` against tfjs's `want`: the worst error relative to each value, or to `floor` × the
 * largest |want| where that is larger (values near zero are compared at the scale of the whole), below `tol`.
 */
export function agree(got: ArrayLike<number>, want: ArrayLike<number>, floor: number, tol: number, what: string): void {
  let max = 0;
  for (let i = 0; i < want.length; i++) max = Math.max(max, Math.abs(want[i]));
  const { err, at } = worst(got, want, (i) => Math.max(Math.abs(want[i]), floor * max, 1e-30));
  expect(err, `${what}[${at}]: deltaflow ${got[at]}, tfjs ${want[at]}`).toBeLessThan(tol);
}
