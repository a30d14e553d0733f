// The vanishing gradient through time: a SimpleRNN and an LSTM of the same size, each → Dense(1), trained
// side by side with deltaflow on the adding problem; after every epoch, their weights go through the
// panel's float64 BPTT (lib/bptt.ts) for ‖∂L/∂h_t‖ per time step on held-out sequences, and the BPTT's
// weight gradients are checked against model.computeGradients on the same sequences.
import * as df from '../../../src/index.js';
import { addingProblem } from '../lib/adding.js';
import { bptt, type Cell } from '../lib/bptt.js';
import { Loop } from './loop.js';
import type { Job } from './index.js';

const CELLS: Cell[] = ['simpleRNN', 'lstm'];
const TRAIN = 2000;
const HELD_OUT = 48;
const SEED = 3;

interface Run {
  cell: Cell;
  /** ‖∂L/∂h_t‖, t = 1 … T, now and before training. */
  norms: number[];
  initial: number[];
  /** Held-out mse per epoch, from epoch 0 (before training). */
  loss: number[];
  /** Largest |BPTT − computeGradients| over the three weights, relative to the largest gradient. */
  check: number;
}

export const rnnGradient: Job = (post) => {
  let steps = 40;
  let units = 16;
  let epoch = 0;
  let models: df.Sequential[] = [];
  let runs: Run[] = [];
  let data = addingProblem(TRAIN, steps, SEED);
  let held = addingProblem(HELD_OUT, steps, SEED + 1);
  let baseline = 0;

  const measure = (m: df.Sequential, cell: Cell) => {
    const [kernel, recurrent, bias, dense, denseBias] = m.getWeights().map((w) => w.dataSync());
    const b = bptt({ cell, features: 2, units, kernel, recurrent, bias, dense, denseBias: denseBias[0] }, held.x, held.y, HELD_OUT, steps);
    const { grads } = m.computeGradients({ data: held.x, shape: [HELD_OUT, steps, 2] }, { data: held.y, shape: [HELD_OUT, 1] });
    let gap = 0;
    let scale = 0;
    b.grads.forEach((mine, k) =>
      grads[k].dataSync().forEach((v, i) => {
        gap = Math.max(gap, Math.abs(v - mine[i]));
        scale = Math.max(scale, Math.abs(v));
      }),
    );
    return { norms: b.stateNorms, loss: b.loss, check: gap / scale };
  };

  const build = () => {
    models.forEach((m) => m.dispose());
    data = addingProblem(TRAIN, steps, SEED);
    held = addingProblem(HELD_OUT, steps, SEED + 1);
    const mean = data.y.reduce((a, v) => a + v, 0) / TRAIN;
    baseline = held.y.reduce((a, v) => a + (v - mean) ** 2, 0) / HELD_OUT;
    models = CELLS.map((cell) => {
      const layer = cell === 'lstm' ? df.layers.lstm({ units, inputShape: [steps, 2] }) : df.layers.simpleRNN({ units, inputShape: [steps, 2] });
      const m = df.sequential({ seed: SEED, layers: [layer, df.layers.dense({ units: 1 })] });
      m.compile({ optimizer: df.optimizers.adam({ learningRate: 0.01 }), loss: 'mse' });
      return m;
    });
    epoch = 0;
    runs = models.map((m, k) => {
      const { norms, loss, check } = measure(m, CELLS[k]);
      return { cell: CELLS[k], norms, initial: norms, loss: [loss], check };
    });
  };

  const send = () => post({ type: 'state', epoch, steps, units, baseline, runs, running: loop.running });

  const loop = new Loop(
    async () => {
      const x = { data: data.x, shape: [TRAIN, steps, 2] as [number, number, number] };
      const y = { data: data.y, shape: [TRAIN, 1] as [number, number] };
      for (const m of models) await m.fit(x, y, { epochs: 1, batchSize: 32, seed: SEED + epoch, verbose: 0 });
      epoch++;
      runs.forEach((run, k) => {
        const { norms, loss, check } = measure(models[k], run.cell);
        Object.assign(run, { norms, check });
        run.loss.push(loss);
      });
      send();
      return epoch < 200;
    },
    () => send(),
  );

  build();
  send();
  return (msg) => {
    if (msg.type === 'run') loop.start();
    else if (msg.type === 'pause') {
      loop.stop();
      send();
    } else if (msg.type === 'reset' || msg.type === 'config') {
      loop.stop();
      steps = msg.steps ?? steps;
      units = msg.units ?? units;
      void loop.idle().then(() => {
        build();
        send();
      });
    }
  };
};
