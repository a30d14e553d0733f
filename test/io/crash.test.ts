// Crash safety of file:// saves: a child process saves two models over each other in a loop (a small
// one and one of 4 million parameters) and is killed with SIGKILL at several moments; the folder must
// then load as one of the two models exactly — never a mix, never a half-written file.
import { build } from 'esbuild';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import * as df from '../../src/index.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
let work: string;
let child: string;

// The child is deltaflow's src bundled by esbuild (a child node cannot import TypeScript).
const CHILD = `
import * as df from './src/index.ts';
import { readFile } from 'node:fs/promises';
const [dir, wasm] = process.argv.slice(2);
await df.ready({ bytes: await readFile(wasm) });
const { small, large } = models(df);
process.stdout.write('ready\\n');
for (let i = 0; ; i++) {
  await (i % 2 ? small : large).save('file://' + dir);
  process.stdout.write('saved\\n');
}
${models.toString()}
`;

function models(lib: typeof df) {
  const small = lib.sequential({ seed: 1, layers: [lib.layers.dense({ units: 8, activation: 'tanh', inputShape: [1000] }), lib.layers.dense({ units: 1000 })] });
  const large = lib.sequential({ seed: 2, layers: [lib.layers.dense({ units: 2000, activation: 'relu', inputShape: [1000] }), lib.layers.dense({ units: 1000 })] });
  return { small, large };
}

beforeAll(async () => {
  await df.ready();
  work = await mkdtemp(join(tmpdir(), 'deltaflow-crash-'));
  child = join(work, 'child.mjs');
  await build({ stdin: { contents: CHILD, resolveDir: root, loader: 'ts' }, bundle: true, platform: 'node', format: 'esm', outfile: child, logLevel: 'error' });
});

afterAll(() => rm(work, { recursive: true, force: true }));

const same = (a: df.Sequential, b: df.Sequential) =>
  a.getWeights().every((w, i) => Buffer.from(w.dataSync().buffer).equals(Buffer.from(b.getWeights()[i].dataSync().buffer)));

/**
 * Starts the child saving into `dir` (large, small, large, …; one line on stdout when ready and after
 * each save) and SIGKILLs it `delay` ms after line `after`; resolves once it is dead.
 */
function saveAndKill(dir: string, after: number, delay: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, dir, join(root, 'build', 'deltaflow.wasm')], { stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    let lines = 0;
    p.stderr.on('data', (d) => (err += d));
    p.stdout.on('data', (d: Buffer) => {
      for (const c of d.toString()) if (c === '\n' && lines++ === after) setTimeout(() => p.kill('SIGKILL'), delay);
    });
    p.on('exit', (code, signal) => (signal === 'SIGKILL' ? resolve() : reject(new Error(`child exited with ${code}: ${err}`))));
  });
}

it('a save killed at any moment leaves the old model or the new one, complete', async () => {
  const { small, large } = models(df);
  const dir = join(work, 'model');
  await small.save(`file://${dir}`);
  const seen = { small: 0, large: 0, interrupted: 0, locked: 0 };
  // [event, delay]: event 0 is 'ready' (then a large save starts), 1 'large saved', 2 'small saved', …
  const kills = [[0, 0], [0, 30], [0, 80], [0, 130], [1, 0], [1, 4], [1, 12], [2, 10], [2, 60], [2, 120], [3, 2], [3, 8]];
  for (const [after, delay] of kills) {
    await saveAndKill(dir, after, delay);
    const files = await readdir(dir);
    if (files.some((f) => f.endsWith('.next') || f.endsWith('.tmp'))) seen.interrupted++;
    if (files.includes('model.json.lock')) seen.locked++; // the next child takes it over: its process is gone
    const loaded = await df.loadLayersModel(`file://${dir}`);
    const which = same(loaded, small) ? 'small' : same(loaded, large) ? 'large' : undefined;
    expect(which, `after a kill ${delay} ms after event ${after} (files: ${files.join(', ')})`).toBeDefined();
    seen[which!]++;
    loaded.dispose();
  }
  // The kills did land inside saves (staging files left behind), and both outcomes occurred.
  expect(seen.interrupted).toBeGreaterThan(0);
  expect(seen.locked).toBeGreaterThanOrEqual(seen.interrupted);
  expect(seen.small + seen.large).toBe(kills.length);
  expect(seen.small).toBeGreaterThan(0);
  expect(seen.large).toBeGreaterThan(0);
  console.log(`crash test: ${JSON.stringify(seen)}`);
}, 30_000);
