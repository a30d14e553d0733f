// Figure 9-6: every elementwise activation deltaflow has, with its derivative, from the library's kernels.
import * as df from '../../../src/index.js';
import { linspace } from '../lib/rng.js';
import { activationCurve, derivativeCheck } from './curves.js';
import type { Job } from './index.js';

export const activationsJob: Job = (post) => {
  const xs = linspace(-5, 5, 401);
  const names = df.activations.names.filter((n: string) => n !== 'softmax');
  const curves: Record<string, { f: Float32Array; d: Float32Array; check: number }> = {};
  const t0 = performance.now();
  for (const name of names) {
    const { f, d } = activationCurve(name, xs);
    curves[name] = { f, d, check: derivativeCheck(xs, f, d) };
  }
  post({ type: 'curves', xs, names, curves, ms: performance.now() - t0 });
  return () => {};
};
