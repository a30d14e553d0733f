// The file:// save lock: saves to one folder take turns in this process; across processes a live
// holder is waited for (and named when the wait gives up); a lock whose process is gone, that is too
// old, or that stayed empty is taken over, so a save killed with SIGKILL never blocks the next ones.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { LOCK, withSaveLock, type LockTimes } from '../../src/io/handlers/lock.js';
import { requireNodePlatform } from '../../src/platform.js';

const n = requireNodePlatform('the lock tests');
const quick: LockTimes = { waitMs: 300, staleMs: 60_000, emptyMs: 1_000 };
let work: string;
let folders = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'deltaflow-lock-'));
});

afterAll(() => rm(work, { recursive: true, force: true }));

async function folder(lock?: string): Promise<string> {
  const dir = join(work, `f${folders++}`);
  await n.fs.mkdir(dir, { recursive: true });
  if (lock !== undefined) await writeFile(join(dir, LOCK), lock);
  return dir;
}

const owner = (pid: number, time = new Date()) => JSON.stringify({ pid, host: hostname(), time: time.toISOString(), token: 'aaaaaaaaaaaaaaaa' });

/** The pid of a process that has exited. */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, ['-e', '']);
    p.on('exit', () => resolve(p.pid!));
  });
}

it('saves to one folder take turns in this process; other folders do not wait', async () => {
  const dir = await folder();
  const other = await folder();
  const log: string[] = [];
  const step = (name: string, ms: number) => async () => {
    log.push(`${name} in`);
    await new Promise((r) => setTimeout(r, ms));
    log.push(`${name} out`);
  };
  await Promise.all([withSaveLock(n, dir, step('a', 30)), withSaveLock(n, dir, step('b', 1)), withSaveLock(n, other, step('c', 1))]);
  const at = (e: string) => log.indexOf(e);
  expect(at('b in')).toBeGreaterThan(at('a out')); // b waited for a, in call order
  expect(at('c out')).toBeLessThan(at('a out')); // c, in another folder, did not
  expect(await readdir(dir)).toEqual([]);
});

it('holds model.json.lock with its pid, host and time while the body runs, and removes it after', async () => {
  const dir = await folder();
  const seen = await withSaveLock(n, dir, async () => JSON.parse(await readFile(join(dir, LOCK), 'utf8')));
  expect(seen).toMatchObject({ pid: process.pid, host: hostname() });
  expect(Date.now() - Date.parse(seen.time)).toBeLessThan(5_000);
  expect(await readdir(dir)).toEqual([]);
  // A body that throws releases the lock too.
  await expect(withSaveLock(n, dir, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  expect(await readdir(dir)).toEqual([]);
});

it('takes over at once a lock whose process no longer runs (a save killed with SIGKILL)', async () => {
  const dir = await folder(owner(await deadPid()));
  const t = Date.now();
  expect(await withSaveLock(n, dir, async () => 'ran', quick)).toBe('ran');
  expect(Date.now() - t).toBeLessThan(quick.waitMs);
  expect(await readdir(dir)).toEqual([]);
});

it('waits for a live holder, then names the folder, the holder and how long it has held the lock', async () => {
  const live = owner(process.ppid);
  const dir = await folder(live);
  const t = Date.now();
  const e = await withSaveLock(n, dir, async () => 'ran', quick).catch((err) => err);
  expect(Date.now() - t).toBeGreaterThanOrEqual(quick.waitMs);
  expect(e).toBeInstanceOf(Error);
  expect(e.message).toMatch(new RegExp(`another save to ${dir} has held its lock for \\d+ s .*process ${process.ppid} on ${hostname()}`));
  expect(e.message).toMatch(/If no save is running, delete .*model\.json\.lock/);
  // The holder's lock is left alone.
  expect(await readFile(join(dir, LOCK), 'utf8')).toBe(live);
});

it('takes over a lock older than staleMs (another host, or a reused pid) and an empty one left behind', async () => {
  const old = new Date(Date.now() - 3_600_000);
  const dir = await folder(owner(process.ppid, old));
  await utimes(join(dir, LOCK), old, old);
  expect(await withSaveLock(n, dir, async () => 'ran', quick)).toBe('ran');
  const empty = await folder('');
  await utimes(join(empty, LOCK), old, old);
  expect(await withSaveLock(n, empty, async () => 'ran', quick)).toBe('ran');
  // A fresh empty lock is one being written: it is waited for.
  const fresh = await folder('');
  await expect(withSaveLock(n, fresh, async () => 'ran', quick)).rejects.toThrow(/held by a process still creating it/);
});

it('check() fails in words once the lock was taken over, and release() leaves the new holder its lock', async () => {
  const dir = await folder();
  const e = await withSaveLock(n, dir, async (lock) => {
    await lock.check();
    await writeFile(join(dir, LOCK), owner(process.ppid));
    return lock.check().catch((err) => err);
  });
  expect(e.message).toMatch(new RegExp(`the lock on ${dir} was taken over by another save \\(held by process ${process.ppid}`));
  expect(await readdir(dir)).toEqual([LOCK]);
});
