// The property suite: generated models, data and call sequences (fast-check), each call checked as it
// runs and the whole sequence replayed on a fresh model (test/property/runner.ts). `npm test` runs a
// seeded share; `npm run fuzz` runs the same property for as long as it is given, with a fresh seed.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as df from '../../src/index.js';
import { sequenceGen } from './arbitraries.js';
import { checkSequence, tally } from './runner.js';

const runs = Number(process.env.DELTAFLOW_FUZZ_RUNS ?? 2000);
const seed = process.env.DELTAFLOW_FUZZ_SEED !== undefined ? Number(process.env.DELTAFLOW_FUZZ_SEED) : 20261202;
const threads = process.env.DELTAFLOW_FUZZ_THREADS === '1';
let tried = 0;

beforeAll(async () => {
  await df.ready();
  // validationSplit's one-class warning is expected on tiny generated sets.
  vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});

afterAll(() => {
  const calls = [...tally.values()].reduce((a, b) => a + b, 0);
  console.log(`property suite: ${tried} sequences, ${calls} calls tried (seed ${seed}${threads ? ', with setThreads' : ''})`);
  if (process.env.DELTAFLOW_FUZZ_TALLY === '1') console.log([...tally].sort().map(([k, v]) => `  ${k}: ${v}`).join('\n'));
});

describe('generated call sequences', () => {
  it(`every call does what it should, replays bit for bit, and leaves no memory behind (${runs} sequences)`, async () => {
    await fc.assert(
      fc.asyncProperty(sequenceGen(threads), async ({ model, cmds }) => {
        tried++;
        await checkSequence(model, cmds);
      }),
      { numRuns: runs, seed, endOnFailure: process.env.DELTAFLOW_FUZZ_SHRINK === '0' },
    );
    expect(tried).toBeGreaterThanOrEqual(runs);
  }, 600_000);
});
