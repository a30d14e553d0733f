// Backpropagation, step by step (figures 9-1 to 9-3). The page's numbers are computed here by hand
// (lib/mlp.ts) and checked against deltaflow's computeGradients on the same weights; "run" trains
// with deltaflow itself (SGD, one pattern per step, in order), which takes the very same steps:
// deltaflow's mse is (y − t)², twice the deck's E = ½(y − t)², so sgd({ learningRate: η/2 }) on mse
// moves each weight by η·∂E/∂w.
import * as df from '../../../src/index.js';
import { backprop as pass, fromFlat, toTensors, update, type Net, type Pass } from '../lib/mlp.js';
import { Loop } from './loop.js';
import type { Job } from './index.js';

// The first pattern has a 1 in it, so that the first step already shows non-zero hidden gradients.
const X = [[1, 0], [0, 1], [1, 1], [0, 0]];
const T = [[1], [1], [0], [0]];

export type Phase = 0 | 1 | 2 | 3;

export interface BackpropState {
  type: 'state';
  sizes: number[];
  net: Net;
  sample: number;
  phase: Phase;
  pass: Pass;
  /** ½·∂mse/∂w from deltaflow's computeGradients, same layout as pass.gW / pass.gb. */
  dfW: number[][][];
  dfb: number[][];
  maxDiff: number;
  /** The weights before the last update (phase 3 shows the change). */
  before?: Net;
  epoch: number;
  losses: number[];
  predictions: number[];
  patterns: number[][];
  targets: number[];
  lr: number;
  running: boolean;
}

export const backprop: Job = (post) => {
  let sizes = [2, 2, 1];
  let lr = 1;
  let speed = 5;
  // Seed 8 learns XOR in about 400 epochs at η = 1; reset draws the next seed's random weights (some,
  // like seed 7, end in a local minimum: then reset again).
  let seed = 8;
  let model: df.Sequential;
  let net: Net;
  let sample = 0;
  let phase: Phase = 0;
  let epoch = 0;
  let losses: number[] = [];
  let before: Net | undefined;

  const init = df.initializers.randomUniform({ minval: -1, maxval: 1 });
  const build = () => {
    model?.dispose();
    const layers = sizes.slice(1).map((units, l) =>
      df.layers.dense({ units, activation: 'sigmoid', kernelInitializer: init, biasInitializer: init, ...(l === 0 ? { inputShape: [2] } : {}) }),
    );
    model = df.sequential({ seed, layers });
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: lr / 2 }), loss: 'mse' });
    net = fromFlat(sizes, model.getWeights().map((w) => w.dataSync()));
    sample = 0;
    phase = 0;
    epoch = 0;
    before = undefined;
    losses = [loss()];
  };
  const loss = () => model.evaluate(X, T).loss;

  const snapshot = (): BackpropState => {
    const p = pass(net, X[sample], T[sample]);
    model.setWeights(toTensors(net));
    const { grads } = model.computeGradients([X[sample]], [T[sample]]);
    const half = grads.map((g) => Array.from(g.dataSync(), (v) => v / 2));
    const d = fromFlat(sizes, half);
    let maxDiff = 0;
    p.gW.forEach((Wl, l) => Wl.forEach((row, i) => row.forEach((g, j) => (maxDiff = Math.max(maxDiff, Math.abs(g - d.W[l][i][j]))))));
    p.gb.forEach((bl, l) => bl.forEach((g, j) => (maxDiff = Math.max(maxDiff, Math.abs(g - d.b[l][j])))));
    const predictions = Array.from(model.predict(X).dataSync());
    return { type: 'state', sizes, net, sample, phase, pass: p, dfW: d.W, dfb: d.b, maxDiff, before, epoch, losses, predictions, patterns: X, targets: T.map((r) => r[0]), lr, running: loop.running };
  };
  const send = () => post(snapshot());

  // One click: forward → output error and δ (❷ first weights) → hidden δ (❸ second weights) → update.
  const step = () => {
    const hidden = sizes.length > 2;
    if (phase === 3) {
      sample = (sample + 1) % 4;
      phase = 0;
    } else if (phase === 0) phase = 1;
    else if (phase === 1) phase = hidden ? 2 : 3;
    else phase = 3;
    if (phase === 3) {
      before = structuredClone(net);
      update(net, pass(net, X[sample], T[sample]), lr);
      if (sample === 3) {
        epoch++;
        model.setWeights(toTensors(net));
        losses.push(loss());
      }
    }
    send();
  };

  const loop = new Loop(
    async () => {
      const t0 = performance.now();
      model.setWeights(toTensors(net));
      for (let k = 0; k < speed; k++) {
        await model.fit(X, T, { epochs: 1, batchSize: 1, shuffle: false, verbose: 0 });
        epoch++;
        losses.push(loss());
      }
      net = fromFlat(sizes, model.getWeights().map((w) => w.dataSync()));
      sample = 0;
      phase = 0;
      before = undefined;
      send();
      await new Promise((r) => setTimeout(r, Math.max(0, 16 - (performance.now() - t0))));
      return epoch < 20000;
    },
    () => send(),
  );

  build();
  send();
  return (msg) => {
    if (msg.type === 'run') {
      // A step sequence left mid-pattern is finished by deltaflow's epochs from the next pattern 0.
      loop.start();
    } else if (msg.type === 'pause') {
      loop.stop();
      send();
    } else if (msg.type === 'step') {
      loop.stop();
      step();
    } else if (msg.type === 'reset') {
      loop.stop();
      if (msg.newSeed) seed++;
      build();
      send();
    } else if (msg.type === 'config') {
      if (msg.lr !== undefined) {
        lr = msg.lr;
        model.optimizer!.learningRate = lr / 2;
      }
      if (msg.speed !== undefined) speed = msg.speed;
      if (msg.sizes && msg.sizes.join() !== sizes.join()) {
        loop.stop();
        sizes = msg.sizes;
        build();
      }
      send();
    }
  };
};
