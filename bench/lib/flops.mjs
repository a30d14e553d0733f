// FLOP accounting for dense-MLP training, matching deltaflow's backward pass (assembly/train/network.ts):
// per layer a forward nn GEMM, a dW = Xᵀ·δ tn GEMM, and a δ·Wᵀ nt GEMM for every layer but the first.
// Bias adds, activations, the loss and the optimizer are O(params), not O(batch·params), and are left out.

/** The GEMMs of one training step at `batch` rows, as { layout, m, n, k } (C is m×n, inner dimension k). */
export function trainingGemms(sizes, batch) {
  const out = [];
  for (let l = 1; l < sizes.length; l++) {
    const fanIn = sizes[l - 1];
    const units = sizes[l];
    out.push({ layout: 'nn', m: batch, n: units, k: fanIn });
    out.push({ layout: 'tn', m: fanIn, n: units, k: batch });
    if (l > 1) out.push({ layout: 'nt', m: batch, n: fanIn, k: units });
  }
  return out;
}

export const gemmFlops = ({ m, n, k }) => 2 * m * n * k;

/** Training FLOPs per sample: 2·MACs forward + 2·MACs for dW + 2·MACs for δ_prev (layers after the first). */
export function trainingFlopsPerSample(sizes) {
  return trainingGemms(sizes, 1).reduce((sum, g) => sum + gemmFlops(g), 0);
}

export const shapeKey = ({ layout, m, n, k }) => `${layout} ${m}×${n}×${k}`;
