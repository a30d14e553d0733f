// file:// in Node, Deno and Bun: `dir/model.json` + `dir/weights.bin`, as tfjs-node writes them. File
// access comes from the platform layer (src/platform.ts), so the core imports no Node built-in and
// browser bundles stay clean; elsewhere a file:// URL is a clear error.
//
// Crash safety. A save writes each file to a temporary, fsyncs it and renames it into a staging name;
// the rename of the complete new model.json to `model.json.next` is the commit point:
//   1. weights → weights.bin.<tmp> → weights.bin.next
//   2. model.json → model.json.<tmp> → model.json.next          (commit)
//   3. weights.bin.next → weights.bin, then model.json.next → model.json
// A reader that finds model.json.next reads it with weights.bin.next (or weights.bin once moved):
// the new model, complete. Without it, model.json and weights.bin are the previous model, untouched.
// The next save first finishes (3) or discards an uncommitted weights.bin.next.
//
// Concurrency. One writer at a time: a save holds the folder's lock (lock.ts) from its first look at
// the folder to its last rename. Readers take no lock: they open the files, then check (by inode) that
// what they hold is still the current model's; when a save replaced it meanwhile, they read again.
import { randomHex, requireNodePlatform, type FileHandle, type FileStat, type NodePlatform } from '../../platform.js';
import { ChangedWhileReading, ModelFormatError, check } from '../errors.js';
import type { ModelArtifacts, SaveResult, StagedHandler } from '../types.js';
import { joinWeightData, modelJSON } from './json.js';
import { withSaveLock } from './lock.js';
import { artifactsInfo } from './memory.js';
import { MODEL_JSON, WEIGHTS_BIN, checkGroupSizes, parseModelJSON, stagedHandler } from './staged.js';

const NEXT = '.next';

type Node = NodePlatform;

const node = () => requireNodePlatform('file:// save and load');

const codeOf = (e: unknown) => (e as { code?: string })?.code;
/** Nothing there: no such file, or a part of the path is a file rather than a folder. */
const isMissing = (e: unknown) => codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR';

async function exists(n: Node, p: string): Promise<boolean> {
  try {
    await n.fs.lstat(p);
    return true;
  } catch (e) {
    if (isMissing(e)) return false;
    throw e;
  }
}

async function writeDurably(n: Node, file: string, data: Uint8Array | string): Promise<void> {
  const fh = await n.fs.open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

async function syncDir(n: Node, dir: string): Promise<void> {
  try {
    const fh = await n.fs.open(dir, 'r');
    try {
      await fh.sync();
    } finally {
      await fh.close();
    }
  } catch {
    // Directories cannot be opened for fsync everywhere (Windows); the renames are still atomic.
  }
}

/** Completes a committed save (model.json.next present) or drops an uncommitted one's leftovers. */
async function finishPending(n: Node, dir: string): Promise<void> {
  const j = n.path.join(dir, MODEL_JSON);
  const w = n.path.join(dir, WEIGHTS_BIN);
  if (await exists(n, j + NEXT)) {
    if (await exists(n, w + NEXT)) await n.fs.rename(w + NEXT, w);
    await n.fs.rename(j + NEXT, j);
  } else if (await exists(n, w + NEXT)) await n.fs.unlink(w + NEXT);
  for (const f of await n.fs.readdir(dir)) {
    if (/^(model\.json|weights\.bin)\.[0-9a-f]{16}\.tmp$/.test(f)) await n.fs.unlink(n.path.join(dir, f)).catch(() => undefined);
  }
}

const PROBLEMS: Record<string, string> = {
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a file is in the way',
  EISDIR: 'a folder is in the way',
  ENOENT: 'a file vanished (something else is changing the folder)',
  EMFILE: 'too many files are open',
  EBUSY: 'a file is busy',
  ENAMETOOLONG: 'the path is too long',
};

/** A failed save as an Error naming the folder, the step and the problem in words. */
function saveError(dir: string, step: string, e: unknown): Error {
  const code = codeOf(e);
  if (code === undefined && e instanceof Error) return e; // already worded (the lock's errors)
  const detail = e instanceof Error ? e.message : String(e);
  return new Error(`save: could not save the model to ${dir} (${step}): ${(code && PROBLEMS[code]) ?? 'the file system refused'} [${detail}]`, { cause: e });
}

async function save(dirArg: string, artifacts: ModelArtifacts): Promise<SaveResult> {
  const n = node();
  const dir = n.path.resolve(dirArg);
  const data = joinWeightData(artifacts.weightData);
  const json = JSON.stringify(modelJSON(artifacts, [{ paths: [WEIGHTS_BIN], weights: artifacts.weightSpecs ?? [] }]));
  try {
    await n.fs.mkdir(dir, { recursive: true });
  } catch (e) {
    if (codeOf(e) === 'EEXIST') throw new Error(`save: could not save the model to ${dir}: it is a file, not a folder`, { cause: e });
    throw saveError(dir, 'creating the folder', e);
  }
  const j = n.path.join(dir, MODEL_JSON);
  const w = n.path.join(dir, WEIGHTS_BIN);
  const token = randomHex(8);
  let step = 'taking the folder\'s save lock';
  try {
    await withSaveLock(n, dir, async (lock) => {
      step = 'finishing an earlier save';
      await finishPending(n, dir);
      step = 'writing weights.bin';
      await writeDurably(n, `${w}.${token}.tmp`, data);
      await n.fs.rename(`${w}.${token}.tmp`, w + NEXT);
      step = 'writing model.json';
      await writeDurably(n, `${j}.${token}.tmp`, json);
      await lock.check();
      await n.fs.rename(`${j}.${token}.tmp`, j + NEXT);
      step = 'moving the committed model into place (loads already read it; the next save finishes the move)';
      await syncDir(n, dir);
      await n.fs.rename(w + NEXT, w);
      await n.fs.rename(j + NEXT, j);
      await syncDir(n, dir);
    });
  } catch (e) {
    for (const f of [`${w}.${token}.tmp`, `${j}.${token}.tmp`]) await n.fs.unlink(f).catch(() => undefined);
    throw saveError(dir, step, e);
  }
  return { modelArtifactsInfo: artifactsInfo(artifacts) };
}

interface Opened {
  fh: FileHandle;
  stat: FileStat;
}

/** The first of `paths` that exists, open for reading, with its stat; undefined when none does. */
async function openFirst(n: Node, paths: string[]): Promise<(Opened & { path: string }) | undefined> {
  for (const path of paths) {
    let fh: FileHandle;
    try {
      fh = await n.fs.open(path, 'r');
    } catch (e) {
      if (isMissing(e)) continue;
      throw e;
    }
    try {
      return { fh, path, stat: await fh.stat() };
    } catch (e) {
      await fh.close();
      throw e;
    }
  }
  return undefined;
}

/** The inode now at `p` (following links), or undefined when nothing is there. */
async function inodeAt(n: Node, p: string): Promise<number | undefined> {
  try {
    return (await n.fs.stat(p)).ino;
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

/**
 * Whether `json` and the weight files (opened as the current model's) are so still: no commit around a
 * look at the weight names (model.json and model.json.next unchanged), `json` the committed model.json,
 * and each weight file the one its names give for that model. Inodes stay unique while held open.
 */
async function stillCurrent(n: Node, jsonPath: string, json: Opened, weights: { file: string; opened: Opened }[]): Promise<boolean> {
  if (!json.stat.ino) return true; // the runtime gives no file identities: the first look stands
  const next = await inodeAt(n, jsonPath + NEXT);
  const final = await inodeAt(n, jsonPath);
  const expected: (number | undefined)[] = [];
  for (const w of weights) expected.push((next !== undefined ? await inodeAt(n, w.file + NEXT) : undefined) ?? (await inodeAt(n, w.file)));
  if ((await inodeAt(n, jsonPath + NEXT)) !== next || (await inodeAt(n, jsonPath)) !== final) return false;
  return (next ?? final) === json.stat.ino && weights.every((w, i) => w.opened.stat.ino === expected[i]);
}

/** Reads exactly `length` bytes of an open file into `out` at `at`. */
async function readInto(fh: FileHandle, name: string, out: Uint8Array, at: number, length: number): Promise<void> {
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fh.read(out, at + done, length - done, done);
    if (bytesRead === 0) throw new ModelFormatError(`${name} ended after ${done} of ${length} bytes while being read`);
    done += bytesRead;
  }
}

async function closeAll(files: Iterable<Opened>): Promise<void> {
  for (const f of files) await f.fh.close().catch(() => undefined);
}

/** file://dir (or file://dir/model.json) as a handler. */
export function fileHandler(location: string): StagedHandler {
  return stagedHandler(
    async (limits) => {
      const { maxJsonBytes } = limits;
      const n = node();
      const given = n.path.resolve(location);
      const jsonPath = given.endsWith('.json') ? given : n.path.join(given, MODEL_JSON);
      const dir = n.path.dirname(jsonPath);
      const json = await openFirst(n, [jsonPath + NEXT, jsonPath]);
      if (!json) throw new ModelFormatError(`there is no model at ${jsonPath}`);
      const recovering = json.path !== jsonPath;
      let parsed: unknown;
      try {
        check(json.stat.isFile(), `${jsonPath} is not a file`);
        check(json.stat.size <= maxJsonBytes, `${jsonPath} is ${json.stat.size} bytes; at most ${maxJsonBytes} are accepted (maxJsonBytes)`);
        const bytes = new Uint8Array(json.stat.size);
        await readInto(json.fh, jsonPath, bytes, 0, bytes.byteLength);
        parsed = parseModelJSON(bytes, jsonPath, limits);
      } catch (e) {
        await closeAll([json]);
        throw e;
      }
      let released = false;
      const release = async () => {
        if (!released) await closeAll([json]);
        released = true;
      };
      return {
        json: parsed,
        where: jsonPath,
        release,
        async readWeights(paths, groupBytes) {
          const opened = new Map<string, { file: string; opened: Opened }>();
          try {
            const root = await n.fs.realpath(dir);
            const inside = (p: string, base: string) => p.startsWith(base.endsWith(n.path.sep) ? base : base + n.path.sep);
            for (const p of paths.flat()) {
              const file = n.path.resolve(dir, p);
              check(inside(file, dir), `weight file ${JSON.stringify(p)} is outside ${dir}`);
              let real: string | undefined;
              for (const candidate of recovering ? [file + NEXT, file] : [file]) {
                real = await n.fs.realpath(candidate).catch((e) => {
                  if (isMissing(e)) return undefined;
                  throw e;
                });
                if (real !== undefined) break;
              }
              if (real === undefined) throw new ModelFormatError(`the manifest names the weight file ${JSON.stringify(p)}, which does not exist in ${dir}`);
              check(inside(real, root), `weight file ${JSON.stringify(p)} resolves to ${real}, outside the model's folder ${root}`);
              const o = await openFirst(n, [real]);
              if (!o) throw new ChangedWhileReading(jsonPath); // removed between the two looks
              opened.set(p, { file, opened: o });
              check(o.stat.isFile(), `weight file ${JSON.stringify(p)} is not a file`);
            }
            if (!(await stillCurrent(n, jsonPath, json, [...opened.values()]))) throw new ChangedWhileReading(jsonPath);
            const total = checkGroupSizes(paths, groupBytes, (p) => opened.get(p)!.opened.stat.size, jsonPath);
            const out = new Uint8Array(total);
            let at = 0;
            for (const p of paths.flat()) {
              const { opened: o } = opened.get(p)!;
              await readInto(o.fh, `weight file ${JSON.stringify(p)}`, out, at, o.stat.size);
              at += o.stat.size;
            }
            return out;
          } finally {
            await closeAll([...opened.values()].map((o) => o.opened));
            await release();
          }
        },
      };
    },
    { save: (artifacts) => save(location, artifacts) },
  );
}
