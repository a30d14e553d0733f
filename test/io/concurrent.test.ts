// Concurrent file:// saves to one folder: every save completes or says why in words, and the folder
// always loads as exactly one of the saved models (its model.json and weights.bin from the same save,
// never a mix).
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';

let work: string;

// Three models: two of one architecture (a mix of their files would go unnoticed by the shapes, so each
// carries its name in userDefinedMetadata) and one of another.
function models(lib: typeof df) {
  const make = (who: string, seed: number, units: number) => {
    const m = lib.sequential({ seed, layers: [lib.layers.dense({ units, activation: 'tanh', inputShape: [6] }), lib.layers.dense({ units: 3 })] });
    lib.io.setUserDefinedMetadata(m, { who });
    return m;
  };
  return [make('a', 1, 8), make('b', 2, 8), make('c', 3, 40)];
}

beforeAll(async () => {
  await df.ready();
  work = await mkdtemp(join(tmpdir(), 'deltaflow-concurrent-'));
});

afterAll(() => rm(work, { recursive: true, force: true, maxRetries: 5 }));

const raw = (m: df.Sequential) => m.getWeights().map((w) => Buffer.from(w.dataSync().buffer));

/** Which of `saved` the folder loads as: its weights bit for bit and its metadata; else a failure. */
async function loadsAsOne(dir: string, saved: df.Sequential[]): Promise<string> {
  const loaded = await df.loadLayersModel(`file://${dir}`);
  try {
    const got = raw(loaded);
    const match = saved.find((m) => {
      const want = raw(m);
      return want.length === got.length && want.every((b, i) => b.equals(got[i]));
    });
    const files = (await readdir(dir)).join(', ');
    expect(match, `the weights are none of the saved models' (files: ${files})`).toBeDefined();
    const who = (df.io.getUserDefinedMetadata(match!) as { who: string }).who;
    expect(df.io.getUserDefinedMetadata(loaded), `model.json and weights.bin come from different saves (files: ${files})`).toEqual({ who });
    return who;
  } finally {
    loaded.dispose();
  }
}

describe('concurrent saves in one process', () => {
  for (const [count, rounds] of [[2, 40], [3, 30]] as const) {
    it(`${count} saves of different models to one folder, ${rounds} rounds: all complete, the folder loads as one`, async () => {
      const saved = models(df).slice(3 - count);
      const seen = new Map<string, number>();
      for (let r = 0; r < rounds; r++) {
        const dir = join(work, `in-process-${count}-${r}`);
        const results = await Promise.allSettled(saved.map((m) => m.save(`file://${dir}`)));
        for (const res of results) expect(res.status === 'rejected' ? String(res.reason) : 'saved').toBe('saved');
        const who = await loadsAsOne(dir, saved);
        seen.set(who, (seen.get(who) ?? 0) + 1);
        expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
      }
      expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(rounds);
    });
  }
});
