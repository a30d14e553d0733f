// Figures 9-4 and 9-5: two deep networks of the same shape, sigmoid and ReLU, trained side by side on
// the circles data; after every epoch, the norm of each layer's weight gradient (computeGradients).
import * as df from '../../../src/index.js';
import { generate, toArrays } from '../lib/datasets.js';
import { linspace } from '../lib/rng.js';
import { activationCurve } from './curves.js';
import { Loop } from './loop.js';
import type { Job } from './index.js';

const KINDS = [
  { act: 'sigmoid', init: 'glorotUniform' },
  { act: 'relu', init: 'heNormal' },
] as const;

export const vanishing: Job = (post) => {
  let depth = 10;
  let width = 16;
  let lr = 0.05;
  const data = toArrays(generate('circles', 256, 0.05, 3));
  const x = { data: data.x, shape: [256, 2] as [number, number] };
  const y = { data: data.y, shape: [256, 1] as [number, number] };
  let models: df.Sequential[] = [];
  let epoch = 0;
  let history: { loss: number[]; acc: number[] }[] = [];

  const build = () => {
    models.forEach((m) => m.dispose());
    models = KINDS.map(({ act, init }) => {
      const layers = [];
      for (let l = 0; l < depth - 1; l++) layers.push(df.layers.dense({ units: width, activation: act, kernelInitializer: init, ...(l === 0 ? { inputShape: [2] } : {}) }));
      layers.push(df.layers.dense({ units: 1, activation: 'sigmoid' }));
      const m = df.sequential({ seed: 3, layers });
      m.compile({ optimizer: df.optimizers.sgd({ learningRate: lr }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
      return m;
    });
    epoch = 0;
    history = KINDS.map(() => ({ loss: [], acc: [] }));
  };

  const send = () => {
    const runs = models.map((m, k) => {
      const { grads, loss } = m.computeGradients(x, y);
      // Kernels are every other tensor: kernel, bias, kernel, …
      const norms = grads.filter((_, i) => i % 2 === 0).map((g) => Math.hypot(...g.dataSync()));
      const acc = m.evaluate(x, y).accuracy;
      if (history[k].loss.length === epoch) {
        history[k].loss.push(loss);
        history[k].acc.push(acc);
      }
      return { act: KINDS[k].act, init: KINDS[k].init, norms, loss: history[k].loss, acc: history[k].acc };
    });
    post({ type: 'state', epoch, depth, width, runs, running: loop.running });
  };

  const loop = new Loop(
    async () => {
      for (const m of models) await m.fit(x, y, { epochs: 1, batchSize: 32, verbose: 0 });
      epoch++;
      send();
      await new Promise((r) => setTimeout(r, 30));
      return epoch < 400;
    },
    () => send(),
  );

  // Figure 9-5: the sigmoid and its derivative, through the library's kernels.
  const xs = linspace(-6, 6, 241);
  post({ type: 'sigmoid', xs, ...activationCurve('sigmoid', xs) });
  build();
  send();
  return (msg) => {
    if (msg.type === 'run') loop.start();
    else if (msg.type === 'pause') {
      loop.stop();
      send();
    } else if (msg.type === 'reset' || msg.type === 'config') {
      loop.stop();
      depth = msg.depth ?? depth;
      width = msg.width ?? width;
      lr = msg.lr ?? lr;
      build();
      send();
    }
  };
};
