// The main entry's core (src/entries/main.ts) without the io module imported: ready() lets model.save()
// import the save code on first use, which also gives layers their getConfig(). (This file imports nothing
// from io, and vitest runs each file in a module graph of its own.)
import { describe, expect, it } from 'vitest';
import * as df from '../../src/entries/main.js';
import type { ModelArtifacts } from '../../src/io/types.js';

const handler = (seen: { bytes?: number; names?: string[] }) => ({
  save: async (a: ModelArtifacts) => {
    seen.bytes = a.weightData instanceof ArrayBuffer ? a.weightData.byteLength : undefined;
    seen.names = a.weightSpecs?.map((s) => s.name);
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' as const } };
  },
});

describe('main entry: model.save imports the save code on first use', () => {
  it('saves a model after ready(), and layer.getConfig works from then on', async () => {
    const layer = df.layers.dense({ units: 2, inputShape: [3], name: 'd' });
    expect(() => layer.getConfig()).toThrow(/layer.getConfig needs deltaflow's io module.*name df.io to keep it/);
    await df.ready();
    const model = df.sequential({ seed: 1, layers: [layer] });
    const seen: { bytes?: number; names?: string[] } = {};
    await model.save(handler(seen));
    expect(seen).toEqual({ bytes: (3 * 2 + 2) * 4, names: ['d/kernel', 'd/bias'] });
    expect(layer.getConfig()).toMatchObject({ name: 'd', units: 2 });
  });
});
