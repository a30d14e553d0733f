// deltaflow-only training samples/s, in this process, for a quick check while editing the library:
// the same measurement as case 2 of `npm run bench` (bench/cases/train.mjs) without the peers or the report.
//   node bench/train.bench.mjs [--quick]
//   node --experimental-wasm-relaxed-simd bench/train.bench.mjs --relaxed   (the opt-in relaxed-SIMD build)
import * as engine from './engines/deltaflow.mjs';
import { CONFIGS, measure } from './cases/train.mjs';

const quick = process.argv.includes('--quick');
await engine.init(process.argv.includes('--relaxed') ? 'relaxed' : undefined);
const rows = [];
for (const c of CONFIGS) {
  const r = await measure(engine, { ...c, budgetSec: quick ? 0.6 : 2.5, samples: quick ? 2 : 5 });
  const s = r.samplesPerSec;
  rows.push({ config: c.id, 'samples/s (median)': Math.round(s.median), 'min–max': `${Math.round(s.min)}–${Math.round(s.max)}`, target: `≥ ${c.target}`, met: s.median >= c.target, rows: r.rows, runs: s.n, loss: r.loss.toFixed(4) });
}
console.table(rows);
