// f32_find_nonfinite: the first NaN or ±Infinity wherever it sits (SIMD blocks, their edges, the tail),
// never a finite extreme (±max float, subnormals, −0), never past n; and the facade's check built on it.
import { describe, it, expect, beforeAll } from 'vitest';
import type { Runtime } from '../../src/wasm/load.js';
import { runtime, put } from '../helpers/kernels.js';
import { firstNonFinite } from '../../src/wasm/check.js';
import * as df from '../../src/index.js';

const SIZES = [0, 1, 3, 15, 16, 17, 31, 32, 33, 100, 1024, 5000];
const BAD = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY];
const EXTREMES = [3.4028234663852886e38, -3.4028234663852886e38, 1.4e-45, -1.4e-45, 1.1754942e-38, -0, 0];

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
});

/** The kernel on `data`, with a NaN just past its end that it must not see. */
function find(data: Float32Array): number {
  const ptr = put(rt, data.length + 4);
  rt.heap.writeF32(ptr, data);
  rt.heap.f32(ptr + 4 * data.length, 4).fill(Number.NaN);
  const at = rt.kernels.f32_find_nonfinite(ptr, data.length);
  rt.heap.free(ptr);
  return at;
}

describe('f32_find_nonfinite', () => {
  it.each(SIZES)('n = %i: −1 on finite values, extremes included', (n) => {
    const data = new Float32Array(n).map((_, i) => EXTREMES[i % EXTREMES.length] * (i % 2 ? 1 : 0.5));
    expect(find(data)).toBe(-1);
  });

  it.each(SIZES.filter((n) => n > 0))('n = %i: the first bad value, at every position class', (n) => {
    const positions = [...new Set([0, n - 1, n >> 1, 15, 16, 17, n - 17, n - 16].filter((p) => p >= 0 && p < n))];
    for (const p of positions) {
      for (const bad of BAD) {
        const data = new Float32Array(n).fill(0.5);
        data[p] = bad;
        if (p + 3 < n) data[p + 3] = Number.NaN; // a later one must not win
        expect(find(data), `${bad} at ${p}`).toBe(p);
      }
    }
  });
});

describe('firstNonFinite (chunks through WASM memory)', () => {
  it('finds values past the first chunk, and agrees with a JavaScript scan', () => {
    const data = new Float32Array(200_000).map((_, i) => Math.sin(i));
    expect(firstNonFinite(data)).toBe(-1);
    for (const p of [0, 65_535, 65_536, 65_537, 199_999]) {
      const copy = data.slice();
      copy[p] = Number.POSITIVE_INFINITY;
      copy[199_999] = Number.NaN;
      expect(firstNonFinite(copy)).toBe(p);
    }
  });

  it('names the row and column of a bad value in a big input, and trains nothing', async () => {
    const rows = 2000;
    const x = new Float32Array(rows * 8).map((_, i) => (i % 7) / 7);
    x[1234 * 8 + 5] = Number.NaN;
    const m = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 1, inputShape: [8] })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const before = m.getWeights().map((w) => Array.from(w.dataSync()));
    await expect(m.fit({ data: x, shape: [rows, 8] }, { data: new Float32Array(rows), shape: [rows, 1] }, { verbose: 0 })).rejects.toThrow(/x\[1234\]\[5\] is NaN/);
    expect(m.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
  });
});
