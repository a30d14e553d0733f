// Case 6: training the textbook's MNIST CNN — Conv2D 32 3×3 relu → Conv2D 64 3×3 relu → MaxPooling2D 2 →
// Dropout 0.25 → Flatten → Dense 128 relu → Dropout 0.5 → Dense 10 softmax, Adam (lr 0.001), categorical
// crossentropy, batch 128 on the `mnist` package's digits as 28×28×1 images — in samples/s, with each engine's
// peak RSS (each engine trains in its own child) and deltaflow's GEMM efficiency at the step's exact shapes.
// tfjs-cpu needs seconds per digit (its Conv2DBackpropFilter), so it times one small batch; tfjs-wasm has no
// Conv2DBackpropFilter kernel, so its row records the error instead of a number.
import { performance } from 'node:perf_hooks';
import { mnist } from '../lib/data.mjs';
import { sampleAsync, sampleSync } from '../lib/sampler.mjs';
import { rates, summarize } from '../lib/stats.mjs';
import { cnnTrainingGemms, cnnTrainingFlopsPerSample, gemmFlops, shapeKey } from '../lib/flops.mjs';
import * as gemmCase from './gemm.mjs';
import { table, range, num, advantage, threadsSpeedup, failed } from '../lib/markdown.mjs';

export const ENGINES = ['deltaflow', 'deltaflow-2t', 'tfjs-wasm', 'tfjs-cpu'];
export const BATCH = 128;
export const SPEC = { seed: 7, lr: 0.001 };
const LABEL = { 'deltaflow-2t': 'deltaflow, 2 threads (setThreads(2))' };

export function jobs({ quick }) {
  const timing = quick ? { budgetSec: 2, samples: 2 } : { budgetSec: 8, samples: 5 };
  return ENGINES.map((engine) => ({
    engine,
    label: engine === 'tfjs-cpu' ? 'one small batch' : `b${BATCH}`,
    // tfjs-cpu: ~5 s per digit on a 2-core VM, so one batch of a few digits (plus a 2-digit warm-up), not 128.
    timeoutMs: 900_000,
    params: engine === 'tfjs-cpu' ? { slowRows: quick ? 4 : 8 } : { batch: BATCH, ...timing, gemm: engine === 'deltaflow', quick },
  }));
}

const rssMB = () => process.memoryUsage().rss / 2 ** 20;
const peakMB = () => process.resourceUsage().maxRSS / 1024;
/** An engine that lacks a kernel (tfjs-wasm: no Conv2DBackpropFilter) is a result, not a crash. */
const missingKernel = (e) => /Kernel '.*' not registered/.test(String(e?.message ?? e));

export async function measure(engine, { batch, budgetSec, samples, slowRows, gemm, quick }) {
  const afterInitMB = rssMB();
  const ds = mnist(10000);
  const afterDataMB = rssMB();
  const model = engine.buildCnn(SPEC);
  const base = { afterInitMB, afterDataMB, flopsPerSample: cnnTrainingFlopsPerSample() };
  let out;
  try {
    out = slowRows ? await measureSlow(engine, model, ds, slowRows) : await measureFast(engine, model, ds, { batch, budgetSec, samples });
  } catch (e) {
    if (!missingKernel(e)) throw e;
    return { ...base, unsupported: String(e.message ?? e).split('\n')[0], trainPeakMB: peakMB() };
  }
  if (!Number.isFinite(out.loss)) throw new Error(`training loss is ${out.loss}: timings discarded (for deltaflow: is dist/ in sync with build/deltaflow.wasm?)`);
  // The training run's peak, before the GEMM samples below allocate their own operands.
  const result = { ...base, ...out, trainPeakMB: peakMB(), endMB: rssMB() };
  if (gemm && engine.gemm) result.gemms = await measureGemms(engine, batch, quick);
  return result;
}

/** Probe two batches (second timed) to size each timed pass to about budgetSec, then whole one-epoch fits. */
async function measureFast(engine, model, ds, { batch, budgetSec, samples }) {
  const probe = engine.prepareImages(ds, batch * 2);
  await engine.fit(model, probe, { epochs: 1, batchSize: batch });
  const t0 = performance.now();
  await engine.fit(model, probe, { epochs: 1, batchSize: batch });
  const probeRate = probe.rows / ((performance.now() - t0) / 1000);
  engine.release(probe);
  const rows = Math.min(ds.rows, Math.max(batch * 2, Math.floor((probeRate * budgetSec) / batch) * batch));
  const data = engine.prepareImages(ds, rows);
  let last;
  const seconds = await sampleAsync(async () => (last = await engine.fit(model, data, { epochs: 1, batchSize: batch })), { warmup: 1, samples });
  engine.release(data);
  return { batch, rows, samplesPerSec: rates(seconds, rows), loss: last.loss };
}

/** One warm-up fit of 2 digits (every kernel's first call), then one timed fit of `rows` digits as one batch. */
async function measureSlow(engine, model, ds, rows) {
  const warm = engine.prepareImages(ds, 2);
  await engine.fit(model, warm, { epochs: 1, batchSize: 2 });
  engine.release(warm);
  const data = engine.prepareImages(ds, rows);
  const t0 = performance.now();
  const { loss } = await engine.fit(model, data, { epochs: 1, batchSize: rows });
  const s = (performance.now() - t0) / 1000;
  engine.release(data);
  return { batch: rows, rows, samplesPerSec: summarize([rows / s]), loss, slow: true };
}

/** deltaflow's raw single-thread GEMM GFLOP/s at each shape of one training step. */
async function measureGemms(engine, batch, quick) {
  const opts = quick ? { samples: 3, minMs: 20, warmupMs: 30, maxMs: 600 } : { samples: 7, minMs: 60, warmupMs: 120 };
  const out = [];
  for (const g of cnnTrainingGemms(batch)) {
    const fn = await engine.gemm(g.layout, g.m, g.n, g.k);
    out.push({ ...g, gflops: rates(sampleSync(fn, opts), gemmFlops(g) / 1e9) });
  }
  return out;
}

/**
 * The step's GEMM-bound rate: samples/s if a step were only its GEMMs at the measured single-thread speed,
 * and the GEMM GFLOP/s that bound implies (total FLOPs ÷ GEMM time).
 */
export function gemmBound(gemms, batch) {
  const seconds = gemms.reduce((s, g) => s + (g.count * gemmFlops(g)) / 1e9 / g.gflops.median, 0);
  const flops = gemms.reduce((s, g) => s + g.count * gemmFlops(g), 0);
  return { samplesPerSec: batch / seconds, gflops: flops / 1e9 / seconds };
}

/** deltaflow's best median GFLOP/s in the gemm case of the same run (its "peak"), if that case ran. */
export function gemmCasePeak(all) {
  const g = gemmCase.index(all?.gemm ?? [])['deltaflow/fresh'];
  if (!g) return undefined;
  let best;
  for (const [key, s] of Object.entries(g)) if (!best || s.median > best.gflops) best = { key, gflops: s.median };
  return best;
}

export function render(entries, all = {}) {
  const get = (engine) => entries.find((e) => e.engine === engine);
  const df = get('deltaflow')?.result;
  const dfRate = df?.samplesPerSec?.median;
  const rows = ENGINES.map((engine) => {
    const e = get(engine);
    const name = LABEL[engine] ?? engine;
    if (!e) return [name, '—', '', '', '', ''];
    if (e.error) return [name, failed(e.error), '', '', '', ''];
    const r = e.result;
    const peak = `${num(r.trainPeakMB, 1)} (+${num(r.trainPeakMB - r.afterDataMB, 1)})`;
    if (r.unsupported) return [name, `not supported: ${r.unsupported}`, '—', '—', `${peak} ‖`, '—'];
    const rate = r.samplesPerSec.median;
    const vs = engine === 'deltaflow' ? '' : engine === 'deltaflow-2t' ? threadsSpeedup(dfRate, rate, true) : advantage(dfRate, rate, true);
    const trained = r.slow ? `one batch of ${r.rows} ‡` : `${num(r.rows)} digits per pass`;
    return [name, range(r.samplesPerSec, r.samplesPerSec.median < 10 ? 2 : 0), vs, num((rate * r.flopsPerSample) / 1e9, rate < 10 ? 3 : 1), peak, `${trained}, loss ${num(r.loss, 4)}`];
  });
  const parts = [
    `## 6. CNN training (the textbook's MNIST CNN, samples/s, batch ${BATCH})`,
    '',
    'Conv2D 32 3×3 relu → Conv2D 64 3×3 relu → MaxPooling2D 2 → Dropout 0.25 → Flatten → Dense 128 relu → Dropout 0.5 → Dense 10 softmax (1,199,882 parameters), ' +
      'Adam lr 0.001, categorical crossentropy, on the `mnist` package\'s digits as 28×28×1 images (pixels 0–1), seeded glorot-uniform kernels. ' +
      'Each engine in its own child: load the 10,000 digits, build, fit two batches to size a pass to the time budget, then median (min–max) of one-epoch `fit` passes after a warm-up pass. ' +
      `"Effective GEMM GFLOP/s" = samples/s × ${num(cnnTrainingFlopsPerSample() / 1e6, 1)} MFLOP (the GEMM FLOPs of one sample: forward, dW and the input gradients of every layer but the first). ` +
      '"deltaflow advantage" > 1 means deltaflow is faster. Peak RSS = the child\'s `maxRSS` right after training (in parentheses: what training added over the RSS after loading the digits).',
    '',
    table(['engine', 'samples/s', 'deltaflow advantage', 'effective GEMM GFLOP/s', 'peak RSS MB (+ training)', 'run'], rows),
    '',
    '‡ tfjs-cpu (pure-JS kernels) spends seconds per digit in `Conv2DBackpropFilter` (it reads every element through `TensorBuffer.get`), so a batch of 128 would take minutes: ' +
      'it times one fit of a few digits as a single batch after a 2-digit warm-up fit, and its peak RSS is that of the small batch (a lower bound for batch 128). ' +
      '‖ tfjs-wasm 4.22 registers `Conv2DBackpropInput` but no `Conv2DBackpropFilter` (the kernel gradient), so `fit` throws at the first batch; its peak RSS is up to that point.',
  ];
  if (df?.gemms) {
    const bound = gemmBound(df.gemms, df.batch);
    const peak = gemmCasePeak(all);
    const achieved = (dfRate * df.flopsPerSample) / 1e9;
    parts.push(
      '',
      `deltaflow's GEMM efficiency (1 thread): the step's GEMMs at the single-thread speed measured in the same child (raw kernels, operands in WASM memory) allow ${num(bound.samplesPerSec, 0)} samples/s ` +
        `(${num(bound.gflops, 1)} GFLOP/s over the step); training achieved ${num(achieved, 1)} GFLOP/s = **${num((achieved / bound.gflops) * 100, 0)}%** of that` +
        (peak ? `, and ${num((achieved / peak.gflops) * 100, 0)}% of the gemm case's best deltaflow figure (${num(peak.gflops, 1)} GFLOP/s at ${peak.key}).` : ' (run with the gemm case to compare with its best figure).') +
        ' The rest is im2col/col2im, pooling, dropout, activations, Adam over 1.2 M weights and the batch gathers.',
      '',
      table(
        ['GEMM (layout m×n×k)', 'role', 'calls per step', 'share of step FLOPs', 'GFLOP/s'],
        df.gemms.map((g) => [shapeKey(g), g.role, num(g.count), `${num(((g.count * gemmFlops(g)) / (df.flopsPerSample * df.batch)) * 100, 1)}%`, range(g.gflops, 1)]),
      ),
    );
  }
  return parts.join('\n');
}
