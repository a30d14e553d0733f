// Cold start for tfjs: import, set the backend named by argv[2] ('wasm' | 'cpu'; wasm files from the package's dist/,
// as in engines/tfjs.mjs — Node would also find them unaided), build 784-128-10, predict one digit.
import path from 'node:path';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';

const backend = process.argv[2] ?? 'wasm';
if (backend === 'wasm') {
  const { setWasmPaths } = await import('@tensorflow/tfjs-backend-wasm');
  setWasmPaths(path.join(path.dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep);
}
await tf.setBackend(backend);
const model = tf.sequential({ layers: [tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }), tf.layers.dense({ units: 10, activation: 'softmax' })] });
const p = model.predict(tf.tensor2d(new Float32Array(784).fill(0.5), [1, 784])).dataSync();
if (p.length !== 10) process.exit(1);
