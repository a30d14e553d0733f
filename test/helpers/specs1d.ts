// The deltaflow layers for the 1-D reference specs (test/ref/conv1d.ts), and a check of a net against it:
// predictions vs the float64 forward pass, computeGradients vs central differences of the float64 loss.
import { expect } from 'vitest';
import * as df from '../../src/index.js';
import { forward1d, mse1d, shapes1d, type Spec1D } from '../ref/conv1d.js';
import { rng, uniform, worst } from './random.js';

export function toLayer1d(s: Spec1D, inputShape?: number[]): df.Layer {
  const input = inputShape ? { inputShape } : {};
  switch (s.kind) {
    case 'conv1d':
      return df.layers.conv1d({ filters: s.filters, kernelSize: s.kernel, strides: s.strides, dilationRate: s.dilation, padding: s.padding, activation: s.activation, useBias: s.useBias, ...input });
    case 'maxPooling1d':
      return df.layers.maxPooling1d({ poolSize: s.pool, strides: s.strides, padding: s.padding, ...input });
    case 'averagePooling1d':
      return df.layers.averagePooling1d({ poolSize: s.pool, strides: s.strides, padding: s.padding, ...input });
    case 'globalMaxPooling1d':
      return df.layers.globalMaxPooling1d(input);
    case 'globalAveragePooling1d':
      return df.layers.globalAveragePooling1d(input);
    case 'flatten':
      return df.layers.flatten(input);
    case 'dense':
      return df.layers.dense({ units: s.units, activation: s.activation, ...input });
  }
}

export interface Case1D {
  name: string;
  inShape: number[];
  layers: Spec1D[];
  rows: number;
  seed: number;
}

/** The model with random biases too (zeros would hide a bias bug), and a batch. */
export function build1d(c: Case1D) {
  const next = rng(c.seed);
  const model = df.sequential({ seed: c.seed, layers: c.layers.map((s, i) => toLayer1d(s, i === 0 ? c.inShape : undefined)) });
  model.compile({ optimizer: 'sgd', loss: 'mse' });
  const { weights, out } = shapes1d(c.layers, c.inShape);
  expect(model.getWeights().map((w) => w.shape)).toEqual(weights);
  expect(model.outputShape).toEqual([null, ...out]);
  model.setWeights(model.getWeights().map((w) => ({ data: uniform(next, w.size, -0.6, 0.6), shape: w.shape })));
  const inW = c.inShape.reduce((a, b) => a * b, 1);
  const x = uniform(next, c.rows * inW, -1.5, 1.5);
  const y = uniform(next, c.rows * out.reduce((a, b) => a * b, 1), -1, 1);
  return { model, x, y, out, inW };
}

/** predict vs the float64 forward pass, and computeGradients vs central differences of the float64 loss. */
export function checkAgainstReference(c: Case1D): void {
  const { model, x, y, out, inW } = build1d(c);
  const ws = model.getWeights().map((w) => Float64Array.from(w.dataSync()));
  const got = model.predict({ data: x, shape: [c.rows, ...c.inShape] });
  expect(got.shape).toEqual([c.rows, ...out]);
  const want = new Float64Array(got.size);
  const outW = got.size / c.rows;
  for (let r = 0; r < c.rows; r++) want.set(forward1d(c.layers, c.inShape, ws, x.subarray(r * inW, (r + 1) * inW)), r * outW);
  const { err, at } = worst(got.dataSync(), want, (i) => Math.max(Math.abs(want[i]), 0.1));
  expect(err, `output[${at}]`).toBeLessThan(1e-5);

  const { loss, grads } = model.computeGradients({ data: x, shape: [c.rows, ...c.inShape] }, { data: y, shape: [c.rows, ...out] });
  expect(loss).toBeCloseTo(mse1d(c.layers, c.inShape, ws, x, y, c.rows), 5);
  const h = 1e-6;
  grads.forEach((g, t) => {
    const fd = new Float64Array(ws[t].length);
    for (let i = 0; i < fd.length; i++) {
      const keep = ws[t][i];
      ws[t][i] = keep + h;
      const up = mse1d(c.layers, c.inShape, ws, x, y, c.rows);
      ws[t][i] = keep - h;
      const down = mse1d(c.layers, c.inShape, ws, x, y, c.rows);
      ws[t][i] = keep;
      fd[i] = (up - down) / (2 * h);
    }
    const top = fd.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
    const e = worst(g.dataSync(), fd, (i) => Math.max(Math.abs(fd[i]), 0.02 * top, 1e-6));
    expect(e.err, `gradient[${t}][${e.at}]: ${g.dataSync()[e.at]} vs ${fd[e.at]}`).toBeLessThan(2e-3);
  });
}
