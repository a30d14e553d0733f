// deltaflow train's checks of its numbers before any training: integer options, layer sizes, and a
// network too large for WebAssembly's memory; and an engine failure printed as one line.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as df from '../../src/entries/node.js';
import { cli, expectError, inTempDir } from '../helpers/cli.js';

const tmp = inTempDir('deltaflow-train-');

beforeAll(() => {
  const lines = ['a,b,label'];
  for (let i = 0; i < 40; i++) lines.push(`${Math.sin(i).toFixed(3)},${Math.cos(i).toFixed(3)},${i % 2}`);
  writeFileSync(path.join(tmp.dir, 'd.csv'), lines.join('\n') + '\n');
});

afterEach(() => vi.restoreAllMocks());

const train = (...args: string[]) => cli('train', 'd.csv', '--target', 'label', '-q', ...(args.includes('--epochs') ? [] : ['--epochs', '1']), ...args);

describe('deltaflow train: numbers out of range are refused before training (exit 2)', () => {
  it('integer options beyond 2^31 − 1 (4294967297 used to wrap to a batch of 1 in WASM)', async () => {
    expectError(await train('--batch-size', '4294967297'), 2, /^deltaflow train: option --batch-size must be ≤ 2147483647, got '4294967297'$/);
    expectError(await train('--epochs', '2147483648'), 2, /option --epochs must be ≤ 2147483647, got '2147483648'/);
    expectError(await train('--early-stopping', '1e20'), 2, /option --early-stopping must be ≤ 2147483647, got '1e20'/);
    expectError(await train('--seed', '4294967296'), 2, /option --seed must be ≤ 4294967295, got '4294967296'/);
    expectError(await train('--layers', '8,4294967297'), 2, /option --layers: 4294967297 is more than 2147483647 units, got '8,4294967297'/);
    expectError(await train('--layers', '99999999999999999999'), 2, /option --layers: 99999999999999999999 is more than 2147483647 units/);
  });

  it('a network whose weights cannot fit in the 4 GiB WebAssembly memory is refused, saying how much it needs', async () => {
    const r = await train('--layers', '1000000000');
    expectError(r, 2, /^deltaflow train: option --layers 1000000000: model 'sequential': 4,000,000,001 parameters need 59\.6 GiB \(weights, gradients and 2 optimizer slots\), more than WebAssembly's 4 GiB memory; the largest tensor is dense\/kernel \[2, 1000000000\]$/);
    expectError(await train('--layers', '200000,20000', '--optimizer', 'sgd'), 2, /option --layers 200000,20000: model 'sequential': 4,000,640,001 parameters need 29\.8 GiB \(weights and gradients\)/);
  });

  it("an engine error (e.g. memory it cannot get) is one line, exit 1, and the model is freed", async () => {
    const dispose = vi.spyOn(df.Sequential.prototype, 'dispose');
    vi.spyOn(df.Sequential.prototype, 'fit').mockRejectedValue(new Error('cannot grow WebAssembly memory to 6.2 GB:\n  the arena needs 6.2 GB'));
    expectError(await train('--layers', '8'), 1, /^deltaflow train: cannot grow WebAssembly memory to 6\.2 GB: the arena needs 6\.2 GB$/);
    expect(dispose).toHaveBeenCalledTimes(1);
  });
});
