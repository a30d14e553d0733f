// The Node entry registers worker_threads (importing parentPort as node:worker_threads) and the core
// count, so setThreads starts real workers from it, with the same bits as one thread.
import { afterAll, describe, expect, it } from 'vitest';
import * as df from '../../src/entries/node.js';

const xor = { x: [[0, 0], [0, 1], [1, 0], [1, 1]], y: [[0], [1], [1], [0]] };
async function trainedBits(): Promise<number[]> {
  const m = df.sequential({ seed: 3, layers: [df.layers.dense({ units: 16, activation: 'relu', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  await m.fit(xor.x, xor.y, { epochs: 20, batchSize: 4, verbose: 0 });
  return m.getWeights().flatMap((w) => Array.from(new Uint32Array(w.dataSync().buffer)));
}

afterAll(async () => {
  await df.setThreads(1);
});

describe('Node entry threads', () => {
  it('registers worker_threads with a node: preamble and the core count', () => {
    const threads = df.nodePlatform()?.threads;
    expect(threads?.preamble).toBe("import { parentPort } from 'node:worker_threads';");
    expect(threads?.cores()).toBeGreaterThanOrEqual(1);
  });

  it("setThreads(2) starts a worker, 'auto' one per core, and training keeps its bits", async () => {
    await df.ready();
    const one = await trainedBits();
    expect(await df.setThreads(2)).toBe(2);
    expect(df.getThreads()).toBe(2);
    expect(await trainedBits()).toEqual(one);
    expect(await df.setThreads('auto')).toBe(df.nodePlatform()!.threads!.cores());
  });
});
