// The float64 oracle of the property suite: the forward pass of any stack of Dense, Activation and
// Dropout layers (identity at inference), from the layers' own configuration and the model's weights,
// with test/ref/activations.ts's definitions. predict() is checked against it after every call.
import type * as df from '../../src/index.js';
import { ACT_SOFTMAX } from '../../src/shared/ids.js';
import { ACTIVATIONS, softmaxRef } from '../ref/activations.js';
import { refLoss } from '../ref/losses.js';

function activate(id: number, alpha: number, rows: number, cols: number, z: Float64Array<ArrayBufferLike>): Float64Array<ArrayBufferLike> {
  if (id === ACT_SOFTMAX) return softmaxRef(z, rows, cols);
  const a = ACTIVATIONS[id];
  return z.map((v) => a.f(v, alpha));
}

/** The model's predictions for `rows` rows of x, in float64. */
export function referencePredict(model: df.Sequential, weights: readonly ArrayLike<number>[], x: ArrayLike<number>, rows: number): Float64Array {
  let input: Float64Array<ArrayBufferLike> = Float64Array.from(x);
  let width = input.length / rows;
  let w = 0;
  for (const layer of model.layers) {
    if (layer instanceof Object && layer.className === 'Dense') {
      const dense = layer as df.Dense;
      const kernel = weights[w++];
      const bias = dense.useBias ? weights[w++] : undefined;
      const units = dense.units;
      const z = new Float64Array(rows * units);
      for (let r = 0; r < rows; r++) {
        for (let j = 0; j < units; j++) {
          let s = bias ? bias[j] : 0;
          for (let k = 0; k < width; k++) s += input[r * width + k] * kernel[k * units + j];
          z[r * units + j] = s;
        }
      }
      input = activate(dense.activation.id, dense.activation.alpha ?? 0, rows, units, z);
      width = units;
    } else if (layer.className === 'Activation') {
      const act = (layer as df.Activation).activation;
      input = activate(act.id, act.alpha ?? 0, rows, width, input);
    }
    // Dropout: the identity at inference.
  }
  return input;
}

/**
 * Whether f32 predictions agree with the float64 ones: each within 1e-3 of the reference, relative to
 * max(1, |reference|), the scale of rounding through a few small layers. Where the reference is not
 * finite (a diverged model), the prediction must not be finite either.
 */
export function agrees(got: ArrayLike<number>, want: Float64Array): { ok: boolean; at: number } {
  for (let i = 0; i < want.length; i++) {
    const [g, r] = [got[i], want[i]];
    if (!Number.isFinite(r) || Math.abs(r) > 1e30) {
      if (Number.isFinite(g) && Math.abs(g) < 1e30) return { ok: false, at: i };
      continue;
    }
    if (!(Math.abs(g - r) <= 1e-3 * Math.max(1, Math.abs(r)))) return { ok: false, at: i };
  }
  return { ok: true, at: -1 };
}

/** Activations smooth enough for central differences (no kink where a derivative jumps). */
const SMOOTH = new Set(['linear', 'sigmoid', 'tanh', 'softplus', 'gelu', 'swish', 'mish', 'softsign', 'softmax', 'elu']);

/**
 * Whether the float64 gradient check applies: only smooth activations, no dropout that drops, and a
 * smooth loss without clipping (mse, huber).
 */
export function gradientCheckable(model: df.Sequential): boolean {
  if (!['meanSquaredError', 'huber'].includes(model.lossRow?.name ?? '')) return false;
  return model.layers.every((l) => (l.className === 'Dropout' ? (l as df.Dropout).rate === 0 : SMOOTH.has((l as df.Dense | df.Activation).activation.name)));
}

/** d loss / d weight by central differences in float64, for every weight. */
export function referenceGradients(model: df.Sequential, weights: readonly Float32Array[], x: ArrayLike<number>, y: ArrayLike<number>, rows: number, h = 1e-5): Float64Array[] {
  const ws = weights.map((w) => Float64Array.from(w));
  const units = model.outputUnits;
  const id = model.lossRow!.id;
  const loss = () => refLoss(id, rows, units, referencePredict(model, ws as unknown as Float32Array[], x, rows), y, model.lossRow!.delta ?? 1);
  return ws.map((w) =>
    w.map((w0, i) => {
      w[i] = w0 + h;
      const up = loss();
      w[i] = w0 - h;
      const down = loss();
      w[i] = w0;
      return (up - down) / (2 * h);
    }),
  );
}
