// MNIST in the page: the 784-128-10 network (ReLU, softmax, Adam) trained on 8,000 digits with the
// held-out 2,000 evaluated after every epoch; the page's drawings are classified with predict().
import * as df from '../../../src/index.js';
import { fetchDigits } from '../lib/mnist.js';
import { Loop, yielder } from './loop.js';
import type { Job } from './index.js';

export const digits: Job = async (post, init: { mnistUrl: string }) => {
  const t0 = performance.now();
  const data = await fetchDigits(init.mnistUrl);
  const n = data.train + data.test;
  const all = new Float32Array(n * 784);
  for (let i = 0; i < all.length; i++) all[i] = data.pixels[i] / 255;
  const labels = Float32Array.from(data.labels);
  const x = { data: all.subarray(0, data.train * 784), shape: [data.train, 784] as [number, number] };
  const y = { data: labels.subarray(0, data.train), shape: [data.train, 1] as [number, number] };
  const xt = { data: all.subarray(data.train * 784), shape: [data.test, 784] as [number, number] };
  const yt = { data: labels.subarray(data.train), shape: [data.test, 1] as [number, number] };
  // A few samples of each digit for the page to show.
  const samples: { label: number; pixels: Uint8Array }[] = [];
  for (let d = 0; d < 10; d++) {
    for (let i = 0, k = 0; i < data.train && k < 2; i++) if (data.labels[i] === d) samples.push({ label: d, pixels: data.pixels.slice(i * 784, (i + 1) * 784) }), k++;
  }
  post({ type: 'loaded', train: data.train, test: data.test, samples, ms: performance.now() - t0 });

  const MAX_EPOCHS = 15;
  const batchSize = 32;
  const batches = Math.ceil(data.train / batchSize);
  let model: df.Sequential;
  let epoch = 0;
  let curve: { step: number[]; loss: number[]; acc: number[] };
  let epochs: { epoch: number; loss: number; acc: number; valLoss: number; valAcc: number; seconds: number }[];
  let trainMs = 0;
  let seed = 7;

  const build = () => {
    model?.dispose();
    model = df.sequential({
      seed,
      layers: [df.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })],
    });
    model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    epoch = 0;
    trainMs = 0;
    curve = { step: [], loss: [], acc: [] };
    epochs = [];
  };

  const state = () => ({ type: 'state', epoch, batches, curve, epochs, trainMs, samplesPerSec: trainMs ? ((curve.step.at(-1) ?? 0) * data.train) / (trainMs / 1000) : 0, running: loop.running, maxEpochs: MAX_EPOCHS });

  const loop = new Loop(
    async () => {
      const pause = yielder(40);
      let last = performance.now();
      let t = performance.now();
      await model.fit(x, y, {
        epochs: 1,
        batchSize,
        verbose: 0,
        callbacks: {
          onBatchEnd: async (b, logs) => {
            if (b % 10 === 9 || b === batches - 1) {
              curve.step.push(epoch + (b + 1) / batches);
              curve.loss.push(logs!.loss);
              curve.acc.push(logs!.acc ?? logs!.accuracy);
            }
            if (performance.now() - last > 100) {
              last = performance.now();
              trainMs += last - t;
              post(state());
              t = performance.now();
            }
            const wait = pause();
            if (wait) {
              trainMs += performance.now() - t;
              await wait;
              t = performance.now();
            }
          },
        },
      });
      trainMs += performance.now() - t;
      if (model.stopTraining) return false;
      const v = model.evaluate(xt, yt);
      epochs.push({ epoch: epoch + 1, loss: curve.loss.at(-1)!, acc: curve.acc.at(-1)!, valLoss: v.loss, valAcc: v.accuracy, seconds: trainMs / 1000 });
      epoch++;
      post(state());
      return epoch < MAX_EPOCHS;
    },
    () => post(state()),
  );

  build();
  post(state());
  return async (msg) => {
    if (msg.type === 'run') loop.start();
    // A pause takes effect at the end of the epoch in progress (a fifth of a second).
    else if (msg.type === 'pause') {
      loop.stop();
      post(state());
    }
    else if (msg.type === 'reset') {
      loop.stop();
      model.stopTraining = true;
      await loop.idle();
      seed++;
      build();
      post(state());
    } else if (msg.type === 'predict') {
      const probs = model.predict({ data: msg.pixels, shape: [1, 784] }).dataSync();
      post({ type: 'probs', probs, id: msg.id });
    }
  };
};
