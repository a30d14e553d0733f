// Feature scalers fitted on training data only: standardize (zero mean, unit variance) and minMax
// (to a range). Statistics are float64, JSON-serializable (e.g. into a saved model's
// userDefinedMetadata), and transform refuses data of another width.

import type { Input } from '../tensor.js';
import { readRows, shaped, type Shaped } from './matrix.js';
import { checkOptions, type OptionSpec } from '../options.js';

/** A fitted standardize scaler as JSON. */
export interface StandardizeJSON {
  /** Always 'standardize'. */
  type: 'standardize';
  /** Each column's training mean. */
  mean: number[];
  /** Population standard deviation per column; a constant column stores 1 (so it maps to 0). */
  std: number[];
}

/** A fitted minMax scaler as JSON. */
export interface MinMaxJSON {
  /** Always 'minMax'. */
  type: 'minMax';
  /** Each column's training minimum. */
  min: number[];
  /** Each column's training maximum. */
  max: number[];
  /** The output range. */
  range: [number, number];
}

/** A fitted scaler as JSON: standardize's or minMax's statistics. */
export type ScalerJSON = StandardizeJSON | MinMaxJSON;

/** What both scalers share. */
export interface Scaler {
  /** Whether `fit` has run. */
  readonly fitted: boolean;
  /** Number of columns it was fitted on. */
  readonly width: number;
  /** Learns the columns' statistics from x; returns the scaler. */
  fit(x: Input): this;
  /** Scales x with the fitted statistics (x must have the fitted width). */
  transform(x: Input): Shaped;
  /** `fit(x)`, then `transform(x)`. */
  fitTransform(x: Input): Shaped;
  /** Maps scaled values back to the original units. */
  inverseTransform(x: Input): Shaped;
  /** The fitted statistics as JSON, for `scalerFromJSON`. */
  toJSON(): ScalerJSON;
}

abstract class ColumnScaler implements Scaler {
  /** Per column: value ↦ (value − shift) · factor. */
  protected shift?: Float64Array;
  protected factor?: Float64Array;
  protected abstract readonly label: string;

  get fitted(): boolean {
    return this.shift !== undefined;
  }

  get width(): number {
    return this.shift?.length ?? 0;
  }

  abstract fit(x: Input): this;
  abstract toJSON(): ScalerJSON;

  fitTransform(x: Input): Shaped {
    return this.fit(x).transform(x);
  }

  transform(x: Input): Shaped {
    return this.apply(x, 'transform', (v, c) => (v - this.shift![c]) * this.factor![c]);
  }

  inverseTransform(x: Input): Shaped {
    return this.apply(x, 'inverseTransform', (v, c) => v / this.factor![c] + this.shift![c]);
  }

  protected columns(x: Input, what: string): { data: Float32Array; rows: number; cols: number; rank: 1 | 2 } {
    const { m, rank } = readRows(x, `${this.label}.${what}: x`);
    return { ...m, rank };
  }

  private apply(x: Input, what: string, f: (v: number, c: number) => number): Shaped {
    if (!this.fitted) throw new Error(`${this.label}.${what}: the scaler is not fitted; call fit(xTrain) first`);
    const { data, rows, cols, rank } = this.columns(x, what);
    if (cols !== this.width) {
      throw new Error(`${this.label}.${what}: the scaler was fitted on ${this.width} column${this.width === 1 ? '' : 's'}, but x has ${cols}`);
    }
    const out = new Float32Array(data.length);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out[r * cols + c] = f(data[r * cols + c], c);
    return shaped(out, rows, cols, rank);
  }
}

/** Standardizes each column to zero mean and unit (population) variance, like scikit-learn's StandardScaler. */
export class StandardScaler extends ColumnScaler {
  protected readonly label = 'standardize';

  /** Per-column means (a copy). */
  get mean(): Float64Array {
    return (this.shift ?? new Float64Array()).slice();
  }

  /** Per-column standard deviations (1 for a constant column). */
  get std(): Float64Array {
    return Float64Array.from(this.factor ?? [], (f) => 1 / f);
  }

  /** Learns each column's mean and standard deviation from x (the training rows only). */
  fit(x: Input): this {
    const { data, rows, cols } = this.columns(x, 'fit');
    const mean = new Float64Array(cols);
    const std = new Float64Array(cols);
    for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) mean[c] += data[r * cols + c];
    for (let c = 0; c < cols; c++) mean[c] /= rows;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const d = data[r * cols + c] - mean[c];
        std[c] += d * d;
      }
    }
    for (let c = 0; c < cols; c++) {
      const s = Math.sqrt(std[c] / rows);
      std[c] = s > 0 ? s : 1;
    }
    this.set(mean, std);
    return this;
  }

  /** The fitted statistics as JSON, for `scalerFromJSON` (e.g. in a saved model's metadata). */
  toJSON(): StandardizeJSON {
    if (!this.fitted) throw new Error('standardize.toJSON: the scaler is not fitted');
    return { type: 'standardize', mean: Array.from(this.mean), std: Array.from(this.std) };
  }

  static fromJSON(json: StandardizeJSON): StandardScaler {
    if (json === null || typeof json !== 'object' || json.type !== 'standardize') throw new Error(`StandardScaler.fromJSON needs { type: 'standardize', mean, std }, got ${describe(json)}`);
    const mean = numbers(json.mean, 'standardize JSON mean');
    const std = numbers(json.std, 'standardize JSON std');
    if (mean.length !== std.length) throw new Error(`standardize JSON: mean has ${mean.length} values, std has ${std.length}`);
    std.forEach((s, c) => {
      if (!(s > 0)) throw new Error(`standardize JSON: std[${c}] is ${s}; it must be positive`);
    });
    const s = new StandardScaler();
    s.set(mean, std);
    return s;
  }

  private set(mean: Float64Array, std: Float64Array): void {
    this.shift = mean;
    this.factor = Float64Array.from(std, (v) => 1 / v);
  }
}

/** Options of `df.data.minMax(options)`. */
export interface MinMaxOptions {
  /** The output range (default [0, 1]). */
  range?: [number, number];
}

const MIN_MAX_OPTIONS: OptionSpec<MinMaxOptions> = {
  known: { range: true },
  unsupported: { featureRange: { instead: 'use range: [low, high]' } },
};

/** Scales each column linearly so the training minimum ↦ range[0] and maximum ↦ range[1] (scikit-learn's MinMaxScaler). */
export class MinMaxScaler extends ColumnScaler {
  protected readonly label = 'minMax';
  /** The output range the training minimum and maximum map to. */
  readonly range: [number, number];
  private lo?: Float64Array;
  private hi?: Float64Array;

  constructor(given?: MinMaxOptions) {
    super();
    const options = checkOptions('minMax', given, MIN_MAX_OPTIONS);
    const range = options.range ?? [0, 1];
    if (!Array.isArray(range) || range.length !== 2 || !range.every(Number.isFinite) || !(range[0] < range[1])) {
      throw new Error(`minMax: range must be [low, high] with low < high, got ${JSON.stringify(range)}`);
    }
    this.range = [range[0], range[1]];
  }

  /** Per-column training minima (a copy). */
  get min(): Float64Array {
    return (this.lo ?? new Float64Array()).slice();
  }

  /** Per-column training maxima (a copy). */
  get max(): Float64Array {
    return (this.hi ?? new Float64Array()).slice();
  }

  /** Learns each column's minimum and maximum from x (the training rows only). */
  fit(x: Input): this {
    const { data, rows, cols } = this.columns(x, 'fit');
    const lo = new Float64Array(cols).fill(Infinity);
    const hi = new Float64Array(cols).fill(-Infinity);
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const v = data[r * cols + c];
        if (v < lo[c]) lo[c] = v;
        if (v > hi[c]) hi[c] = v;
      }
    }
    this.set(lo, hi);
    return this;
  }

  /** The fitted minimums, maximums and range as JSON, for `scalerFromJSON`. */
  toJSON(): MinMaxJSON {
    if (!this.fitted) throw new Error('minMax.toJSON: the scaler is not fitted');
    return { type: 'minMax', min: Array.from(this.lo!), max: Array.from(this.hi!), range: [...this.range] };
  }

  static fromJSON(json: MinMaxJSON): MinMaxScaler {
    if (json === null || typeof json !== 'object' || json.type !== 'minMax') throw new Error(`MinMaxScaler.fromJSON needs { type: 'minMax', min, max, range }, got ${describe(json)}`);
    const lo = numbers(json.min, 'minMax JSON min');
    const hi = numbers(json.max, 'minMax JSON max');
    if (lo.length !== hi.length) throw new Error(`minMax JSON: min has ${lo.length} values, max has ${hi.length}`);
    lo.forEach((v, c) => {
      if (v > hi[c]) throw new Error(`minMax JSON: min[${c}] = ${v} is above max[${c}] = ${hi[c]}`);
    });
    const s = new MinMaxScaler({ range: json.range });
    s.set(lo, hi);
    return s;
  }

  private set(lo: Float64Array, hi: Float64Array): void {
    const [a, b] = this.range;
    this.lo = lo;
    this.hi = hi;
    // x' = (x − min) · (b − a)/(max − min) + a  ⇔  (x − shift) · factor with shift = min − a/factor.
    this.factor = Float64Array.from(lo, (l, c) => (b - a) / (hi[c] - l > 0 ? hi[c] - l : 1));
    this.shift = Float64Array.from(lo, (l, c) => l - a / this.factor![c]);
  }
}

/** A scaler to zero mean and unit variance: `standardize().fit(xTrain)`, then `transform(xTest)`. */
export function standardize(): StandardScaler {
  return new StandardScaler();
}

/** A scaler to [0, 1] (or `range`): `minMax().fit(xTrain)`, then `transform(xTest)`. */
export function minMax(options?: MinMaxOptions): MinMaxScaler {
  return new MinMaxScaler(options);
}

/** Rebuilds either scaler from its toJSON() output. */
export function scalerFromJSON(json: ScalerJSON): StandardScaler | MinMaxScaler {
  if (json?.type === 'standardize') return StandardScaler.fromJSON(json);
  if (json?.type === 'minMax') return MinMaxScaler.fromJSON(json);
  throw new Error(`scalerFromJSON: unknown scaler ${describe(json)}; expected type 'standardize' or 'minMax'`);
}

function numbers(v: unknown, what: string): Float64Array {
  if (!Array.isArray(v) || v.length === 0) throw new Error(`${what} must be a non-empty array of numbers`);
  v.forEach((x, i) => {
    if (typeof x !== 'number' || !Number.isFinite(x)) throw new Error(`${what}[${i}] is ${JSON.stringify(x)}, not a finite number`);
  });
  return Float64Array.from(v as number[]);
}

function describe(v: unknown): string {
  try {
    return JSON.stringify(v)?.slice(0, 80) ?? String(v);
  } catch {
    return String(v);
  }
}
