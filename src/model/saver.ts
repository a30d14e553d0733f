// model.save() is implemented by the io module, which registers itself here when it is imported, so
// the training core (deltaflow/core) stays free of the format code it does not use.
import type { IOHandler, SaveOptions, SaveResult } from '../io/types.js';
import type { Sequential } from './sequential.js';

export type Saver = (model: Sequential, handlerOrUrl: string | IOHandler, options?: SaveOptions) => Promise<SaveResult>;

let saver: Saver | undefined;

export function registerSaver(fn: Saver): void {
  saver = fn;
}

export function getSaver(): Saver {
  if (!saver) {
    throw new Error("model.save needs deltaflow's io module: import from 'deltaflow' (the full entry) or 'deltaflow/io', not only 'deltaflow/core'");
  }
  return saver;
}
