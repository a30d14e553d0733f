// Case 1: GEMM GFLOP/s per layout — the 784-128-10 layer shapes at batch 128 and their backward products,
// squares 256/512/1024, a convolution's im2col GEMMs — deltaflow's raw kernels beside tfjs-wasm tf.matMul (transposeA/B for tn/nt).
import { sampleSync } from '../lib/sampler.mjs';
import { rates } from '../lib/stats.mjs';
import { trainingGemms, gemmFlops, shapeKey } from '../lib/flops.mjs';
import { table, range, num, met, advantage, failed } from '../lib/markdown.mjs';

/** The shapes: [layout, m, n, k, role]. tn: A stored k×m; nt: B stored n×k. */
export const SHAPES = [
  ['nn', 128, 128, 784, 'L1 forward X·W'],
  ['tn', 784, 128, 128, 'L1 dW = Xᵀ·δ'],
  ['nt', 128, 784, 128, 'L1 δ·Wᵀ'],
  ['nn', 128, 10, 128, 'L2 forward'],
  ['tn', 128, 10, 128, 'L2 dW'],
  ['nt', 128, 128, 10, 'L2 δ·Wᵀ'],
  ...[256, 512, 1024].flatMap((s) => ['nn', 'tn', 'nt'].map((l) => [l, s, s, s, `square ${s}`])),
  // A 3×3 convolution through im2col, 32 → 64 channels at 26×26 positions, batch 32: tall and thin.
  ['nn', 21632, 64, 288, 'conv forward cols·W'],
  ['tn', 288, 64, 21632, 'conv dW = colsᵀ·δ'],
  ['nt', 21632, 288, 64, 'conv dcols = δ·Wᵀ'],
].map(([layout, m, n, k, role]) => ({ layout, m, n, k, role }));

/** Target: every layout ≥ 18 GFLOP/s at the 128×784×128 shapes (the three L1 rows). */
export const TARGET_GFLOPS = 18;
export const isTargetShape = (s) => s.role.startsWith('L1');

// Extra deltaflow-only shapes: every GEMM of the three training configurations, for end-to-end efficiency.
export const TRAIN_CONFIGS = [
  { sizes: [784, 128, 10], batch: 32 },
  { sizes: [784, 128, 10], batch: 128 },
  { sizes: [784, 512, 512, 10], batch: 128 },
];
function efficiencyShapes() {
  const known = new Set(SHAPES.map(shapeKey));
  const extra = new Map();
  for (const c of TRAIN_CONFIGS) {
    for (const g of trainingGemms(c.sizes, c.batch)) if (!known.has(shapeKey(g))) extra.set(shapeKey(g), { ...g, role: `training ${c.sizes.join('-')} b${c.batch}` });
  }
  return [...extra.values()];
}

export function jobs({ quick }) {
  return [
    { engine: 'deltaflow', params: { shapes: [...SHAPES, ...efficiencyShapes()], variants: ['fresh'], quick } },
    // Right after the default build, so the two see about the same machine load.
    { engine: 'deltaflow-relaxed', params: { shapes: SHAPES, variants: ['fresh'], quick } },
    { engine: 'tfjs-wasm', params: { shapes: SHAPES, variants: ['fresh', 'same'], quick } },
  ];
}

export async function measure(engine, { shapes, variants, quick }) {
  const opts = quick ? { samples: 3, minMs: 20, warmupMs: 30 } : { samples: 7, minMs: 60, warmupMs: 120 };
  const rows = [];
  for (const s of shapes) {
    // Only nn goes through XNNPACK's cached packed weights; the transposed paths ignore B's identity.
    for (const variant of variants.filter((v) => v === 'fresh' || s.layout === 'nn')) {
      const fn = await engine.gemm(s.layout, s.m, s.n, s.k, { freshB: variant === 'fresh' });
      rows.push({ ...s, variant, gflops: rates(sampleSync(fn, opts), gemmFlops(s) / 1e9) });
      fn.dispose?.();
    }
  }
  return { rows };
}

/** GFLOP/s summaries by engine/variant and shape key. */
export function index(entries) {
  const out = {};
  for (const e of entries) for (const r of e.result?.rows ?? []) (out[`${e.engine}/${r.variant}`] ??= {})[shapeKey(r)] = r.gflops;
  return out;
}

export function render(entries) {
  const g = index(entries);
  const errors = entries.filter((e) => e.error).map((e) => `- ${e.engine}: ${failed(e.error)}`);
  const df = g['deltaflow/fresh'] ?? {};
  const relaxed = g['deltaflow-relaxed/fresh'] ?? {};
  const fresh = g['tfjs-wasm/fresh'] ?? {};
  const same = g['tfjs-wasm/same'] ?? {};
  const main = SHAPES.map((s) => {
    const k = shapeKey(s);
    const ok = isTargetShape(s) && df[k] ? df[k].median >= TARGET_GFLOPS : undefined;
    return [k, s.role, range(df[k], 1), isTargetShape(s) ? `≥ ${TARGET_GFLOPS} ${met(ok)}` : '', range(relaxed[k], 1), range(fresh[k], 1), range(same[k], 1), advantage(df[k]?.median, fresh[k]?.median, true)];
  });
  const extra = efficiencyShapes().map((s) => [shapeKey(s), s.role, range(df[shapeKey(s)], 1)]);
  return [
    '## 1. GEMM throughput (GFLOP/s, median (min–max) of 7 samples; 3 for calls over ~0.35 s)',
    '',
    'C (m×n) = op(A)·op(B) with inner dimension k: `nn` A·B, `tn` Aᵀ·B (A stored k×m; deltaflow `f32_gemm_tn`, tfjs `matMul(a, b, true, false)`), ' +
      '`nt` A·Bᵀ (B stored n×k; deltaflow `f32_gemm_nt` including its Bᵀ packing, tfjs `matMul(a, b, false, true)`). One thread each. ' +
      'deltaflow relaxed-SIMD: the opt-in build (`ready({ relaxedSimd: true })`, fused multiply-add), same kernels and shapes, in its own child with relaxed SIMD enabled. ' +
      'tfjs-wasm "fresh B" uploads a new B tensor every call (as after each optimizer step: XNNPACK cannot reuse its packed weights) and the upload is timed; "same B" (nn only) reuses one B tensor, the inference case. tfjs-wasm\'s transposed matMul bypasses XNNPACK, and tfjs computes its training gradients with exactly these transposed products.',
    '',
    table(['shape (layout m×n×k)', 'role', 'deltaflow', 'target', 'deltaflow relaxed-SIMD (opt-in)', 'tfjs-wasm, fresh B', 'tfjs-wasm, same B', 'deltaflow ÷ tfjs-wasm (fresh)'], main),
    '',
    'deltaflow at the remaining training shapes (used for end-to-end efficiency below):',
    '',
    table(['shape', 'role', 'deltaflow GFLOP/s'], extra),
    ...(errors.length ? ['', ...errors] : []),
  ].join('\n');
}
