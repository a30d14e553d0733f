// Adapter: brain.js NeuralNetwork. It has no mini-batches (one update per sample), one activation for every
// layer including the output (no softmax), a squared-error delta, and unseeded Math.random weights.
import { createRequire } from 'node:module';
import { versionOf } from '../lib/versions.mjs';

const require = createRequire(import.meta.url);
const brain = require('brain.js');

export const versions = () => ({ 'brain.js': versionOf('brain.js') });
export const notes = [];

export async function init() {}

/** spec.praxis: 'adam' for brain's per-sample Adam, else its default SGD with momentum 0.1. */
export function build({ sizes, activations, lr, praxis = null }) {
  const activation = activations[0]; // brain applies the hidden activation to all layers
  const net = new brain.NeuralNetwork({ hiddenLayers: sizes.slice(1, -1), activation, praxis });
  net.sizes = sizes; // sizes now rather than at the first train(), so predict works untrained
  net.initialize();
  net.benchTrainOpts = { learningRate: lr, praxis, errorThresh: 1e-12 }; // tiny errorThresh: never stop early
  return net;
}

/** brain wants plain arrays of { input, output } (its formatData rejects typed arrays). */
export function prepare(ds, rows = ds.rows) {
  const pairs = [];
  for (let r = 0; r < rows; r++) {
    pairs.push({ input: Array.from(ds.x.subarray(r * ds.inDim, (r + 1) * ds.inDim)), output: Array.from(ds.y.subarray(r * ds.outDim, (r + 1) * ds.outDim)) });
  }
  return { pairs, rows };
}

/** epochs = iterations over the data; batchSize is ignored (per-sample updates). Loss = brain's own MSE. */
export async function fit(net, p, { epochs }) {
  const status = net.train(p.pairs, { ...net.benchTrainOpts, iterations: epochs });
  return { loss: status.error, iterations: status.iterations };
}

export function predict(net, data, rows, cols) {
  const out = [];
  for (let r = 0; r < rows; r++) out.push(...net.run(data.subarray(r * cols, (r + 1) * cols)));
  return Float32Array.from(out);
}

export const release = () => {};
