// Case 2: training samples/s, Adam (lr 0.001), categorical crossentropy on one-hot labels, one pass over the
// 10,000 digits per sample. Slow engines time a prefix of the digits (whole batches) and extrapolate.
import { performance } from 'node:perf_hooks';
import { mnist } from '../lib/data.mjs';
import { sampleAsync } from '../lib/sampler.mjs';
import { rates } from '../lib/stats.mjs';
import { trainingFlopsPerSample } from '../lib/flops.mjs';
import { table, range, num, failed, met } from '../lib/markdown.mjs';

export const CONFIGS = [
  { id: '784-128-10 b32', sizes: [784, 128, 10], batch: 32, target: 20000 },
  { id: '784-128-10 b128', sizes: [784, 128, 10], batch: 128, target: 30000 },
  { id: '784-512-512-10 b128', sizes: [784, 512, 512, 10], batch: 128, target: 4000 },
];
export const ENGINES = ['deltaflow', 'deltaflow-relaxed', 'deltaflow-2t', 'tfjs-wasm', 'tfjs-cpu', 'brain'];
/** Issue 16, goal 1: 2 threads against 1, per configuration (never slower; small nets helped too). */
export const THREADS_TARGETS = { '784-128-10 b32': 1.0, '784-128-10 b128': 1.4, '784-512-512-10 b128': 1.85 };
/** Issue 16, goal 2: end-to-end efficiency per configuration (lib/summary.mjs, judged on the best samples). */
export const EFFICIENCY_TARGETS = { '784-128-10 b32': 0.85, '784-128-10 b128': 0.88 };
/** Issue 16, goal 3, against the native case's NumPy + OpenBLAS on one thread (samples/s at this configuration). */
export const NATIVE_TARGET = { config: '784-128-10 b128', relaxed: 100000, default: 85000 };

export function jobs({ quick }) {
  const timing = quick ? { budgetSec: 0.6, samples: 2 } : { budgetSec: 2.5, samples: 5 };
  const out = [];
  for (const c of CONFIGS) {
    for (const engine of ENGINES) {
      // brain.js has no mini-batches: one per-sample run per architecture serves both 784-128-10 columns.
      if (engine === 'brain' && c.batch !== 128) continue;
      out.push({ engine, label: `${c.id}`, params: { ...c, batch: engine === 'brain' ? 1 : c.batch, config: c.id, ...timing } });
    }
  }
  return out;
}

export function spec(sizes) {
  const activations = [...sizes.slice(1, -1).map(() => 'relu'), 'softmax'];
  return { seed: 7, sizes, activations, loss: 'cce', lr: 0.001, praxis: 'adam' };
}

/** deltaflow's threaded mode: the same model on one thread, built before its threads start (see measure). */
export function beforeThreads(engine, { sizes }) {
  return engine.buildOneThread?.(spec(sizes));
}

export async function measure(engine, { sizes, batch, budgetSec, samples }, oneThread) {
  const ds = mnist(10000);
  const model = engine.build(spec(sizes));
  // Probe on two batches (at least 32 rows; second call timed) to size each timed pass to about budgetSec.
  const probeRows = Math.min(ds.rows, Math.max(batch * 2, 32));
  const probe = engine.prepare(ds, probeRows);
  await engine.fit(model, probe, { epochs: 1, batchSize: batch });
  const t0 = performance.now();
  await engine.fit(model, probe, { epochs: 1, batchSize: batch });
  const probeRate = probeRows / ((performance.now() - t0) / 1000);
  engine.release(probe);
  const rows = Math.min(ds.rows, Math.max(probeRows, Math.floor((probeRate * budgetSec) / batch) * batch));
  const data = engine.prepare(ds, rows);
  let last;
  const pass = async () => (last = await engine.fit(model, data, { epochs: 1, batchSize: batch }));
  // Passes well under the budget (fast engines) get more samples: same wall time, less noise.
  const n = rows === ds.rows && rows / probeRate < budgetSec / 4 ? samples * 2 - 1 : samples;
  const flopsPerSample = trainingFlopsPerSample(sizes);
  const check = () => {
    if (!Number.isFinite(last.loss)) throw new Error(`training loss is ${last.loss}: timings discarded (for deltaflow: is dist/ in sync with build/deltaflow.wasm?)`);
  };
  // deltaflow's threaded mode also times the same model on one thread, pass for pass in turn (which goes
  // first alternates), so that other load on the machine hits both sides of its speed-up alike.
  if (!oneThread) {
    const seconds = await sampleAsync(pass, { warmup: 1, samples: n });
    check();
    return { rows, extrapolated: rows < ds.rows, samplesPerSec: rates(seconds, rows), loss: last.loss, flopsPerSample };
  }
  const passOne = () => engine.fit(oneThread, data, { epochs: 1, batchSize: batch });
  const timed = async (fn) => {
    const t0 = performance.now();
    await fn();
    return (performance.now() - t0) / 1000;
  };
  await pass();
  await passOne();
  const two = [], one = [];
  for (let s = 0; s < n; s++) {
    if (s % 2) one.push(await timed(passOne)), two.push(await timed(pass));
    else two.push(await timed(pass)), one.push(await timed(passOne));
  }
  check();
  return { rows, extrapolated: rows < ds.rows, samplesPerSec: rates(two, rows), oneThreadPaired: rates(one, rows), loss: last.loss, flopsPerSample };
}

/** Result of an engine at a configuration id (brain's batch-1 run stands in for every batch size). */
export function lookup(entries, engine, config) {
  const c = CONFIGS.find((x) => x.id === config);
  return entries.find((e) => e.engine === engine && (e.params.config === config || (engine === 'brain' && e.params.sizes.join('-') === c.sizes.join('-'))));
}

/** The native case's NumPy result at a configuration id (cases.native, when that case ran and was not skipped). */
const nativeAt = (native, config) => native?.configs?.find((c) => c.config === config);

/** The NumPy column's rows and the goal-3 line: NumPy's samples/s, and deltaflow's (default, relaxed) ÷ NumPy's. */
function nativeParts(entries, native) {
  const median = (engine, config) => lookup(entries, engine, config)?.result?.samplesPerSec.median;
  const numpy = (config) => nativeAt(native, config)?.samplesPerSec?.median;
  const ratio = (engine) => (c) => (median(engine, c.id) > 0 && numpy(c.id) > 0 ? `${num(median(engine, c.id) / numpy(c.id), 2)}×` : '—');
  const why = native?.skipped ? `skipped: ${native.skipped}` : native ? undefined : 'not run (add native to --only)';
  const rows = [
    ['NumPy + OpenBLAS, 1 thread (native reference, §2b)', ...CONFIGS.map((c) => why ?? (nativeAt(native, c.id)?.error ? failed(nativeAt(native, c.id).error) : range(nativeAt(native, c.id)?.samplesPerSec)))],
    ['deltaflow ÷ NumPy (medians, same run)', ...CONFIGS.map(ratio('deltaflow'))],
    ['deltaflow relaxed-SIMD ÷ NumPy', ...CONFIGS.map(ratio('deltaflow-relaxed'))],
  ];
  const t = NATIVE_TARGET;
  const d = median('deltaflow', t.config);
  const r = median('deltaflow-relaxed', t.config);
  const line =
    `Faster than native on one core (${t.config}): deltaflow ${num(d)} samples/s (target ≥ ${num(t.default)}: ${met(d === undefined ? undefined : d >= t.default)}), ` +
    `relaxed SIMD ${num(r)} (target ≥ ${num(t.relaxed)}: ${met(r === undefined ? undefined : r >= t.relaxed)}), NumPy + OpenBLAS on one thread ${why ?? num(numpy(t.config))}` +
    `${d > 0 && numpy(t.config) > 0 ? `; deltaflow ÷ NumPy ${num(d / numpy(t.config), 2)}×${r > 0 ? `, relaxed ÷ NumPy ${num(r / numpy(t.config), 2)}×` : ''}` : ''}.`;
  return { rows, line };
}

export function render(entries, cases = {}) {
  const cell = (e) => {
    if (!e) return '—';
    if (e.error) return failed(e.error);
    const r = e.result;
    return `${range(r.samplesPerSec)}${r.extrapolated ? ` ‡ ${num(r.rows)} rows` : ''}`;
  };
  const label = { brain: 'brain.js (batch 1)', 'deltaflow-relaxed': 'deltaflow relaxed-SIMD (opt-in)', 'deltaflow-2t': 'deltaflow, 2 threads (setThreads(2))' };
  const rows = ENGINES.map((engine) => [label[engine] ?? engine, ...CONFIGS.map((c) => cell(lookup(entries, engine, c.id)))]);
  const native = nativeParts(entries, cases.native);
  rows.push(...native.rows);
  rows.push(['**deltaflow target**', ...CONFIGS.map((c) => `≥ ${num(c.target)}`)]);
  const losses = ENGINES.map((engine) => [engine, ...CONFIGS.map((c) => num(lookup(entries, engine, c.id)?.result?.loss, 4))]);
  return [
    '## 2. Training throughput (samples/s, median (min–max) of 5 one-pass fits, 9 when a pass is short; Adam; MNIST 10,000 digits)',
    '',
    'Same model for deltaflow and tfjs: dense relu hidden layers, softmax output, categorical crossentropy on one-hot labels, Adam lr 0.001, shuffled every pass, ' +
      'one `fit({ epochs: 1, batchSize })` call per sample on data already in the engine\'s input form, after an untimed warm-up fit. ' +
      '‡ = too slow for a full pass within the time budget: timed on the first N digits (whole batches) and reported as samples/s of that run.',
    '',
    table(['engine', ...CONFIGS.map((c) => c.id)], rows),
    '',
    native.line,
    '',
    'brain.js 1.6.1 has no mini-batches, softmax or crossentropy: `new NeuralNetwork({ hiddenLayers, activation: \'relu\', praxis: \'adam\' })`, ' +
      '`train(pairs, { iterations: 1, learningRate: 0.001, praxis: \'adam\', errorThresh: 1e-12 })` — one Adam update per sample, relu on the output layer too, ' +
      'squared-error deltas, plain-array `{ input, output }` pairs; each iteration also computes its training error. Its numbers appear under every batch size of the same architecture.',
    '',
    'Final training loss of the last timed pass (deltaflow/tfjs: crossentropy; brain.js: its mean squared error):',
    '',
    table(['engine', ...CONFIGS.map((c) => c.id)], losses),
  ].join('\n');
}
