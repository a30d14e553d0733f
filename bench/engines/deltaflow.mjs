// Adapter: deltaflow through its public API (`import * as df from 'deltaflow'`, resolved from inside the run's snapshot
// exactly as a Node user's import is: the package's "exports", conditions 'node' + 'import'), GEMM through raw kernels.
// Variant 'relaxed' (engine deltaflow-relaxed): the opt-in relaxed-SIMD build, df.ready({ relaxedSimd: true });
// variant 'threads2' (engine deltaflow-2t): the threaded mode on 2 threads, df.setThreads(2).
import { loadKernels } from '../lib/kernels.mjs';
import fs from 'node:fs';
import { resolveDeltaflow, packageRelative, deltaflowRoot } from '../lib/snapshot.mjs';

const entryUrl = await resolveDeltaflow();
const df = await import(entryUrl);
const LOSS = { cce: 'categoricalCrossentropy', bce: 'binaryCrossentropy' };

/** The package file `import 'deltaflow'` loaded, relative to the package root (e.g. dist/bundles/node/deltaflow.js). */
export const entry = packageRelative(entryUrl);
/** The measured copy's own version (its package.json), not this checkout's. */
export const versions = () => ({ deltaflow: JSON.parse(fs.readFileSync(`${deltaflowRoot()}package.json`, 'utf8')).version });
export const notes = [`import 'deltaflow' → ${entry}`];
let wasmBuild = 'default';
/** Engine deltaflow-2t: threads start in threadsOn(). */
let threadsVariant = false;

/** The threaded mode: never report one thread's numbers as two threads' (setThreads falls back to 1). */
async function twoThreads() {
  const n = await df.setThreads(2);
  if (n !== 2 || df.getThreads() !== 2) throw new Error(`deltaflow threads: setThreads(2) gave ${n} thread(s)`);
}

export async function init(variant) {
  if (variant === 'threads2') {
    // Threads start in threadsOn(), after the case has built any model it wants on the single-thread module.
    threadsVariant = true;
    await df.ready();
    notes.push('threaded mode, df.setThreads(2): the threaded build with one worker (bit-identical results)');
    return;
  }
  wasmBuild = variant === 'relaxed' ? 'relaxed' : 'default';
  await df.ready({ relaxedSimd: wasmBuild === 'relaxed' });
  // Never report the default build's numbers as the relaxed one's (ready() falls back where relaxed SIMD is missing).
  const simd = df.wasmSimd();
  if (simd !== (wasmBuild === 'relaxed' ? 'relaxed-simd' : 'simd128')) throw new Error(`deltaflow ${wasmBuild}: ready() loaded the ${simd} build`);
  if (wasmBuild === 'relaxed') notes.push('relaxed-SIMD build (fused multiply-add in the GEMMs; not bit-identical across CPUs)');
}

/** Threaded mode: starts the threads (the worker calls it after init and the case's beforeThreads). */
export async function threadsOn() {
  if (threadsVariant && df.getThreads() !== 2) await twoThreads();
}

/**
 * Threaded mode only, before threadsOn (else undefined): a model placed in the single-thread module, where
 * it stays (a model lives in the module current when it first takes memory). The train case alternates
 * its passes with the threaded model's, so the speed-up compares times taken side by side in one process.
 */
export function buildOneThread(spec) {
  if (!threadsVariant || df.getThreads() !== 1) return undefined;
  const model = build(spec);
  model.getWeights();
  return model;
}

/** spec: { seed, sizes: [in, h…, out], activations: [per layer], loss: 'cce' | 'bce', lr } */
export function build({ seed, sizes, activations, loss, lr }) {
  const layers = activations.map((activation, i) => df.layers.dense({ units: sizes[i + 1], activation, ...(i === 0 ? { inputShape: [sizes[0]] } : {}) }));
  const model = df.sequential({ seed, layers });
  model.compile({ optimizer: df.optimizers.adam({ learningRate: lr }), loss: LOSS[loss] });
  return model;
}

/** The first `rows` rows of a data set, in the engine's own input form. */
export function prepare(ds, rows = ds.rows) {
  return {
    x: { data: ds.x.subarray(0, rows * ds.inDim), shape: [rows, ds.inDim] },
    y: { data: ds.y.subarray(0, rows * ds.outDim), shape: [rows, ds.outDim] },
    rows,
  };
}

/** One fit call; resolves to the last epoch's training loss. */
export async function fit(model, p, { epochs, batchSize }) {
  const h = await model.fit(p.x, p.y, { epochs, batchSize, verbose: 0 });
  return { loss: h.history.loss.at(-1) };
}

/** rows×cols Float32Array in, rows×out Float32Array out (the whole user-visible path). */
export function predict(model, data, rows, cols) {
  return model.predict({ data, shape: [rows, cols] }).dataSync();
}

export const release = () => {};

/** Frees a model now (a dropped one is freed when collected). */
export const dispose = (model) => model.dispose();

/** The WebAssembly memory, which only grows. */
export const memory = () => ({ bytes: df.memory().wasmBytes, what: 'WASM memory' });

let kernels;
/** A thunk running one C = op(A)·op(B) of the layout, operands already in WASM memory (one packing scratch for all). */
export async function gemm(layout, m, n, k) {
  kernels ??= await loadKernels(wasmBuild);
  const { k: K, alloc, random, gemmScratch: scratch } = kernels;
  const a = random(m * k);
  const b = random(k * n);
  const c = alloc(m * n);
  if (layout === 'nn') return () => K.f32_gemm_nn(m, n, k, a, k, b, n, c, n, 0, 0, 0, scratch);
  if (layout === 'tn') return () => K.f32_gemm_tn(m, n, k, a, m, b, n, c, n, scratch);
  return () => K.f32_gemm_nt(m, n, k, a, k, b, k, c, n, scratch);
}

/**
 * The textbook's MNIST CNN (cnn/cnninfer cases): Conv2D 32 3×3 relu → Conv2D 64 3×3 relu → MaxPooling2D 2 →
 * Dropout 0.25 → Flatten → Dense 128 relu → Dropout 0.5 → Dense 10 softmax; Adam, categorical crossentropy.
 */
export function buildCnn({ seed, lr }) {
  const L = df.layers;
  const model = df.sequential({
    seed,
    layers: [
      L.conv2d({ filters: 32, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      L.conv2d({ filters: 64, kernelSize: 3, activation: 'relu' }),
      L.maxPooling2d({ poolSize: 2 }),
      L.dropout({ rate: 0.25 }),
      L.flatten(),
      L.dense({ units: 128, activation: 'relu' }),
      L.dropout({ rate: 0.5 }),
      L.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  model.compile({ optimizer: df.optimizers.adam({ learningRate: lr }), loss: 'categoricalCrossentropy' });
  return model;
}

/** The first `rows` digits as 28×28×1 images (no copy: the shape is all that changes). */
export function prepareImages(ds, rows = ds.rows) {
  return {
    x: { data: ds.x.subarray(0, rows * 784), shape: [rows, 28, 28, 1] },
    y: { data: ds.y.subarray(0, rows * ds.outDim), shape: [rows, ds.outDim] },
    rows,
  };
}

/** rows 28×28×1 images (a Float32Array of rows·784 pixels) in, rows×10 Float32Array out. */
export function predictImages(model, data, rows) {
  return model.predict({ data, shape: [rows, 28, 28, 1] }).dataSync();
}

/** Weights as [{ data: Float32Array, shape }], in Keras's getWeights() order. */
export const getWeights = (model) => model.getWeights().map((t) => ({ data: Float32Array.from(t.dataSync()), shape: [...t.shape] }));
export const setWeights = (model, weights) => model.setWeights(weights);

/**
 * Embedding(vocab, embed) → LSTM or GRU(units) → Dense(1, sigmoid) (lstm/gruinfer cases), Adam, binary
 * cross-entropy. cell: 'lstm' or 'gru' (resetAfter false, the only GRU tfjs has); gates use 'sigmoid' as Keras.
 */
export function buildRecurrent({ cell, seed, lr, vocab, embed, steps, units }) {
  const L = df.layers;
  const rnn = cell === 'lstm' ? L.lstm({ units, recurrentActivation: 'sigmoid' }) : L.gru({ units, recurrentActivation: 'sigmoid', resetAfter: false });
  const model = df.sequential({
    seed,
    layers: [L.embedding({ inputDim: vocab, outputDim: embed, inputShape: [steps] }), rnn, L.dense({ units: 1, activation: 'sigmoid' })],
  });
  model.compile({ optimizer: df.optimizers.adam({ learningRate: lr }), loss: 'binaryCrossentropy' });
  return model;
}

/** The first `rows` sequences of index rows (ds.x: rows·steps indices as floats, ds.y: 0/1 labels). */
export function prepareSequences(ds, rows = ds.rows) {
  return {
    x: { data: ds.x.subarray(0, rows * ds.steps), shape: [rows, ds.steps] },
    y: { data: ds.y.subarray(0, rows), shape: [rows, 1] },
    rows,
  };
}

/** rows sequences of `steps` indices (a Float32Array) in, rows probabilities out. */
export function predictSequences(model, data, rows, steps) {
  return model.predict({ data, shape: [rows, steps] }).dataSync();
}
