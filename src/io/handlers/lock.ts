// One file:// writer per folder at a time, so that two saves never interleave their staging renames.
// In this process, saves to a folder queue on a promise chain; across processes, the writer holds
// `model.json.lock`, created exclusively ('wx') with its pid, host and time. A waiter polls with
// backoff, takes the lock over once it is stale (its process is gone, or it is older than `staleMs`),
// and gives up after `waitMs` with an error naming the folder and the holder. Taking a stale lock over
// happens under a second exclusive file, `model.json.lock.break`, so two waiters never both remove it.
import { randomHex, type NodePlatform } from '../../platform.js';

export const LOCK = 'model.json.lock';
const BREAK = '.break';

export interface LockTimes {
  /** How long a save waits for another one before giving up. */
  waitMs: number;
  /** A lock older than this is taken over even when its process seems to run (another host, a reused pid). */
  staleMs: number;
  /** A lock still empty after this long was left by a process that died while creating it. */
  emptyMs: number;
}

export const LOCK_TIMES: LockTimes = { waitMs: 120_000, staleMs: 600_000, emptyMs: 10_000 };

interface Owner {
  pid?: number;
  host: string;
  time: string;
  token: string;
}

interface Seen {
  raw: string;
  ino?: number;
  ageMs: number;
  owner?: Owner;
}

/** The lock as held: `check` says whether it is still ours (before the commit), `release` drops it. */
export interface HeldLock {
  check(): Promise<void>;
  release(): Promise<void>;
}

const tails = new Map<string, Promise<void>>();

/** Runs `body` after every earlier call for `key` in this process has settled. */
async function inTurn<T>(key: string, body: () => Promise<T>): Promise<T> {
  const before = tails.get(key) ?? Promise.resolve();
  let done!: () => void;
  const tail = new Promise<void>((r) => (done = r));
  tails.set(key, tail);
  await before;
  try {
    return await body();
  } finally {
    done();
    if (tails.get(key) === tail) tails.delete(key);
  }
}

/** Runs `body` while holding `dir`'s save lock (in this process and across processes). */
export function withSaveLock<T>(n: NodePlatform, dir: string, body: (lock: HeldLock) => Promise<T>, times: LockTimes = LOCK_TIMES): Promise<T> {
  return inTurn(dir, async () => {
    const lock = await acquire(n, dir, times);
    try {
      return await body(lock);
    } finally {
      await lock.release();
    }
  });
}

const code = (e: unknown) => (e as { code?: string })?.code;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Creates `file` holding `text` unless it exists (false then). */
async function create(n: NodePlatform, file: string, text: string): Promise<boolean> {
  let fh;
  try {
    fh = await n.fs.open(file, 'wx');
  } catch (e) {
    if (code(e) === 'EEXIST') return false;
    throw e;
  }
  try {
    await fh.writeFile(text);
  } finally {
    await fh.close();
  }
  return true;
}

/** The lock file as it is now, or undefined once it is gone. */
async function look(n: NodePlatform, file: string): Promise<Seen | undefined> {
  try {
    const s = await n.fs.stat(file);
    const raw = await n.fs.readFile(file, 'utf8');
    let owner: Owner | undefined;
    try {
      const o = JSON.parse(raw);
      if (o && typeof o.token === 'string' && typeof o.time === 'string') owner = o;
    } catch {
      // Empty or half written: its creator is writing it (or died doing so).
    }
    const since = s.mtimeMs ?? (owner ? Date.parse(owner.time) : NaN);
    return { raw, ino: s.ino, owner, ageMs: Number.isFinite(since) ? Math.max(0, Date.now() - since) : 0 };
  } catch (e) {
    if (code(e) === 'ENOENT') return undefined;
    throw e;
  }
}

/** Why the lock seen is stale, or undefined while its holder may still be saving. */
function staleness(n: NodePlatform, seen: Seen, times: LockTimes): string | undefined {
  const o = seen.owner;
  if (!o) return seen.ageMs > times.emptyMs ? `it has been empty for ${Math.round(seen.ageMs / 1000)} s` : undefined;
  const p = n.processes;
  if (p && typeof o.pid === 'number' && o.host === p.hostname() && o.pid !== p.pid && p.alive(o.pid) === false) return `its process ${o.pid} no longer runs`;
  return seen.ageMs > times.staleMs ? `it is ${Math.round(seen.ageMs / 1000)} s old` : undefined;
}

function holder(o: Owner | undefined): string {
  return o ? `by process ${o.pid ?? '?'} on ${o.host || 'an unnamed host'} since ${o.time}` : 'by a process still creating it';
}

/** Removes the stale lock `seen`, unless it changed meanwhile; one waiter at a time does this. */
async function breakStale(n: NodePlatform, file: string, seen: Seen, mine: string, times: LockTimes): Promise<void> {
  const guard = file + BREAK;
  if (!(await create(n, guard, mine))) {
    // Another waiter is removing it; a guard left by a process killed in these few steps expires.
    const g = await look(n, guard);
    if (g && g.ageMs > times.emptyMs) await n.fs.unlink(guard).catch(() => undefined);
    else await sleep(2);
    return;
  }
  try {
    const now = await look(n, file);
    if (now && now.raw === seen.raw && now.ino === seen.ino && staleness(n, now, times)) {
      await n.fs.unlink(file).catch((e) => {
        if (code(e) !== 'ENOENT') throw e;
      });
    }
  } finally {
    await n.fs.unlink(guard).catch(() => undefined);
  }
}

async function acquire(n: NodePlatform, dir: string, times: LockTimes): Promise<HeldLock> {
  const file = n.path.join(dir, LOCK);
  const me: Owner = { pid: n.processes?.pid, host: n.processes?.hostname() ?? '', time: new Date().toISOString(), token: randomHex(8) };
  const mine = JSON.stringify(me);
  const start = Date.now();
  for (let delay = 4; ; delay = Math.min(delay * 2, 200)) {
    if (await create(n, file, mine)) return held(n, dir, file, mine);
    const seen = await look(n, file);
    if (seen === undefined) continue; // released meanwhile: try again at once
    if (staleness(n, seen, times)) {
      await breakStale(n, file, seen, mine, times);
      continue;
    }
    if (Date.now() - start >= times.waitMs) {
      throw new Error(
        `save: another save to ${dir} has held its lock for ${Math.round(seen.ageMs / 1000)} s (${file}, held ${holder(seen.owner)}); ` +
          `gave up after waiting ${Math.round((Date.now() - start) / 1000)} s. If no save is running, delete ${file}`,
      );
    }
    await sleep(delay * (0.5 + Math.random()));
  }
}

function held(n: NodePlatform, dir: string, file: string, mine: string): HeldLock {
  return {
    async check() {
      const now = await look(n, file);
      if (now?.raw !== mine) {
        throw new Error(`save: the lock on ${dir} was taken over by another save (${now ? `held ${holder(now.owner)}` : 'it was removed'}); this save stopped before replacing the model`);
      }
    },
    async release() {
      const now = await look(n, file).catch(() => undefined);
      if (now?.raw === mine) await n.fs.unlink(file).catch(() => undefined);
    },
  };
}
