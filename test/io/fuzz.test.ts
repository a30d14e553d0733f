// 10,000 seeded mutations of valid model.json / weights.bin pairs of every layer kind (see fuzz-core.mjs): each loads a
// model that predicts or throws ModelFormatError — no other exception, no case slower than a second,
// no growth of WASM or ArrayBuffer memory beyond a few MiB. `node scripts/fuzz-io.mjs <count> <seed>`
// runs larger campaigns.
import { beforeAll, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { getRuntime } from '../../src/wasm/load.js';
import { runCampaign } from './fuzz-core.mjs';

beforeAll(() => df.ready());

const CASES = 10_000;
const SEED = 20240611;

it(`${CASES} mutated models: each loads and predicts, or is a ModelFormatError`, async () => {
  const memory = () => getRuntime().heap.memoryBytes + process.memoryUsage().arrayBuffers;
  const { counts, failures, slowest, messages } = await runCampaign(df, { seed: SEED, to: CASES, memory, maxGrowth: 64 * 2 ** 20 });
  expect(failures).toEqual([]);
  expect(counts.loaded + counts.rejected).toBe(CASES);
  // The campaign exercises both outcomes and many distinct checks.
  expect(counts.loaded).toBeGreaterThan(CASES / 20);
  expect(counts.rejected).toBeGreaterThan(CASES / 2);
  expect(messages.size).toBeGreaterThan(60);
  expect(slowest).toBeLessThan(1000);
}, 60_000);
