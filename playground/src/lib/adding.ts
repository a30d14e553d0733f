// The adding problem (Hochreiter & Schmidhuber 1997), a task that needs memory: each step of a sequence
// holds (a number in [0, 1), a marker 0 or 1); two steps are marked, one in each half, and the target is
// the sum of the two marked numbers. Seeded, so every run of the panel draws the same sequences.
import { rng } from './rng.js';

export interface Sequences {
  /** [rows, steps, 2] row-major: number, marker. */
  x: Float32Array;
  /** [rows]: the sum of the two marked numbers. */
  y: Float32Array;
  rows: number;
  steps: number;
}

export function addingProblem(rows: number, steps: number, seed: number): Sequences {
  const next = rng(seed).next;
  const x = new Float32Array(rows * steps * 2);
  const y = new Float32Array(rows);
  const half = Math.floor(steps / 2);
  for (let r = 0; r < rows; r++) {
    const row = r * steps * 2;
    for (let t = 0; t < steps; t++) x[row + 2 * t] = next();
    const first = Math.floor(next() * half);
    const second = half + Math.floor(next() * (steps - half));
    x[row + 2 * first + 1] = 1;
    x[row + 2 * second + 1] = 1;
    y[r] = x[row + 2 * first] + x[row + 2 * second];
  }
  return { x, y, rows, steps };
}
