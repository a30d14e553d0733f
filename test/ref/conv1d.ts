// Float64 reference for the 1-D layers, written from Keras's definitions over sequences [steps, channels]
// (not over the 2-D geometry the layers are planned with): convolution with 'valid', TensorFlow's 'same'
// split and Keras's 'causal' left padding; max/average pooling over the taps inside the sequence; the
// global pools; flatten and dense; the mean squared error, for finite differences of the whole net.

export type Act = 'linear' | 'relu' | 'tanh' | 'sigmoid';

export type Spec1D =
  | { kind: 'conv1d'; filters: number; kernel: number; strides?: number; dilation?: number; padding?: 'valid' | 'same' | 'causal'; activation?: Act; useBias?: boolean }
  | { kind: 'maxPooling1d' | 'averagePooling1d'; pool: number; strides?: number; padding?: 'valid' | 'same' }
  | { kind: 'globalMaxPooling1d' | 'globalAveragePooling1d' }
  | { kind: 'flatten' }
  | { kind: 'dense'; units: number; activation?: Act };

/** Steps out and zeros before the sequence, as Keras computes them for one axis. */
export function axis1d(n: number, k: number, s: number, d: number, padding: 'valid' | 'same' | 'causal'): { out: number; before: number } {
  const span = (k - 1) * d + 1;
  if (padding === 'valid') return { out: Math.floor((n - span) / s) + 1, before: 0 };
  if (padding === 'causal') return { out: Math.floor((n + span - 1 - span) / s) + 1, before: span - 1 };
  const out = Math.ceil(n / s);
  const total = Math.max((out - 1) * s + span - n, 0);
  return { out, before: Math.floor(total / 2) };
}

const act = (a: Act | undefined, z: number) => (a === 'relu' ? Math.max(z, 0) : a === 'tanh' ? Math.tanh(z) : a === 'sigmoid' ? 1 / (1 + Math.exp(-z)) : z);

/** The weights a spec owns, in Keras's order and shapes, for rows of `shape`; and its output shape. */
export function shapes1d(specs: Spec1D[], inShape: number[]): { weights: number[][]; out: number[] } {
  const weights: number[][] = [];
  let shape = inShape;
  for (const s of specs) {
    if (s.kind === 'conv1d') {
      weights.push([s.kernel, shape[1], s.filters]);
      if (s.useBias ?? true) weights.push([s.filters]);
      shape = [axis1d(shape[0], s.kernel, s.strides ?? 1, s.dilation ?? 1, s.padding ?? 'valid').out, s.filters];
    } else if (s.kind === 'maxPooling1d' || s.kind === 'averagePooling1d') {
      shape = [axis1d(shape[0], s.pool, s.strides ?? s.pool, 1, s.padding ?? 'valid').out, shape[1]];
    } else if (s.kind === 'dense') {
      weights.push([shape[shape.length - 1], s.units], [s.units]);
      shape = [...shape.slice(0, -1), s.units];
    } else shape = s.kind === 'flatten' ? [shape.reduce((a, b) => a * b, 1)] : [shape[1]];
  }
  return { weights, out: shape };
}

/** One row through the net: x is [steps·channels] (or the flat width), weights as shapes1d lists them. */
export function forward1d(specs: Spec1D[], inShape: number[], weights: ArrayLike<number>[], x: ArrayLike<number>): Float64Array {
  let y = Float64Array.from(x);
  let shape = inShape;
  let wi = 0;
  for (const s of specs) {
    if (s.kind === 'conv1d') {
      const [n, c] = shape;
      const k = s.kernel, st = s.strides ?? 1, d = s.dilation ?? 1;
      const { out, before } = axis1d(n, k, st, d, s.padding ?? 'valid');
      const w = weights[wi++];
      const b = (s.useBias ?? true) ? weights[wi++] : undefined;
      const z = new Float64Array(out * s.filters);
      for (let t = 0; t < out; t++)
        for (let f = 0; f < s.filters; f++) {
          let sum = b ? b[f] : 0;
          for (let j = 0; j < k; j++) {
            const i = t * st - before + j * d;
            if (i < 0 || i >= n) continue;
            for (let ch = 0; ch < c; ch++) sum += y[i * c + ch] * w[(j * c + ch) * s.filters + f];
          }
          z[t * s.filters + f] = act(s.activation, sum);
        }
      y = z;
      shape = [out, s.filters];
    } else if (s.kind === 'maxPooling1d' || s.kind === 'averagePooling1d') {
      const [n, c] = shape;
      const st = s.strides ?? s.pool;
      const { out, before } = axis1d(n, s.pool, st, 1, s.padding ?? 'valid');
      const z = new Float64Array(out * c);
      for (let t = 0; t < out; t++)
        for (let ch = 0; ch < c; ch++) {
          let m = -Infinity, sum = 0, count = 0;
          for (let j = 0; j < s.pool; j++) {
            const i = t * st - before + j;
            if (i < 0 || i >= n) continue;
            m = Math.max(m, y[i * c + ch]);
            sum += y[i * c + ch];
            count++;
          }
          z[t * c + ch] = s.kind === 'maxPooling1d' ? m : sum / count;
        }
      y = z;
      shape = [out, c];
    } else if (s.kind === 'globalMaxPooling1d' || s.kind === 'globalAveragePooling1d') {
      const [n, c] = shape;
      const z = new Float64Array(c).fill(s.kind === 'globalMaxPooling1d' ? -Infinity : 0);
      for (let i = 0; i < n; i++)
        for (let ch = 0; ch < c; ch++) z[ch] = s.kind === 'globalMaxPooling1d' ? Math.max(z[ch], y[i * c + ch]) : z[ch] + y[i * c + ch] / n;
      y = z;
      shape = [c];
    } else if (s.kind === 'flatten') {
      shape = [y.length];
    } else {
      const d = s as Extract<Spec1D, { kind: 'dense' }>;
      const w = weights[wi++], b = weights[wi++];
      const inW = shape[shape.length - 1], lead = y.length / inW;
      const z = new Float64Array(lead * d.units);
      for (let r = 0; r < lead; r++)
        for (let u = 0; u < d.units; u++) {
          let sum = b[u];
          for (let i = 0; i < inW; i++) sum += y[r * inW + i] * w[i * d.units + u];
          z[r * d.units + u] = act(d.activation, sum);
        }
      y = z;
      shape = [...shape.slice(0, -1), d.units];
    }
  }
  return y;
}

/** Mean squared error of the net over `rows` rows, averaged over every output value (Keras's 'mse'). */
export function mse1d(specs: Spec1D[], inShape: number[], weights: ArrayLike<number>[], x: ArrayLike<number>, y: ArrayLike<number>, rows: number): number {
  const inW = x.length / rows, outW = y.length / rows;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const p = forward1d(specs, inShape, weights, Array.prototype.slice.call(x, r * inW, (r + 1) * inW) as number[]);
    for (let i = 0; i < outW; i++) sum += (p[i] - y[r * outW + i]) ** 2;
  }
  return sum / (rows * outW);
}
