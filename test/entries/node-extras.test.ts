// The Node bundle (dist/bundles/node/): `import 'deltaflow'` loads the training core, and io, data, plot and
// text come from extras.js the first time one is used (src/entries/node-lazy.ts, node-index.ts). Run in
// child processes against the built files, as a Node user runs them.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundles = join(root, 'dist/bundles');
const entry = join(bundles, 'node/deltaflow.js');
const scratch = mkdtempSync(join(tmpdir(), 'deltaflow-node-extras-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** Runs an ES module script importing `entryFile` as `df`; resolves to the JSON it printed last. */
function run(name: string, entryFile: string, body: string): Record<string, unknown> {
  const file = join(scratch, `${name}.mjs`);
  writeFileSync(file, `const df = await import(${JSON.stringify(pathToFileURL(entryFile).href)});\nconst out = {};\n${body}\nconsole.log(JSON.stringify(out));\n`);
  return JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' }).trim().split('\n').pop()!);
}

const XOR = `await df.ready();
const model = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 8, activation: 'tanh', inputShape: [2], name: 'hidden' }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
model.compile({ optimizer: 'adam', loss: 'binaryCrossentropy' });
const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
await model.fit(x, [[0], [1], [1], [0]], { epochs: 5, batchSize: 4, verbose: 0 });
out.p = Array.from(model.predict(x).dataSync());`;

describe.skipIf(!existsSync(entry))('Node bundle: io, data, plot and text on first use', () => {
  it('the entry, its chunk and extras.js are the files; the full API is there, and each namespace is the subpath view', () => {
    const files = readdirSync(join(bundles, 'node')).filter((f) => f.endsWith('.js'));
    expect(files.filter((f) => /^chunk-\w+\.js$/.test(f)).length).toBeGreaterThanOrEqual(1);
    expect(files).toEqual(expect.arrayContaining(['deltaflow.js', 'extras.js', 'core.js', 'io.js', 'data.js', 'plot.js', 'text.js']));
    const out = run('api', entry, `
for (const ns of ['data', 'plot', 'text']) {
  const view = await import(new URL('./' + ns + '.js', ${JSON.stringify(pathToFileURL(entry).href)}));
  out[ns] = Object.keys(df[ns]).sort().join() === Object.keys(view).sort().join() && Object.keys(view).every((k) => df[ns][k] === view[k]);
}
const io = await import(new URL('./io.js', ${JSON.stringify(pathToFileURL(entry).href)}));
out.io = io.io.fromMemory === df.io.fromMemory && io.ModelFormatError === df.ModelFormatError && typeof df.loadLayersModel === 'function';
out.padded = Array.from(df.text.padSequences([[1, 2]], { maxlen: 3 }).dataSync());`);
    expect(out).toEqual({ data: true, plot: true, text: true, io: true, padded: [0, 1, 2] });
  });

  it('getConfig first, then file:// save and load, and a malformed model is a ModelFormatError of the entry', () => {
    const dir = join(scratch, 'saved');
    const out = run('io', entry, `${XOR}
out.config = model.layers[0].getConfig().units;
await model.save(${JSON.stringify(pathToFileURL(dir).href)});
const loaded = await df.loadLayersModel(${JSON.stringify(pathToFileURL(join(dir, 'model.json')).href)});
out.same = Array.from(loaded.predict(x).dataSync()).every((v, i) => v === out.p[i]);
try { await df.loadLayersModel(df.io.fromMemory({ modelTopology: 3 })); } catch (e) { out.error = e instanceof df.ModelFormatError && e.name; }`);
    expect(out).toMatchObject({ config: 8, same: true, error: 'ModelFormatError' });
  });

  it('trains and predicts without extras.js; reading df.data, saving or getConfig then names the missing file', () => {
    const pkg = join(scratch, 'bundled');
    mkdirSync(join(pkg, 'node'), { recursive: true });
    for (const f of readdirSync(join(bundles, 'node'))) if (f !== 'extras.js') cpSync(join(bundles, 'node', f), join(pkg, 'node', f));
    cpSync(join(bundles, 'deltaflow.wasm'), join(pkg, 'deltaflow.wasm'));
    const out = run('without', join(pkg, 'node', 'deltaflow.js'), `${XOR}
const why = (f) => { try { f(); } catch (e) { return e.message; } };
out.data = why(() => df.data.Table);
out.config = why(() => model.layers[0].getConfig());
out.save = await model.save('file:///nowhere').then(() => 'saved', (e) => e.message);`);
    expect((out.p as number[]).length).toBe(4);
    const missing = /df\.io, df\.data, df\.plot and df\.text .* load from extras\.js next to the Node entry, which is not at file:\/\/.*bundled\/node\/extras\.js: a bundle of the Node entry needs the files of dist\/bundles\/node\//;
    expect(out.data).toMatch(missing);
    expect(out.config).toMatch(missing);
    expect(out.save).toMatch(missing);
  });
});
