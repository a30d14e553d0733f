// The main entry's training core ('deltaflow' re-exports it): the core, whose ready() also lets model.save()
// import the save code (format writer, handlers, routers: io/register.ts) the first time a model is saved. An
// app that names nothing from io bundles without it: Vite and esbuild with code splitting put it in a chunk
// fetched on demand; esbuild without splitting keeps it in the file, unevaluated until a save, and drops the
// loading code. Naming df.io or loadLayersModel brings io in statically, and it registers itself at once.
// The registration sits in ready(), which every app calls, not at the top level, which a bundler may skip
// when it follows re-exports past this module. (The Node entry, holding io itself, builds this as the core.)
import { ready as coreReady, type ReadyOptions } from '../wasm/load.js';
import { registerSaverLoader } from '../model/saver.js';

export * from '../core.js';

/** Instantiates the WASM module once; later calls return the same instance. `{ threads }` calls setThreads. */
export function ready(options: ReadyOptions = {}): Promise<void> {
  registerSaverLoader(() => import('../io/register.js').then((io) => io.registerIo()));
  return coreReady(options);
}
