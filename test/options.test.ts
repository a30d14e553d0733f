// Options objects: unknown keys are named with a did-you-mean, Keras snake_case means the camelCase
// option, and tfjs/Keras options deltaflow lacks say so — one case per family of options.
import { beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import * as df from '../src/index.js';
import { camelCase, checkOptions, editDistance, suggest, type OptionSpec } from '../src/options.js';
import { FIT_OPTIONS } from '../src/train/fit-options.js';
import { COMPILE_OPTIONS } from '../src/model/model-options.js';

beforeAll(() => df.ready());

const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
const y = [[0], [1], [1], [0]];

function compiled() {
  const m = df.sequential({ seed: 3, layers: [df.layers.dense({ units: 4, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
  return m;
}

describe('checkOptions', () => {
  interface Opts {
    batchSize?: number;
    epochs?: number;
  }
  const spec: OptionSpec<Opts> = {
    known: { batchSize: true, epochs: true },
    unsupported: { stepsPerEpoch: { instead: 'pass fewer rows', harmless: (v) => v === undefined } },
  };

  it('returns a new object with camelCase keys and leaves the given one as it was', () => {
    const given = { batch_size: 8, epochs: 2 };
    const out = checkOptions('f', given as Opts, spec);
    expect(out).toEqual({ batchSize: 8, epochs: 2 });
    expect(given).toEqual({ batch_size: 8, epochs: 2 });
  });

  it('takes both spellings of one option when they agree, and refuses them when they differ', () => {
    expect(checkOptions('f', { batch_size: 8, batchSize: 8 } as Opts, spec)).toEqual({ batchSize: 8 });
    expect(() => checkOptions('f', { batch_size: 8, batchSize: 16 } as Opts, spec)).toThrow("f: option 'batchSize' is given twice, as 'batch_size' and 'batchSize', with different values");
  });

  it('suggests the closest option, or lists them all when none is close', () => {
    expect(() => checkOptions('f', { epocs: 1 } as Opts, spec)).toThrow("f: unknown option 'epocs' — did you mean 'epochs'?");
    expect(() => checkOptions('f', { batch_sise: 1 } as Opts, spec)).toThrow("did you mean 'batchSize'?");
    expect(() => checkOptions('f', { colour: 1 } as Opts, spec)).toThrow("f: unknown option 'colour'; its options are batchSize, epochs");
  });

  it('says which options deltaflow does not support and what to do, unless the value is harmless', () => {
    expect(() => checkOptions('f', { steps_per_epoch: 3 } as Opts, spec)).toThrow("f: option 'steps_per_epoch' is not supported by deltaflow; pass fewer rows");
    expect(checkOptions('f', { stepsPerEpoch: undefined, epochs: 1 } as Opts, spec)).toEqual({ epochs: 1 });
  });

  it('takes undefined as no options and refuses what is not an object', () => {
    expect(checkOptions('f', undefined, spec)).toEqual({});
    expect(() => checkOptions('f', [] as Opts, spec)).toThrow('f: expected an options object, got an array');
    expect(() => checkOptions('f', 3 as Opts, spec)).toThrow('f: expected an options object, got number');
  });

  it("never treats Object.prototype's names as options", () => {
    expect(() => checkOptions('f', { constructor: 1 } as Opts, spec)).toThrow("unknown option 'constructor'");
    expect(() => checkOptions('f', JSON.parse('{"__proto__": 1}') as Opts, spec)).toThrow("unknown option '__proto__'");
  });

  it('maps Keras spellings generically', () => {
    expect(camelCase('restore_best_weights')).toBe('restoreBestWeights');
    expect(camelCase('beta_1')).toBe('beta1');
    expect(camelCase('units')).toBe('units');
    expect(editDistance('epochs', 'epcohs')).toBe(1);
    expect(editDistance('', 'abc')).toBe(3);
  });
});

describe('a misspelling one edit away from an option', () => {
  // Each spec's keys; a typo may also be one edit from another key, which is then an equally good guess.
  const families = [Object.keys(FIT_OPTIONS.known), Object.keys(COMPILE_OPTIONS.known), ['learningRate', 'beta1', 'beta2', 'epsilon', 'amsgrad', 'clipnorm', 'clipvalue']];
  const letters = 'abcdefghijklmnopqrstuvwxyzS_'.split('');
  const typo = (key: string, op: number, at: number, c: string): string => {
    const i = at % (key.length + 1);
    const j = at % key.length;
    switch (op) {
      case 0: return key.slice(0, i) + c + key.slice(i); // insert
      case 1: return key.slice(0, j) + key.slice(j + 1); // delete
      case 2: return key.slice(0, j) + c + key.slice(j + 1); // substitute
      default: return j + 1 < key.length ? key.slice(0, j) + key[j + 1] + key[j] + key.slice(j + 2) : key.slice(0, j) + c; // swap neighbours
    }
  };

  it('gets that option as the suggestion', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: families.length - 1 }), fc.nat(), fc.integer({ min: 0, max: 3 }), fc.nat(), fc.constantFrom(...letters), (f, k, op, at, c) => {
        const keys = families[f];
        const key = keys[k % keys.length];
        const bad = typo(key, op, at, c);
        fc.pre(!keys.some((o) => o.toLowerCase() === bad.toLowerCase() || o === camelCase(bad)));
        const guess = suggest(bad, keys);
        const alsoOneAway = keys.filter((o) => o !== key && editDistance(bad.toLowerCase(), o.toLowerCase()) <= 1);
        if (alsoOneAway.length === 0) expect(guess).toBe(key);
        else expect([key, ...alsoOneAway]).toContain(guess);
      }),
      { numRuns: 500 },
    );
  });
});

describe('layers', () => {
  it("take Keras's snake_case spellings", () => {
    const d = df.layers.dense({ units: 3, input_shape: [5], use_bias: false, kernel_initializer: 'heNormal' } as unknown as df.DenseConfig);
    expect(d.inputShape).toEqual([5]);
    expect(d.useBias).toBe(false);
    expect(d.kernelInitializer.name).toBe('heNormal');
    const c = df.layers.conv2d({ filters: 2, kernel_size: 3, dilation_rate: 2, input_shape: [8, 8, 1] } as unknown as df.Conv2DConfig);
    expect(c.window.kernel).toEqual([3, 3]);
    expect(c.window.dilation).toEqual([2, 2]);
    expect(df.layers.maxPooling2d({ pool_size: 3 } as never).window.kernel).toEqual([3, 3]);
    expect(df.layers.reshape({ target_shape: [2, 2] } as never).targetShape).toEqual([2, 2]);
  });

  it('name a misspelt option with a suggestion', () => {
    expect(() => df.layers.dense({ unit: 3 } as never)).toThrow("dense: unknown option 'unit' — did you mean 'units'?");
    expect(() => df.layers.conv2d({ filters: 2, kernelSize: 3, stride: 2 } as never)).toThrow("conv2d: unknown option 'stride' — did you mean 'strides'?");
    expect(() => df.layers.dropout({ rate: 0.5, sed: 1 } as never)).toThrow("dropout: unknown option 'sed' — did you mean 'seed'?");
    expect(() => df.layers.batchNormalization({ momentun: 0.9 } as never)).toThrow("batchNormalization: unknown option 'momentun' — did you mean 'momentum'?");
    expect(() => df.layers.globalAveragePooling2d({ keepdim: true } as never)).toThrow("globalAveragePooling2d: unknown option 'keepdim'");
  });

  it("refuse tfjs's options deltaflow lacks, saying what to do instead", () => {
    expect(() => df.layers.dense({ units: 3, kernelConstraint: 'maxNorm' } as never)).toThrow("dense: option 'kernelConstraint' is not supported by deltaflow; constrain the kernel yourself");
    expect(() => df.layers.dense({ units: 3, activityRegularizer: 'l2' } as never)).toThrow('not supported by deltaflow; regularize the weights with kernelRegularizer');
    expect(() => df.layers.dense({ units: 3, trainable: false } as never)).toThrow("dense: option 'trainable' is not supported by deltaflow");
    expect(() => df.layers.dense({ units: 3, dtype: 'int32' } as never)).toThrow("option 'dtype' is not supported by deltaflow; layers compute in float32");
    expect(() => df.layers.dense({ units: 3, weights: [] } as never)).toThrow('model.setWeights');
    expect(() => df.layers.globalMaxPooling2d({ keepdims: true } as never)).toThrow("globalMaxPooling2d: option 'keepdims' is not supported by deltaflow; add a reshape() after it");
  });

  it('take the values of those options that change nothing', () => {
    const d = df.layers.dense({ units: 3, trainable: true, dtype: 'float32', kernel_constraint: null, weights: null } as never);
    expect(d.units).toBe(3);
    expect(df.layers.conv2d({ filters: 1, kernelSize: 1, groups: 1 } as never).filters).toBe(1);
  });
});

describe('the model', () => {
  it('sequential() names a misspelt option', () => {
    expect(() => df.sequential({ seeds: 1 } as never)).toThrow("sequential: unknown option 'seeds' — did you mean 'seed'?");
  });

  it("compile() checks its keys (not the values' kinds) and takes snake_case", () => {
    const m = df.sequential({ layers: [df.layers.dense({ units: 1, inputShape: [2] })] });
    expect(() => m.compile({ optimiser: 'sgd', loss: 'mse' } as never)).toThrow("compile: unknown option 'optimiser' — did you mean 'optimizer'?");
    expect(() => m.compile({ optimizer: 'sgd', loss: 'mse', lossWeights: [1] } as never)).toThrow("compile: option 'lossWeights' is not supported by deltaflow");
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: 'mae', run_eagerly: false } as never);
    expect(m.evaluate(x, y)).toHaveProperty('mae');
  });

  it('fit() names a misspelt option and takes Keras spellings', async () => {
    const m = compiled();
    await expect(m.fit(x, y, { epocs: 3 } as never)).rejects.toThrow("fit: unknown option 'epocs' — did you mean 'epochs'?");
    await expect(m.fit(x, y, { epochs: 1, stepsPerEpoch: 2 } as never)).rejects.toThrow("fit: option 'stepsPerEpoch' is not supported by deltaflow");
    const h = await m.fit(x, y, { epochs: 3, batch_size: 2, validation_split: 0.25, verbose: 0 } as never);
    expect(h.history.loss).toHaveLength(3);
    expect(h.history.val_loss).toHaveLength(3);
    await expect(m.fit(x, y, { epochs: 2, initial_epoch: 1, initialEpoch: 0, verbose: 0 } as never)).rejects.toThrow("fit: option 'initialEpoch' is given twice");
  });

  it('evaluate() and predict() name a misspelt option; verbose: 0 changes nothing', () => {
    const m = compiled();
    expect(() => m.evaluate(x, y, { batchsize: 2 } as never)).toThrow("evaluate: unknown option 'batchsize' — did you mean 'batchSize'?");
    expect(() => m.predict(x, { batch: 2 } as never)).toThrow("predict: unknown option 'batch'");
    expect(() => m.predict(x, { verbose: 1 } as never)).toThrow("predict: option 'verbose' is not supported by deltaflow");
    expect(m.predict(x, { batch_size: 2, verbose: 0 } as never).shape).toEqual([4, 1]);
    expect(m.evaluate(x, y, { batch_size: 2, verbose: 0 } as never).loss).toBeGreaterThan(0);
  });
});

describe('optimizers', () => {
  it("take Keras's names and refuse the options they lack", () => {
    const adam = df.optimizers.adam({ learning_rate: 0.01, beta_1: 0.8, global_clipnorm: 1 } as never);
    expect(adam.learningRate).toBe(0.01);
    expect(adam.beta1).toBe(0.8);
    expect(adam.getConfig().global_clipnorm).toBe(1);
    expect(() => df.optimizers.adam({ lr: 0.1 } as never)).toThrow("adam: option 'lr' is not supported by deltaflow; it is Keras 2's old name: write learningRate");
    expect(() => df.optimizers.sgd({ momentun: 0.9 } as never)).toThrow("sgd: unknown option 'momentun' — did you mean 'momentum'?");
    expect(() => df.optimizers.adamw({ weight_decays: 0.1 } as never)).toThrow("adamw: unknown option 'weight_decays' — did you mean 'weightDecay'?");
    expect(() => df.optimizers.rmsprop({ use_ema: true } as never)).toThrow("rmsprop: option 'use_ema' is not supported by deltaflow");
    expect(df.optimizers.lion({ name: 'Lion', beta_2: 0.9 } as never).beta2).toBe(0.9);
  });
});

describe('schedules and initializers', () => {
  it("take Keras's names and name a misspelt option", () => {
    const s = df.optimizers.schedules.exponentialDecay({ initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 } as never);
    expect(s.getConfig()).toMatchObject({ initial_learning_rate: 0.1, decay_steps: 10, decay_rate: 0.5 });
    expect(() => df.optimizers.schedules.cosineDecay({ initialLearningRate: 0.1, decaySteps: 10, warmupStep: 2 } as never)).toThrow(
      "cosineDecay: unknown option 'warmupStep' — did you mean 'warmupSteps'?",
    );
    expect(() => df.initializers.randomNormal({ stdev: 0.1 } as never)).toThrow("randomNormal: unknown option 'stdev' — did you mean 'stddev'?");
    expect(() => df.initializers.randomUniform({ seed: 3 } as never)).toThrow("randomUniform: option 'seed' is not supported by deltaflow; initializers draw from the model's seeded stream");
    expect(df.initializers.constant({ value: 2 }).name).toBe('constant');
  });
});

describe('callbacks', () => {
  it("take Keras's names and name a misspelt option", () => {
    expect(df.callbacks.earlyStopping({ restore_best_weights: true, min_delta: 0.1 } as never).restoreBestWeights).toBe(true);
    expect(() => df.callbacks.earlyStopping({ patients: 3 } as never)).toThrow("earlyStopping: unknown option 'patients' — did you mean 'patience'?");
    expect(df.callbacks.reduceLROnPlateau({ min_lr: 0.001 } as never).minLr).toBe(0.001);
    expect(() => df.callbacks.reduceLROnPlateau({ epsilon: 0.1 } as never)).toThrow('write minDelta');
    expect(df.callbacks.modelCheckpoint({ filepath: 'a', save_best_only: true } as never).saveBestOnly).toBe(true);
    expect(() => df.callbacks.modelCheckpoint({ filepath: 'a', save_weights_only: true } as never)).toThrow("modelCheckpoint: option 'save_weights_only' is not supported by deltaflow");
    expect(() => df.callbacks.csvLogger('log.csv', { seperator: ';' } as never)).toThrow("csvLogger: unknown option 'seperator' — did you mean 'separator'?");
  });
});

describe('ready()', () => {
  it('rejects a misspelt option', async () => {
    await expect(df.ready({ thread: 2 } as never)).rejects.toThrow("ready: unknown option 'thread' — did you mean 'threads'?");
    await expect(df.setThreads(1, { threadWasm: 'x' } as never)).rejects.toThrow("setThreads: unknown option 'threadWasm' — did you mean 'threadsWasm'?");
  });
});
