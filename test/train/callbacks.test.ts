// Keras's callbacks on scripted loss sequences and in real fits.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as df from '../../src/index.js';
import { formatPath } from '../../src/train/callbacks/model-checkpoint.js';

beforeAll(() => df.ready());

/** A stand-in model that records what callbacks do to it. */
function stub(lr = 0.1) {
  let weights: df.Tensor[] = [df.tensor2d([[0]])];
  return {
    stopTraining: false,
    optimizer: df.optimizers.sgd({ learningRate: lr }),
    saved: [] as string[],
    getWeights: () => weights,
    setWeights: (w: df.Tensor[]) => void (weights = w),
    async save(url: string) {
      this.saved.push(url);
    },
  };
}

/** Drives a callback through epochs with scripted logs, as fit would; returns the epoch it stopped after. */
async function drive(cb: df.Callback, model: ReturnType<typeof stub>, series: Record<string, number>[], onEpoch?: (e: number) => void): Promise<number> {
  cb.setModel?.(model as unknown as df.Sequential);
  await cb.onTrainBegin?.({});
  let e = 0;
  for (; e < series.length; e++) {
    onEpoch?.(e);
    await cb.onEpochEnd?.(e, { ...series[e] });
    if (model.stopTraining) break;
  }
  await cb.onTrainEnd?.({});
  return e;
}

describe('earlyStopping', () => {
  it('stops after `patience` epochs without improvement and restores the best weights', async () => {
    const model = stub();
    const losses = [1.0, 0.8, 0.7, 0.71, 0.69, 0.75, 0.8, 0.9, 0.6];
    const cb = df.callbacks.earlyStopping({ monitor: 'val_loss', patience: 3, restoreBestWeights: true });
    const stopped = await drive(cb, model, losses.map((v) => ({ val_loss: v })), (e) => model.setWeights([df.tensor2d([[e]])]));
    // Best is 0.69 at epoch 4; epochs 5, 6, 7 do not improve: stop at epoch 7.
    expect(stopped).toBe(7);
    expect(cb.stoppedEpoch).toBe(7);
    expect(cb.bestEpoch).toBe(4);
    expect(model.getWeights()[0].dataSync()[0]).toBe(4);
  });

  it('minDelta, mode max for accuracies, baseline', async () => {
    const m1 = stub();
    const byDelta = await drive(df.callbacks.earlyStopping({ monitor: 'loss', minDelta: 0.05, patience: 1 }), m1, [{ loss: 1 }, { loss: 0.97 }, { loss: 0.96 }]);
    expect(byDelta).toBe(1);
    const m2 = stub();
    const byAcc = await drive(df.callbacks.earlyStopping({ monitor: 'val_accuracy', patience: 1 }), m2, [{ val_accuracy: 0.5 }, { val_accuracy: 0.6 }, { val_accuracy: 0.55 }, { val_accuracy: 0.7 }]);
    expect(byAcc).toBe(2);
    // Improvements that do not beat the baseline do not reset the wait (Keras).
    const series = [{ loss: 0.9 }, { loss: 0.8 }, { loss: 0.85 }, { loss: 0.86 }, { loss: 0.87 }];
    expect(await drive(df.callbacks.earlyStopping({ monitor: 'loss', baseline: 0.5, patience: 2 }), stub(), series)).toBe(2);
    expect(await drive(df.callbacks.earlyStopping({ monitor: 'loss', patience: 2 }), stub(), series)).toBe(3);
  });

  it('in a real fit: stops when the loss stops improving', async () => {
    const model = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: 0 }), loss: 'mse' });
    const h = await model.fit([[1], [2]], [[1], [2]], { epochs: 20, verbose: 0, callbacks: [df.callbacks.earlyStopping({ monitor: 'loss', patience: 2 })] });
    expect(h.epoch).toEqual([0, 1, 2]);
  });
});

describe('modelCheckpoint', () => {
  it('saves every epoch, or only on improvement, to a templated path', async () => {
    const all = stub();
    await drive(df.callbacks.modelCheckpoint({ filepath: '/tmp/ck-{epoch:02d}' }), all, [{ val_loss: 1 }, { val_loss: 2 }]);
    expect(all.saved).toEqual(['file:///tmp/ck-01', 'file:///tmp/ck-02']);
    const best = stub();
    const cb = df.callbacks.modelCheckpoint({ filepath: 'mem://best-{val_loss:.2f}', saveBestOnly: true });
    await drive(cb, best, [{ val_loss: 1 }, { val_loss: 2 }, { val_loss: 0.5 }, { val_loss: 0.7 }]);
    expect(best.saved).toEqual(['mem://best-1.00', 'mem://best-0.50']);
  });

  it('formatPath names a missing key clearly', () => {
    expect(formatPath('m-{epoch:03d}-{acc:.3f}', 7, { acc: 0.91234 })).toBe('m-007-0.912');
    expect(() => formatPath('{val_acc}', 1, { loss: 1 })).toThrow(/'\{val_acc\}', which is not in the logs \(loss\)/);
  });
});

describe('reduceLROnPlateau, learningRateScheduler, terminateOnNaN, csvLogger', () => {
  it('reduceLROnPlateau multiplies the rate after `patience` flat epochs, then cools down', async () => {
    const model = stub(0.1);
    const cb = df.callbacks.reduceLROnPlateau({ monitor: 'loss', factor: 0.5, patience: 2, cooldown: 1, minLr: 0.02 });
    const seen: number[] = [];
    await drive(cb, model, Array.from({ length: 9 }, () => ({ loss: 1 })), () => seen.push(model.optimizer.learningRate as number));
    // Epoch 0 sets the best; epochs 1, 2 flat → halved at the end of 2; the cooldown epoch resets the
    // wait, so every second epoch halves again, down to the floor 0.02 (seen at each epoch's start).
    expect(seen).toEqual([0.1, 0.1, 0.1, 0.05, 0.05, 0.025, 0.025, 0.02, 0.02]);
  });

  it('learningRateScheduler sets the rate each epoch and logs it', async () => {
    const model = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    const h = await model.fit([[1]], [[1]], { epochs: 3, verbose: 0, callbacks: [df.callbacks.learningRateScheduler((epoch) => 0.1 / (epoch + 1))] });
    expect(h.history.learning_rate).toEqual([0.1, 0.05, 0.1 / 3]);
  });

  it('terminateOnNaN stops a diverging run', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const model = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 1, inputShape: [1] })] });
    model.compile({ optimizer: df.optimizers.sgd({ learningRate: 10 }), loss: 'mse' });
    const h = await model.fit([[10], [-20], [30]], [[1], [2], [3]], { epochs: 100, batchSize: 1, verbose: 0, callbacks: [df.callbacks.terminateOnNaN()] });
    log.mockRestore();
    expect(h.epoch.length).toBeLessThan(100);
    expect(Number.isFinite(h.history.loss.at(-1)!)).toBe(false);
  });

  it('csvLogger writes a header and one row per epoch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'df-csv-'));
    const file = join(dir, 'log.csv');
    const model = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [1] })] });
    model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: ['accuracy'] });
    await model.fit([[0], [1]], [[0], [1]], { epochs: 3, verbose: 0, callbacks: [df.callbacks.csvLogger(file)] });
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('epoch,accuracy,loss');
    expect(lines).toHaveLength(4);
    expect(lines[3].split(',')[0]).toBe('2');
  });
});

describe('fit options', () => {
  const x = [[0.5], [1], [-1], [2]];
  const y = [[1], [0], [1], [3]];
  const model = () => {
    const m = df.sequential({ seed: 3, layers: [df.layers.dense({ units: 1, inputShape: [1] })] });
    m.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.1 }), loss: 'mse' });
    return m;
  };

  it('sampleWeight weighs each row’s loss: Σ w·loss / rows', async () => {
    const m = model();
    const perRow = x.map((r, i) => m.evaluate([r], [y[i]]).loss);
    const w = [1, 2, 0, 0.5];
    m.optimizer!.learningRate = 0;
    const h = await m.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, sampleWeight: w });
    expect(h.history.loss[0]).toBeCloseTo(perRow.reduce((s, l, i) => s + w[i] * l, 0) / 4, 6);
  });

  it('weights scale the gradient: weight 2 everywhere equals twice the learning rate', async () => {
    const a = model();
    const b = model();
    b.optimizer!.learningRate = 0.2;
    await a.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0, sampleWeight: [2, 2, 2, 2] });
    await b.fit(x, y, { epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    const wa = a.getWeights().map((t) => Array.from(t.dataSync()));
    const wb = b.getWeights().map((t) => Array.from(t.dataSync()));
    wa.forEach((w, i) => w.forEach((v, j) => expect(v).toBeCloseTo(wb[i][j], 6)));
  });

  it('classWeight equals the matching sampleWeight; classes not listed weigh 1', async () => {
    const xs = [[0], [1], [2], [3]];
    const labels = [0, 1, 1, 2];
    const make = () => {
      const m = df.sequential({ seed: 5, layers: [df.layers.dense({ units: 3, activation: 'softmax', inputShape: [1] })] });
      m.compile({ optimizer: df.optimizers.sgd({ learningRate: 0.5 }), loss: 'sparseCategoricalCrossentropy' });
      return m;
    };
    const a = make();
    const b = make();
    await a.fit(xs, labels, { epochs: 2, batchSize: 2, seed: 1, verbose: 0, classWeight: { 1: 3 } });
    await b.fit(xs, labels, { epochs: 2, batchSize: 2, seed: 1, verbose: 0, sampleWeight: [1, 3, 3, 1] });
    expect(a.getWeights().map((t) => Array.from(t.dataSync()))).toEqual(b.getWeights().map((t) => Array.from(t.dataSync())));
  });

  it('bad weights are refused before training', async () => {
    const m = model();
    await expect(m.fit(x, y, { verbose: 0, sampleWeight: [1, 2] })).rejects.toThrow(/sampleWeight has 2 values but x has 4 rows/);
    await expect(m.fit(x, y, { verbose: 0, sampleWeight: [1, -2, 1, 1] })).rejects.toThrow(/sampleWeight\[1\] is -2/);
    await expect(m.fit(x, y, { verbose: 0, classWeight: { a: 1 } as unknown as Record<number, number> })).rejects.toThrow(/classWeight key 'a' is not a class index/);
  });

  it('initialEpoch numbers the epochs from there', async () => {
    const m = model();
    const h = await m.fit(x, y, { epochs: 5, initialEpoch: 3, verbose: 0 });
    expect(h.epoch).toEqual([3, 4]);
  });

  it('warns when the validationSplit slice holds a single class', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const m = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 1, activation: 'sigmoid', inputShape: [1] })] });
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
    await m.fit([[0], [1], [2], [3], [4]], [[0], [0], [1], [1], [1]], { epochs: 1, validationSplit: 0.4, verbose: 0 });
    expect(warn.mock.calls.some((c) => /has the same label/.test(String(c[0])))).toBe(true);
    warn.mockRestore();
  });
});
