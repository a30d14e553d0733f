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
// the folder to its last rename.
import { randomHex, requireNodePlatform, type NodePlatform } from '../../platform.js';
import { ModelFormatError, check } from '../errors.js';
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

/** Reads exactly `length` bytes of `file` into `out` at `at`. */
async function readInto(n: Node, file: string, out: Uint8Array, at: number, length: number): Promise<void> {
  const fh = await n.fs.open(file, 'r');
  try {
    let done = 0;
    while (done < length) {
      const { bytesRead } = await fh.read(out, at + done, length - done, done);
      if (bytesRead === 0) throw new ModelFormatError(`${file} ended after ${done} of ${length} bytes while being read`);
      done += bytesRead;
    }
  } finally {
    await fh.close();
  }
}

/** file://dir (or file://dir/model.json) as a handler. */
export function fileHandler(location: string): StagedHandler {
  return stagedHandler(
    async ({ maxJsonBytes }) => {
      const n = node();
      const given = n.path.resolve(location);
      const jsonPath = given.endsWith('.json') ? given : n.path.join(given, MODEL_JSON);
      const dir = n.path.dirname(jsonPath);
      const recovering = await exists(n, jsonPath + NEXT);
      const source = recovering ? jsonPath + NEXT : jsonPath;
      let stat;
      try {
        stat = await n.fs.stat(source);
      } catch (e) {
        if (isMissing(e)) throw new ModelFormatError(`there is no model at ${jsonPath}`);
        throw e;
      }
      check(stat.isFile(), `${jsonPath} is not a file`);
      check(stat.size <= maxJsonBytes, `${jsonPath} is ${stat.size} bytes; at most ${maxJsonBytes} are accepted (maxJsonBytes)`);
      const json = parseModelJSON(new Uint8Array(await n.fs.readFile(source)), jsonPath, maxJsonBytes);
      return {
        json,
        where: jsonPath,
        async readWeights(paths, groupBytes) {
          const root = await n.fs.realpath(dir);
          const inside = (p: string, base: string) => p.startsWith(base.endsWith(n.path.sep) ? base : base + n.path.sep);
          const files = new Map<string, { file: string; size: number }>();
          for (const p of paths.flat()) {
            let file = n.path.resolve(dir, p);
            check(inside(file, dir), `weight file ${JSON.stringify(p)} is outside ${dir}`);
            if (recovering && (await exists(n, file + NEXT))) file += NEXT;
            let real: string;
            try {
              real = await n.fs.realpath(file);
            } catch (e) {
              if (isMissing(e)) throw new ModelFormatError(`the manifest names the weight file ${JSON.stringify(p)}, which does not exist in ${dir}`);
              throw e;
            }
            check(inside(real, root), `weight file ${JSON.stringify(p)} resolves to ${real}, outside the model's folder ${root}`);
            const s = await n.fs.stat(real);
            check(s.isFile(), `weight file ${JSON.stringify(p)} is not a file`);
            files.set(p, { file: real, size: s.size });
          }
          const total = checkGroupSizes(paths, groupBytes, (p) => files.get(p)!.size, jsonPath);
          const out = new Uint8Array(total);
          let at = 0;
          for (const p of paths.flat()) {
            const f = files.get(p)!;
            await readInto(n, f.file, out, at, f.size);
            at += f.size;
          }
          return out;
        },
      };
    },
    { save: (artifacts) => save(location, artifacts) },
  );
}
