// Child entry: `node bench/worker.mjs <case> <engine> '<json params>'` loads one engine, runs one case's
// measure(), and prints one marked JSON line (lib/child.mjs). One process per engine × case × config.
import { performance } from 'node:perf_hooks';
import { emit } from './lib/child.mjs';

// Engine id → adapter file and its variant argument. deltaflow-relaxed: the opt-in relaxed-SIMD build (its
// child gets the V8 flag Node 20 needs, see lib/child.mjs); deltaflow-2t: the threaded mode, setThreads(2).
const ENGINES = { deltaflow: ['deltaflow'], 'deltaflow-relaxed': ['deltaflow', 'relaxed'], 'deltaflow-2t': ['deltaflow', 'threads2'], 'tfjs-wasm': ['tfjs', 'wasm'], 'tfjs-cpu': ['tfjs', 'cpu'], brain: ['brain'] };

const [caseName, engineId, json = '{}'] = process.argv.slice(2);
try {
  const [file, variant] = ENGINES[engineId] ?? [];
  if (!file) throw new Error(`unknown engine ${engineId}`);
  const t0 = performance.now();
  const engine = await import(`./engines/${file}.mjs`);
  await engine.init(variant);
  const initMs = performance.now() - t0;
  const { measure, beforeThreads } = await import(`./cases/${caseName}.mjs`);
  const params = JSON.parse(json);
  // What a case builds before the threaded mode starts stays single-threaded (its paired baseline).
  const early = await beforeThreads?.(engine, params);
  await engine.threadsOn?.();
  const result = await measure(engine, params, early);
  await emit({ engine: engineId, versions: engine.versions(), notes: engine.notes, initMs, ...result });
} catch (e) {
  await emit({ engine: engineId, error: String(e?.stack ?? e) });
}
process.exit(0); // tfjs can leave handles open; the result is already printed
