// The resizing kernels f32_upsample / f32_zeropad and their backward passes against the float64 reference in
// ref/resize.ts, table-driven over image sizes, channel counts (every SIMD tail), factors, paddings and rows:
// forwards exact, backwards against the reference, the reference against finite differences, and the
// adjoint identity ⟨f(x), dy⟩ = ⟨x, f_bwd(dy)⟩ on the kernels themselves.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../../src/wasm/load.js';
import { get, put, runtime } from '../helpers/kernels.js';
import { rng, uniform } from '../helpers/random.js';
import {
  type Geometry,
  geometryWords,
  inSize,
  outSize,
  upsampleBwdRef,
  upsampleGeometry,
  upsampleRef,
  zeropadBwdRef,
  zeropadGeometry,
  zeropadRef,
} from '../ref/resize.js';

let rt: Runtime;
beforeAll(async () => {
  rt = await runtime();
});

const IMAGES: [number, number][] = [
  [1, 1],
  [5, 7],
  [28, 28],
];
const CHANNELS = [1, 3, 4, 5, 17, 64];
const ROWS = [1, 3];
const FACTORS: [number, number][] = [
  [1, 1],
  [2, 2],
  [2, 3],
  [3, 1],
];
const PADS: [number, number, number, number][] = [
  [0, 0, 0, 0],
  [1, 1, 1, 1],
  [2, 0, 1, 3],
];

type Kind = 'upsample' | 'zeropad';
interface Case {
  kind: Kind;
  g: Geometry;
  rows: number;
  name: string;
}

const CASES: Case[] = [];
for (const [h, w] of IMAGES)
  for (const c of CHANNELS)
    for (const rows of ROWS) {
      for (const [sh, sw] of FACTORS)
        CASES.push({ kind: 'upsample', g: upsampleGeometry(h, w, c, sh, sw), rows, name: `upsample ${h}×${w}×${c} by ${sh}×${sw}, ${rows} rows` });
      for (const [pt, pl, pb, pr] of PADS)
        CASES.push({ kind: 'zeropad', g: zeropadGeometry(h, w, c, pt, pl, pb, pr), rows, name: `zeropad ${h}×${w}×${c} by ${pt},${pl},${pb},${pr}, ${rows} rows` });
    }

const FWD_REF = { upsample: upsampleRef, zeropad: zeropadRef };
const BWD_REF = { upsample: upsampleBwdRef, zeropad: zeropadBwdRef };

/** Runs a kernel on `input` (rows·inLen floats) into a NaN-filled output of rows·outLen floats. */
function call(name: 'f32_upsample' | 'f32_upsample_bwd' | 'f32_zeropad' | 'f32_zeropad_bwd', g: Geometry, rows: number, input: Float32Array, outLen: number): Float32Array {
  const pg = rt.heap.alloc(64);
  const pin = put(rt, input);
  const pout = put(rt, new Float32Array(outLen).fill(NaN));
  try {
    rt.heap.i32(pg, 16).set(geometryWords(g));
    rt.kernels[name](pg, rows, pin, pout);
    return get(rt, pout, outLen);
  } finally {
    rt.heap.free(pg);
    rt.heap.free(pin);
    rt.heap.free(pout);
  }
}

const forward = (c: Case, x: Float32Array) =>
  call(c.kind === 'upsample' ? 'f32_upsample' : 'f32_zeropad', c.g, c.rows, x, c.rows * outSize(c.g));
const backward = (c: Case, dy: Float32Array) =>
  call(c.kind === 'upsample' ? 'f32_upsample_bwd' : 'f32_zeropad_bwd', c.g, c.rows, dy, c.rows * inSize(c.g));

function expectExact(got: ArrayLike<number>, want: ArrayLike<number>, what: string) {
  expect(got.length, what).toBe(want.length);
  for (let i = 0; i < want.length; i++) if (!Object.is(got[i], want[i])) expect(got[i], `${what} [${i}]`).toBe(want[i]);
}

const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};
const absDot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i] * b[i]);
  return s;
};

describe('f32_upsample / f32_zeropad', () => {
  it.each(CASES.map((c, i) => [c.name, c, i] as const))('%s: forward exact, backward and adjoint', (_, c, i) => {
    const x = uniform(rng(1000 + i), c.rows * inSize(c.g), -4, 4);
    const dy = uniform(rng(2000 + i), c.rows * outSize(c.g), -4, 4);

    // Forward only moves floats: bit-exact, and every output element written (the output starts as NaN).
    const y = forward(c, x);
    expectExact(y, FWD_REF[c.kind](c.g, c.rows, x), 'y');

    // Backward: zero padding's crop is exact; upsampling sums SH·SW f32 terms, within a few ulps of Σ|terms|.
    const dx = backward(c, dy);
    const want = BWD_REF[c.kind](c.g, c.rows, dy);
    if (c.kind === 'zeropad' || (c.g.sh === 1 && c.g.sw === 1)) {
      expectExact(dx, want, 'dx');
    } else {
      const scale = upsampleBwdRef(c.g, c.rows, dy.map(Math.abs));
      for (let k = 0; k < want.length; k++) {
        if (!(Math.abs(dx[k] - want[k]) <= 1e-6 * scale[k])) expect(dx[k], `dx[${k}]`).toBe(want[k]);
      }
    }

    // Adjoint identity on the kernels: ⟨f(x), dy⟩ = ⟨x, f_bwd(dy)⟩.
    const lhs = dot(y, dy);
    const rhs = dot(x, dx);
    expect(Math.abs(lhs - rhs), `⟨y, dy⟩ ${lhs} vs ⟨x, dx⟩ ${rhs}`).toBeLessThanOrEqual(1e-6 * absDot(y, dy));
  });

  it('the backward of upsampling sums each block in a fixed order (block rows, then columns, in f32)', () => {
    const g = upsampleGeometry(2, 3, 5, 3, 2);
    const dy = uniform(rng(7), outSize(g), -1e4, 1e4);
    for (let k = 0; k < dy.length; k += 3) dy[k] *= 1e-6; // mixed magnitudes: the order shows in the rounding
    const dx = backward({ kind: 'upsample', g, rows: 1, name: '' }, dy);
    const want = new Float32Array(inSize(g));
    for (let iy = 0; iy < g.h; iy++)
      for (let ix = 0; ix < g.w; ix++)
        for (let k = 0; k < g.c; k++) {
          let acc = 0;
          for (let a = 0; a < g.sh!; a++)
            for (let b = 0; b < g.sw!; b++) acc = Math.fround(acc + dy[((iy * g.sh! + a) * g.ow + ix * g.sw! + b) * g.c + k]);
          want[(iy * g.w + ix) * g.c + k] = acc;
        }
    expectExact(dx, want, 'dx');
  });
});

describe('reference (float64)', () => {
  // The forwards are linear, so the central differences of Σ y·r are exact up to roundoff.
  const SMALL = CASES.filter((c) => c.rows * inSize(c.g) <= 400);
  it.each(SMALL.map((c, i) => [c.name, c, i] as const))('%s: backward matches finite differences of Σ y·r', (_, c, i) => {
    const x = Array.from(uniform(rng(3000 + i), c.rows * inSize(c.g)));
    const r = uniform(rng(4000 + i), c.rows * outSize(c.g));
    const f = FWD_REF[c.kind];
    const grad = BWD_REF[c.kind](c.g, c.rows, r);
    const h = 1e-3;
    for (let k = 0; k < x.length; k++) {
      const x0 = x[k];
      x[k] = x0 + h;
      const up = dot(f(c.g, c.rows, x), r);
      x[k] = x0 - h;
      const down = dot(f(c.g, c.rows, x), r);
      x[k] = x0;
      const fd = (up - down) / (2 * h);
      expect(Math.abs(fd - grad[k]), `d/dx[${k}]: fd ${fd} vs ${grad[k]}`).toBeLessThanOrEqual(1e-9 * Math.max(1, absDot(r, r)));
    }
  });
});
