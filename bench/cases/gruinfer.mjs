// Case 9: single-sequence GRU inference — Embedding(10000, 64) → GRU(128, resetAfter false) → Dense(1, sigmoid),
// one sequence of 100 indices per predict call — median latency (ms), every engine with the same weights (set
// through setWeights from one seeded generator) and the first sequences' probabilities compared against deltaflow's.
import { performance } from 'node:perf_hooks';
import { sampleSync } from '../lib/sampler.mjs';
import { summarize } from '../lib/stats.mjs';
import { gruForwardFlopsPerSequence } from '../lib/flops.mjs';
import { table, range, num, advantage, failed, met } from '../lib/markdown.mjs';
import { seededWeights } from './cnninfer.mjs';
import { sequences, MODEL } from './lstm.mjs';

export const ENGINES = ['deltaflow', 'tfjs-wasm', 'tfjs-cpu'];
export const SPEC = { cell: 'gru', seed: 13, lr: 0.001, ...MODEL };
/** The issue's goal: single-sequence latency ≥ 5× lower than tfjs-wasm's. */
export const TARGET_SPEEDUP = 5;
const CYCLE = 64;
const CHECK_ROWS = 8;

export function jobs({ quick }) {
  return ENGINES.map((engine) => ({ engine, timeoutMs: 300_000, params: { quick } }));
}

/** Seconds per call of `samples` whole calls (slow engines: the probe call before them was the warm-up). */
function sampleSlow(fn, samples) {
  const out = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    fn();
    out.push((performance.now() - t0) / 1000);
  }
  return out;
}

export async function measure(engine, { quick }) {
  const { steps } = MODEL;
  const ds = sequences(CYCLE, { seed: 7 });
  const model = engine.buildRecurrent(SPEC);
  engine.setWeights(model, seededWeights(engine.getWeights(model).map((w) => w.shape), 2025));
  const check = Array.from(engine.predictSequences(model, ds.x.subarray(0, CHECK_ROWS * steps), CHECK_ROWS, steps));
  let r = 0;
  // Cycle through CYCLE sequences so no engine answers from a warm cache of one input.
  const one = () => {
    const out = engine.predictSequences(model, ds.x.subarray(r * steps, (r + 1) * steps), 1, steps);
    r = (r + 1) % CYCLE;
    return out;
  };
  const t0 = performance.now();
  one();
  const slow = performance.now() - t0 > 1000;
  const seconds = slow ? sampleSlow(one, quick ? 2 : 3) : sampleSync(one, quick ? { samples: 5, minMs: 20, warmupMs: 100 } : { samples: 15, minMs: 50, warmupMs: 300 });
  return { ms: summarize(seconds.map((s) => s * 1e3)), check, slow };
}

export function render(entries) {
  const get = (engine) => entries.find((e) => e.engine === engine);
  const df = get('deltaflow')?.result;
  const flops = gruForwardFlopsPerSequence(MODEL.steps, MODEL.embed, MODEL.units);
  const rows = ENGINES.map((engine) => {
    const e = get(engine);
    if (!e || e.error) return [engine, e ? failed(e.error) : '—'];
    const r = e.result;
    const diff = df?.check && r.check ? Math.max(...r.check.map((v, i) => Math.abs(v - df.check[i]))) : undefined;
    return [
      engine,
      range(r.ms, r.ms.median < 10 ? 3 : 1),
      engine === 'deltaflow' ? '' : advantage(df?.ms.median, r.ms.median, false),
      num(flops / 1e6 / r.ms.median, 2),
      engine === 'deltaflow' ? '' : diff === undefined ? '—' : diff.toExponential(1),
      r.slow ? 'a few whole calls ‡' : '',
    ];
  });
  const wasm = get('tfjs-wasm')?.result?.ms.median;
  const speedup = df?.ms && wasm ? wasm / df.ms.median : undefined;
  return [
    '## 9. GRU inference, batch 1 (Embedding → GRU(128) → Dense(1), ms per sequence)',
    '',
    `Embedding(${num(MODEL.vocab)}, ${MODEL.embed}) → GRU(${MODEL.units}, resetAfter false — the only GRU tfjs has — recurrentActivation sigmoid) → Dense(1, sigmoid). ` +
      'Every engine gets the same weights: uniform (glorot-limit) kernels and small biases from one seeded generator, set with `setWeights` (shapes from its `getWeights`). ' +
      `Latency: ms per \`predict\` of one sequence of ${MODEL.steps} indices (cycling over ${CYCLE} seeded sequences), probability read back; median (min–max) of calibrated repetitions after warm-up. ` +
      `GFLOP/s = ${num(flops / 1e6, 2)} MFLOP (the forward GEMM FLOPs of one sequence: 2·T·F·3U + 2·T·U·3U + 2·U) ÷ latency. ` +
      `"max |Δ|" = largest difference from deltaflow's probabilities over the first ${CHECK_ROWS} sequences. "deltaflow advantage" > 1 means deltaflow is faster.`,
    '',
    table(['engine', 'ms per sequence', 'deltaflow advantage', 'GFLOP/s', 'max |Δ| vs deltaflow', ''], rows),
    '',
    `**Goal: ≥ ${TARGET_SPEEDUP}× faster than tfjs-wasm** — ${speedup === undefined ? '—' : `${num(speedup, 2)}×: ${met(speedup >= TARGET_SPEEDUP)}`}.`,
    '',
    '‡ over a second per call: the probe call was the warm-up, then a few timed calls instead of calibrated repetitions.',
  ].join('\n');
}
