// A model's life cycle: one fit at a time; during it, what would change the structure or the state being
// trained is refused, dispose() waits for the fit to stop, and a change that fails leaves the model as it
// was. One optimizer object keeps one model's state.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';

beforeAll(() => df.ready());

const x = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5], [0.2, 0.9], [0.9, 0.1], [0.3, 0.3]];
const y = [[0], [1], [1], [0], [0], [1], [1], [0]];

function xor(seed = 1, name?: string): df.Sequential {
  const m = df.sequential({ seed, name, layers: [df.layers.dense({ units: 6, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  return m;
}

const weightsOf = (m: df.Sequential) => m.getWeights().map((w) => w.dataSync());
const args = { epochs: 3, batchSize: 2, verbose: 0 as const };

describe('one fit at a time', () => {
  it('a second un-awaited fit is refused; the first trains as if alone', async () => {
    const alone = xor(2);
    await alone.fit(x, y, args);
    const m = xor(2, 'm');
    const tick = { onBatchEnd: () => new Promise<void>((r) => setTimeout(r, 0)) };
    const first = m.fit(x, y, { ...args, callbacks: tick });
    const second = m.fit(x, y, args);
    await expect(second).rejects.toThrow(/fit: another fit\(\) call on model 'm' is still running; await it before starting another/);
    await first;
    expect(weightsOf(m)).toEqual(weightsOf(alone));
    expect(m.optimizer!.iterations).toBe(12);
  });

  it('a fit started from a callback of a running fit is refused', async () => {
    const m = xor(3, 'inner');
    let error: unknown;
    await m.fit(x, y, { ...args, callbacks: { onEpochEnd: async () => void (await m.fit(x, y, args).catch((e) => (error = e))) } });
    expect(String(error)).toMatch(/another fit\(\) call on model 'inner' is still running/);
    expect(m.optimizer!.iterations).toBe(12);
    // Once it has ended, the next fit runs.
    await m.fit(x, y, args);
    expect(m.optimizer!.iterations).toBe(24);
  });

  it('a fit that fails still ends: the next one runs', async () => {
    const m = xor(4);
    await expect(m.fit(x, y, { ...args, callbacks: { onEpochBegin: () => { throw new Error('from a callback'); } } })).rejects.toThrow('from a callback');
    await m.fit(x, y, args);
    expect(m.optimizer!.iterations).toBe(12);
  });
});

describe('during fit', () => {
  it.each([
    ['add', (m: df.Sequential) => m.add(df.layers.dense({ units: 1 }))],
    ['compile', (m: df.Sequential) => m.compile({ optimizer: 'sgd', loss: 'mse' })],
    ['trainOnBatch', (m: df.Sequential) => m.trainOnBatch(x, y)],
    ['setOptimizerState', (m: df.Sequential) => m.setOptimizerState(m.getOptimizerState())],
  ])('%s is refused, and the fit trains as if it had not been tried', async (what, call) => {
    const alone = xor(5);
    await alone.fit(x, y, args);
    const m = xor(5, 'busy');
    const seen: string[] = [];
    await m.fit(x, y, {
      ...args,
      callbacks: {
        onBatchEnd: () => {
          try {
            call(m);
          } catch (e) {
            seen.push(String(e));
          }
        },
      },
    });
    expect(seen).toHaveLength(12);
    expect(seen[0]).toMatch(new RegExp(`${what}: model 'busy' is training in fit\\(\\); call ${what} after fit\\(\\) resolves`));
    expect(m.layers).toHaveLength(2);
    expect(weightsOf(m)).toEqual(weightsOf(alone));
    // Afterwards it is allowed again.
    call(m);
  });

  it('predict, evaluate, getWeights and setWeights are allowed (callbacks such as EarlyStopping use them)', async () => {
    const m = xor(6);
    const start = m.getWeights();
    let evaluated = 0;
    await m.fit(x, y, {
      ...args,
      callbacks: {
        onEpochEnd: () => {
          m.predict(x);
          evaluated += m.evaluate(x, y).loss > 0 ? 1 : 0;
        },
        onTrainEnd: () => m.setWeights(start),
      },
    });
    expect(evaluated).toBe(3);
    expect(weightsOf(m)).toEqual(start.map((w) => w.dataSync()));
  });

  it('dispose() from a callback stops the fit after that batch, frees the memory when it ends, and later calls fail', async () => {
    const before = df.memory().usedBytes;
    const m = xor(7, 'gone');
    const batches: number[] = [];
    let trainEnd = false;
    const history = await m.fit(x, y, {
      ...args,
      callbacks: {
        onBatchEnd: (b) => {
          batches.push(b);
          if (batches.length === 6) m.dispose();
        },
        onTrainEnd: () => void (trainEnd = true),
      },
    });
    expect(batches).toHaveLength(6);
    expect(history.epoch).toEqual([0]);
    expect(trainEnd).toBe(false);
    expect(df.memory().usedBytes).toBeLessThanOrEqual(before + df.memory().workspaceBytes);
    expect(() => m.predict(x)).toThrow(/model 'gone' has been disposed/);
    await expect(m.fit(x, y, args)).rejects.toThrow(/has been disposed/);
  });

  it('dispose() between two awaits of a fit (from outside it) stops it the same way', async () => {
    const m = xor(8);
    const slow = { onBatchBegin: () => new Promise<void>((r) => setTimeout(r, 1)) };
    const running = m.fit(x, y, { ...args, epochs: 50, callbacks: slow });
    await new Promise((r) => setTimeout(r, 5));
    m.dispose();
    const h = await running;
    expect(h.epoch.length).toBeLessThan(50);
  });
});

describe('a change that fails leaves the model as it was', () => {
  it('add() of a layer too large for memory: layers, weights, predict and save unchanged', async () => {
    const m = xor(9);
    await m.fit(x, y, args);
    const w = weightsOf(m);
    const p = m.predict(x).dataSync();
    expect(() => m.add(df.layers.dense({ units: 2e9 }))).toThrow(/more than WebAssembly's 4 GiB memory; the largest tensor is dense_2\/kernel \[1, 2000000000\]/);
    expect(m.layers).toHaveLength(2);
    expect(weightsOf(m)).toEqual(w);
    expect(m.predict(x).dataSync()).toEqual(p);
    const saved = await m.save(df.io.withSaveHandler(async (a) => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: (a.weightData as ArrayBuffer).byteLength } })));
    expect(saved.modelArtifactsInfo.weightDataBytes).toBe(4 * (2 * 6 + 6 + 6 + 1));
    // The layer can still go into another model, under its own name.
    expect(m.layers.map((l) => l.name)).toEqual(['dense', 'dense_1']);
  });

  it('compile() that fails (a bad loss or metric, a shared optimizer) keeps the loss, optimizer and state', () => {
    const m = xor(10);
    m.trainOnBatch(x, y);
    const [opt, loss, state] = [m.optimizer, m.lossRow, m.getOptimizerState()];
    expect(() => m.compile({ optimizer: 'sgd', loss: 'nope' })).toThrow(/loss/);
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['nope'] })).toThrow(/metric/);
    expect(() => m.compile({ optimizer: xor(11).optimizer!, loss: 'mse' })).toThrow(/already keeps the state of model/);
    expect([m.optimizer, m.lossRow]).toEqual([opt, loss]);
    expect(m.getOptimizerState()).toEqual(state);
  });
});

describe('one optimizer object keeps one model’s state', () => {
  it('compiling it into a second live model is refused; once the first is disposed it is free', () => {
    const opt = df.optimizers.adam();
    const a = xor(11, 'a');
    a.compile({ optimizer: opt, loss: 'mse' });
    const b = xor(12, 'b');
    expect(() => b.compile({ optimizer: opt, loss: 'mse' })).toThrow(/compile: this adam optimizer already keeps the state of model 'a' \(its iterations and slots\); give each model its own optimizer object/);
    expect(() => opt.applyGradients(new Float32Array(2), [1, 1])).toThrow(/applyGradients: this adam optimizer already keeps the state of model 'a'/);
    a.compile({ optimizer: 'sgd', loss: 'mse' });
    b.compile({ optimizer: opt, loss: 'mse' });
    expect(b.optimizer).toBe(opt);
  });

  it('recompiling with the same object keeps its state and iterations; a new object starts at 0', () => {
    const m = xor(13);
    m.trainOnBatch(x, y);
    m.trainOnBatch(x, y);
    const opt = m.optimizer!;
    const state = m.getOptimizerState();
    m.compile({ optimizer: opt, loss: 'mse', metrics: 'accuracy' });
    expect(m.getOptimizerState()).toEqual(state);
    expect(opt.iterations).toBe(2);
    m.compile({ optimizer: df.optimizers.adam(), loss: 'mse' });
    expect(m.optimizer!.iterations).toBe(0);
    expect(m.getOptimizerState().slots.every((s) => s.every((v) => v === 0))).toBe(true);
  });

  it("metrics may be one name, as in tfjs: metrics: 'accuracy'", () => {
    const m = xor(14);
    m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy', metrics: 'accuracy' });
    expect(Object.keys(m.evaluate(x, y))).toEqual(['loss', 'accuracy']);
    expect(() => m.compile({ optimizer: 'adam', loss: 'mse', metrics: 5 as unknown as string })).toThrow(/metrics must be a list of names such as \['accuracy'\], got number/);
  });
});
