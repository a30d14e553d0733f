// The parent↔child protocol: a child prints exactly one marked JSON line; the parent spawns and parses it.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const MARK = '@@bench-result ';

/** Node flags an engine's child needs: relaxed SIMD is behind a V8 flag before Node 22. */
export function engineExecArgv(engine) {
  const major = Number(process.versions.node.split('.')[0]);
  return engine === 'deltaflow-relaxed' && major < 22 ? ['--experimental-wasm-relaxed-simd'] : [];
}

/** Child side: print the result (plus this process's peak RSS) as the one marked line; resolves once flushed. */
export function emit(result) {
  const maxRssMB = process.resourceUsage().maxRSS / 1024; // maxRSS is in KiB
  return new Promise((resolve) => process.stdout.write(MARK + JSON.stringify({ ...result, maxRssMB }) + '\n', resolve));
}

/** Parent side: run `node [...execArgv] script ...args`, resolve { result, error, seconds, stderr }. Never rejects. */
export function runChild(script, args = [], { timeoutMs = 180_000, execArgv = [], env = process.env } = {}) {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [...execArgv, script, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const seconds = (performance.now() - t0) / 1000;
      const line = stdout.split('\n').find((l) => l.startsWith(MARK));
      let result;
      try {
        result = line && JSON.parse(line.slice(MARK.length));
      } catch {}
      const error = result?.error ?? (result ? undefined : `exit ${code ?? signal}${signal === 'SIGKILL' ? ' (timed out)' : ''}: ${stderr.trim().split('\n').slice(-3).join(' | ')}`);
      resolve({ result, error, seconds, stderr });
    });
  });
}
