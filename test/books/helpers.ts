// The book's data files ("모두의 딥러닝") at ../shared/datasets next to the repository, and its Dense
// stacks with Keras defaults (glorot_uniform kernels, zero biases). Tests skip when a file is absent,
// except under CI (CI=true), where the folder is always there: a missing file is a failure, never a skip.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as df from '../../src/index.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
export const datasets = path.resolve(repoRoot, '../shared/datasets');
export const file = (name: string) => path.join(datasets, name);
export function has(name: string): boolean {
  if (existsSync(file(name))) return true;
  if (process.env.CI === 'true' || process.env.CI === '1') throw new Error(`${file(name)} is missing: under CI the book tests run on ../shared/datasets, which must be there`);
  return false;
}

/** stack(7, 8, [12, 'relu'], [8, 'relu'], [1, 'sigmoid']): a seeded Sequential of Dense layers. */
export function stack(seed: number, inputs: number, ...layers: [number, string?][]): df.Sequential {
  return df.sequential({
    seed,
    layers: layers.map(([units, activation], i) => df.layers.dense({ units, activation, ...(i === 0 ? { inputShape: [inputs] } : {}) })),
  });
}

/** Runs `body` twice and checks it gives the same number both times (seeded = deterministic). */
export async function twice(body: () => Promise<number>): Promise<number> {
  const a = await body();
  const b = await body();
  if (a !== b) throw new Error(`not deterministic: ${a} then ${b}`);
  return a;
}
