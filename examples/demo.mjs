// npm run demo: the lesson in three runs — XOR learned by backpropagation from random weights, the
// vanishing gradient of a deep sigmoid stack next to ReLU, and an MNIST classifier trained with Adam.
import * as df from 'deltaflow';
import { loadMnist } from './mnist-data.mjs';

await df.ready();

// (a) XOR: no hand-set weights; backpropagation finds them.
{
  console.log('\n(a) XOR with a 2-4-1 sigmoid network, random initial weights, backpropagation\n');
  const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
  const y = [[0], [1], [1], [0]];
  const model = df.sequential({
    seed: 1,
    layers: [df.layers.dense({ units: 4, activation: 'sigmoid', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })],
  });
  model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.1 }), loss: 'binaryCrossentropy', metrics: ['accuracy'] });
  const t0 = performance.now();
  const h = await model.fit(x, y, { epochs: 500, batchSize: 4, verbose: 0 });
  const ms = performance.now() - t0;
  const p = model.predict(x).dataSync();
  x.forEach(([a, b], i) => console.log(`  ${a} XOR ${b} = ${y[i][0]}   predicted ${p[i].toFixed(4)}`));
  console.log(`  loss ${h.history.loss[0].toFixed(4)} → ${h.history.loss.at(-1).toFixed(4)}, accuracy ${h.history.accuracy.at(-1)}, 500 epochs in ${ms.toFixed(0)} ms`);
}

// (b) The vanishing gradient: sigmoid' ≤ 0.25 shrinks δ at every layer on the way back; ReLU does not.
{
  console.log('\n(b) Gradient norm per layer of a 10-layer network, first layer at the top\n');
  const depth = 10;
  const width = 32;
  const rows = 64;
  const x = Array.from({ length: rows }, (_, r) => Array.from({ length: 16 }, (_, c) => Math.sin(r * 16 + c)));
  const y = x.map((row) => [row[0] * row[1] > 0 ? 1 : 0]);
  const norms = (activation, kernelInitializer) => {
    const layers = [];
    for (let l = 0; l < depth - 1; l++) layers.push(df.layers.dense({ units: width, activation, kernelInitializer, ...(l === 0 ? { inputShape: [16] } : {}) }));
    layers.push(df.layers.dense({ units: 1, activation: 'sigmoid' }));
    const model = df.sequential({ seed: 3, layers });
    model.compile({ optimizer: 'sgd', loss: 'binaryCrossentropy' });
    const { grads } = model.computeGradients(x, y);
    // Kernels are every other tensor (kernel, bias, kernel, …).
    return grads.filter((_, i) => i % 2 === 0).map((g) => Math.hypot(...g.dataSync()));
  };
  const sig = norms('sigmoid', 'glorotUniform');
  const relu = norms('relu', 'heNormal');
  const bar = (v, max) => '█'.repeat(Math.max(0, Math.round(20 + 2 * Math.log10(v / max))));
  console.log('  layer   sigmoid ‖dW‖                        relu ‖dW‖');
  for (let l = 0; l < depth; l++) {
    console.log(`  ${String(l + 1).padStart(5)}   ${sig[l].toExponential(2)} ${bar(sig[l], Math.max(...sig)).padEnd(22)}   ${relu[l].toExponential(2)} ${bar(relu[l], Math.max(...relu))}`);
  }
  console.log(`  first/last layer: sigmoid ${(sig[0] / sig[depth - 1]).toExponential(2)}, relu ${(relu[0] / relu[depth - 1]).toExponential(2)}`);
}

// (c) MNIST: 784-128-10, relu then softmax, Adam, 8,000 digits to train and 2,000 held out.
{
  console.log('\n(c) MNIST 784-128-10 (relu, softmax), Adam, 8,000 training digits, 2,000 held out\n');
  const { train, test } = loadMnist({ train: 8000, test: 2000 });
  const model = df.sequential({
    seed: 7,
    layers: [df.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), df.layers.dense({ units: 10, activation: 'softmax' })],
  });
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  model.summary();
  const labels = { data: Float32Array.from(train.labels), shape: [train.rows] };
  const t0 = performance.now();
  await model.fit(train.x, labels, { epochs: 12, batchSize: 32, verbose: 1 });
  const seconds = (performance.now() - t0) / 1000;
  const held = model.evaluate(test.x, { data: Float32Array.from(test.labels), shape: [test.rows] });
  console.log(`\n  held-out accuracy ${held.accuracy.toFixed(4)} (loss ${held.loss.toFixed(4)}) after ${seconds.toFixed(2)} s of training`);
  console.log(`  ${((train.rows * 12) / seconds).toFixed(0)} samples/s`);
}
