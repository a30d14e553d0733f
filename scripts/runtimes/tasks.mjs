// The matrix's two training runs, the same code in every runtime: it gets deltaflow (imported the way
// that runtime's users import it) and the MNIST bytes, and returns SHA-256 hashes of the final weights
// (getWeights() Float32Arrays concatenated, little-endian) and of the predictions on the training inputs.
// Plain ES2022 with web APIs only (crypto.subtle, DataView), so it runs unchanged in Node, Deno, Bun,
// Chromium (page and Web Worker), workerd and edge-runtime.

export const XOR_X = [[0, 0], [0, 1], [1, 0], [1, 1]];
export const XOR_Y = [[0], [1], [1], [0]];
export const MNIST_ROWS = 1000;
export const PIXELS = 784;

/** (a) XOR 2-8-1: tanh, sigmoid, binary cross-entropy, Adam lr 0.05, batch 4, 300 epochs, seed 7. */
export async function xor(df) {
  const model = df.sequential({ seed: 7, layers: [
    df.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
    df.layers.dense({ units: 1, activation: 'sigmoid' }),
  ]});
  model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
  await model.fit(XOR_X, XOR_Y, { epochs: 300, batchSize: 4, verbose: 0 });
  const predictions = model.predict(XOR_X).dataSync();
  const out = { weights: await sha256(f32Bytes(model.getWeights().map((t) => t.dataSync()))), predictions: await sha256(f32Bytes([predictions])), values: Array.from(predictions) };
  model.dispose();
  return out;
}

/** (b) 784-64-10: relu, softmax, sparse categorical cross-entropy, Adam, 3 epochs, batch 32, seed 7, on 1,000 digits. */
export async function mnist(df, bytes) {
  const { x, labels } = decodeMnist(bytes);
  const model = df.sequential({ seed: 7, layers: [
    df.layers.dense({ units: 64, activation: 'relu', inputShape: [PIXELS] }),
    df.layers.dense({ units: 10, activation: 'softmax' }),
  ]});
  model.compile({ optimizer: 'adam', loss: 'sparseCategoricalCrossentropy' });
  await model.fit(x, labels, { epochs: 3, batchSize: 32, verbose: 0 });
  const predictions = model.predict(x).dataSync();
  const out = { weights: await sha256(f32Bytes(model.getWeights().map((t) => t.dataSync()))), predictions: await sha256(f32Bytes([predictions])) };
  model.dispose();
  return out;
}

/** Both runs, plus what the runtime is and lacks: the JSON line every harness prints or returns. */
export async function runAll(df, bytes) {
  const started = Date.now();
  const result = { xor: await xor(df), mnist: await mnist(df, bytes) };
  result.ms = Date.now() - started;
  result.capabilities = { finalizationRegistry: typeof FinalizationRegistry === 'function', sharedArrayBuffer: typeof SharedArrayBuffer === 'function' };
  return result;
}

/** An untrained 784-64-10 predicting one digit: what "first prediction" times. */
export function firstPrediction(df) {
  const model = df.sequential({ seed: 7, layers: [
    df.layers.dense({ units: 64, activation: 'relu', inputShape: [PIXELS] }),
    df.layers.dense({ units: 10, activation: 'softmax' }),
  ]});
  const p = model.predict({ data: new Float32Array(PIXELS).fill(0.5), shape: [1, PIXELS] }).dataSync();
  model.dispose();
  return Array.from(p);
}

/** The MNIST file the driver writes: 1,000 × 784 float32 pixels, then 1,000 int32 labels, little-endian. */
export function decodeMnist(bytes) {
  const u8 = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  const need = MNIST_ROWS * PIXELS * 4 + MNIST_ROWS * 4;
  if (u8.byteLength !== need) throw new Error(`mnist-1000.bin has ${u8.byteLength} bytes, expected ${need}`);
  const view = new DataView(u8.buffer, u8.byteOffset, u8.byteLength);
  const x = new Float32Array(MNIST_ROWS * PIXELS);
  for (let i = 0; i < x.length; i++) x[i] = view.getFloat32(i * 4, true);
  const labels = new Float32Array(MNIST_ROWS);
  for (let r = 0; r < MNIST_ROWS; r++) labels[r] = view.getInt32(x.length * 4 + r * 4, true);
  return { x: { data: x, shape: [MNIST_ROWS, PIXELS] }, labels: { data: labels, shape: [MNIST_ROWS] } };
}

function f32Bytes(arrays) {
  const n = arrays.reduce((s, a) => s + a.length, 0);
  const bytes = new Uint8Array(n * 4);
  const view = new DataView(bytes.buffer);
  let at = 0;
  for (const a of arrays) for (let i = 0; i < a.length; i++, at += 4) view.setFloat32(at, a[i], true);
  return bytes;
}

async function sha256(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}
