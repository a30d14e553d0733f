// The plan: the record the TS planner writes at the head of a model's arena and the WASM training
// entry reads. Word offsets (4 bytes each) shared by both sides, like ids.ts.
//
// A model's arena holds only what lives as long as the model: this plan, its parameters, their
// gradients and the optimizer's slots. The per-batch buffers (staged rows, activations, deltas,
// dropout masks, scratch) live in one workspace per runtime shared by every model: before each
// call into WASM the facade points the plan's buffer words (H_CAP, H_X, H_Y, H_SW, H_SCRATCH,
// L_Z, L_Y, L_D, L_MASK) at it. So dropped models cost their parameters only, and a huge batch
// grows the one workspace instead of a model.

/**
 * Floats of scratch one thread's GEMM call packs its blocks into (assembly/kernels/f32_gemm.ts: a
 * block of B of at most B_BLOCK = 256·256 floats, then tn's MC_TN×KC_MAX = 16×512 panels of A); the
 * kernel checks it at compile time. H_SCRATCH points at one such region for the calling thread; the threaded pool gives each worker
 * its own (src/wasm/threads.ts).
 */
export const GEMM_SCRATCH_FLOATS = 98304;

// Header words.
export const H_LAYERS = 0; // number of layers
export const H_LOSS = 1; // LOSS_* id
export const H_FUSED = 2; // 1: the loss kernel returns dLoss/dz of the last layer (sigmoid+BCE, softmax+CCE)
export const H_SPARSE = 3; // 1: targets are integer labels, one per row
export const H_CAP = 4; // rows the workspace's batch buffers hold (as bound for this call)
export const H_IN = 5; // input width
export const H_OUT = 6; // output width
export const H_TW = 7; // target width (1 when sparse, else H_OUT)
export const H_X = 8; // staged batch inputs, cap × in
export const H_Y = 9; // staged batch targets, cap × tw
export const H_PARAMS = 10; // all parameters, contiguous: W0, b0, W1, b1, …
export const H_GRADS = 11; // their gradients, mirrored
export const H_NPARAMS = 12; // parameter count
export const H_OPT = 13; // OPT_* id
export const H_SLOTS = 14; // optimizer slots: slot s of parameter i at H_SLOTS + (s·NPARAMS + i)·4
export const H_SCRATCH = 15; // workspace scratch: the GEMM kernels' packing region (GEMM_SCRATCH_FLOATS), then max(layer scratch) floats
export const H_LOSS_DELTA = 16; // f32: huber δ
export const H_OPT_HP = 17; // f32 × OPT_HP_WORDS: the optimizer's constants (β1, β2, ε, …; see src/optimizers)
export const OPT_HP_WORDS = 8;
export const H_OPT_FLAGS = 25; // i32: optimizer flags (bit 0: nesterov, bit 1: amsgrad, bit 2: centered)
export const H_CLIP_KIND = 26; // CLIP_* id
export const H_CLIP = 27; // f32: the clipping threshold
export const H_WEIGHT_DECAY = 28; // f32: decoupled weight decay (p −= p·wd·lr before the update), 0 for none
export const H_SW = 29; // staged per-row loss weights, cap floats (sample and class weights)
export const H_TENSORS = 30; // the tensor table: TENSOR_WORDS per parameter tensor (clipping walks it)
export const H_NTENSORS = 31; // its entry count
export const H_RNG = 32; // u32 × 4: xoshiro128** state
export const H_WORDS = 48; // header size; layer records follow

// Layer record words, LAYER_WORDS per layer from word H_WORDS.
export const L_IN = 0; // input width
export const L_OUT = 1; // units
export const L_ACT = 2; // ACT_* id
export const L_ALPHA = 3; // f32: the activation's parameter (leakyRelu slope, elu α)
export const L_W = 4; // the layer's first weight, Dense's kernel [in × out] (inside the params block), 0 without
export const L_B = 5; // its second, Dense's bias [out], 0 without
export const L_DW = 6; // kernel gradient (mirrors L_W in the grads block)
export const L_DB = 7; // bias gradient
export const L_Z = 8; // pre-activation cache [cap × out], 0 when the derivative needs only the output
export const L_Y = 9; // output cache [cap × out]
export const L_D = 10; // delta [cap × out]: dLoss/d(output) of this layer during backprop (dLoss/dz once turned)
export const L_KIND = 11; // LAYER_* kind
export const L_RATE = 12; // f32: dropout rate
export const L_MASK = 13; // dropout's scaled mask [cap × out] (0 or 1/(1 − rate)) from the last training pass
export const L_AUX = 14; // a per-row buffer of the kind's own [cap × aux] (max pooling's argmax, batch norm's x̂), 0 without
export const L_STATE = 15; // non-trainable weights (batch norm's moving mean, then variance), inside the params block, 0 without
export const L_RNG = 16; // u32 × 4: dropout's own generator state
export const L_ARGS = 20; // the per-kind argument region, ARG_WORDS words (image layers: the geometry G_*)
export const ARG_WORDS = 16;
export const LAYER_WORDS = 36;

// Image geometry, words from L_ARGS, NHWC per row: the input [G_H, G_W, G_C], a window [G_KH, G_KW] moved by
// strides [G_SH, G_SW] with dilation [G_DH, G_DW] over an input padded by G_PT/G_PL/G_PB/G_PR zeros, giving the
// output [G_OH, G_OW, G_OC]. Kernels take a pointer to these words.
export const G_H = 0;
export const G_W = 1;
export const G_C = 2;
export const G_KH = 3;
export const G_KW = 4;
export const G_SH = 5;
export const G_SW = 6;
export const G_DH = 7;
export const G_DW = 8;
export const G_PT = 9;
export const G_PL = 10;
export const G_OH = 11;
export const G_OW = 12;
export const G_OC = 13;
export const G_PB = 14;
export const G_PR = 15;

// Tensor table entries, TENSOR_WORDS per parameter tensor in getWeights() order.
export const T_OFFSET = 0; // first float of the tensor, counted from the start of the params block
export const T_SIZE = 1; // its float count
export const T_L1 = 2; // f32: its regularizer's L1 factor (penalty l1·Σ|w|), 0 for none
export const T_L2 = 3; // f32: its regularizer's L2 factor (penalty l2·Σw²), 0 for none
export const TENSOR_WORDS = 4;

// Layer kinds.
export const LAYER_DENSE = 0; // y = act(x·W + b)
export const LAYER_ACTIVATION = 1; // y = act(x)
export const LAYER_DROPOUT = 2; // training: y = x ⊙ mask; inference: y = x
export const LAYER_CONV2D = 3; // y = act(im2col(x)·W + b), per image
export const LAYER_MAX_POOL = 4; // y = max over each window; the argmax kept for backward (aux)
export const LAYER_AVG_POOL = 5; // y = mean over each window's non-padding positions
export const LAYER_GLOBAL_AVG_POOL = 6; // [h, w, c] → [c], mean over positions
export const LAYER_GLOBAL_MAX_POOL = 7; // [h, w, c] → [c], max over positions (argmax in aux)
export const LAYER_RESHAPE = 8; // the same values in another shape (Flatten, Reshape)
export const LAYER_UP_SAMPLING = 9; // nearest-neighbour upsampling by (G_SH, G_SW)
export const LAYER_ZERO_PADDING = 10; // zeros around each image
export const LAYER_BATCH_NORM = 11; // (x − mean)/√(var + ε)·γ + β over the last axis; ε at L_ALPHA, momentum at L_RATE
export const LAYER_EMBEDDING = 12; // y = rows of the table [L_ARGS: inputDim, outputDim] the input's indices name
export const LAYER_RECURRENT = 13; // SimpleRNN, LSTM, GRU over [steps, features], one or two directions (R_* words)
export const LAYER_MASKED_MEAN = 14; // [steps, c] → [c], the mean over the steps an Embedding's mask keeps (L_ARGS: steps, c)

// Recurrent layer arguments, words from L_ARGS (assembly/layers/recurrent.ts).
export const R_CELL = 0; // CELL_* id
export const R_STEPS = 1; // time steps T
export const R_FEATURES = 2; // features per step F
export const R_UNITS = 3; // units U
export const R_BIAS = 4; // bias floats per direction (0 without; GRU reset_after: 2 × gates)
export const R_DIRS = 5; // 1, or 2 for Bidirectional (concat: forward units, then backward)
export const R_BACKWARDS = 6; // 1: the first direction runs from the last step to the first (go_backwards)
export const R_SEQUENCES = 7; // 1: every step's output (return_sequences), else the last one
export const R_MASKED = 8; // 1: skip the steps whose model input index is 0 (an Embedding with maskZero)
export const R_ZERO_MASKED = 9; // 1: a skipped step outputs zeros (Bidirectional with return_sequences), else the carried state
export const R_REC_ACT = 10; // ACT_* id of the gates' activation (recurrent_activation)
export const R_REC_ALPHA = 11; // f32: its parameter
export const R_ROW = 12; // aux floats per row (checked by the kernel against its own layout)
export const CELL_SIMPLE = 0; // h = act(x·W + h·R + b)
export const CELL_LSTM = 1; // gates i, f, c, o
export const CELL_GRU = 2; // gates z, r, h; reset after the recurrent product (Keras 3's default)
export const CELL_GRU_BEFORE = 3; // reset before it (tfjs's GRU, Keras's reset_after=False)

// Per-step scalars the facade computes (schedules, bias corrections), STEP_WORDS f32 per step.
export const S_LR = 0; // the step size the kernel uses (Adam: α_t = lr·√(1−β2ᵗ)/(1−β1ᵗ))
export const S_DECAY_LR = 1; // the learning rate weight decay multiplies (the schedule's lr_t)
export const S_AUX = 2; // optimizer-specific scalars from here (Adamax: β1ᵗ; Nadam: u_t, u_t+1, Πu_t, Πu_t+1, β2ᵗ)
export const STEP_WORDS = 8;

// A fingerprint of this layout and of the id counts in ids.ts. The JS and the .wasm each compile it
// from these sources and compare at load, so a .wasm built from other sources (a half-finished
// rebuild) is a clear error instead of training on a wrong layout.
function mix(h: number, c: number): number {
  return (h * 64 + c) % 1000003;
}
// Nested calls, not an array: the stub-runtime WASM must not allocate.
export const LAYOUT_SIGNATURE: number = mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(mix(7, H_WORDS), LAYER_WORDS), STEP_WORDS), H_RNG), H_SW), H_WEIGHT_DECAY), H_CLIP), H_CLIP_KIND), H_OPT_FLAGS), H_OPT_HP), OPT_HP_WORDS), H_SLOTS), H_SCRATCH), L_KIND), L_RATE), L_MASK), L_RNG), L_D), S_AUX), S_DECAY_LR), LAYER_DROPOUT), LAYER_ACTIVATION), H_TENSORS), H_NTENSORS), TENSOR_WORDS), L_AUX), L_STATE), L_ARGS), ARG_WORDS), G_PR), LAYER_BATCH_NORM), GEMM_SCRATCH_FLOATS), T_L1), T_L2), LAYER_EMBEDDING), LAYER_RECURRENT), R_ROW), CELL_GRU_BEFORE), LAYER_MASKED_MEAN);

/**
 * LAYOUT_SIGNATURE with the id counts of ids.ts (ACT_COUNT, LOSS_COUNT, OPT_COUNT, STAT_COUNT) mixed in:
 * what the module reports and the loader expects (this file cannot import ids.ts: AssemblyScript reads
 * it without a '.js' extension, TypeScript's nodenext only with one), so a new activation or loss id
 * with a stale .wasm is the same clear error as a layout change.
 */
export function fingerprint(actCount: number, lossCount: number, optCount: number, statCount: number): number {
  return mix(mix(mix(mix(LAYOUT_SIGNATURE, actCount), lossCount), optCount), statCount);
}
