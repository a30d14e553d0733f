// Case 7: inference with the textbook's MNIST CNN (cases/cnn.mjs) — single-image predict latency (µs) and
// batch-256 throughput (samples/s) — every engine with the same weights, set through setWeights from one
// seeded generator, and the first digits' probabilities compared against deltaflow's.
import { performance } from 'node:perf_hooks';
import { mnist } from '../lib/data.mjs';
import { sampleSync } from '../lib/sampler.mjs';
import { summarize, rates } from '../lib/stats.mjs';
import { cnnForwardFlopsPerSample } from '../lib/flops.mjs';
import { table, range, num, advantage, threadsSpeedup, failed } from '../lib/markdown.mjs';
import { SPEC } from './cnn.mjs';

export const ENGINES = ['deltaflow', 'deltaflow-2t', 'tfjs-wasm', 'tfjs-cpu'];
export const BATCH = 256;
const CHECK_ROWS = 8;
const LABEL = { 'deltaflow-2t': 'deltaflow, 2 threads (setThreads(2))' };

export function jobs({ quick }) {
  return ENGINES.map((engine) => ({ engine, timeoutMs: 600_000, params: { quick } }));
}

/** Glorot-uniform kernels and small nonzero biases from a mulberry32 stream: the same numbers in every child. */
export function seededWeights(shapes, seed = 2024) {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = Math.imul(s ^ (s >>> 15), s | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return shapes.map((shape) => {
    const size = shape.reduce((a, b) => a * b, 1);
    // Kernels [kh, kw, in, out] or [in, out]: fan-in = all but the last dimension, fan-out = all but the second-last.
    const limit = shape.length === 1 ? 0.05 : Math.sqrt(6 / (size / shape.at(-1) + size / shape.at(-2)));
    return { data: Float32Array.from({ length: size }, () => (next() * 2 - 1) * limit), shape };
  });
}

/** Seconds per call for slow calls (tfjs-cpu): one untimed call, then `samples` timed ones. */
function sampleSlow(fn, samples) {
  fn();
  const out = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    fn();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

export async function measure(engine, { quick }) {
  const ds = mnist(BATCH);
  const model = engine.buildCnn(SPEC);
  engine.setWeights(model, seededWeights(engine.getWeights(model).map((w) => w.shape)));
  const check = Array.from(engine.predictImages(model, ds.x.subarray(0, CHECK_ROWS * 784), CHECK_ROWS));
  let r = 0;
  // Cycle through the 256 digits so no engine answers from a warm cache of one input.
  const one = () => engine.predictImages(model, ds.x.subarray(r * 784, (r = (r + 1) % BATCH) * 784 || BATCH * 784), 1);
  const batch = () => engine.predictImages(model, ds.x, BATCH);
  // Probe one batch: engines that need over a second for it (tfjs-cpu) get a few whole calls instead.
  const t0 = performance.now();
  batch();
  const slow = performance.now() - t0 > 1000;
  const single = slow ? sampleSlow(one, quick ? 3 : 5) : sampleSync(one, quick ? { samples: 5, minMs: 10, warmupMs: 100 } : { samples: 15, minMs: 20, warmupMs: 300 });
  const batchSeconds = slow ? sampleSlow(batch, quick ? 1 : 2) : sampleSync(batch, quick ? { samples: 3, minMs: 50, warmupMs: 100 } : { samples: 7, minMs: 100, warmupMs: 300 });
  return { singleUs: summarize(single.map((s) => s * 1e6)), batchPerSec: rates(batchSeconds, BATCH), check, slow };
}

export function render(entries) {
  const get = (engine) => entries.find((e) => e.engine === engine);
  const df = get('deltaflow')?.result;
  const rows = ENGINES.map((engine) => {
    const e = get(engine);
    const name = LABEL[engine] ?? engine;
    if (!e || e.error) return [name, e ? failed(e.error) : '—'];
    const r = e.result;
    const diff = df?.check && r.check ? Math.max(...r.check.map((v, i) => Math.abs(v - df.check[i]))) : undefined;
    const gflops = (r.batchPerSec.median * cnnForwardFlopsPerSample()) / 1e9;
    return [
      name,
      range(r.singleUs, r.singleUs.median < 1000 ? 1 : 0),
      engine === 'deltaflow' ? '' : engine === 'deltaflow-2t' ? threadsSpeedup(df?.singleUs.median, r.singleUs.median, false) : advantage(df?.singleUs.median, r.singleUs.median, false),
      range(r.batchPerSec, r.batchPerSec.median < 100 ? 1 : 0),
      engine === 'deltaflow' ? '' : engine === 'deltaflow-2t' ? threadsSpeedup(df?.batchPerSec.median, r.batchPerSec.median, true) : advantage(df?.batchPerSec.median, r.batchPerSec.median, true),
      num(gflops, gflops < 1 ? 2 : 1),
      engine === 'deltaflow' ? '' : diff === undefined ? '—' : diff.toExponential(1),
      r.slow ? 'a few whole calls ‡' : '',
    ];
  });
  return [
    '## 7. CNN inference (the textbook\'s MNIST CNN of section 6)',
    '',
    `Every engine gets the same weights: glorot-uniform kernels and small biases from one seeded generator, set with \`setWeights\` (shapes from its \`getWeights\`). ` +
      `Single image: µs per \`predict\` of one 28×28×1 digit, cycling over ${num(BATCH)} digits, result read back as a Float32Array. ` +
      `Batch: samples/s of one \`predict\` of ${num(BATCH)} digits (tfjs: \`predict(x, { batchSize: ${BATCH} })\`). ` +
      `GEMM GFLOP/s = batch samples/s × ${num(cnnForwardFlopsPerSample() / 1e6, 1)} MFLOP (the forward GEMM FLOPs per digit). ` +
      `"max |Δ|" = largest difference from deltaflow's probabilities over the first ${CHECK_ROWS} digits. "deltaflow advantage" > 1 means deltaflow is faster.`,
    '',
    table(['engine', 'single-image µs', 'deltaflow advantage', `batch-${BATCH} samples/s`, 'deltaflow advantage', 'GEMM GFLOP/s', 'max |Δ| vs deltaflow', ''], rows),
    '',
    '‡ over a second per batch: one untimed call, then a few timed calls instead of calibrated repetitions.',
  ].join('\n');
}
