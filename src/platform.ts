// What deltaflow needs from its host beyond the web platform, in one place. The core (browsers, Workers,
// edge runtimes) imports no Node built-in; file access (reading the .wasm from disk, file:// save and
// load, CSVLogger) and Node's worker threads go through the NodePlatform registered here. The Node entry
// (`deltaflow` under the `node` condition, or `deltaflow/node`) registers it from node:fs/promises,
// node:path, node:url, node:worker_threads and node:os.

/** A file's metadata, as much of fs.Stats as deltaflow reads. */
export interface FileStat {
  size: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  /** The file's identity within its device (readers of a folder being saved check which files they hold). */
  ino?: number;
  /** Last modification, in ms since the epoch (the age of a save lock). */
  mtimeMs?: number;
}

/** An open file, as much of fs/promises' FileHandle as deltaflow uses. */
export interface FileHandle {
  read(buffer: Uint8Array, offset: number, length: number, position: number | null): Promise<{ bytesRead: number }>;
  stat(): Promise<FileStat>;
  writeFile(data: Uint8Array | string): Promise<void>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The slice of node:fs/promises that deltaflow uses (structural, so the core's types need no @types/node). */
export interface NodeFs {
  readFile(path: string): Promise<Uint8Array>;
  readFile(path: string, encoding: 'utf8'): Promise<string>;
  writeFile(path: string, data: Uint8Array | string): Promise<void>;
  appendFile(path: string, data: Uint8Array | string): Promise<void>;
  open(path: string, flags: string): Promise<FileHandle>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<string | undefined>;
  rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
  stat(path: string): Promise<FileStat>;
  lstat(path: string): Promise<FileStat>;
  realpath(path: string): Promise<string>;
  readdir(path: string): Promise<string[]>;
}

/** The slice of node:path that deltaflow uses. */
export interface PathTools {
  readonly sep: string;
  join(...parts: string[]): string;
  resolve(...parts: string[]): string;
  dirname(path: string): string;
  basename(path: string, suffix?: string): string;
  relative(from: string, to: string): string;
  isAbsolute(path: string): boolean;
}

/** The slice of node:url that deltaflow uses. */
export interface NodeUrl {
  fileURLToPath(url: string | URL): string;
  pathToFileURL(path: string): URL;
}

/** The slice of node:worker_threads' Worker that the thread pool uses. */
export interface NodeWorker {
  postMessage(message: unknown): void;
  on(event: 'message', fn: (message: never) => void): unknown;
  on(event: 'error', fn: (error: Error) => void): unknown;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

/** worker_threads (Node, Deno): its Worker (started from a data: URL module) and the core count. */
export interface NodeThreads {
  Worker: new (url: URL, options?: { name?: string }) => NodeWorker;
  /** The worker module's first line, importing `parentPort` (the host's way of naming worker_threads). */
  readonly preamble: string;
  cores(): number;
}

/** The slice of node:os that deltaflow uses. */
export interface NodeOs {
  availableParallelism?(): number;
  cpus(): unknown[];
  hostname?(): string;
}

/** This process and the host's others, as far as the runtime tells (for the file:// save lock). */
export interface HostProcesses {
  readonly pid: number;
  /** The host's name, or '' when the runtime does not say. */
  hostname(): string;
  /** Whether a process with this id runs on this host; undefined when the runtime cannot tell. */
  alive(pid: number): boolean | undefined;
}

/** File access for Node, Deno and Bun: the host's own fs/promises and path, plus a few helpers. */
export interface NodePlatform {
  /** node:fs/promises (errors carry Node's codes: ENOENT, EISDIR, …). */
  readonly fs: NodeFs;
  /** node:path. */
  readonly path: PathTools;
  /** A file: URL or path as a native path. */
  toPath(location: string | URL): string;
  pathToFileURL(path: string): URL;
  /** The file's bytes in chunks of at most `chunkBytes` (CSV streaming); breaking out of the loop closes it. */
  readChunks(path: string | URL, chunkBytes?: number): AsyncIterable<Uint8Array>;
  /** Node's worker threads, for setThreads (Deno and Bun use Web Workers instead). */
  readonly threads?: NodeThreads;
  /** This process's id and whether others still run (process.kill(pid, 0)), where there is a process. */
  readonly processes?: HostProcesses;
}

let registered: NodePlatform | undefined;
let detected: NodePlatform | null | undefined;

/** Installs file access; the Node entry calls this on import. A later call replaces the earlier one. */
export function registerNodePlatform(platform: NodePlatform): void {
  if (typeof platform?.fs?.readFile !== 'function' || typeof platform.path?.join !== 'function' || typeof platform.toPath !== 'function') {
    throw new Error('registerNodePlatform: expected { fs, path, toPath, pathToFileURL, readChunks }, e.g. createNodePlatform(fs, path, url)');
  }
  registered = platform;
}

/**
 * The registered file access; else, on hosts whose `process.getBuiltinModule` hands out Node's modules
 * at run time (Node ≥ 20.16, Deno, Bun), one built from those (so the core used directly, as the unit
 * tests do, still reads files); else undefined (browsers, Workers, edge runtimes).
 */
export function nodePlatform(): NodePlatform | undefined {
  if (registered) return registered;
  if (detected === undefined) detected = detect() ?? null;
  return detected ?? undefined;
}

/** The file access, or an Error saying that `feature` needs it and how to get it. */
export function requireNodePlatform(feature: string): NodePlatform {
  const p = nodePlatform();
  if (p) return p;
  throw new Error(
    `${feature} needs file access, which this runtime does not give deltaflow: it works in Node, Deno and Bun ` +
      `(where import 'deltaflow' resolves to its Node entry; or import 'deltaflow/node'); in browsers and Workers ` +
      `use http(s)://, indexeddb://, a handler or bytes instead`,
  );
}

/** Builds the platform from Node's own modules (what the Node entry passes in). */
export function createNodePlatform(
  fs: NodeFs,
  path: PathTools,
  url: NodeUrl,
  workerThreads?: { Worker: NodeThreads['Worker']; preamble: string },
  os?: NodeOs,
): NodePlatform {
  const toPath = (location: string | URL) =>
    typeof location === 'string' && !location.startsWith('file:') ? location : url.fileURLToPath(location);
  // Worker is read when a pool starts, not before (detect() hands in a lazy getter).
  const threads: NodeThreads | undefined = workerThreads
    ? {
        get Worker() {
          return workerThreads.Worker;
        },
        preamble: workerThreads.preamble,
        cores: () => os?.availableParallelism?.() ?? os?.cpus().length ?? 1,
      }
    : undefined;
  return {
    fs,
    path,
    toPath,
    threads,
    processes: hostProcesses(os),
    pathToFileURL: (p) => url.pathToFileURL(p),
    async *readChunks(location, chunkBytes = 1 << 16) {
      const fh = await fs.open(toPath(location), 'r');
      try {
        for (;;) {
          const buffer = new Uint8Array(chunkBytes);
          const { bytesRead } = await fh.read(buffer, 0, chunkBytes, null);
          if (bytesRead === 0) return;
          yield bytesRead === chunkBytes ? buffer : buffer.subarray(0, bytesRead);
        }
      } finally {
        await fh.close();
      }
    },
  };
}

type Proc = { pid?: unknown; kill?: (pid: number, signal: number) => unknown };

/** From the global process (Node, Deno, Bun), guarded: the core imports no Node built-in. */
function hostProcesses(os: NodeOs | undefined): HostProcesses | undefined {
  const proc = (globalThis as { process?: Proc }).process;
  if (typeof proc?.pid !== 'number' || typeof proc.kill !== 'function') return undefined;
  const kill = proc.kill.bind(proc);
  return {
    pid: proc.pid,
    hostname: () => {
      try {
        return os?.hostname?.() ?? '';
      } catch {
        return '';
      }
    },
    alive(pid) {
      try {
        kill(pid, 0); // signal 0: no signal, only the check that the process exists
        return true;
      } catch (e) {
        const code = (e as { code?: string })?.code;
        return code === 'ESRCH' ? false : code === 'EPERM' ? true : undefined;
      }
    },
  };
}

/** `bytes` random bytes as hex (Web Crypto, which Node ≥ 19, Deno, Bun, browsers and Workers all have). */
export function randomHex(bytes: number): string {
  const b = crypto.getRandomValues(new Uint8Array(bytes));
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

function detect(): NodePlatform | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  if (typeof proc?.getBuiltinModule !== 'function') return undefined;
  try {
    const fs = proc.getBuiltinModule('fs/promises') as NodeFs | undefined;
    const path = proc.getBuiltinModule('path') as PathTools | undefined;
    const url = proc.getBuiltinModule('url') as NodeUrl | undefined;
    if (typeof fs?.open !== 'function' || typeof path?.join !== 'function' || typeof url?.fileURLToPath !== 'function') return undefined;
    // Node only (Deno and Bun resolve 'deltaflow' to the Node entry, which registers their threads). A data:
    // URL module may import Node's built-ins by bare name.
    const isNode = !('Deno' in globalThis) && !('Bun' in globalThis);
    const getModule = proc.getBuiltinModule;
    const workerThreads = isNode
      ? {
          get Worker() {
            return (getModule('worker_threads') as { Worker: NodeThreads['Worker'] }).Worker;
          },
          preamble: "import { parentPort } from 'worker_threads';",
        }
      : undefined;
    return createNodePlatform(fs, path, url, workerThreads, proc.getBuiltinModule('os') as NodeOs | undefined);
  } catch {
    return undefined;
  }
}

// ---- what the runtime lacks, said once ----

export interface Capabilities {
  /** Models dropped without dispose() are freed when collected. */
  finalizationRegistry: boolean;
  /** Shared memory, which threaded training needs (browsers: only on cross-origin isolated pages). */
  sharedArrayBuffer: boolean;
  /** File access (Node, Deno, Bun). */
  files: boolean;
}

/** What this runtime gives deltaflow. */
export function capabilities(): Capabilities {
  return {
    finalizationRegistry: typeof FinalizationRegistry === 'function',
    sharedArrayBuffer: typeof SharedArrayBuffer === 'function',
    files: nodePlatform() !== undefined,
  };
}

let announced = false;

/**
 * Says once (console.info) what deltaflow does without FinalizationRegistry. A missing SharedArrayBuffer
 * matters only to setThreads, which says so itself when threads are asked for.
 */
export function announceCapabilities(): void {
  if (announced) return;
  announced = true;
  const c = capabilities();
  const notes: string[] = [];
  if (!c.finalizationRegistry) notes.push('no FinalizationRegistry, so a model is freed only by model.dispose()');
  if (notes.length) console.info(`deltaflow: this runtime has ${notes.join('; ')}.`);
}
