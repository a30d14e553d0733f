// The integer ids that cross the TS/WASM boundary. Plain consts, so this one file is valid
// TypeScript and AssemblyScript and both sides import it: nothing is kept in sync by hand.

// Activations (forward f32_vact, backward f32_vact_bwd).
export const ACT_LINEAR = 0;
export const ACT_SIGMOID = 1;
export const ACT_RELU = 2;
export const ACT_TANH = 3;
export const ACT_SOFTPLUS = 4;
export const ACT_RELU6 = 5;
export const ACT_LEAKY_RELU = 6;
export const ACT_ELU = 7;
export const ACT_SELU = 8;
export const ACT_GELU = 9;
export const ACT_SWISH = 10;
export const ACT_MISH = 11;
export const ACT_SOFTSIGN = 12;
export const ACT_HARD_SIGMOID = 13;
export const ACT_SOFTMAX = 14;
export const ACT_HARD_SIGMOID_TFJS = 15; // tfjs's and Keras 2's clip(0.2·x + 0.5, 0, 1)
export const ACT_COUNT = 16;
// Activations whose derivative needs the pre-activation x (the rest use the cached output y); their
// derivatives are also the costly ones (recomputed in f64), which the threaded build splits sooner.
export const ACT_BWD_NEEDS_INPUT = (1 << ACT_GELU) | (1 << ACT_SWISH) | (1 << ACT_MISH);
// The threaded build's cost class: piecewise-linear activations, a few operations per element.
export const ACT_CHEAP_FWD =
  (1 << ACT_LINEAR) | (1 << ACT_RELU) | (1 << ACT_RELU6) | (1 << ACT_LEAKY_RELU) | (1 << ACT_HARD_SIGMOID) | (1 << ACT_SOFTSIGN) |
  (1 << ACT_HARD_SIGMOID_TFJS);

// Losses (f32_loss). Each is averaged over the batch.
export const LOSS_MSE = 0;
export const LOSS_MAE = 1;
export const LOSS_BCE = 2;
export const LOSS_CCE = 3;
export const LOSS_SPARSE_CCE = 4;
export const LOSS_HUBER = 5;
export const LOSS_COUNT = 6;
// A loss written in JS: no kernel; between the forward and backward calls the facade writes its
// gradient into the last layer's delta (net_train_forward / net_train_backward).
export const LOSS_EXTERNAL = 255;

// Optimizer kernel families (f32_opt). Each updates the whole contiguous parameter block in one pass;
// momentum and Nesterov are SGD's options, AMSGrad an Adam flag, AdamW Adam with weight decay.
export const OPT_SGD = 0;
export const OPT_ADAM = 1;
export const OPT_ADAGRAD = 2;
export const OPT_RMSPROP = 3;
export const OPT_ADADELTA = 4;
export const OPT_ADAMAX = 5;
export const OPT_NADAM = 6;
export const OPT_LION = 7;
export const OPT_COUNT = 8;

// Gradient clipping applied before the update (Keras allows one of the three).
export const CLIP_NONE = 0;
export const CLIP_VALUE = 1; // clipvalue: each element to [−c, c]
export const CLIP_NORM = 2; // clipnorm: each tensor's L2 norm to ≤ c
export const CLIP_GLOBAL_NORM = 3; // globalClipnorm: the norm of all gradients together to ≤ c

// Per-batch statistics a training or evaluation pass accumulates (f32_stats), by slot.
export const STAT_LOSS = 0; // Σ batch loss × batch rows
export const STAT_ROWS = 1; // rows seen
export const STAT_BINARY_CORRECT = 2; // rows×cols with (p > 0.5) == (y > 0.5)
export const STAT_CATEGORICAL_CORRECT = 3; // rows with argmax p == argmax y
export const STAT_SPARSE_CORRECT = 4; // rows with argmax p == label
export const STAT_SQUARED_ERROR = 5; // Σ (p − y)², over rows×cols
export const STAT_ABSOLUTE_ERROR = 6; // Σ |p − y|, over rows×cols
export const STAT_COUNT = 7;
