// TensorFlow-Playground-style 2-D data sets in [−6, 6]²: label 1 (blue) or 0 (orange).
import { rng } from './rng.js';

/** The plane is [−EXTENT, EXTENT]²; the boundary is sampled on GRID × GRID points. */
export const EXTENT = 6;
export const GRID = 64;

export type DatasetKey = 'xor' | 'circles' | 'spirals' | 'gaussians' | 'custom';
export const datasetKeys: DatasetKey[] = ['xor', 'circles', 'spirals', 'gaussians', 'custom'];

export interface Point {
  x: number;
  y: number;
  label: 0 | 1;
}

export function generate(key: Exclude<DatasetKey, 'custom'>, n: number, noise: number, seed = 1): Point[] {
  const d = rng(seed);
  const u = (a: number, b: number) => a + (b - a) * d.next();
  const pts: Point[] = [];
  if (key === 'xor') {
    for (let i = 0; i < n; i++) {
      let x = u(-5, 5);
      let y = u(-5, 5);
      x += x > 0 ? 0.3 : -0.3;
      y += y > 0 ? 0.3 : -0.3;
      pts.push({ x: x + noise * 5 * d.normal() * 0.3, y: y + noise * 5 * d.normal() * 0.3, label: x * y >= 0 ? 1 : 0 });
    }
  } else if (key === 'circles') {
    for (let i = 0; i < n; i++) {
      const inner = i % 2 === 0;
      const r = inner ? u(0, 2.5) : u(3.5, 5);
      const a = u(0, 2 * Math.PI);
      pts.push({ x: r * Math.sin(a) + noise * 1.5 * d.normal(), y: r * Math.cos(a) + noise * 1.5 * d.normal(), label: inner ? 1 : 0 });
    }
  } else if (key === 'spirals') {
    const half = Math.floor(n / 2);
    for (const [delta, label] of [[0, 1], [Math.PI, 0]] as const) {
      for (let i = 0; i < half; i++) {
        const r = (i / half) * 5;
        const t = (1.75 * i * 2 * Math.PI) / half + delta;
        pts.push({ x: r * Math.sin(t) + noise * d.normal() * 0.8, y: r * Math.cos(t) + noise * d.normal() * 0.8, label });
      }
    }
  } else {
    for (let i = 0; i < n; i++) {
      const label = i % 2 === 0 ? 1 : 0;
      const c = label ? 2 : -2;
      const s = 0.5 + noise * 3;
      pts.push({ x: c + s * d.normal(), y: c + s * d.normal(), label });
    }
  }
  // Shuffle, so that any split is mixed.
  for (let i = pts.length - 1; i > 0; i--) {
    const j = Math.floor(d.next() * (i + 1));
    [pts[i], pts[j]] = [pts[j], pts[i]];
  }
  return pts;
}

/** The points as deltaflow inputs: x [n, 2] and y [n, 1] flat arrays. */
export function toArrays(pts: Point[]): { x: Float32Array; y: Float32Array } {
  const x = new Float32Array(pts.length * 2);
  const y = new Float32Array(pts.length);
  pts.forEach((p, i) => {
    x[2 * i] = p.x;
    x[2 * i + 1] = p.y;
    y[i] = p.label;
  });
  return { x, y };
}
