// Initializers (Keras 3 definitions), drawn inside WASM from the model's seeded generator so the same
// seed gives the same bits everywhere. One row each; variance-scaling ones are configurations of one.
import type { Runtime } from '../wasm/load.js';
import { registry } from './lookup.js';
import type { NameOf } from './names.js';
import { checkOptions, type OptionSpec, type Unsupported } from '../options.js';
import { orthonormalColumns } from './orthonormal.js';

/** Fills n floats at ptr for a weight of the given fans and shape, from the generator state at rng. */
export type Fill = (rt: Runtime, rng: number, ptr: number, n: number, fanIn: number, fanOut: number, shape: readonly number[]) => void;

/** A weight initializer: a name, or an object from `df.initializers`, that fills a weight inside WebAssembly. */
export interface Initializer<N extends string = string> {
  /** The canonical (tfjs camelCase) name. */
  readonly name: N;
  /** Other accepted names; each also in snake_case. */
  readonly aliases?: readonly string[];
  /** Fills a weight from the model's seeded generator, given its fan-in, fan-out and shape. */
  readonly fill: Fill;
  /** The fewest dimensions a weight it fills may have (Orthogonal: 2); checked when the model is planned. */
  readonly minRank?: number;
}

// Keras truncates at two standard deviations and rescales so the variance is still `scale / fan`.
const TRUNCATED_STDDEV_CORRECTION = 0.87962566103423978;

type Mode = 'fanIn' | 'fanAvg';

function varianceScaling(scale: number, mode: Mode, distribution: 'uniform' | 'truncatedNormal'): Fill {
  return ({ kernels: k }, rng, ptr, n, fanIn, fanOut) => {
    const fan = mode === 'fanIn' ? fanIn : (fanIn + fanOut) / 2;
    const variance = scale / Math.max(1, fan);
    if (distribution === 'uniform') {
      const limit = Math.sqrt(3 * variance);
      k.rng_uniform(rng, ptr, n, -limit, limit);
    } else {
      k.rng_normal(rng, ptr, n, 0, Math.sqrt(variance) / TRUNCATED_STDDEV_CORRECTION, 1);
    }
  };
}

const constant = (value: number): Fill => ({ heap }, _rng, ptr, n) => {
  heap.f32(ptr, n).fill(value);
};


// The initializers' arguments; their seeds come from the model's seeded stream instead.
const seed: Unsupported = { instead: "initializers draw from the model's seeded stream: give df.sequential({ seed })", harmless: (v) => v === undefined || v === null };
const UNIFORM: OptionSpec<{ minval?: number; maxval?: number }> = { known: { minval: true, maxval: true }, unsupported: { seed } };
const NORMAL: OptionSpec<{ mean?: number; stddev?: number }> = { known: { mean: true, stddev: true }, unsupported: { seed } };
const CONSTANT: OptionSpec<{ value?: number }> = { known: { value: true } };
const ORTHOGONAL: OptionSpec<{ gain?: number }> = { known: { gain: true }, unsupported: { seed } };

/** Keras's RandomUniform(minval, maxval), default ±0.05. */
export function randomUniform(config: { minval?: number; maxval?: number } = {}): Initializer<'randomUniform'> {
  config = checkOptions('randomUniform', config, UNIFORM);
  const lo = config.minval ?? -0.05;
  const hi = config.maxval ?? 0.05;
  if (!(lo <= hi)) throw new Error(`randomUniform: minval ${lo} must not exceed maxval ${hi}`);
  return { name: 'randomUniform', fill: ({ kernels: k }, rng, ptr, n) => k.rng_uniform(rng, ptr, n, lo, hi) };
}

/** Keras's RandomNormal(mean, stddev), default N(0, 0.05²). */
export function randomNormal(config: { mean?: number; stddev?: number } = {}): Initializer<'randomNormal'> {
  config = checkOptions('randomNormal', config, NORMAL);
  const mean = config.mean ?? 0;
  const stddev = checkStddev('randomNormal', config.stddev ?? 0.05);
  return { name: 'randomNormal', fill: ({ kernels: k }, rng, ptr, n) => k.rng_normal(rng, ptr, n, mean, stddev, 0) };
}

/** Keras's TruncatedNormal(mean, stddev): redraws beyond two standard deviations. */
export function truncatedNormal(config: { mean?: number; stddev?: number } = {}): Initializer<'truncatedNormal'> {
  config = checkOptions('truncatedNormal', config, NORMAL);
  const mean = config.mean ?? 0;
  const stddev = checkStddev('truncatedNormal', config.stddev ?? 0.05);
  return { name: 'truncatedNormal', fill: ({ kernels: k }, rng, ptr, n) => k.rng_normal(rng, ptr, n, mean, stddev, 1) };
}

/** Keras's Constant(value). */
export function constantInitializer(config: { value?: number } = {}): Initializer {
  config = checkOptions('constant', config, CONSTANT);
  const value = config.value ?? 0;
  if (!Number.isFinite(value)) throw new Error(`constant: value must be finite, got ${value}`);
  return { name: 'constant', fill: constant(value) };
}

/**
 * Keras's Orthogonal(gain), default gain 1: for a weight of shape [...rows, cols] (at least 2-D), a matrix
 * with orthonormal columns (rows ≥ cols) or rows (rows < cols), times gain. The normals come from the
 * model's seeded generator inside WebAssembly; the QR factorization runs in float64 in TypeScript.
 */
export function orthogonal(config: { gain?: number } = {}): Initializer<'orthogonal'> & { getConfig(): { gain: number } } {
  config = checkOptions('orthogonal', config, ORTHOGONAL);
  const gain = config.gain ?? 1;
  if (typeof gain !== 'number' || !Number.isFinite(gain)) throw new Error(`orthogonal: gain must be a finite number, got ${String(gain)}`);
  return {
    name: 'orthogonal',
    minRank: 2,
    fill: ({ kernels: k, heap }, rng, ptr, n, _fanIn, _fanOut, shape) => {
      if (shape.length < 2) {
        throw new Error(`orthogonal: the initializer needs a weight of at least 2 dimensions, got shape [${shape.join(', ')}] (use it for kernels, not biases)`);
      }
      const cols = shape[shape.length - 1];
      const rows = n / cols;
      // Keras: normals of shape (max, min), row-major, drawn straight into the weight's own floats.
      const m = Math.max(rows, cols);
      const c = Math.min(rows, cols);
      k.rng_normal(rng, ptr, n, 0, 1, 0);
      const q = orthonormalColumns(heap.f32(ptr, n), m, c);
      // Column-major q (m×c) is qᵀ row-major: exactly the layout wanted when rows < cols.
      const out = heap.f32(ptr, n);
      if (rows < cols) {
        for (let i = 0; i < n; i++) out[i] = gain * q[i];
      } else {
        for (let i = 0; i < m; i++) for (let j = 0; j < c; j++) out[i * c + j] = gain * q[j * m + i];
      }
    },
    /** The parameters a saved model records (Keras's config keys). */
    getConfig: () => ({ gain }),
  };
}

function checkStddev(name: string, stddev: number): number {
  if (!(stddev >= 0) || !Number.isFinite(stddev)) throw new Error(`${name}: stddev must be a finite number ≥ 0, got ${stddev}`);
  return stddev;
}

const ROWS = [
  { name: 'glorotUniform', aliases: ['xavierUniform'], fill: varianceScaling(1, 'fanAvg', 'uniform') },
  { name: 'glorotNormal', aliases: ['xavierNormal'], fill: varianceScaling(1, 'fanAvg', 'truncatedNormal') },
  { name: 'heUniform', fill: varianceScaling(2, 'fanIn', 'uniform') },
  { name: 'heNormal', fill: varianceScaling(2, 'fanIn', 'truncatedNormal') },
  { name: 'lecunUniform', fill: varianceScaling(1, 'fanIn', 'uniform') },
  { name: 'lecunNormal', fill: varianceScaling(1, 'fanIn', 'truncatedNormal') },
  { name: 'zeros', aliases: ['zero'], fill: constant(0) },
  { name: 'ones', aliases: ['one'], fill: constant(1) },
  randomUniform(),
  randomNormal(),
  truncatedNormal(),
  orthogonal(),
] as const satisfies readonly Initializer[];

/** Every initializer by name; `initializers.names` lists the canonical ones. */
export const initializers = registry<Initializer>('initializer', ROWS);

/** An initializer's name: tfjs camelCase ('glorotUniform'), Keras snake_case ('glorot_uniform') or an alias ('xavierUniform'). */
export type InitializerName = NameOf<(typeof ROWS)[number]>;

/** An initializer given by name or as an object from df.initializers. */
export function resolveInitializer(spec: unknown): Initializer {
  if (spec && typeof spec === 'object' && typeof (spec as Initializer).fill === 'function') return spec as Initializer;
  return initializers.get(spec);
}
