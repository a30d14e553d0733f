// Runs the deltaflow command in this process through run(argv, io), capturing stdout and stderr, in a
// temporary working folder, so CLI tests cost no child process and no build.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect } from 'vitest';
import { run } from '../../src/cli/main.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `deltaflow …args` in-process; stdout is not a terminal, as in a pipe. */
export async function cli(...args: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await run(args, {
    print: (line) => void (stdout += line + '\n'),
    write: (text) => void (stdout += text),
    warn: (line) => void (stderr += line + '\n'),
  });
  return { code, stdout, stderr };
}

/** A failure: the given exit code, exactly one line on stderr (no stack trace), matching `pattern`. */
export function expectError(r: Run, code: number, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(code);
  const lines = r.stderr.trimEnd().split('\n');
  expect(lines, r.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^deltaflow( \w+)?: /);
  expect(lines[0]).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /);
}

/** Runs the file's tests in a fresh temporary folder (the working directory), removed afterwards. */
export function inTempDir(prefix = 'deltaflow-cli-'): { readonly dir: string } {
  const state = { dir: '' };
  let previous = '';
  beforeAll(() => {
    previous = process.cwd();
    state.dir = mkdtempSync(path.join(tmpdir(), prefix));
    process.chdir(state.dir);
  });
  afterAll(() => {
    if (previous) process.chdir(previous);
    if (state.dir) rmSync(state.dir, { recursive: true, force: true });
  });
  return state;
}
