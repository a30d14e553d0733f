// Child processes with a deadline: each runs in its own process group, which is killed (only that group)
// when the deadline passes or the caller stops it.
import { spawn } from 'node:child_process';

/** Runs a command to completion; resolves { code, stdout, stderr, ms, timedOut } (never rejects on exit codes). */
export function run(cmd, args, { cwd, env, timeoutMs = 120_000, input } = {}) {
  return new Promise((resolve) => {
    const started = performance.now();
    let child;
    try {
      child = spawn(cmd, args, { cwd, env: env ?? process.env, detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
    } catch (e) {
      resolve({ code: -1, stdout: '', stderr: String(e), ms: 0, timedOut: false });
      return;
    }
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, timeoutMs);
    child.on('error', (e) => (stderr += String(e)));
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? (signal ? 128 : -1), signal, stdout, stderr, ms: performance.now() - started, timedOut });
    });
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}

/** Starts a long-running command (a server); returns { child, output(), stop() }. */
export function start(cmd, args, { cwd, env } = {}) {
  const child = spawn(cmd, args, { cwd, env: env ?? process.env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  child.on('error', (e) => (out += String(e)));
  const exited = new Promise((r) => child.on('close', r));
  return {
    child,
    exited,
    output: () => out,
    async stop() {
      killGroup(child);
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    },
  };
}

function killGroup(child) {
  if (child.pid === undefined || child.exitCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    try {
      child.kill('SIGKILL');
    } catch {
      // already gone
    }
  }
}
