// model.save() is implemented by the io module, which registers itself here when it is imported, so
// the training core (deltaflow/core) stays free of the format code it does not use. The main entry
// registers a loader instead, which imports the io module the first time a model is saved: a bundle of
// an app that never saves leaves the format code out (or in a chunk fetched on demand).
import type { IOHandler, SaveOptions, SaveResult } from '../io/types.js';
import type { Sequential } from './sequential.js';

export type Saver = (model: Sequential, handlerOrUrl: string | IOHandler, options?: SaveOptions) => Promise<SaveResult>;

let saver: Saver | undefined;
let loader: (() => Promise<unknown>) | undefined;

export function registerSaver(fn: Saver): void {
  saver = fn;
}

/** Sets what imports the io module (which then calls registerSaver) when a model is saved before it is loaded. */
export function registerSaverLoader(fn: () => Promise<unknown>): void {
  loader = fn;
}

const missing = () => new Error("model.save needs deltaflow's io module: import from 'deltaflow' (the full entry) or 'deltaflow/io', not only 'deltaflow/core'");

export function getSaver(): Saver {
  if (saver) return saver;
  const load = loader;
  if (!load) throw missing();
  return async (model, handlerOrUrl, options) => {
    await load();
    if (!saver) throw missing();
    return saver(model, handlerOrUrl, options);
  };
}
