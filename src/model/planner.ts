// The planner: lays out one arena per model: plan header and layer records, then parameters,
// gradients and optimizer slots at mirrored offsets, then the per-batch caches sized for `cap` rows.
import * as P from '../shared/plan.js';
import { needsInput } from '../registry/activations.js';
import type { OptimizerHeader } from '../optimizers/optimizer.js';

export interface LayerSpec {
  /** LAYER_* kind. */
  kind: number;
  fanIn: number;
  units: number;
  act: number;
  alpha: number;
  useBias: boolean;
  /** Dropout rate. */
  rate: number;
}

export interface PlanSpec {
  layers: LayerSpec[];
  /** Rows the batch caches hold. */
  cap: number;
  /** Target width (1 for sparse labels). */
  targetWidth: number;
  /** Optimizer slots per parameter. */
  slots: number;
}

export interface LayerLayout {
  w: number;
  b: number;
  dw: number;
  db: number;
  z: number;
  y: number;
  d: number;
  mask: number;
}

/** Byte offsets relative to the arena's start (0 marks an absent buffer). */
export interface Layout {
  bytes: number;
  nParams: number;
  params: number;
  grads: number;
  slots: number;
  x: number;
  y: number;
  /** Staged per-row loss weights. */
  sw: number;
  scratch: number;
  layers: LayerLayout[];
}

const ALIGN = 64;

export function planLayout(spec: PlanSpec): Layout {
  let at = (P.H_WORDS + spec.layers.length * P.LAYER_WORDS) * 4;
  const take = (floats: number) => {
    at = Math.ceil(at / ALIGN) * ALIGN;
    const off = at;
    at += floats * 4;
    return off;
  };
  const dense = (l: LayerSpec) => l.kind === P.LAYER_DENSE;
  const nParams = spec.layers.reduce((n, l) => n + (dense(l) ? l.fanIn * l.units + (l.useBias ? l.units : 0) : 0), 0);
  const params = take(nParams);
  const grads = take(nParams);
  const slots = take(nParams * spec.slots);
  let pAt = 0;
  const layers = spec.layers.map((l) => {
    const rows = spec.cap * l.units;
    const buffers = { y: take(rows), d: take(rows), mask: l.kind === P.LAYER_DROPOUT ? take(rows) : 0 };
    if (!dense(l)) return { w: 0, b: 0, dw: 0, db: 0, z: 0, ...buffers };
    const w = pAt;
    pAt += l.fanIn * l.units;
    const b = l.useBias ? pAt : -1;
    if (l.useBias) pAt += l.units;
    return {
      w: params + w * 4,
      b: b < 0 ? 0 : params + b * 4,
      dw: grads + w * 4,
      db: b < 0 ? 0 : grads + b * 4,
      z: needsInput(l.act) ? take(rows) : 0,
      ...buffers,
    };
  });
  const fanIn = spec.layers[0].fanIn;
  const x = take(spec.cap * fanIn);
  const y = take(spec.cap * spec.targetWidth);
  const sw = take(spec.cap);
  const scratch = take(Math.max(1, ...spec.layers.filter(dense).map((l) => l.fanIn * l.units)));
  return { bytes: Math.ceil(at / ALIGN) * ALIGN, nParams, params, grads, slots, x, y, sw, scratch, layers };
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

/** Writes the header and layer records for an arena at byte offset `base`. */
export function writePlan(words: Int32Array, reals: Float32Array, base: number, spec: PlanSpec, layout: Layout, compiled?: CompiledSpec): void {
  const abs = (off: number) => (off ? base + off : 0);
  const last = spec.layers[spec.layers.length - 1];
  words[P.H_LAYERS] = spec.layers.length;
  words[P.H_CAP] = spec.cap;
  words[P.H_IN] = spec.layers[0].fanIn;
  words[P.H_OUT] = last.units;
  words[P.H_TW] = spec.targetWidth;
  words[P.H_X] = abs(layout.x);
  words[P.H_Y] = abs(layout.y);
  words[P.H_SW] = abs(layout.sw);
  words[P.H_PARAMS] = abs(layout.params);
  words[P.H_GRADS] = abs(layout.grads);
  words[P.H_NPARAMS] = layout.nParams;
  words[P.H_SLOTS] = abs(layout.slots);
  words[P.H_SCRATCH] = abs(layout.scratch);
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
    words[r + P.L_Z] = abs(ll.z);
    words[r + P.L_Y] = abs(ll.y);
    words[r + P.L_D] = abs(ll.d);
    words[r + P.L_KIND] = l.kind;
    reals[r + P.L_RATE] = l.rate;
    words[r + P.L_MASK] = abs(ll.mask);
  });
}
