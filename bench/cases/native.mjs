// Case 2b: the native reference for the train case — NumPy + OpenBLAS on ONE thread trains the same MLPs (relu,
// softmax + categorical crossentropy, Keras's Adam) on the same MNIST digits (bench/native/mlp_numpy.py). Where
// python3 or NumPy is missing the case says so and is skipped, never failed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mnist } from '../lib/data.mjs';
import { load1 } from '../lib/machine.mjs';
import { rates } from '../lib/stats.mjs';
import { table, range, num } from '../lib/markdown.mjs';
import { CONFIGS } from './train.mjs';

const script = fileURLToPath(new URL('../native/mlp_numpy.py', import.meta.url));
/** One BLAS thread whichever threading layer NumPy's BLAS was built with (set before NumPy loads). */
export const ONE_THREAD = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', VECLIB_MAXIMUM_THREADS: '1', NUMEXPR_NUM_THREADS: '1' };
const python = () => process.env.DF_BENCH_PYTHON || 'python3';
// The interpreter, NumPy and the BLAS NumPy was built against (numpy.show_config's build dependencies).
const PROBE = `import json, sys, numpy
blas = {}
try:
    blas = numpy.show_config(mode="dicts")["Build Dependencies"]["blas"]
except Exception:
    pass
print(json.dumps({"python": sys.version.split()[0], "numpy": numpy.__version__, "blas": " ".join(str(blas.get(k, "")) for k in ("name", "version")).strip()}))`;

/** Why the native reference cannot run here (no python3, no NumPy), or undefined with what it runs on. */
function probe() {
  const r = spawnSync(python(), ['-c', PROBE], { encoding: 'utf8', env: { ...process.env, ...ONE_THREAD } });
  if (r.error) return { skipped: `${python()} not found (${r.error.code ?? r.error.message}): the NumPy reference was not run` };
  if (r.status !== 0) return { skipped: `NumPy is not importable by ${python()} (${r.stderr.trim().split('\n').at(-1)}): the NumPy reference was not run` };
  try {
    return { info: JSON.parse(r.stdout.trim().split('\n').at(-1)) };
  } catch {
    return { skipped: `${python()} did not report a NumPy version (printed ${JSON.stringify(r.stdout.slice(0, 80))}): the NumPy reference was not run` };
  }
}

/** The train case's digits as one little-endian float32 file: rows×784 pixels, then rows×10 one-hot labels. */
function exportDigits(rows) {
  const ds = mnist(rows);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deltaflow-native-'));
  const file = path.join(dir, 'mnist.f32');
  const bytes = (a) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  fs.writeFileSync(file, Buffer.concat([bytes(ds.x.subarray(0, rows * 784)), bytes(ds.y.subarray(0, rows * 10))]));
  return { dir, file };
}

/** Runs in the parent: each train configuration in its own python3 process, one after another. */
export async function runInParent({ quick }) {
  const { skipped, info } = probe();
  if (skipped) return { skipped };
  // The trainer's backprop against central differences first: a wrong gradient would make a fast, useless number.
  const check = spawnSync(python(), [script, '--check'], { encoding: 'utf8', env: { ...process.env, ...ONE_THREAD } });
  if (check.status !== 0) throw new Error(`bench/native/mlp_numpy.py --check failed: ${(check.stderr || check.stdout).trim().split('\n').at(-1)}`);
  const { gradientCheckWorstRelativeError } = JSON.parse(check.stdout.trim().split('\n').at(-1));
  const rows = 10000;
  const passes = quick ? 5 : 9; // timed passes after one untimed warm-up pass
  const { dir, file } = exportDigits(rows);
  try {
    const configs = [];
    for (const c of CONFIGS) {
      const load = load1();
      const r = spawnSync(python(), [script, file, String(rows), c.sizes.join('-'), String(c.batch), String(passes)], { encoding: 'utf8', env: { ...process.env, ...ONE_THREAD }, timeout: 240_000 });
      const line = r.stdout?.trim().split('\n').at(-1);
      if (r.status !== 0 || !line) {
        configs.push({ config: c.id, load1: load, error: `exit ${r.status ?? r.signal}: ${(r.stderr ?? '').trim().split('\n').slice(-2).join(' | ')}` });
        continue;
      }
      const out = JSON.parse(line);
      if (!out.losses.every(Number.isFinite)) throw new Error(`NumPy ${c.id}: training loss ${out.losses} is not finite`);
      // Never report a multi-threaded BLAS as the one-thread reference.
      if (out.threads !== null && out.threads !== 1) throw new Error(`NumPy ${c.id}: the python process ran ${out.threads} threads, not 1 (is ${python()}'s BLAS honouring OPENBLAS_NUM_THREADS?)`);
      configs.push({ config: c.id, load1: load, rows, batch: c.batch, samplesPerSec: rates(out.seconds, rows), losses: out.losses, accuracyAfterOneEpoch: out.accuracyAfterOneEpoch, cpuPerWall: out.cpuPerWall, threads: out.threads });
    }
    return { ...info, env: ONE_THREAD, gradientCheckWorstRelativeError, configs };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The native result of a train configuration id, when it ran. */
export const nativeAt = (native, config) => native?.configs?.find((c) => c.config === config && c.samplesPerSec);

export function render(result) {
  const head = '## 2b. Native reference: NumPy + OpenBLAS, one thread (bench/native/mlp_numpy.py)';
  if (result.skipped) return `${head}\n\nSkipped: ${result.skipped}.`;
  const rows = result.configs.map((c) =>
    c.error
      ? [c.config, `failed: ${c.error.slice(0, 120)}`, '—', '—', '—', num(c.load1, 1)]
      : [c.config, range(c.samplesPerSec), `${num(c.losses[0], 4)} → ${num(c.losses.at(-1), 4)}`, `${num(c.accuracyAfterOneEpoch * 100, 1)}%`, `${c.threads ?? '?'} / ${num(c.cpuPerWall, 2)}`, num(c.load1, 1)],
  );
  return [
    head,
    '',
    `Python ${result.python}, NumPy ${result.numpy}, BLAS ${result.blas || 'unknown'}; ${Object.entries(result.env).map(([k, v]) => `${k}=${v}`).join(' ')}. ` +
      'The train case\'s model as plain float32 array code: glorot-uniform weights, relu hidden layers, softmax, categorical crossentropy (probabilities clipped to [1e-7, 1 − 1e-7]), ' +
      'Keras 3\'s Adam (lr 0.001, β 0.9/0.999, ε 1e-7), each pass shuffled and each batch gathered from the permutation; the same 10,000 `mnist` digits, exported by node to a float32 file. ' +
      'samples/s: median (min–max) of the timed one-epoch passes after one untimed pass. ' +
      `Backpropagation checked against central differences (float64, 6-5-4-3) before timing: worst relative error ${result.gradientCheckWorstRelativeError?.toExponential(1) ?? '—'}. ` +
      'OS threads: the python process\'s threads during training (1 = no BLAS worker threads).',
    '',
    table(['configuration', 'samples/s', 'training loss, first pass → last', 'training accuracy after one epoch', 'OS threads / CPU÷wall', 'load at start'], rows),
  ].join('\n');
}
