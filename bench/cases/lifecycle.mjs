// Case 5d: memory over a model's life cycle: 1,000 cycles of create → fit → predict → drop, with and
// without dispose(), one child per engine and variant. "Drop" lets the model go out of scope with no
// call; the loop never yields to the event loop, so no finalizer can run in between: what remains is
// what the engine keeps for models nobody disposed.
import { performance } from 'node:perf_hooks';
import { table, num, failed, met } from '../lib/markdown.mjs';

export const ENGINES = ['deltaflow', 'tfjs-wasm', 'tfjs-cpu'];
export const CYCLES = 1000;
/** The bound on deltaflow's WebAssembly memory after 1,000 cycles without dispose(). */
export const TARGET_MB = 64;

export function jobs({ quick }) {
  const cycles = quick ? 200 : CYCLES;
  return ENGINES.flatMap((engine) => [false, true].map((dispose) => ({ engine, label: dispose ? 'dispose' : 'drop', params: { cycles, dispose } })));
}

// A 16-32-1 network on 512 random rows: one fit pass at batch 128, then predict on all rows at once.
const SPEC = { seed: 7, sizes: [16, 32, 1], activations: ['relu', 'sigmoid'], loss: 'bce', lr: 0.001 };
function data() {
  let s = 1;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  const rows = 512;
  const x = Float32Array.from({ length: rows * 16 }, next);
  const y = Float32Array.from({ length: rows }, () => (next() > 0.5 ? 1 : 0));
  return { x, y, labels: Array.from(y), rows, inDim: 16, outDim: 1 };
}

const MB = 2 ** 20;
const rssMB = () => process.memoryUsage().rss / MB;

export async function measure(engine, { cycles, dispose }) {
  const ds = data();
  const warm = engine.build(SPEC);
  const p0 = engine.prepare(ds);
  await engine.fit(warm, p0, { epochs: 1, batchSize: 128 });
  engine.dispose(warm);
  const start = { rss: rssMB(), engine: engine.memory() };
  const t0 = performance.now();
  for (let i = 0; i < cycles; i++) {
    const model = engine.build({ ...SPEC, seed: i });
    await engine.fit(model, p0, { epochs: 1, batchSize: 128 });
    engine.predict(model, ds.x, ds.rows, ds.inDim);
    if (dispose) engine.dispose(model);
  }
  const ms = (performance.now() - t0) / cycles;
  return { cycles, dispose, msPerCycle: ms, startRssMB: start.rss, endRssMB: rssMB(), startMemory: start.engine, endMemory: engine.memory() };
}

export function render(entries) {
  const rows = entries.map((e) => {
    const label = `${e.engine}, ${e.params.dispose ? 'dispose()' : 'dropped'}`;
    if (e.error) return [label, failed(e.error)];
    const r = e.result;
    const m = (x) => (x ? `${num(x.bytes / MB, 1)} (${x.what})` : '—');
    const target = e.engine === 'deltaflow' && !e.params.dispose ? `≤ ${TARGET_MB} MB: ${met(r.endMemory.bytes / MB <= TARGET_MB)}` : '';
    return [label, m(r.startMemory), m(r.endMemory), target, num(r.endRssMB - r.startRssMB, 1), num(r.msPerCycle, 2)];
  });
  return [
    `## 5d. Memory over ${num(entries[0]?.result?.cycles ?? CYCLES)} create → fit → predict → drop cycles (MB)`,
    '',
    "16-32-1 relu/sigmoid network, Adam, 512 random rows: each cycle builds a model, fits one pass at batch 128 and predicts all rows; " +
      'then either disposes it or drops it. The loop never yields, so no garbage-collector finalizer runs in between. Engine memory: ' +
      "deltaflow's WebAssembly memory (`df.memory().wasmBytes`, which only grows); tfjs's bytes in live tensors (`tf.memory().numBytes`).",
    '',
    table(['engine', 'engine memory before', 'after', 'target', 'RSS growth', 'ms per cycle'], rows),
  ].join('\n');
}
