// GEMM throughput per layout, in GFLOP/s (2·m·n·k / mean seconds), on one core.
// Shapes: a 784-128-10 MLP at batch 128 (forward nn, backward tn = dW and nt = δ·Wᵀ), squares, and the
// GEMMs of a 3×3 convolution (32 → 64 channels, 26×26 positions, batch 32) through im2col.
// Loads build/deltaflow.wasm directly (run `npm run asbuild` first). Usage:
//   node bench/gemm.bench.mjs [filter]   e.g. `node bench/gemm.bench.mjs nt` runs only the nt cases.
import fs from 'node:fs';
import Benchmark from 'benchmark';

const wasmUrl = new URL('../build/deltaflow.wasm', import.meta.url);
const { instance } = await WebAssembly.instantiate(fs.readFileSync(wasmUrl), {
  env: {
    abort() {
      throw new Error('abort');
    },
  },
});
const k$ = instance.exports;
const memory = k$.memory;

// A bump allocator from heap_base upward, 64-byte aligned, growing memory as needed.
let top = align(k$.heap_base());
function align(n) {
  return Math.ceil(n / 64) * 64;
}
function alloc(floats) {
  const ptr = top;
  top = align(top + floats * 4);
  const need = top - memory.buffer.byteLength;
  if (need > 0) memory.grow(Math.ceil(need / 65536));
  return ptr;
}
function random(floats) {
  const ptr = alloc(floats);
  const v = new Float32Array(memory.buffer, ptr, floats);
  for (let i = 0; i < floats; i++) v[i] = Math.random() * 2 - 1;
  return ptr;
}

// Each case: [name, layout, m, n, k]. Operand shapes follow the layout (tn: A is k×m; nt: B is n×k).
const cases = [
  ['nn fwd  L1  128x128x784', 'nn', 128, 128, 784],
  ['tn dW   L1  784x128x128', 'tn', 784, 128, 128],
  ['nt dX   L1  128x784x128', 'nt', 128, 784, 128],
  ['nn fwd  L2  128x10x128 ', 'nn', 128, 10, 128],
  ['tn dW   L2  128x10x128 ', 'tn', 128, 10, 128],
  ['nt dX   L2  128x128x10 ', 'nt', 128, 128, 10],
  ['nn  256^3', 'nn', 256, 256, 256],
  ['tn  256^3', 'tn', 256, 256, 256],
  ['nt  256^3', 'nt', 256, 256, 256],
  ['nn  512^3', 'nn', 512, 512, 512],
  ['tn  512^3', 'tn', 512, 512, 512],
  ['nt  512^3', 'nt', 512, 512, 512],
  ['nn 1024^3', 'nn', 1024, 1024, 1024],
  ['tn 1024^3', 'tn', 1024, 1024, 1024],
  ['nt 1024^3', 'nt', 1024, 1024, 1024],
  ['nn 2048^3', 'nn', 2048, 2048, 2048],
  ['tn 2048^3', 'tn', 2048, 2048, 2048],
  ['nt 2048^3', 'nt', 2048, 2048, 2048],
  ['nn conv fwd 21632x64x288', 'nn', 21632, 64, 288],
  ['tn conv dW  288x64x21632', 'tn', 288, 64, 21632],
  ['nt conv dX  21632x288x64', 'nt', 21632, 288, 64],
];
// The GEMMs' packing scratch: at least GEMM_SCRATCH_FLOATS (src/shared/plan.ts), with room to spare.
const scratch = alloc(1 << 18);

const filter = process.argv[2];
const suite = new Benchmark.Suite('gemm');
const flops = new Map();
for (const [name, layout, m, n, k] of cases) {
  if (filter && !name.includes(filter)) continue;
  const a = random(m * k);
  const b = random(k * n);
  const c = alloc(m * n);
  const bias = random(n);
  let fn;
  if (layout === 'nn') fn = () => k$.f32_gemm_nn(m, n, k, a, k, b, n, c, n, bias, 0, 0, scratch);
  else if (layout === 'tn') fn = () => k$.f32_gemm_tn(m, n, k, a, m, b, n, c, n, scratch);
  else fn = () => k$.f32_gemm_nt(m, n, k, a, k, b, k, c, n, scratch);
  fn(); // warm up (and compile) before timing
  flops.set(name, 2 * m * n * k);
  // Small shapes take microseconds: 1.5 s per case keeps the whole suite well under a minute.
  suite.add(name, fn, { maxTime: m * n * k >= 512 ** 3 ? 3 : 1.5, minSamples: 5 });
}

const rows = [];
suite.on('cycle', (e) => {
  const t = e.target;
  const gflops = flops.get(t.name) / t.stats.mean / 1e9;
  rows.push({ case: t.name, 'GFLOP/s': gflops.toFixed(1), 'mean µs': (t.stats.mean * 1e6).toFixed(1), '±%': t.stats.rme.toFixed(1), samples: t.stats.sample.length });
  console.log(`${t.name}  ${gflops.toFixed(1).padStart(6)} GFLOP/s  (${(t.stats.mean * 1e6).toFixed(1)} µs ±${t.stats.rme.toFixed(1)}%)`);
});
suite.on('complete', () => {
  console.log();
  console.table(rows);
});
suite.run();
