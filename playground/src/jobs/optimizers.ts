// Figures 9-7 to 9-9: every optimizer from the same start on a 2-D loss surface, each stepping a
// two-element Float32Array with deltaflow's opt.applyGradients. 'gd' sees the exact gradient; every
// other optimizer sees a mini-batch gradient (least squares) or the gradient plus noise.
import * as df from '../../../src/index.js';
import { rng } from '../lib/rng.js';
import { surfaces, type Surface } from '../lib/surfaces.js';
import { makeOptimizer } from './make-optimizer.js';
import type { Job } from './index.js';

export interface Run {
  name: string;
  lr: number;
  path: Float32Array;
  loss: Float32Array;
  /** Steps taken before the path left the finite numbers (or all of them). */
  steps: number;
}

export const optimizerRace: Job = (post) => {
  const names = ['gd', ...df.optimizerNames];
  return (msg) => {
    if (msg.type !== 'compute') return;
    const s: Surface = surfaces[msg.problem as Surface['key']];
    const t0 = performance.now();
    const runs: Run[] = names.map((name) => {
      const lr = (s.rates[name === 'gd' ? 'sgd' : name] ?? 0.01) * msg.lrScale;
      const opt = makeOptimizer(name, lr);
      const draw = rng(7);
      const p = new Float32Array(s.start);
      const path = new Float32Array(2 * (s.steps + 1)).fill(NaN);
      const loss = new Float32Array(s.steps + 1).fill(NaN);
      path.set(p, 0);
      loss[0] = s.f(p[0], p[1]);
      let steps = s.steps;
      for (let t = 1; t <= s.steps; t++) {
        const g = name === 'gd' ? s.grad(p[0], p[1]) : s.sample(p[0], p[1], draw, msg.noise);
        if (!Number.isFinite(g[0]) || !Number.isFinite(g[1])) {
          steps = t - 1;
          break;
        }
        opt.applyGradients(p, g);
        const f = s.f(p[0], p[1]);
        if (!Number.isFinite(f) || Math.abs(p[0]) > 1e6 || Math.abs(p[1]) > 1e6) {
          steps = t - 1;
          break;
        }
        path[2 * t] = p[0];
        path[2 * t + 1] = p[1];
        loss[t] = f;
      }
      return { name, lr, path, loss, steps };
    });
    post(
      { type: 'paths', problem: s.key, seq: msg.seq, runs, ms: performance.now() - t0 },
      runs.flatMap((r) => [r.path.buffer, r.loss.buffer]),
    );
  };
};
