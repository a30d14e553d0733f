// The property suite over generated image models (test/property/images.ts): predict, evaluate,
// computeGradients and one SGD step against the float64 reference, batch norm's moving statistics, the
// error a window that does not fit must raise, and no memory left behind. `npm test` runs a seeded
// share; `npm run fuzz` runs as many as it is given, with a fresh seed (printed, for replay).
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { checkImageModel, imageModelGen, imageStats, type ImageOutcome } from './images.js';

const runs = Number(process.env.DELTAFLOW_FUZZ_IMAGE_RUNS ?? 400);
const seed = process.env.DELTAFLOW_FUZZ_SEED !== undefined ? Number(process.env.DELTAFLOW_FUZZ_SEED) : 20261202;
const outcomes = new Map<ImageOutcome, number>();
let tried = 0;

beforeAll(() => df.ready());

afterAll(() => {
  const by = (k: ImageOutcome) => outcomes.get(k) ?? 0;
  console.log(
    `image property: ${tried} models tried (${by('checked')} checked in full, ${by('dropout')} with dropout (predict only), ${by('refused')} refused (a window does not fit), ${by('kinked')} skipped near a kink; ${imageStats.redrawn} drawn again away from one) (seed ${seed})`,
  );
});

describe('generated image models', () => {
  it(`predict, computeGradients and an SGD step agree with the float64 reference, misfits are refused by name, and no memory is left (${runs} models)`, () => {
    fc.assert(
      fc.property(imageModelGen, (m) => {
        tried++;
        const outcome = checkImageModel(m);
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }),
      { numRuns: runs, seed, endOnFailure: process.env.DELTAFLOW_FUZZ_SHRINK === '0' },
    );
    expect(tried).toBeGreaterThanOrEqual(runs);
  }, Math.max(600_000, runs * 100));
});
