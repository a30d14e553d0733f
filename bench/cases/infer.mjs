// Case 4: inference on 784-128-10 (relu/softmax, untrained): single-sample predict latency and batch-1024 throughput,
// each timed from a Float32Array of pixels to a Float32Array of probabilities (tensor wrapping included).
import { mnist } from '../lib/data.mjs';
import { sampleSync } from '../lib/sampler.mjs';
import { summarize, rates } from '../lib/stats.mjs';
import { table, range, num, advantage, failed, threadsSpeedup } from '../lib/markdown.mjs';
import { spec } from './train.mjs';

export const ENGINES = ['deltaflow', 'deltaflow-2t', 'tfjs-wasm', 'tfjs-cpu', 'brain'];
const LABEL = { 'deltaflow-2t': 'deltaflow, 2 threads (setThreads(2))' };
export const TARGET_US = 20;
export const BATCH = 1024;

export function jobs({ quick }) {
  return ENGINES.map((engine) => ({ engine, params: { quick } }));
}

export async function measure(engine, { quick }) {
  const ds = mnist(BATCH);
  const model = engine.build(spec([784, 128, 10]));
  let r = 0;
  // Cycle through 256 different digits so no engine answers from a warm cache of one input.
  const one = () => engine.predict(model, ds.x.subarray(r * 784, (r = (r + 1) % 256) * 784 || 256 * 784), 1, 784);
  const single = sampleSync(one, quick ? { samples: 5, minMs: 10, warmupMs: 100 } : { samples: 25, minMs: 20, warmupMs: 300 });
  const batch = sampleSync(() => engine.predict(model, ds.x, BATCH, 784), quick ? { samples: 3, minMs: 50, warmupMs: 100 } : { samples: 9, minMs: 100, warmupMs: 300 });
  return { singleUs: summarize(single.map((s) => s * 1e6)), batchPerSec: rates(batch, BATCH) };
}

export function render(entries) {
  const get = (engine) => entries.find((e) => e.engine === engine);
  const df = get('deltaflow')?.result;
  const tw = get('tfjs-wasm')?.result;
  const rows = ENGINES.map((engine) => {
    const e = get(engine);
    const label = LABEL[engine] ?? engine;
    if (!e || e.error) return [label, e ? failed(e.error) : '—'];
    const r = e.result;
    const threads = engine === 'deltaflow-2t';
    const single = engine === 'deltaflow' ? `≤ ${TARGET_US} µs: ${r.singleUs.median <= TARGET_US ? '✅ met' : '❌ not met'}` : (threads ? threadsSpeedup : advantage)(df?.singleUs.median, r.singleUs.median, false);
    const batch = engine === 'deltaflow' ? '' : (threads ? threadsSpeedup : advantage)(df?.batchPerSec.median, r.batchPerSec.median, true);
    return [label, range(r.singleUs, 1), single, range(r.batchPerSec), batch];
  });
  return [
    '## 4. Inference, 784-128-10',
    '',
    'Single sample: µs per `predict` of one 784-pixel row (25 samples, each the mean of ≥ 20 ms of calls, cycling over 256 digits), result read back as a Float32Array. ' +
      `Batch: samples/s of one \`predict\` of ${num(BATCH)} rows (tfjs: \`predict(x, { batchSize: ${BATCH} })\`, as its default 32 would split it). ` +
      'brain.js: `run()` per row (no batch API). deltaflow with 2 threads: the same model in the threaded build (its predict runs in chunks of 32 rows, Keras\'s default batch size, each chunk\'s passes split or not by the cost model). "deltaflow advantage" > 1 means deltaflow is faster.',
    '',
    table(['engine', 'single-sample µs', 'target / deltaflow advantage', `batch-${BATCH} samples/s`, 'deltaflow advantage'], rows),
  ].join('\n');
}
