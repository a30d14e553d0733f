// One optimizer step over the 784-512-512-10 parameter block (669,706 parameters): the WASM entry
// (clip, decay, update) timed alone, reported as GB/s of memory each optimizer reads and writes.
import Benchmark from 'benchmark';
// The dist modules (not the bundled 'deltaflow'), so the internals below share its module graph.
import * as df from '../dist/entries/node.js';
import { getRuntime } from '../dist/wasm/load.js';
import { optimizerBlock } from '../dist/optimizers/standalone.js';
import * as P from '../dist/shared/plan.js';

await df.ready();
const { heap, kernels } = getRuntime();
const n = 784 * 512 + 512 + 512 * 512 + 512 + 512 * 10 + 10;

// Floats read + written per parameter: SGD p,g → p; momentum p,g,m → p,m; Adam p,g,m,v → p,m,v; …
const cases = [
  ['sgd', df.optimizers.sgd(), 3],
  ['momentum', df.optimizers.sgd({ momentum: 0.9 }), 5],
  ['adam', df.optimizers.adam(), 7],
  ['rmsprop', df.optimizers.rmsprop(), 5],
  ['adamw', df.optimizers.adamw(), 8],
  ['lion', df.optimizers.lion(), 5],
];

const rows = [];
for (const [name, opt, floats] of cases) {
  const { base, params, scalars } = optimizerBlock(opt, n);
  heap.f32(params, (2 + opt.slots) * n).fill(0.001);
  const s = new Float32Array(P.STEP_WORDS);
  opt.stepScalars(1, s);
  heap.writeF32(scalars, s);
  await new Promise((resolve) =>
    new Benchmark(name, {
      minSamples: 30,
      fn: () => kernels.optimizer_step(base, scalars),
      onComplete() {
        const sorted = [...this.stats.sample].sort((a, b) => a - b);
        const median = sorted[Math.floor(sorted.length / 2)];
        rows.push({ optimizer: name, 'µs/step (median)': (median * 1e6).toFixed(0), 'GB/s': ((floats * 4 * n) / median / 1e9).toFixed(1), 'bytes/param': floats * 4 });
        resolve();
      },
    }).run(),
  );
  heap.free(base);
}
console.log(`one step over ${n.toLocaleString('en-US')} parameters (784-512-512-10)`);
console.table(rows);
