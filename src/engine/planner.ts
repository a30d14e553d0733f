// The planner. A model's arena: plan header, layer records and the tensor table, then parameters,
// gradients and optimizer slots at mirrored offsets — nothing that depends on the batch. The workspace:
// the per-batch buffers for `cap` rows, laid out per model and bound into its plan before each call.
import * as P from '../shared/plan.js';
import { formatBytes, MAX_MEMORY_BYTES } from '../wasm/heap.js';
import type { OptimizerHeader } from '../optimizers/optimizer.js';
import type { LayerPlan, WeightSpec } from './contract.js';

export interface PlanSpec {
  layers: LayerPlan[];
  /** Target width (1 for sparse labels). */
  targetWidth: number;
  /** Optimizer slots per parameter. */
  slots: number;
  /** The model's name, for errors. */
  name: string;
  /** Each layer's name, for errors. */
  layerNames: string[];
}

/** One parameter tensor: where it lives in the params block (and, if trainable, mirrored in grads and slots). */
export interface TensorEntry {
  layer: number;
  weight: WeightSpec;
  /** First float, from the start of the params block. */
  offset: number;
  size: number;
  trainable: boolean;
}

/** Byte offsets relative to the arena's start (0 marks an absent weight). */
export interface ArenaLayout {
  bytes: number;
  /** Trainable parameters: the optimizer's, mirrored by gradients and slots. */
  nParams: number;
  /** Non-trainable ones after them (batch norm's moving statistics). */
  nState: number;
  tensors: TensorEntry[];
  table: number;
  params: number;
  grads: number;
  slots: number;
  /** Per layer, its first two trainable weights (L_W, L_B), their gradients, and its first non-trainable one (L_STATE). */
  layers: { w: number; b: number; dw: number; db: number; state: number }[];
}

/** Byte offsets relative to the workspace's start (0 marks an absent buffer). */
export interface WorkspaceLayout {
  bytes: number;
  cap: number;
  x: number;
  y: number;
  /** Staged per-row loss weights. */
  sw: number;
  scratch: number;
  layers: { z: number; y: number; d: number; mask: number; aux: number }[];
}

const ALIGN = 64;

function allocator(start: number) {
  let at = start;
  return {
    take(floats: number): number {
      at = Math.ceil(at / ALIGN) * ALIGN;
      const off = at;
      at += floats * 4;
      return off;
    },
    get end() {
      return Math.ceil(at / ALIGN) * ALIGN;
    },
  };
}

/** The arena of a model: what lives as long as the model. Throws, naming the biggest layer, past 4 GiB. */
export function planArena(spec: PlanSpec): ArenaLayout {
  // tfjs's getWeights() order: every trainable tensor, layer by layer, then every non-trainable one.
  const tensors: TensorEntry[] = [];
  let at = 0;
  for (const trainable of [true, false]) {
    spec.layers.forEach((l, layer) => {
      for (const weight of l.weights) {
        if ((weight.trainable ?? true) !== trainable) continue;
        // Refused while planning, so the model is left as it was (Orthogonal needs a matrix).
        const rank = weight.initializer.minRank ?? 0;
        if (weight.shape.length < rank) {
          throw new Error(`${spec.layerNames[layer]}/${weight.name} [${weight.shape.join(', ')}]: the ${weight.initializer.name} initializer needs a weight of at least ${rank} dimensions (a kernel, not a bias)`);
        }
        const size = weight.shape.reduce((a, b) => a * b, 1);
        tensors.push({ layer, weight, offset: at, size, trainable });
        at += size;
      }
    });
  }
  const nParams = tensors.filter((t) => t.trainable).reduce((n, t) => n + t.size, 0);
  const nState = at - nParams;
  const bytes = (P.H_WORDS + spec.layers.length * P.LAYER_WORDS + tensors.length * P.TENSOR_WORDS) * 4 + (nParams * (2 + spec.slots) + nState) * 4;
  if (bytes > MAX_MEMORY_BYTES) throw tooLarge(spec, tensors, nParams + nState, bytes);
  const a = allocator((P.H_WORDS + spec.layers.length * P.LAYER_WORDS) * 4);
  const table = a.take(tensors.length * P.TENSOR_WORDS);
  const params = a.take(nParams + nState);
  const grads = a.take(nParams);
  const slots = a.take(nParams * spec.slots);
  const layers = spec.layers.map((_, l) => {
    const [w, b] = tensors.filter((t) => t.layer === l && t.trainable);
    const state = tensors.find((t) => t.layer === l && !t.trainable);
    return {
      w: w ? params + w.offset * 4 : 0,
      b: b ? params + b.offset * 4 : 0,
      dw: w ? grads + w.offset * 4 : 0,
      db: b ? grads + b.offset * 4 : 0,
      state: state ? params + state.offset * 4 : 0,
    };
  });
  return { bytes: a.end, nParams, nState, tensors, table, params, grads, slots, layers };
}

function tooLarge(spec: PlanSpec, tensors: TensorEntry[], nParams: number, bytes: number): Error {
  const biggest = tensors.reduce((m, t) => (t.size > m.size ? t : m));
  const what = `${spec.layerNames[biggest.layer]}/${biggest.weight.name} [${biggest.weight.shape.join(', ')}]`;
  const copies = spec.slots === 0 ? 'weights and gradients' : `weights, gradients and ${spec.slots} optimizer slot${spec.slots === 1 ? '' : 's'}`;
  return new Error(
    `model '${spec.name}': ${nParams.toLocaleString('en-US')} parameters need ${formatBytes(bytes)} (${copies}), ` +
      `more than WebAssembly's 4 GiB memory; the largest tensor is ${what}`,
  );
}

/** The per-batch buffers of this model for `cap` rows. Throws, naming the batch size, past 4 GiB. */
export function planWorkspace(spec: PlanSpec, cap: number): WorkspaceLayout {
  // From one line in, as offset 0 marks an absent buffer.
  const a = allocator(ALIGN);
  const layers = spec.layers.map((l) => {
    const rows = cap * l.units;
    return {
      y: a.take(rows),
      d: a.take(rows),
      z: l.keepsPreActivation ? a.take(rows) : 0,
      mask: l.mask ? a.take(rows) : 0,
      aux: l.aux || l.auxFixed ? a.take((l.auxFixed ?? 0) + cap * l.aux) : 0,
    };
  });
  const x = a.take(cap * spec.layers[0].fanIn);
  const y = a.take(cap * spec.targetWidth);
  const sw = a.take(cap);
  const scratch = a.take(P.GEMM_SCRATCH_FLOATS + Math.max(0, ...spec.layers.map((l) => l.scratch)));
  if (a.end > MAX_MEMORY_BYTES) {
    throw new Error(
      `model '${spec.name}': a batch of ${cap.toLocaleString('en-US')} rows needs ${formatBytes(a.end)} of activations and deltas, more than ` +
        `WebAssembly's 4 GiB memory; use a smaller batchSize`,
    );
  }
  return { bytes: a.end, cap, x, y, sw, scratch, layers };
}

/** What compile() decides: the loss kernel, fusion, the optimizer's constants. */
export interface CompiledSpec {
  loss: number;
  fused: boolean;
  sparse: boolean;
  delta: number;
  optimizer: OptimizerHeader;
}

/** Writes the optimizer's part of a plan header (also used for standalone optimizer state). */
export function writeOptimizerHeader(words: Int32Array, reals: Float32Array, o: OptimizerHeader | undefined): void {
  words[P.H_OPT] = o?.opt ?? 0;
  for (let i = 0; i < P.OPT_HP_WORDS; i++) reals[P.H_OPT_HP + i] = o?.hp[i] ?? 0;
  words[P.H_OPT_FLAGS] = o?.flags ?? 0;
  words[P.H_CLIP_KIND] = o?.clipKind ?? 0;
  reals[P.H_CLIP] = o?.clip ?? 0;
  reals[P.H_WEIGHT_DECAY] = o?.weightDecay ?? 0;
}

/** Writes a tensor table (offset, size and regularizer factors per entry) at word `at` of `words`. */
export function writeTensorTable(
  words: Int32Array,
  at: number,
  tensors: readonly { offset: number; size: number; weight?: Pick<WeightSpec, 'regularizer'> }[],
): void {
  const reals = new Float32Array(words.buffer, words.byteOffset, words.length);
  tensors.forEach((t, i) => {
    const e = at + i * P.TENSOR_WORDS;
    words[e + P.T_OFFSET] = t.offset;
    words[e + P.T_SIZE] = t.size;
    reals[e + P.T_L1] = t.weight?.regularizer?.l1 ?? 0;
    reals[e + P.T_L2] = t.weight?.regularizer?.l2 ?? 0;
  });
}

/** Writes the header, layer records and tensor table for an arena at byte offset `base`. */
export function writePlan(words: Int32Array, reals: Float32Array, base: number, spec: PlanSpec, layout: ArenaLayout, compiled?: CompiledSpec): void {
  const abs = (off: number) => (off ? base + off : 0);
  const last = spec.layers[spec.layers.length - 1];
  words.fill(0, 0, P.H_WORDS + spec.layers.length * P.LAYER_WORDS);
  words[P.H_LAYERS] = spec.layers.length;
  words[P.H_IN] = spec.layers[0].fanIn;
  words[P.H_OUT] = last.units;
  words[P.H_TW] = spec.targetWidth;
  words[P.H_PARAMS] = abs(layout.params);
  words[P.H_GRADS] = abs(layout.grads);
  words[P.H_NPARAMS] = layout.nParams;
  words[P.H_SLOTS] = abs(layout.slots);
  words[P.H_TENSORS] = abs(layout.table);
  // Clipping walks the trainable tensors, which come first.
  words[P.H_NTENSORS] = layout.tensors.filter((t) => t.trainable).length;
  words[P.H_LOSS] = compiled?.loss ?? 0;
  words[P.H_FUSED] = compiled?.fused ? 1 : 0;
  words[P.H_SPARSE] = compiled?.sparse ? 1 : 0;
  reals[P.H_LOSS_DELTA] = compiled?.delta ?? 1;
  writeOptimizerHeader(words, reals, compiled?.optimizer);
  spec.layers.forEach((l, i) => {
    const r = P.H_WORDS + i * P.LAYER_WORDS;
    const ll = layout.layers[i];
    words[r + P.L_IN] = l.fanIn;
    words[r + P.L_OUT] = l.units;
    words[r + P.L_ACT] = l.act;
    reals[r + P.L_ALPHA] = l.alpha;
    words[r + P.L_W] = abs(ll.w);
    words[r + P.L_B] = abs(ll.b);
    words[r + P.L_DW] = abs(ll.dw);
    words[r + P.L_DB] = abs(ll.db);
    words[r + P.L_STATE] = abs(ll.state);
    words[r + P.L_KIND] = l.kind;
    reals[r + P.L_RATE] = l.rate;
    const args = l.args ?? [];
    if (args.length > P.ARG_WORDS) throw new Error(`layer ${i}: ${args.length} argument words, the record holds ${P.ARG_WORDS}`);
    args.forEach((v, k) => (words[r + P.L_ARGS + k] = v));
  });
}

/** Points the plan's buffer words at a workspace laid out for this model at byte offset `base`. */
export function bindWorkspace(words: Int32Array, spec: PlanSpec, ws: WorkspaceLayout, base: number): void {
  const abs = (off: number) => (off ? base + off : 0);
  words[P.H_CAP] = ws.cap;
  words[P.H_X] = abs(ws.x);
  words[P.H_Y] = abs(ws.y);
  words[P.H_SW] = abs(ws.sw);
  words[P.H_SCRATCH] = abs(ws.scratch);
  spec.layers.forEach((_, i) => {
    const r = P.H_WORDS + i * P.LAYER_WORDS;
    const wl = ws.layers[i];
    words[r + P.L_Z] = abs(wl.z);
    words[r + P.L_Y] = abs(wl.y);
    words[r + P.L_D] = abs(wl.d);
    words[r + P.L_MASK] = abs(wl.mask);
    words[r + P.L_AUX] = abs(wl.aux);
  });
}
