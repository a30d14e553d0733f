// The platform registry's threads: given worker_threads, a lazy Worker, the host's preamble and core count;
// without it, none (Bun, browsers and Workers use Web Workers or one thread). And its processes (the
// file:// save lock's view of who holds it).
import { spawn } from 'node:child_process';
import * as fs from 'node:fs/promises';
import * as os from 'node:os';
import * as path from 'node:path';
import * as url from 'node:url';
import { describe, expect, it } from 'vitest';
import { createNodePlatform, nodePlatform, type NodeFs, type NodeThreads } from '../src/platform.js';

describe('platform threads', () => {
  it('reads Worker only when a pool starts, and counts cores from os', () => {
    let reads = 0;
    const Worker = class {} as unknown as NodeThreads['Worker'];
    const workerThreads = {
      get Worker() {
        reads++;
        return Worker;
      },
      preamble: 'import { parentPort } from "somewhere";',
    };
    const p = createNodePlatform(fs as unknown as NodeFs, path, url, workerThreads, { availableParallelism: () => 6, cpus: () => [] });
    expect(reads).toBe(0);
    expect(p.threads?.Worker).toBe(Worker);
    expect(reads).toBe(1);
    expect(p.threads?.preamble).toBe(workerThreads.preamble);
    expect(p.threads?.cores()).toBe(6);
    expect(createNodePlatform(fs as unknown as NodeFs, path, url, workerThreads, { cpus: () => [1, 2, 3] }).threads?.cores()).toBe(3);
  });

  it('has no threads without worker_threads', () => {
    expect(createNodePlatform(fs as unknown as NodeFs, path, url).threads).toBeUndefined();
  });

  it("detected in Node from process.getBuiltinModule, importing parentPort by bare name (a data: URL module may)", () => {
    expect(nodePlatform()?.threads?.preamble).toBe("import { parentPort } from 'worker_threads';");
  });
});

describe('platform processes', () => {
  it('knows this process and tells a running process from one that has exited', async () => {
    const p = nodePlatform()!.processes!;
    expect(p.pid).toBe(process.pid);
    expect(p.hostname()).toBe(os.hostname());
    expect(p.alive(process.pid)).toBe(true);
    const child = spawn(process.execPath, ['-e', '']);
    const pid = await new Promise<number>((r) => child.on('exit', () => r(child.pid!)));
    expect(p.alive(pid)).toBe(false);
  });
});
