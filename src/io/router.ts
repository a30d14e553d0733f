// URL schemes → handlers. Routers registered with io.registerSaveRouter / registerLoadRouter are asked
// first (as tfjs's tf.io.registerSaveRouter); then the built-in schemes.
import { downloadsHandler, indexedDBHandler, localStorageHandler } from './handlers/browser.js';
import { fileHandler } from './handlers/file.js';
import { httpHandler } from './handlers/http.js';
import type { IOHandler, LoadOptions } from './types.js';

/** Returns a handler for the URL, or null when the URL is not its kind. */
export type IORouter = (url: string, options?: LoadOptions) => IOHandler | null | undefined;

const saveRouters: IORouter[] = [];
const loadRouters: IORouter[] = [];

export function registerSaveRouter(router: IORouter): void {
  if (typeof router !== 'function') throw new TypeError('io.registerSaveRouter: expected a function (url) => handler | null');
  saveRouters.push(router);
}

export function registerLoadRouter(router: IORouter): void {
  if (typeof router !== 'function') throw new TypeError('io.registerLoadRouter: expected a function (url, options) => handler | null');
  loadRouters.push(router);
}

interface Scheme {
  prefix: string;
  save?: (rest: string, url: string, options: LoadOptions) => IOHandler;
  load?: (rest: string, url: string, options: LoadOptions) => IOHandler;
}

const SCHEMES: Scheme[] = [
  { prefix: 'file://', save: (p) => fileHandler(p), load: (p) => fileHandler(p) },
  { prefix: 'http://', save: (_, u, o) => httpHandler(u, o), load: (_, u, o) => httpHandler(u, o) },
  { prefix: 'https://', save: (_, u, o) => httpHandler(u, o), load: (_, u, o) => httpHandler(u, o) },
  { prefix: 'localstorage://', save: (p) => localStorageHandler(p), load: (p) => localStorageHandler(p) },
  { prefix: 'indexeddb://', save: (p) => indexedDBHandler(p), load: (p) => indexedDBHandler(p) },
  { prefix: 'downloads://', save: (p) => downloadsHandler(p) },
];

function handlers(url: string, kind: 'save' | 'load', options: LoadOptions): IOHandler[] {
  const found: IOHandler[] = [];
  for (const r of kind === 'save' ? saveRouters : loadRouters) {
    const h = r(url, options);
    if (h) found.push(h);
  }
  for (const s of SCHEMES) {
    const make = s[kind];
    if (make && url.toLowerCase().startsWith(s.prefix)) found.push(make(url.slice(s.prefix.length), url, options));
  }
  return found;
}

/** Handlers that can save to `url`. */
export function getSaveHandlers(url: string): IOHandler[] {
  return handlers(url, 'save', {});
}

/** Handlers that can load from `url`. */
export function getLoadHandlers(url: string, options: LoadOptions = {}): IOHandler[] {
  return handlers(url, 'load', options);
}

function resolve(x: unknown, kind: 'save' | 'load', options: LoadOptions): IOHandler {
  if (typeof x === 'string') {
    const found = handlers(x, kind, options);
    if (found.length === 0) {
      const schemes = SCHEMES.filter((s) => s[kind]).map((s) => s.prefix).join(', ');
      throw new Error(`${kind}: no handler for ${JSON.stringify(x)}; use a URL starting with ${schemes}, or a handler such as df.io.${kind === 'save' ? 'withSaveHandler' : 'fromMemory'}(…)`);
    }
    return found[0];
  }
  if (x && typeof x === 'object' && typeof (x as Record<string, unknown>)[kind] === 'function') return x as IOHandler;
  throw new TypeError(`${kind}: expected a URL string or a handler with a ${kind}() method, got ${x === null ? 'null' : typeof x}`);
}

export function resolveSaveHandler(x: unknown): IOHandler {
  return resolve(x, 'save', {});
}

export function resolveLoadHandler(x: unknown, options: LoadOptions): IOHandler {
  if (x && typeof x === 'object' && typeof (x as { loadStaged?: unknown }).loadStaged === 'function') return x as IOHandler;
  return resolve(x, 'load', options);
}
