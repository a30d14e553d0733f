// A browser app that imports 'deltaflow' by name and only trains and predicts, bundled as a user bundles it
// (esbuild, with and without code splitting, and Vite): the CSV, plot and model-loading code stay out, and with
// code splitting the save code too, in a chunk that model.save() fetches. Markers are string literals of each
// module (checked present in the package's own files, so that a renamed message cannot pass unnoticed).
// Uses the built package (dist/bundles) through node_modules/deltaflow → this checkout, exports and sideEffects included.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundles = join(root, 'dist', 'bundles');
let app: string;

/** A string literal of each module group, and the package file that must hold it. */
const MARKERS = {
  csv: { text: 'naValues must be an array of strings', in: 'data.js' },
  plot: { text: 'deltaflow-plot', in: 'plot.js' },
  load: { text: 'loadLayersModel: maxJsonBytes must be', in: 'io.js' },
  save: { text: "save: the model's input shape is not known yet", in: 'io.js' },
} as const;
type Group = keyof typeof MARKERS;

// Trains and predicts; given `save`, also saves through a handler (no io name in the source).
const appSource = (save: boolean) => `import * as df from 'deltaflow';
import { readFileSync } from 'node:fs';
await df.ready({ bytes: readFileSync(${JSON.stringify(join(bundles, 'deltaflow.wasm'))}) });
const model = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 8, activation: 'relu', inputShape: [3] }), df.layers.dense({ units: 2, activation: 'softmax' })] });
model.compile({ optimizer: 'adam', loss: 'categoricalCrossentropy' });
await model.fit([[0, 1, 2], [1, 0, 2]], [[1, 0], [0, 1]], { epochs: 2, batchSize: 2, verbose: 0 });
const p = Array.from(model.predict([[0, 1, 2]]).dataSync());
${save ? "const saved = await model.save({ save: async (a) => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: a.weightData.byteLength } }) });\nconsole.log(JSON.stringify({ p, bytes: saved.modelArtifactsInfo.weightDataBytes }));" : 'console.log(JSON.stringify({ p }));'}
`;

const found = (code: string) => (Object.keys(MARKERS) as Group[]).filter((g) => code.includes(MARKERS[g].text));

function run(file: string): { p: number[]; bytes?: number } {
  const r = spawnSync(process.execPath, [file], { cwd: app, encoding: 'utf8', timeout: 60_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout.trim().split('\n').pop()!);
}

async function esbuild(entry: string, outdir: string, splitting: boolean) {
  const { build } = await import('esbuild');
  return build({ entryPoints: [join(app, entry)], absWorkingDir: app, bundle: true, minify: true, format: 'esm', platform: 'browser', external: ['node:*'], outdir, splitting, metafile: true, logLevel: 'silent' });
}

/** The files an esbuild output loads before any dynamic import: the entry and its static imports, transitively. */
function staticClosure(outputs: Record<string, { imports: { path: string; kind: string }[] }>, entry: string): { first: string[]; later: string[] } {
  const first = new Set<string>();
  const visit = (f: string) => {
    if (first.has(f)) return;
    first.add(f);
    for (const i of outputs[f].imports) if (i.kind === 'import-statement' && outputs[i.path]) visit(i.path);
  };
  visit(entry);
  return { first: [...first], later: Object.keys(outputs).filter((f) => f.endsWith('.js') && !first.has(f)) };
}

beforeAll(() => {
  app = mkdtempSync(join(tmpdir(), 'deltaflow-shake-'));
  mkdirSync(join(app, 'node_modules'));
  symlinkSync(root, join(app, 'node_modules', 'deltaflow'), 'dir');
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'deltaflow-shake-app', private: true, type: 'module' }));
  writeFileSync(join(app, 'train.mjs'), appSource(false));
  writeFileSync(join(app, 'saves.mjs'), appSource(true));
});

afterAll(() => {
  if (app) rmSync(app, { recursive: true, force: true });
});

describe("tree-shaking a train+predict app of import 'deltaflow'", () => {
  it("the markers are the package's own: each is in its module's file", () => {
    // The file and the chunks it imports, transitively.
    const closure = (file: string, seen = new Set<string>()): string[] => {
      if (seen.has(file)) return [];
      seen.add(file);
      const code = readFileSync(join(bundles, file), 'utf8');
      return [code, ...[...code.matchAll(/from\s*"\.\/(chunk-\w+\.js)"/g)].flatMap((m) => closure(m[1], seen))];
    };
    for (const m of Object.values(MARKERS)) expect(closure(m.in).join('\n')).toContain(m.text);
    expect(found(closure('core.js').join('\n'))).toEqual([]);
  });

  it('esbuild without splitting: no CSV, plot or loading code; the save code is there for model.save, and both apps run', async () => {
    const out = join(app, 'single');
    await esbuild('train.mjs', out, false);
    await esbuild('saves.mjs', out, false);
    expect(found(readFileSync(join(out, 'train.js'), 'utf8'))).toEqual(['save']);
    expect(run(join(out, 'train.js')).p).toHaveLength(2);
    expect(run(join(out, 'saves.js')).bytes).toBe((3 * 8 + 8 + 8 * 2 + 2) * 4);
  });

  it('esbuild with splitting: what loads first has no io code; model.save imports its chunk and saves', async () => {
    const out = join(app, 'split');
    const r = await esbuild('saves.mjs', out, true);
    const outputs = r.metafile!.outputs;
    const entry = Object.keys(outputs).find((f) => outputs[f].entryPoint?.endsWith('saves.mjs'))!;
    const { first, later } = staticClosure(outputs, entry);
    expect(found(first.map((f) => readFileSync(join(app, f), 'utf8')).join('\n'))).toEqual([]);
    expect(found(later.map((f) => readFileSync(join(app, f), 'utf8')).join('\n'))).toEqual(['save']);
    expect(run(join(app, entry)).bytes).toBe((3 * 8 + 8 + 8 * 2 + 2) * 4);
  });

  it('Vite: the entry chunk and its static imports have no io, CSV or plot code; the save code is a chunk of its own', async () => {
    const vite = await import('vite');
    writeFileSync(join(app, 'index.html'), '<!doctype html>\n<script type="module" src="./saves.mjs"></script>\n');
    const result = await vite.build({ root: app, logLevel: 'silent', configFile: false, build: { write: false, rollupOptions: { external: [/^node:/] } } });
    const chunks = (Array.isArray(result) ? result : [result]).flatMap((o) => ('output' in o ? o.output : [])).filter((c) => c.type === 'chunk');
    const byName = new Map(chunks.map((c) => [c.fileName, c]));
    const first = new Set<string>();
    const visit = (f: string) => {
      if (first.has(f) || !byName.has(f)) return;
      first.add(f);
      byName.get(f)!.imports.forEach(visit);
    };
    chunks.filter((c) => c.isEntry).forEach((c) => visit(c.fileName));
    expect(first.size).toBeGreaterThan(0);
    expect(found(chunks.filter((c) => first.has(c.fileName)).map((c) => c.code).join('\n'))).toEqual([]);
    expect(found(chunks.filter((c) => !first.has(c.fileName)).map((c) => c.code).join('\n'))).toEqual(['save']);
  }, 120_000);
});
