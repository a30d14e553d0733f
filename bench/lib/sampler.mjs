// Sampling loops with warm-up: calibrated repetitions for fast synchronous calls, whole calls for slow async ones.
import { performance } from 'node:perf_hooks';

/**
 * Seconds per call of a fast synchronous fn, one value per sample. Warm-up runs for warmupMs (JIT, caches),
 * then each sample repeats fn enough times to last at least minMs, so timer resolution does not matter.
 * Slow calls get fewer samples (never under 3) so one measurement stays within about maxMs.
 */
export function sampleSync(fn, { samples = 7, minMs = 50, warmupMs = 100, maxMs = 2500 } = {}) {
  const t0 = performance.now();
  let calls = 0;
  while (calls < 1 || performance.now() - t0 < warmupMs) {
    fn();
    calls++;
  }
  const perCall = (performance.now() - t0) / calls;
  const reps = Math.max(1, Math.ceil(minMs / perCall));
  const n = Math.max(3, Math.min(samples, Math.floor(maxMs / (reps * perCall))));
  const out = [];
  for (let s = 0; s < n; s++) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) fn();
    out.push((performance.now() - start) / reps / 1000);
  }
  return out;
}

/** Seconds per call of a slow (possibly async) fn: `warmup` untimed calls, then `samples` timed calls. */
export async function sampleAsync(fn, { samples = 5, warmup = 1 } = {}) {
  for (let w = 0; w < warmup; w++) await fn(w);
  const out = [];
  for (let s = 0; s < samples; s++) {
    const start = performance.now();
    await fn(s);
    out.push((performance.now() - start) / 1000);
  }
  return out;
}
