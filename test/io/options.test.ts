// model.save's and loadLayersModel's options are checked: a misspelt key gets a did-you-mean, Keras's
// snake_case keys are the same options, tfjs/Keras options deltaflow lacks say what to do instead, and
// the caller's object is left as it was.
import { beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { capture } from './helpers.js';

beforeAll(() => df.ready());

function compiled() {
  const m = df.sequential({ seed: 5, layers: [df.layers.dense({ units: 3, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1 })] });
  m.compile({ optimizer: 'adam', loss: 'meanSquaredError' });
  return m;
}

describe('model.save options', () => {
  it('names a misspelt option with the closest one', async () => {
    const m = compiled();
    await expect(m.save(df.io.withSaveHandler(async () => ({})), { includeOptimiser: true } as df.SaveOptions)).rejects.toThrow(
      "save: unknown option 'includeOptimiser' — did you mean 'includeOptimizer'?",
    );
    expect(() => df.io.modelToArtifacts(m, { userDefinedMetdata: {} } as df.SaveOptions)).toThrow("save: unknown option 'userDefinedMetdata' — did you mean 'userDefinedMetadata'?");
  });

  it("takes Keras's include_optimizer, leaving the caller's object as it was", async () => {
    const m = compiled();
    const given = { include_optimizer: true };
    const a = await capture((h) => m.save(h, given as df.SaveOptions));
    expect(a.weightSpecs!.some((s) => s.group === 'optimizer')).toBe(true);
    expect(given).toEqual({ include_optimizer: true });
    const plain = await capture((h) => m.save(h));
    expect(plain.weightSpecs!.some((s) => s.group === 'optimizer')).toBe(false);
  });

  it('says what to do instead of the tfjs and Keras options it lacks, and drops harmless values', async () => {
    const m = compiled();
    expect(() => df.io.modelToArtifacts(m, { save_format: 'h5' } as df.SaveOptions)).toThrow(/save: option 'save_format' is not supported by deltaflow; model.save writes TensorFlow.js's format/);
    expect(() => df.io.modelToArtifacts(m, { trainableOnly: true } as df.SaveOptions)).toThrow(/option 'trainableOnly' is not supported by deltaflow; every weight is saved/);
    expect(df.io.modelToArtifacts(m, { trainableOnly: false, overwrite: true } as df.SaveOptions).weightSpecs).toHaveLength(4);
    expect(() => df.io.modelToArtifacts(m, 3 as df.SaveOptions)).toThrow('save: expected an options object, got number');
  });
});

describe('loadLayersModel options', () => {
  let artifacts: df.ModelArtifacts;
  beforeAll(async () => {
    artifacts = await capture((h) => compiled().save(h));
  });

  it('names a misspelt option with the closest one', async () => {
    await expect(df.loadLayersModel(df.io.fromMemory(artifacts), { maxParametres: 10 } as df.LoadOptions)).rejects.toThrow(
      "loadLayersModel: unknown option 'maxParametres' — did you mean 'maxParameters'?",
    );
    await expect(df.loadLayersModel(df.io.fromMemory(artifacts), { customObject: {} } as df.LoadOptions)).rejects.toThrow("did you mean 'customObjects'?");
  });

  it("takes Keras's snake_case spellings, leaving the caller's object as it was", async () => {
    const given = { max_parameters: 5 };
    await expect(df.loadLayersModel(df.io.fromMemory(artifacts), given as df.LoadOptions)).rejects.toThrow(/more than 5 parameters/);
    expect(given).toEqual({ max_parameters: 5 });
    const loaded = await df.loadLayersModel(df.io.fromMemory(artifacts), { compile: false, custom_objects: {} } as df.LoadOptions);
    expect(loaded.optimizer).toBeUndefined();
  });

  it('says what to do instead of the tfjs options it lacks, and drops harmless values', async () => {
    await expect(df.loadLayersModel(df.io.fromMemory(artifacts), { onProgress: () => undefined } as df.LoadOptions)).rejects.toThrow(
      /loadLayersModel: option 'onProgress' is not supported by deltaflow; loading reports no progress/,
    );
    await expect(df.loadLayersModel(df.io.fromMemory(artifacts), { strict: false } as df.LoadOptions)).rejects.toThrow(/option 'strict' is not supported/);
    expect((await df.loadLayersModel(df.io.fromMemory(artifacts), { strict: true } as df.LoadOptions)).countParams()).toBe(13);
  });
});
