// The packed package as a new user gets it: `npm pack`, then `npm install --offline <tarball>` into an
// empty app, then deltaflow from ESM, CommonJS, the command line, TypeScript (strict, node16 and bundler
// resolution, the Workers' wasm import included) and an esbuild browser bundle. The bundles in
// Chromium (esbuild, Vite, a plain page) run in the runtime matrix (npm run test:runtimes).
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
let work: string;
let app: string;
let install: SpawnSyncReturns<string>;

function node(args: string[], cwd = app): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: 120_000 });
}

const XOR = `await df.ready();
const model = df.sequential({ seed: 7, layers: [
  df.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }),
  df.layers.dense({ units: 1, activation: 'sigmoid' }),
]});
model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
const h = await model.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], { epochs: 300, batchSize: 4, verbose: 0 });
console.log(JSON.stringify({ loss: h.history.loss.at(-1), p: Array.from(model.predict([[0, 0], [0, 1], [1, 0], [1, 1]]).dataSync()) }));`;

function expectXorLearned(r: SpawnSyncReturns<string>): void {
  expect(r.status, r.stderr).toBe(0);
  const { loss, p } = JSON.parse(r.stdout.trim().split('\n').pop()!);
  expect(loss).toBeLessThan(0.05);
  expect(p.map(Math.round)).toEqual([0, 1, 1, 0]);
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'deltaflow-install-'));
  app = join(work, 'app');
  mkdirSync(app);
  const pack = spawnSync('npm', ['pack', '--json', '--pack-destination', work], { cwd: root, encoding: 'utf8' });
  if (pack.status !== 0) throw new Error(`npm pack failed: ${pack.stderr}`);
  const tarball = join(work, JSON.parse(pack.stdout)[0].filename);
  writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'deltaflow-install-app', version: '1.0.0', private: true }, null, 2));
  install = spawnSync('npm', ['install', '--offline', '--no-audit', '--no-fund', tarball], { cwd: app, encoding: 'utf8', timeout: 120_000 });
  if (install.status !== 0) throw new Error(`npm install --offline ${tarball} failed: ${install.stderr}`);
}, 180_000);

afterAll(() => {
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('npm install of the packed tarball', () => {
  it('installs offline without a warning about install scripts', () => {
    expect(install.stderr).not.toMatch(/install-scripts|allowScripts|prepare/);
    expect(existsSync(join(app, 'node_modules', 'deltaflow', 'dist', 'bundles', 'deltaflow.wasm'))).toBe(true);
  });

  it("trains XOR from ESM: import * as df from 'deltaflow'", () => {
    writeFileSync(join(app, 'esm.mjs'), `import * as df from 'deltaflow';\n${XOR}\n`);
    expectXorLearned(node(['esm.mjs']));
  });

  it.skipIf(!process.features.require_module)("trains XOR from CommonJS: require('deltaflow')", () => {
    writeFileSync(join(app, 'cjs.cjs'), `const df = require('deltaflow');\n(async () => {\n${XOR}\n})().catch((e) => { console.error(e); process.exit(1); });\n`);
    expectXorLearned(node(['cjs.cjs']));
  });

  it('prints an uncaught error as a short readable line with its message', () => {
    writeFileSync(join(app, 'throws.mjs'), "import * as df from 'deltaflow';\ndf.layers.dense({ units: 0 });\n");
    const r = node(['throws.mjs']);
    expect(r.status).toBe(1);
    const lines = r.stderr.split('\n');
    const at = lines.findIndex((l) => l.includes('dense: units must be a positive integer, got 0'));
    expect(at, r.stderr.slice(0, 800)).toBeGreaterThanOrEqual(0);
    expect(at).toBeLessThan(8);
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(300);
  });

  it('runs the command line: npx deltaflow train on a CSV file', () => {
    writeFileSync(join(app, 'xor.csv'), 'a,b,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n');
    const r = node([join(app, 'node_modules', '.bin', 'deltaflow'), 'train', 'xor.csv', '--target', 'y', '--layers', '8', '--epochs', '5', '--batch-size', '4', '--seed', '7']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/Training +\(4 rows\): loss \d/);
  });

  const typed = `import * as df from 'deltaflow';
import { readCsv } from 'deltaflow/data';
import * as workers from 'deltaflow/workers';
import wasm from 'deltaflow/deltaflow.wasm';

export async function xor(): Promise<number[]> {
  await df.ready();
  const model: df.Sequential = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
  model.compile({ optimizer: df.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
  const h: df.History = await model.fit([[0, 0], [0, 1], [1, 0], [1, 1]], [[0], [1], [1], [0]], { epochs: 300, batchSize: 4, verbose: 0 });
  const loss: number = h.history.loss[0];
  // @ts-expect-error units is a number: the types are real, not any
  df.layers.dense({ units: 'eight' });
  return [loss, ...Array.from(model.predict([[1, 0]]).dataSync())];
}

export async function worker(): Promise<Response> {
  const module: WebAssembly.Module = wasm;
  await workers.ready({ module });
  return Response.json(typeof readCsv);
}
`;

  // One compiler in this process for both settings, sharing parsed lib and package declarations.
  const parsed = new Map<string, ts.SourceFile | undefined>();
  function typeCheck(dir: string, options: ts.CompilerOptions): string[] {
    const host = ts.createCompilerHost(options);
    const read = host.getSourceFile.bind(host);
    host.getSourceFile = (name, lang, ...rest) => {
      if (name.startsWith(dir + '/') && !name.includes('/node_modules/')) return read(name, lang, ...rest);
      if (!parsed.has(name)) parsed.set(name, read(name, lang, ...rest));
      return parsed.get(name);
    };
    const program = ts.createProgram([join(dir, 'index.ts')], options, host);
    return ts.getPreEmitDiagnostics(program).map((d) => `${d.file ? `${d.file.fileName} ` : ''}TS${d.code}: ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  }

  it.each([
    ['node16', { module: ts.ModuleKind.Node16, moduleResolution: ts.ModuleResolutionKind.Node16 }],
    ['bundler', { module: ts.ModuleKind.ESNext, moduleResolution: ts.ModuleResolutionKind.Bundler }],
  ])('type-checks with strict TypeScript, moduleResolution %s, the Workers wasm import included', (name, options) => {
    const dir = join(app, `ts-${name}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
    writeFileSync(join(dir, 'index.ts'), typed);
    // A user's tsconfig: strict, the DOM's types, no @types/node; the package's declarations are checked too.
    expect(typeCheck(dir, { ...options, target: ts.ScriptTarget.ES2022, lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'], types: [], strict: true, noEmit: true, skipLibCheck: false, skipDefaultLibCheck: true })).toEqual([]);
  });

  it("keeps model.save in an esbuild bundle of 'deltaflow' that names nothing from io (ready() lets model.save import the save code on first use)", async () => {
    const { build } = await import('esbuild');
    const wasm = join(app, 'node_modules', 'deltaflow', 'dist', 'bundles', 'deltaflow.wasm');
    writeFileSync(
      join(app, 'saves.mjs'),
      `import * as df from 'deltaflow';
import { readFileSync } from 'node:fs';
await df.ready({ bytes: readFileSync(${JSON.stringify(wasm)}) });
const model = df.sequential({ seed: 7, layers: [df.layers.dense({ units: 2, inputShape: [3] })] });
const saved = await model.save({ save: async (a) => ({ modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: a.weightData.byteLength } }) });
console.log(saved.modelArtifactsInfo.weightDataBytes);
`,
    );
    const out = join(app, 'saves-out', 'saves.js');
    await build({ entryPoints: [join(app, 'saves.mjs')], absWorkingDir: app, bundle: true, format: 'esm', platform: 'browser', external: ['node:*'], outfile: out, logLevel: 'silent' });
    const r = node([out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe(String((3 * 2 + 2) * 4));
  });

  it("bundles with esbuild for the browser so the .wasm URL points next to the bundle", async () => {
    const { build } = await import('esbuild');
    writeFileSync(join(app, 'web.mjs'), "import * as df from 'deltaflow';\nawait df.ready();\nconsole.log(df.sequential);\n");
    const out = join(app, 'out');
    await build({ entryPoints: [join(app, 'web.mjs')], absWorkingDir: app, bundle: true, format: 'esm', platform: 'browser', outdir: out, logLevel: 'silent' });
    const js = readFileSync(join(out, 'web.js'), 'utf8');
    const urls = [...js.matchAll(/new URL\("([^"]+\.wasm)", import\.meta\.url\)/g)].map((m) => m[1]).sort();
    expect(urls).toEqual(['./deltaflow.relaxed.wasm', './deltaflow.threads.wasm', './deltaflow.wasm']);
    // The README's recipe: copy the .wasm next to the bundle, where that URL finds it.
    copyFileSync(join(app, 'node_modules', 'deltaflow', 'dist', 'bundles', 'deltaflow.wasm'), join(out, 'deltaflow.wasm'));
    expect(existsSync(fileURLToPath(new URL(urls[2], `file://${out}/web.js`)))).toBe(true);
  });
});
