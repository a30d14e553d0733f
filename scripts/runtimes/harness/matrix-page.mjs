// ?import=deltaflow|deltaflow/inline &where=page|worker &threads=N &first=1: trains on the page or in a
// module Web Worker (on N threads when N > 1) and leaves the result in window.__matrix; with first=1 it
// only times the first prediction.
import { firstPrediction, runAll } from './tasks.mjs';

const q = new URLSearchParams(location.search);
const spec = q.get('import') ?? 'deltaflow';
const threads = Number(q.get('threads') ?? 1);

async function main() {
  if (q.get('first')) {
    // Milliseconds since navigation start at each step.
    const started = performance.now();
    const df = await import(spec);
    const imported = performance.now();
    await df.ready();
    const ready = performance.now();
    const prediction = firstPrediction(df);
    return { firstMs: performance.now(), marks: { started, imported, ready }, prediction };
  }
  if (q.get('where') === 'worker') {
    // Workers do not see the page's import map: they get the URL it resolves to.
    const url = import.meta.resolve(spec);
    const worker = new Worker(new URL(`./matrix-worker.mjs?url=${encodeURIComponent(url)}&threads=${threads}`, import.meta.url), { type: 'module' });
    return new Promise((resolve, reject) => {
      worker.onmessage = (e) => (e.data.error ? reject(new Error(e.data.error)) : resolve(e.data));
      worker.onerror = (e) => reject(new Error(`worker: ${e.message}`));
    });
  }
  const df = await import(spec);
  await df.ready(threads > 1 ? { threads } : {});
  const bytes = await (await fetch(new URL('./mnist-1000.bin', import.meta.url))).arrayBuffer();
  return { ...(await runAll(df, bytes)), threads: df.getThreads() };
}

main().then(
  (result) => (window.__matrix = { ok: true, result, crossOriginIsolated: self.crossOriginIsolated }),
  (e) => (window.__matrix = { ok: false, error: String(e?.stack ?? e) }),
);
