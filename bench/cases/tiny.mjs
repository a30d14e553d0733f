// Case 3: tiny models, wall time of one whole fit() call from fresh weights, and where it converged.
import { performance } from 'node:perf_hooks';
import { datasets } from '../lib/data.mjs';
import { sampleAsync } from '../lib/sampler.mjs';
import { summarize } from '../lib/stats.mjs';
import { table, range, num, failed, threadsSpeedup } from '../lib/markdown.mjs';

export const MODELS = {
  xor: { title: 'XOR 2-8-1', sizes: [2, 8, 1], activations: ['tanh', 'sigmoid'], loss: 'bce', lr: 0.05, batch: 4, epochs: 1000, targetMs: 10 },
  iris: { title: 'Iris 4-16-3', sizes: [4, 16, 3], activations: ['relu', 'softmax'], loss: 'cce', lr: 0.01, batch: 16, epochs: 200, targetMs: 30 },
};
// deltaflow-2t: issue 16's goal 1 (threads never slow training down) at sizes where no pass is worth splitting.
export const ENGINES = ['deltaflow', 'deltaflow-2t', 'tfjs-wasm', 'tfjs-cpu', 'brain'];
const LABEL = { 'deltaflow-2t': 'deltaflow, 2 threads (setThreads(2))' };

export function jobs({ quick }) {
  return Object.keys(MODELS).flatMap((name) => ENGINES.map((engine) => ({ engine, label: name, params: { name, quick } })));
}

/** Fraction of rows classified right: threshold 0.5 for one output, argmax otherwise. */
function accuracy(pred, ds) {
  let right = 0;
  for (let r = 0; r < ds.rows; r++) {
    const row = pred.subarray(r * ds.outDim, (r + 1) * ds.outDim);
    const cls = ds.outDim === 1 ? Number(row[0] > 0.5) : row.indexOf(Math.max(...row));
    right += cls === ds.labels[r];
  }
  return right / ds.rows;
}

export async function measure(engine, { name, quick }) {
  const m = MODELS[name];
  const ds = datasets[name]();
  const data = engine.prepare(ds);
  let last;
  // Each sample builds a fresh model (same seed) and times only its fit().
  const run = async () => {
    const model = engine.build({ seed: 1, ...m });
    const t0 = performance.now();
    const r = await engine.fit(model, data, { epochs: m.epochs, batchSize: m.batch });
    last = { model, r, ms: performance.now() - t0 };
  };
  await run(); // warm-up; fast engines get more warm-ups and samples, slow ones fewer (bounded run time)
  const fast = last.ms < 200;
  const samples = quick ? 3 : fast ? 21 : last.ms > 2000 ? 3 : 7;
  const seconds = await sampleAsync(run, { warmup: fast ? 4 : 0, samples });
  if (!Number.isFinite(last.r.loss)) throw new Error(`final loss is ${last.r.loss}: timings discarded (for deltaflow: is dist/ in sync with build/deltaflow.wasm?)`);
  const pred = engine.predict(last.model, ds.x, ds.rows, ds.inDim);
  return { ms: summarize(seconds.map((s) => s * 1000)), loss: last.r.loss, iterations: last.r.iterations, accuracy: accuracy(pred, ds) };
}

export function render(entries) {
  const sections = Object.entries(MODELS).map(([name, m]) => {
    const df = entries.find((e) => e.engine === 'deltaflow' && e.params.name === name)?.result;
    const rows = ENGINES.map((engine) => {
      const e = entries.find((x) => x.engine === engine && x.params.name === name);
      const label = LABEL[engine] ?? engine;
      if (!e || e.error) return [label, e ? failed(e.error) : '—'];
      const r = e.result;
      const vs =
        engine === 'deltaflow' ? `target ≤ ${m.targetMs} ms: ${r.ms.median <= m.targetMs ? '✅ met' : '❌ not met'}`
        : engine === 'deltaflow-2t' ? threadsSpeedup(df?.ms.median, r.ms.median, false)
        : df ? `${num(r.ms.median / df.ms.median, 1)}× deltaflow's time` : '—';
      return [label, range(r.ms, 2), vs, num(r.loss, 4), `${num(r.accuracy * 100, 1)}%`, `${r.ms.n}`];
    });
    return [`### ${m.title}: ${m.activations.join('/')}, ${m.loss.toUpperCase()}, Adam lr ${m.lr}, batch ${m.batch}, ${m.epochs} epochs`, '', table(['engine', 'fit wall ms', 'vs', 'final loss', 'train accuracy', 'samples'], rows)].join('\n');
  });
  return [
    '## 3. Tiny models: whole `fit` wall time (ms, median (min–max)) and convergence',
    '',
    'Each sample builds a fresh model (seed 1 where the engine takes one) and times only `fit`, after untimed warm-up runs (5 for engines under 200 ms a fit, else 1); 21 samples under 200 ms, 7 under 2 s, else 3. Final loss = the engine\'s own last-epoch training loss; accuracy = harness-computed from `predict` on the training rows. ' +
      'deltaflow with 2 threads trains the same models in the threaded build (no pass of these sizes is worth splitting, so the worker stays idle): what the threaded mode costs a model too small for it, in its own child (so times from separate processes).',
    '',
    ...sections.flatMap((s) => [s, '']),
    'brain.js: `new NeuralNetwork({ hiddenLayers: [8 | 16], activation: \'tanh\' | \'relu\' })` (that activation on the output layer too: no sigmoid/softmax output), ' +
      '`train(pairs, { iterations: epochs, learningRate: lr, errorThresh: 1e-12 })`: its defaults otherwise — SGD with momentum 0.1, one update per sample (no batches), squared-error deltas, ' +
      'Math.random initial weights. errorThresh is the one change from its defaults (0.005), so that it runs every iteration instead of stopping early. Its loss column is its mean squared error.',
  ].join('\n');
}
