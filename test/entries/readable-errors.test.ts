// The Node entry is shipped unminified: an uncaught error prints the line that threw and the message,
// not a 40 KB line of code. Built into a scratch directory, run in a child process as a user's script.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNode } from '../../scripts/build-bundles.mjs';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'deltaflow-errors-'));
  await buildNode({ outDir: dir });
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

// The error a user's script leaves uncaught, and what Node prints for it.
async function uncaught(file: string, code: string): Promise<string[]> {
  await writeFile(join(dir, file), code);
  const r = spawnSync(process.execPath, [join(dir, file)], { encoding: 'utf8' });
  expect(r.status).toBe(1);
  return r.stderr.split('\n');
}

function expectReadable(lines: string[]): void {
  const at = lines.findIndex((l) => l.includes('dense: units must be a positive integer, got 0'));
  expect(at, lines.slice(0, 10).join('\n').slice(0, 800)).toBeGreaterThanOrEqual(0);
  expect(at).toBeLessThan(8);
  expect(Math.max(...lines.map((l) => l.length)), 'longest stderr line').toBeLessThanOrEqual(300);
}

const entry = (): string => join(dir, 'node', 'deltaflow.js');

describe('an uncaught error from the Node entry', () => {
  it('from import prints the message within its first lines, every line short', async () => {
    expectReadable(await uncaught('main.mjs', `import * as df from ${JSON.stringify(pathToFileURL(entry()).href)};\ndf.layers.dense({ units: 0 });\n`));
  });

  it.skipIf(!process.features.require_module)('from require prints the message within its first lines, every line short', async () => {
    expectReadable(await uncaught('main.cjs', `const df = require(${JSON.stringify(entry())});\ndf.layers.dense({ units: 0 });\n`));
  });
});
