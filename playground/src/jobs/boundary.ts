// Decision boundaries: a small classifier on 2-D points, trained while the page draws its output over
// the plane (a GRID × GRID heat map) and the training and test losses.
import * as df from '../../../src/index.js';
import { makeOptimizer } from './make-optimizer.js';
import { Loop } from './loop.js';
import { EXTENT, GRID } from '../lib/datasets.js';
import type { Job } from './index.js';


interface Config {
  layers: number[];
  activation: string;
  optimizer: string;
  lr: number;
  batchSize: number;
}

export const boundary: Job = (post) => {
  let cfg: Config = { layers: [8, 8], activation: 'tanh', optimizer: 'adam', lr: 0.01, batchSize: 10 };
  let train = { x: new Float32Array(0), y: new Float32Array(0) };
  let test = { x: new Float32Array(0), y: new Float32Array(0) };
  let model: df.Sequential | undefined;
  let epoch = 0;
  let trainLoss: number[] = [];
  let testLoss: number[] = [];
  let seed = 1;
  let speed = 2;
  const grid = new Float32Array(GRID * GRID * 2);
  for (let j = 0; j < GRID; j++) {
    for (let i = 0; i < GRID; i++) {
      grid[2 * (j * GRID + i)] = -EXTENT + (2 * EXTENT * (i + 0.5)) / GRID;
      grid[2 * (j * GRID + i) + 1] = -EXTENT + (2 * EXTENT * (j + 0.5)) / GRID;
    }
  }
  const gridIn = { data: grid, shape: [GRID * GRID, 2] as [number, number] };
  const m = (d: { x: Float32Array; y: Float32Array }) => [
    { data: d.x, shape: [d.y.length, 2] as [number, number] },
    { data: d.y, shape: [d.y.length, 1] as [number, number] },
  ] as const;

  const build = () => {
    model?.dispose();
    const layers = cfg.layers.map((units, l) => df.layers.dense({ units, activation: cfg.activation, ...(l === 0 ? { inputShape: [2] } : {}) }));
    layers.push(df.layers.dense({ units: 1, activation: 'sigmoid', ...(cfg.layers.length === 0 ? { inputShape: [2] } : {}) }));
    model = df.sequential({ seed, layers });
    model.compile({ optimizer: makeOptimizer(cfg.optimizer, cfg.lr), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    epoch = 0;
    trainLoss = [];
    testLoss = [];
  };

  const send = () => {
    if (!model) return;
    const tr = train.y.length ? model.evaluate(...m(train)) : { loss: NaN, accuracy: NaN };
    const te = test.y.length ? model.evaluate(...m(test)) : { loss: NaN, accuracy: NaN };
    if (trainLoss.length === epoch) {
      trainLoss.push(tr.loss);
      testLoss.push(te.loss);
    }
    const out = model.predict(gridIn).dataSync();
    post({ type: 'state', epoch, out, trainLoss, testLoss, trainAcc: tr.accuracy, testAcc: te.accuracy, running: loop.running }, [out.buffer]);
  };

  const loop = new Loop(
    async () => {
      if (!model || train.y.length === 0) return false;
      // `speed` epochs per frame (at most ~30 ms of them), about 60 frames a second.
      const t0 = performance.now();
      let k = 0;
      do {
        await model.fit(...m(train), { epochs: 1, batchSize: cfg.batchSize, verbose: 0 });
        epoch++;
        trainLoss.push(model.evaluate(...m(train)).loss);
        testLoss.push(test.y.length ? model.evaluate(...m(test)).loss : NaN);
      } while (++k < speed && performance.now() - t0 < 30);
      send();
      await new Promise((r) => setTimeout(r, Math.max(0, 16 - (performance.now() - t0))));
      return epoch < 5000;
    },
    () => send(),
  );

  return (msg) => {
    if (msg.type === 'data') {
      train = msg.train;
      test = msg.test;
      build();
      send();
    } else if (msg.type === 'speed') speed = msg.speed;
    else if (msg.type === 'config') {
      const rebuild = JSON.stringify(msg.cfg) !== JSON.stringify(cfg);
      cfg = msg.cfg;
      if (rebuild) {
        const was = loop.running;
        loop.stop();
        build();
        send();
        if (was) loop.start();
      }
    } else if (msg.type === 'run') loop.start();
    else if (msg.type === 'pause') {
      loop.stop();
      send();
    } else if (msg.type === 'reset') {
      loop.stop();
      seed++;
      build();
      send();
    }
  };
};
