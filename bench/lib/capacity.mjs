// How much of two cores the machine gives right now. On a virtual machine a core can be shared with work
// the guest never sees (its load average and CPU use stay low), and two threads suffer from it first:
// the same busy loop runs in two processes at once, and their combined work is set against twice that of
// one process alone, measured just before. 100% = both cores fully ours; 50% = only one core's worth.
import { spawn } from 'node:child_process';

const MS = 300;
const LOOP = `const t0 = performance.now(); let x = 0, n = 0;
while (performance.now() - t0 < ${MS}) { for (let i = 0; i < 100000; i++) x = (x * 1.0000001 + 1) % 1e9; n++; }
process.stdout.write(String(n + (x < 0 ? 1 : 0)));`;

/** Loop rounds one child completes in MS ms. */
function child() {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', LOOP], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => (out += d));
    p.on('error', reject);
    p.on('close', (code) => (code === 0 ? resolve(Number(out)) : reject(new Error(`capacity probe exited with ${code}`))));
  });
}

/** Fraction of two cores available (0–1, rounded to 0.01), or undefined when the probe fails. */
export async function twoCoreCapacity() {
  try {
    const alone = await child();
    const both = await Promise.all([child(), child()]);
    return Math.round(((both[0] + both[1]) / (2 * alone)) * 100) / 100;
  } catch {
    return undefined;
  }
}
