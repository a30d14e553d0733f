// bin/deltaflow.mjs as users run it: a child process on the built dist/ (test/setup/dist.ts makes sure it
// is current), its real stdout, stderr and exit code. Everything else about the CLI runs in-process
// (cli.test.ts and the others here).
import { execFile, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as df from '../../src/entries/node.js';
import { inTempDir, type Run } from '../helpers/cli.js';

const bin = fileURLToPath(new URL('../../bin/deltaflow.mjs', import.meta.url));
const tmp = inTempDir('deltaflow-bin-');

function spawnCli(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], { cwd: tmp.dir, encoding: 'utf8', maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

/** y = 1 when a + b > 0: 64 rows. */
function writeXor(file: string): void {
  const lines = ['a,b,label'];
  for (let i = 0; i < 64; i++) {
    const a = Math.sin(i * 1.7).toFixed(3);
    const b = Math.cos(i * 2.3).toFixed(3);
    lines.push(`${a},${b},${Number(a) + Number(b) > 0 ? 1 : 0}`);
  }
  writeFileSync(path.join(tmp.dir, file), lines.join('\n') + '\n');
}

describe('bin/deltaflow.mjs', () => {
  it('trains and predicts through the process: output on stdout, exit 0; a failure is one stderr line and its exit code', async () => {
    writeXor('sum.csv');
    const train = await spawnCli('train', 'sum.csv', '--target', 'label', '--layers', '4', '--epochs', '3', '--seed', '1', '--save', 'm', '-q');
    expect(train.code, train.stderr).toBe(0);
    expect(train.stdout).toMatch(/^Read sum.csv: 64 rows × 3 columns\n/);
    expect(train.stdout).toMatch(/Saved the model and its preprocessing to m\//);
    const predict = await spawnCli('predict', 'm', 'sum.csv');
    expect(predict.code, predict.stderr).toBe(0);
    expect(predict.stdout.split('\n')[0]).toBe('predicted_label,p_0,p_1');
    expect(predict.stdout.trimEnd().split('\n')).toHaveLength(65);
    const missing = await spawnCli('train', 'nope.csv', '--target', 'label');
    expect([missing.code, missing.stdout, missing.stderr]).toEqual([1, '', 'deltaflow train: nope.csv: no such file\n']);
    const usage = await spawnCli('train', 'sum.csv', '--target', 'label', '--epochs', 'ten');
    expect([usage.code, usage.stderr]).toEqual([2, "deltaflow train: option --epochs must be an integer, got 'ten'\n"]);
    expect(JSON.parse(readFileSync(path.join(tmp.dir, 'm', 'model.json'), 'utf8')).userDefinedMetadata.preprocessing.target).toBe('label');
  });

  it('a stdout closed after the first line (| head -1) ends the output only: training, --save and --plot finish, exit 0', async () => {
    writeXor('piped.csv');
    // 3000 epoch lines (~250 KB) overflow the pipe's buffer, so the child writes after the reader has gone.
    const args = ['train', 'piped.csv', '--target', 'label', '--layers', '4', '--epochs', '3000', '--verbose', '2', '--seed', '2', '--save', 'piped', '--plot', 'piped.svg'];
    const child = spawn(process.execPath, [bin, ...args], { cwd: tmp.dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      stdout += text;
      if (stdout.includes('\n')) child.stdout.destroy();
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => void (stderr += text));
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code, stderr).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toMatch(/^Read piped.csv: 64 rows/);
    expect(stdout).not.toMatch(/Saved the model/);
    expect(readFileSync(path.join(tmp.dir, 'piped.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);
    await df.ready();
    const model = await df.loadLayersModel(`file://${path.join(tmp.dir, 'piped')}`);
    try {
      expect((df.io.getUserDefinedMetadata(model) as { preprocessing: { training: { epochs: number } } }).preprocessing.training.epochs).toBe(3000);
    } finally {
      model.dispose();
    }
    expect(readdirSync(tmp.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
