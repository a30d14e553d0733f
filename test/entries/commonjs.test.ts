// CommonJS: `require('deltaflow')` loads the Node entry (an ES module without top-level await, which Node
// ≥ 20.19 and 22 load synchronously) and trains; threads still start from it, and df.text loads its code
// (the bundle's extras.js, required on first use) from there too. Run in a child process
// against the built package, as a CommonJS user would.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(root, 'dist/bundles/node/deltaflow.js');
const [major, minor] = process.versions.node.split('.').map(Number);
const requireEsm = major > 22 || major === 22 || (major === 20 && minor >= 19);

describe.skipIf(!existsSync(bundle) || !requireEsm)('require() from CommonJS', () => {
  it("require('deltaflow') trains XOR and starts a thread", () => {
    const dir = mkdtempSync(join(tmpdir(), 'deltaflow-cjs-'));
    try {
      const file = join(dir, 'main.cjs');
      writeFileSync(
        file,
        `const df = require(${JSON.stringify(bundle)});
(async () => {
  await df.ready();
  const m = df.sequential({ seed: 1, layers: [df.layers.dense({ units: 8, activation: 'tanh', inputShape: [2] }), df.layers.dense({ units: 1, activation: 'sigmoid' })] });
  m.compile({ optimizer: df.optimizers.adam({ learningRate: 0.05 }), loss: 'binaryCrossentropy' });
  const x = [[0, 0], [0, 1], [1, 0], [1, 1]];
  await m.fit(x, [[0], [1], [1], [0]], { epochs: 500, batchSize: 4, verbose: 0 });
  const threads = await df.setThreads(2);
  await df.setThreads(1);
  const padded = Array.from(df.text.padSequences([[4, 5]], { maxlen: 3 }).dataSync());
  console.log(JSON.stringify({ p: Array.from(m.predict(x).dataSync()), threads, padded }));
})().catch((e) => { console.error(e); process.exit(1); });
`,
      );
      const out = JSON.parse(execFileSync(process.execPath, [file], { encoding: 'utf8' }).trim().split('\n').pop()!);
      expect(out.threads).toBe(2);
      expect(out.padded).toEqual([0, 4, 5]);
      expect(out.p[0]).toBeLessThan(0.2);
      expect(out.p[1]).toBeGreaterThan(0.8);
      expect(out.p[2]).toBeGreaterThan(0.8);
      expect(out.p[3]).toBeLessThan(0.2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
