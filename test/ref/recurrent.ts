// Float64 reference for the recurrent layers (SimpleRNN, LSTM, GRU with resetAfter true and false):
// forward and backpropagation through time in plain JS numbers, written from Keras 3's definitions
// (= tfjs's rnn() loop and cells), batch-first x[b][t][f], with returnSequences, goBackwards and a 0/1
// mask. Kernel tests compare against it; its own test checks it by finite differences and against tfjs.
import * as ids from '../../src/shared/ids.js';
import { ACTIVATIONS, type RefActivation } from './activations.js';

/** The recurrent cells: Keras's SimpleRNN, LSTM and GRU. */
export type CellKind = 'simpleRNN' | 'lstm' | 'gru';

/** A scalar activation with its analytic derivative, and where that derivative jumps. */
export interface ScalarActivation {
  readonly name: string;
  f(x: number): number;
  df(x: number): number;
  /** Finite-difference checks stay away from these. */
  readonly kinks: readonly number[];
}

/** An activation by name, or as a function with its derivative (e.g. {@link TFJS_HARD_SIGMOID}). */
export type RecurrentActivation = 'tanh' | 'sigmoid' | 'hardSigmoid' | 'relu' | 'linear' | ScalarActivation;

/**
 * tfjs's hardSigmoid (also Keras 2's): clip(0.2·x + 0.5, 0, 1). tfjs's LSTM and GRU default to it as
 * recurrentActivation; the name 'hardSigmoid' here means Keras 3's (and deltaflow's) relu6(x + 3)/6 instead.
 */
export const TFJS_HARD_SIGMOID: ScalarActivation = {
  name: 'tfjsHardSigmoid',
  f: (x) => Math.min(Math.max(0.2 * x + 0.5, 0), 1),
  df: (x) => (x > -2.5 && x < 2.5 ? 0.2 : 0),
  kinks: [-2.5, 2.5],
};

const BY_NAME: Record<string, number> = {
  tanh: ids.ACT_TANH,
  sigmoid: ids.ACT_SIGMOID,
  hardSigmoid: ids.ACT_HARD_SIGMOID,
  relu: ids.ACT_RELU,
  linear: ids.ACT_LINEAR,
};

/** The function and derivative an activation option names (Keras 3 meanings, from ./activations.ts). */
export function recurrentActivation(a: RecurrentActivation): ScalarActivation {
  if (typeof a === 'object') return a;
  const id = BY_NAME[a];
  if (id === undefined) throw new Error(`recurrent reference: unknown activation '${String(a)}'`);
  const r: RefActivation = ACTIVATIONS[id];
  return { name: r.name, f: (x) => r.f(x, 0), df: (x) => r.df(x, 0), kinks: r.kinks };
}

/** A cell: its kind, units and activations (Keras 3 defaults: tanh, sigmoid; GRU resetAfter true). */
export interface RecurrentCell {
  kind: CellKind;
  units: number;
  /** The candidate/output activation; default 'tanh'. */
  activation?: RecurrentActivation;
  /** The gates' activation (LSTM, GRU); default 'sigmoid' (Keras 3). tfjs's default is {@link TFJS_HARD_SIGMOID}. */
  recurrentActivation?: RecurrentActivation;
  /** GRU only: Keras 3's default true (bias [2][3U], reset applied after the recurrent product); false is tfjs's only GRU (bias [3U]). */
  resetAfter?: boolean;
}

/**
 * A cell's weights in Keras's layout, G gates of U units side by side (SimpleRNN 1, LSTM 4 in the order
 * i, f, c, o, GRU 3 in the order z, r, h): kernel W [F][G·U], recurrentKernel R [U][G·U], bias b [G·U]
 * (GRU with resetAfter: [2][3U], the input bias then the recurrent one). No bias (useBias false): omit b.
 */
export interface RecurrentWeights {
  W: number[][];
  R: number[][];
  b?: number[] | number[][];
}

/** The layer's options; h0 = c0 = 0. */
export interface RecurrentOptions {
  /** The output at every step [B][T][U] (in processing order), rather than the last [B][U]. */
  returnSequences?: boolean;
  /** Steps from the last input position to the first; with returnSequences the outputs stay in that order (as Keras: not re-reversed). */
  goBackwards?: boolean;
  /** m[b][t] ∈ {0, 1} by input position: at a 0 the states carry over unchanged and the step's output is the carried h. */
  mask?: number[][];
}

/** Everything the forward pass keeps for the backward one. */
export interface RecurrentCache {
  readonly cell: Required<Omit<RecurrentCell, 'activation' | 'recurrentActivation'>> & { activation: ScalarActivation; recurrentActivation: ScalarActivation };
  readonly weights: { W: number[][]; R: number[][]; bIn: number[]; bRec: number[] };
  readonly options: Required<Omit<RecurrentOptions, 'mask'>> & { mask?: number[][] };
  readonly x: number[][][];
  /** Per batch row, per processing step: the step's record (undefined where masked). */
  readonly steps: (StepRecord | undefined)[][];
}

/** One unmasked step of one batch row: its input position, inputs, states and intermediate values. */
interface StepRecord {
  t: number;
  x: number[];
  hPrev: number[];
  cPrev: number[];
  /** Pre-activations by gate: xz = x·W + b_in, hz = h_prev·R (+ b_rec for GRU resetAfter). */
  xz: number[];
  hz: number[];
  /** GRU: r·h_prev (resetAfter false) and the candidate's pre-activation; LSTM: the new c. */
  rh: number[];
  a: number[];
  c: number[];
}

/** The forward pass's result. */
export interface RecurrentForward {
  /** What the layer returns: `sequence` with returnSequences, else `last`. */
  y: number[][] | number[][][];
  /** The output at every processing step [B][T][U]. */
  sequence: number[][][];
  /** The output of the last processing step [B][U] (the final h). */
  last: number[][];
  /** The final cell state [B][U] (LSTM; zeros otherwise). */
  c: number[][];
  /** For {@link rnnBackward}. */
  cache: RecurrentCache;
}

/** Gradients of a scalar loss with respect to the inputs and every weight, in their shapes. */
export interface RecurrentGrads {
  dx: number[][][];
  dW: number[][];
  dR: number[][];
  /** In b's shape ([G·U], or [2][3U] for GRU resetAfter); zeros when the cell has no bias. */
  db: number[] | number[][];
}

/** Gates per cell kind. */
export function gatesOf(kind: CellKind): number {
  return kind === 'lstm' ? 4 : kind === 'gru' ? 3 : 1;
}

const zeros = (n: number) => new Array<number>(n).fill(0);
const zeros2 = (r: number, c: number) => Array.from({ length: r }, () => zeros(c));

/** v·M for v [n], M [n][k], adding into out [k]. */
function vecMat(v: number[], M: number[][], out: number[], from = 0, to = out.length): void {
  for (let i = 0; i < v.length; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    const row = M[i];
    for (let j = from; j < to; j++) out[j] += vi * row[j];
  }
}

function checkShapes(cell: RecurrentCell, w: RecurrentWeights, x: number[][][], opts: RecurrentOptions): void {
  const U = cell.units;
  const G = gatesOf(cell.kind);
  const F = x[0]?.[0]?.length ?? 0;
  const T = x[0]?.length ?? 0;
  if (!(Number.isInteger(U) && U > 0)) throw new Error(`recurrent reference: units must be a positive integer, got ${U}`);
  if (x.length === 0 || T === 0 || F === 0 || x.some((r) => r.length !== T || r.some((s) => s.length !== F))) {
    throw new Error('recurrent reference: x must be a non-empty [B][T][F] array with equal lengths');
  }
  const is = (m: unknown, r: number, c: number) => Array.isArray(m) && m.length === r && m.every((row) => Array.isArray(row) && row.length === c);
  if (!is(w.W, F, G * U)) throw new Error(`recurrent reference: W must be [${F}][${G * U}]`);
  if (!is(w.R, U, G * U)) throw new Error(`recurrent reference: R must be [${U}][${G * U}]`);
  if (w.b !== undefined) {
    const two = cell.kind === 'gru' && (cell.resetAfter ?? true);
    const ok = two ? is(w.b, 2, 3 * U) : Array.isArray(w.b) && w.b.length === G * U && w.b.every((v) => typeof v === 'number');
    if (!ok) throw new Error(`recurrent reference: b must be ${two ? `[2][${3 * U}]` : `[${G * U}]`}`);
  }
  const m = opts.mask;
  if (m && (!is(m, x.length, T) || m.some((r) => r.some((v) => v !== 0 && v !== 1)))) {
    throw new Error(`recurrent reference: mask must be [${x.length}][${T}] of 0 and 1`);
  }
}

/**
 * The recurrent layer's forward pass in float64, Keras 3 semantics: per processing step
 * z = x_t·W + h·R + b, then the cell's update (see {@link RecurrentCell}); masked steps carry h (and c).
 * @param cell the kind, units and activations
 * @param weights W [F][G·U], R [U][G·U], b (see {@link RecurrentWeights})
 * @param x inputs [B][T][F], batch first
 * @param opts returnSequences, goBackwards, mask
 */
export function rnnForward(cell: RecurrentCell, weights: RecurrentWeights, x: number[][][], opts: RecurrentOptions = {}): RecurrentForward {
  checkShapes(cell, weights, x, opts);
  const U = cell.units;
  const G = gatesOf(cell.kind);
  const resetAfter = cell.kind === 'gru' && (cell.resetAfter ?? true);
  const act = recurrentActivation(cell.activation ?? 'tanh');
  const rec = recurrentActivation(cell.recurrentActivation ?? 'sigmoid');
  const b = weights.b;
  const bIn = b === undefined ? zeros(G * U) : resetAfter ? (b as number[][])[0].slice() : (b as number[]).slice();
  const bRec = b !== undefined && resetAfter ? (b as number[][])[1].slice() : zeros(G * U);
  const cache: RecurrentCache = {
    cell: { kind: cell.kind, units: U, resetAfter, activation: act, recurrentActivation: rec },
    weights: { W: weights.W, R: weights.R, bIn, bRec },
    options: { returnSequences: !!opts.returnSequences, goBackwards: !!opts.goBackwards, mask: opts.mask },
    x,
    steps: [],
  };
  const T = x[0].length;
  const sequence: number[][][] = [];
  const last: number[][] = [];
  const cOut: number[][] = [];
  for (let bi = 0; bi < x.length; bi++) {
    let h = zeros(U);
    let c = zeros(U);
    const seq: number[][] = [];
    const recs: (StepRecord | undefined)[] = [];
    for (let s = 0; s < T; s++) {
      const t = opts.goBackwards ? T - 1 - s : s;
      if (opts.mask && opts.mask[bi][t] === 0) {
        recs.push(undefined);
        seq.push(h.slice());
        continue;
      }
      const r = step(cache, t, x[bi][t], h, c);
      recs.push(r.rec);
      h = r.h;
      if (cell.kind === 'lstm') c = r.rec.c;
      seq.push(h.slice());
    }
    sequence.push(seq);
    last.push(h);
    cOut.push(c);
    cache.steps.push(recs);
  }
  return { y: opts.returnSequences ? sequence : last, sequence, last, c: cOut, cache };
}

/** One cell update: the new h and the record the backward pass needs. */
function step(cache: RecurrentCache, t: number, x: number[], hPrev: number[], cPrev: number[]): { h: number[]; rec: StepRecord } {
  const { kind, units: U, resetAfter, activation: act, recurrentActivation: rec } = cache.cell;
  const { W, R, bIn, bRec } = cache.weights;
  const xz = bIn.slice();
  vecMat(x, W, xz);
  const hz = bRec.slice();
  const rh = zeros(U);
  const a = zeros(U);
  const c = zeros(U);
  const h = zeros(U);
  if (kind === 'simpleRNN') {
    vecMat(hPrev, R, hz);
    for (let j = 0; j < U; j++) h[j] = act.f(xz[j] + hz[j]);
  } else if (kind === 'lstm') {
    vecMat(hPrev, R, hz);
    for (let j = 0; j < U; j++) {
      const z = (g: number) => xz[g * U + j] + hz[g * U + j];
      const i = rec.f(z(0));
      const f = rec.f(z(1));
      const g = act.f(z(2));
      const o = rec.f(z(3));
      c[j] = f * cPrev[j] + i * g;
      h[j] = o * act.f(c[j]);
    }
  } else {
    // z and r from x·W + h·R over the first 2U columns; the candidate by resetAfter.
    vecMat(hPrev, R, hz, 0, resetAfter ? 3 * U : 2 * U);
    const zg = zeros(U);
    const rg = zeros(U);
    for (let j = 0; j < U; j++) {
      zg[j] = rec.f(xz[j] + hz[j]);
      rg[j] = rec.f(xz[U + j] + hz[U + j]);
    }
    if (resetAfter) {
      for (let j = 0; j < U; j++) a[j] = xz[2 * U + j] + rg[j] * hz[2 * U + j];
    } else {
      for (let j = 0; j < U; j++) rh[j] = rg[j] * hPrev[j];
      const rr = zeros(3 * U);
      vecMat(rh, R, rr, 2 * U, 3 * U);
      for (let j = 0; j < U; j++) a[j] = xz[2 * U + j] + rr[2 * U + j];
    }
    for (let j = 0; j < U; j++) h[j] = zg[j] * hPrev[j] + (1 - zg[j]) * act.f(a[j]);
  }
  return { h, rec: { t, x, hPrev, cPrev, xz, hz, rh, a, c } };
}

/**
 * Backpropagation through time for a {@link rnnForward} pass: the gradients of Σ dy·y.
 * @param cache the forward pass's cache
 * @param dy the gradient with respect to y, in y's shape ([B][T][U] with returnSequences, else [B][U])
 */
export function rnnBackward(cache: RecurrentCache, dy: number[][] | number[][][]): RecurrentGrads {
  const { kind, units: U, resetAfter, activation: act, recurrentActivation: rec } = cache.cell;
  const { W, R } = cache.weights;
  const G = gatesOf(kind);
  const x = cache.x;
  const B = x.length;
  const T = x[0].length;
  const F = x[0][0].length;
  const seqOut = cache.options.returnSequences;
  const dyShapeOk = dy.length === B && dy.every((r) => (seqOut ? r.length === T && (r as number[][]).every((s) => s.length === U) : r.length === U));
  if (!dyShapeOk) throw new Error(`recurrent reference: dy must be ${seqOut ? `[${B}][${T}][${U}]` : `[${B}][${U}]`}`);
  const dx = Array.from({ length: B }, () => zeros2(T, F));
  const dW = zeros2(F, G * U);
  const dR = zeros2(U, G * U);
  const dbIn = zeros(G * U);
  const dbRec = zeros(G * U);
  for (let bi = 0; bi < B; bi++) {
    let dhNext = zeros(U);
    let dcNext = zeros(U);
    for (let s = T - 1; s >= 0; s--) {
      const dh = dhNext.slice();
      const g = seqOut ? (dy[bi] as number[][])[s] : s === T - 1 ? (dy[bi] as number[]) : undefined;
      if (g) for (let j = 0; j < U; j++) dh[j] += g[j];
      const r = cache.steps[bi][s];
      // A masked step passes h and c through unchanged: so do their gradients.
      if (!r) {
        dhNext = dh;
        continue;
      }
      // dxz: gradient at x·W + b_in; dhz: at h·R (+ b_rec); both [G·U].
      const dxz = zeros(G * U);
      const dhz = zeros(G * U);
      const dhPrev = zeros(U);
      const dcPrev = zeros(U);
      if (kind === 'simpleRNN') {
        for (let j = 0; j < U; j++) dxz[j] = dhz[j] = dh[j] * act.df(r.xz[j] + r.hz[j]);
      } else if (kind === 'lstm') {
        for (let j = 0; j < U; j++) {
          const z = (q: number) => r.xz[q * U + j] + r.hz[q * U + j];
          const i = rec.f(z(0));
          const f = rec.f(z(1));
          const gc = act.f(z(2));
          const o = rec.f(z(3));
          const dc = dcNext[j] + dh[j] * o * act.df(r.c[j]);
          dxz[j] = dc * gc * rec.df(z(0));
          dxz[U + j] = dc * r.cPrev[j] * rec.df(z(1));
          dxz[2 * U + j] = dc * i * act.df(z(2));
          dxz[3 * U + j] = dh[j] * act.f(r.c[j]) * rec.df(z(3));
          dcPrev[j] = dc * f;
        }
        for (let q = 0; q < 4 * U; q++) dhz[q] = dxz[q];
      } else {
        for (let j = 0; j < U; j++) {
          const az = r.xz[j] + r.hz[j];
          const ar = r.xz[U + j] + r.hz[U + j];
          const zg = rec.f(az);
          const rg = rec.f(ar);
          const hh = act.f(r.a[j]);
          dhPrev[j] += dh[j] * zg;
          const da = dh[j] * (1 - zg) * act.df(r.a[j]);
          dxz[j] = dhz[j] = dh[j] * (r.hPrev[j] - hh) * rec.df(az);
          dxz[2 * U + j] = da;
          if (resetAfter) {
            // a = xz_h + r·hz_h: hz_h (h·R_h + b_rec,h) and r share the candidate's gradient.
            dhz[2 * U + j] = da * rg;
            dxz[U + j] = dhz[U + j] = da * r.hz[2 * U + j] * rec.df(ar);
          }
        }
        if (!resetAfter) {
          // d(rh) = da·R_hᵀ; R_h gets rhᵀ·da; r and h_prev share d(rh).
          const da = Array.from({ length: U }, (_, k) => dxz[2 * U + k]);
          for (let i = 0; i < U; i++) {
            let drh = 0;
            for (let k = 0; k < U; k++) {
              drh += da[k] * R[i][2 * U + k];
              dR[i][2 * U + k] += r.rh[i] * da[k];
            }
            const ar = r.xz[U + i] + r.hz[U + i];
            dhPrev[i] += drh * rec.f(ar);
            dxz[U + i] = dhz[U + i] = drh * r.hPrev[i] * rec.df(ar);
          }
        }
      }
      // The shared linear part: x·W + b_in and h·R (+ b_rec), over the columns h·R reached.
      const recCols = kind === 'gru' && !resetAfter ? 2 * U : G * U;
      for (let f = 0; f < F; f++) {
        const xf = r.x[f];
        let acc = 0;
        for (let q = 0; q < G * U; q++) {
          dW[f][q] += xf * dxz[q];
          acc += dxz[q] * W[f][q];
        }
        dx[bi][r.t][f] += acc;
      }
      for (let q = 0; q < G * U; q++) dbIn[q] += dxz[q];
      for (let q = 0; q < recCols; q++) dbRec[q] += dhz[q];
      for (let i = 0; i < U; i++) {
        const hi = r.hPrev[i];
        let acc = 0;
        for (let q = 0; q < recCols; q++) {
          dR[i][q] += hi * dhz[q];
          acc += dhz[q] * R[i][q];
        }
        dhPrev[i] += acc;
      }
      dhNext = dhPrev;
      dcNext = kind === 'lstm' ? dcPrev : dcNext;
    }
  }
  const db = resetAfter ? [dbIn, dbRec] : dbIn;
  return { dx, dW, dR, db };
}
