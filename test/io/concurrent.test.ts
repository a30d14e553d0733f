// Concurrent file:// saves to one folder, in one process and across processes, with loads running
// meanwhile: every save completes or says why in words, and the folder always loads as exactly one of
// the saved models (its model.json and weights.bin from the same save, never a mix).
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as df from '../../src/index.js';
import { ChangedWhileReading } from '../../src/io/errors.js';
import { capture, modelJSON } from './helpers.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let work: string;
let child: string;

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

// A child saves its model (argv: dir, index, rounds) `rounds` times once told to go on stdin.
const CHILD = `
import * as df from './src/index.ts';
import { readFile } from 'node:fs/promises';
const [dir, index, rounds, wasm] = process.argv.slice(2);
await df.ready({ bytes: await readFile(wasm) });
const model = models(df)[Number(index)];
process.stdout.write('ready\\n');
await new Promise((r) => process.stdin.once('data', r));
for (let i = 0; i < Number(rounds); i++) await model.save('file://' + dir);
process.exit(0);
${models.toString()}
`;

beforeAll(async () => {
  await df.ready();
  work = await mkdtemp(join(tmpdir(), 'deltaflow-concurrent-'));
  child = join(work, 'child.mjs');
  await build({ stdin: { contents: CHILD, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'error' });
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

  it('loads running while saves run each see one complete model', async () => {
    const saved = models(df);
    const dir = join(work, 'load-while-saving');
    await saved[0].save(`file://${dir}`);
    let saving = true;
    const saves = (async () => {
      for (let i = 0; i < 60 && saving; i++) await Promise.all(saved.map((m) => m.save(`file://${dir}`)));
    })().finally(() => (saving = false));
    let loads = 0;
    try {
      while (saving) {
        await loadsAsOne(dir, saved);
        loads++;
      }
    } finally {
      saving = false;
      await saves;
    }
    expect(loads).toBeGreaterThan(10);
  });
});

it('a model replaced at every read is read again a few times, then named', async () => {
  const json = modelJSON(await capture((h) => models(df)[0].save(h)));
  let reads = 0;
  let released = 0;
  const handler = {
    loadStaged: async () => {
      reads++;
      return {
        json,
        where: 'the model',
        readWeights: () => Promise.reject(new ChangedWhileReading('the model')),
        release: async () => void released++,
      };
    },
  };
  const e = await df.loadLayersModel(handler as never).catch((err) => err);
  expect(e).toBeInstanceOf(df.ModelFormatError);
  expect(e.message).toMatch(/the model was replaced by another save 10 times while being read/);
  expect([reads, released]).toEqual([10, 10]);
});

/** Starts a child saving model `index` `rounds` times into `dir`; resolves once it is ready. */
function start(dir: string, index: number, rounds: number): Promise<{ p: ChildProcess; done: Promise<void> }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, dir, String(index), String(rounds), join(root, 'build', 'deltaflow.wasm')], { stdio: ['pipe', 'pipe', 'pipe'] });
    let err = '';
    p.stderr!.on('data', (d) => (err += d));
    const done = new Promise<void>((ok, fail) => p.on('exit', (code) => (code === 0 ? ok() : fail(new Error(`child ${index} exited with ${code}: ${err}`)))));
    done.catch(reject);
    p.stdout!.once('data', () => resolve({ p, done }));
  });
}

describe('concurrent saves from several processes', () => {
  it('3 processes save different models to one folder while this one loads it', async () => {
    const saved = models(df);
    const dir = join(work, 'processes');
    await saved[0].save(`file://${dir}`);
    const children = await Promise.all(saved.map((_, i) => start(dir, i, 25)));
    for (const c of children) c.p.stdin!.end('go\n');
    let running = true;
    const all = Promise.all(children.map((c) => c.done)).finally(() => (running = false));
    let loads = 0;
    try {
      while (running) {
        await loadsAsOne(dir, saved);
        loads++;
      }
    } finally {
      if (running) for (const c of children) c.p.kill();
      await all.catch(() => undefined);
    }
    await all;
    await loadsAsOne(dir, saved);
    expect((await readdir(dir)).sort()).toEqual(['model.json', 'weights.bin']);
    expect(loads).toBeGreaterThan(0);
  }, 60_000);
});
