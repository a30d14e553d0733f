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

/**
 * The GEMMs of one training step of the textbook's MNIST CNN (cases/cnn.mjs) at `batch` images, as deltaflow
 * runs them (assembly/layers/conv2d.ts: im2col then one GEMM per image; dense: one GEMM per batch), each
 * { layout, m, n, k, count, role }. Conv2D 32 (first layer: no input gradient), Conv2D 64, Dense 128, Dense 10.
 */
export function cnnTrainingGemms(batch) {
  return [
    { layout: 'nn', m: 676, n: 32, k: 9, count: batch, role: 'conv1 forward (per image)' },
    { layout: 'tn', m: 9, n: 32, k: 676, count: batch, role: 'conv1 dW (per image)' },
    { layout: 'nn', m: 576, n: 64, k: 288, count: batch, role: 'conv2 forward (per image)' },
    { layout: 'tn', m: 288, n: 64, k: 576, count: batch, role: 'conv2 dW (per image)' },
    { layout: 'nt', m: 576, n: 288, k: 64, count: batch, role: 'conv2 δ·Wᵀ (per image)' },
    { layout: 'nn', m: batch, n: 128, k: 9216, count: 1, role: 'dense1 forward' },
    { layout: 'tn', m: 9216, n: 128, k: batch, count: 1, role: 'dense1 dW' },
    { layout: 'nt', m: batch, n: 9216, k: 128, count: 1, role: 'dense1 δ·Wᵀ' },
    { layout: 'nn', m: batch, n: 10, k: 128, count: 1, role: 'dense2 forward' },
    { layout: 'tn', m: 128, n: 10, k: batch, count: 1, role: 'dense2 dW' },
    { layout: 'nt', m: batch, n: 128, k: 10, count: 1, role: 'dense2 δ·Wᵀ' },
  ];
}

/** GEMM FLOPs of one CNN training sample (forward + dW + input gradients, as cnnTrainingGemms). */
export const cnnTrainingFlopsPerSample = () => cnnTrainingGemms(1).reduce((s, g) => s + gemmFlops(g) * g.count, 0);

/** GEMM FLOPs of one CNN inference sample (the forward products only). */
export const cnnForwardFlopsPerSample = () => cnnTrainingGemms(1).filter((g) => g.role.includes('forward')).reduce((s, g) => s + gemmFlops(g) * g.count, 0);

/**
 * The GEMMs of one training step of Embedding → LSTM(units) → Dense(1) (cases/lstm.mjs) at `batch` sequences
 * of `steps` steps of `features` floats, as deltaflow runs them (assembly/layers/recurrent.ts), each
 * { layout, m, n, k, count, role }: the input projection of every step is one GEMM, the recurrent product one
 * small GEMM per step; backward, dh = dG·Rᵀ per step, then dW, dR and the Embedding's δ one GEMM each over
 * all steps. G = 4·units (gates i, f, c, o). Elementwise gate math, the Embedding's scatter and Adam are left out.
 */
export function lstmTrainingGemms(batch, steps = 100, features = 64, units = 128) {
  const G = 4 * units;
  const rows = batch * steps;
  return [
    { layout: 'nn', m: rows, n: G, k: features, count: 1, role: 'input projection x·W (all steps)' },
    { layout: 'nn', m: batch, n: G, k: units, count: steps, role: 'recurrent h·R (per step)' },
    { layout: 'nt', m: batch, n: units, k: G, count: steps, role: 'dh = dG·Rᵀ (per step)' },
    { layout: 'tn', m: features, n: G, k: rows, count: 1, role: 'dW = xᵀ·dG (all steps)' },
    { layout: 'tn', m: units, n: G, k: rows, count: 1, role: 'dR = hᵀ·dG (all steps)' },
    { layout: 'nt', m: rows, n: features, k: G, count: 1, role: 'Embedding δ = dG·Wᵀ (all steps)' },
    { layout: 'nn', m: batch, n: 1, k: units, count: 1, role: 'dense forward' },
    { layout: 'tn', m: units, n: 1, k: batch, count: 1, role: 'dense dW' },
    { layout: 'nt', m: batch, n: units, k: 1, count: 1, role: 'dense δ·Wᵀ' },
  ];
}

/**
 * GEMM FLOPs of one LSTM training sample: 3 × (2·T·F·4U + 2·T·U·4U) (forward, weight gradient and input
 * gradient of the input projection and of the recurrent product) + 3 × 2·U for the Dense(1).
 */
export const lstmTrainingFlopsPerSample = (steps = 100, features = 64, units = 128) =>
  lstmTrainingGemms(1, steps, features, units).reduce((s, g) => s + gemmFlops(g) * g.count, 0);

/**
 * The forward GEMMs of Embedding → GRU(units, resetAfter false) → Dense(1) on `batch` sequences (cases/gruinfer.mjs),
 * as deltaflow runs them: one input projection over all steps, then per step h·R for z and r and (r ⊙ h)·R_h.
 */
export function gruForwardGemms(batch, steps = 100, features = 64, units = 128) {
  return [
    { layout: 'nn', m: batch * steps, n: 3 * units, k: features, count: 1, role: 'input projection x·W (all steps)' },
    { layout: 'nn', m: batch, n: 2 * units, k: units, count: steps, role: 'h·R for z, r (per step)' },
    { layout: 'nn', m: batch, n: units, k: units, count: steps, role: '(r ⊙ h)·R_h (per step)' },
    { layout: 'nn', m: batch, n: 1, k: units, count: 1, role: 'dense forward' },
  ];
}

/** GEMM FLOPs of one GRU forward pass over one sequence: 2·T·F·3U + 2·T·U·3U + 2·U. */
export const gruForwardFlopsPerSequence = (steps = 100, features = 64, units = 128) =>
  gruForwardGemms(1, steps, features, units).reduce((s, g) => s + gemmFlops(g) * g.count, 0);
