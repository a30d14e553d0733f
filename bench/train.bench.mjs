// Training samples/s of the 784-128-10 MNIST network (relu, softmax, Adam), one epoch per sample,
// at batch 32 and 128, timed by the benchmark package (median of its samples reported too).
import Benchmark from 'benchmark';
import * as df from 'deltaflow';
import { loadMnist } from '../examples/mnist-data.mjs';

await df.ready();
const { train } = loadMnist({ train: 10000, test: 0 });
const labels = { data: Float32Array.from(train.labels), shape: [train.rows] };

const rows = [];
for (const batchSize of [32, 128]) {
  const model = df.sequential({
    seed: 7,
    layers: [df.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  await new Promise((resolve) => {
    new Benchmark(`784-128-10 batch ${batchSize}`, {
      defer: true,
      minSamples: 5,
      maxTime: 8,
      fn: (deferred) => model.fit(train.x, labels, { epochs: 1, batchSize, verbose: 0 }).then(() => deferred.resolve()),
      onComplete() {
        const sorted = [...this.stats.sample].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)];
        rows.push({
          case: this.name,
          'samples/s (median)': Math.round(train.rows / median),
          'samples/s (min–max)': `${Math.round(train.rows / sorted.at(-1))}–${Math.round(train.rows / sorted[0])}`,
          'epoch ms': (median * 1000).toFixed(1),
          runs: sorted.length,
        });
        resolve();
      },
    }).run();
  });
}
console.table(rows);
