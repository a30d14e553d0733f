// Yielding during fit (tfjs's yieldEvery): a long epoch ends its WASM call at a batch boundary and
// awaits a macrotask, so a page can paint and handle input; which batches run is unchanged.

/** tfjs's YieldEveryOptions: 'auto', 'batch', 'epoch', 'never', or a period in milliseconds. */
export type YieldEvery = 'auto' | 'batch' | 'epoch' | 'never' | number;

/** A resolved policy: after every batch, after every epoch, at least `ms` apart within epochs, or never. */
export type YieldPolicy = { kind: 'batch' } | { kind: 'epoch' } | { kind: 'ms'; ms: number } | { kind: 'never' };

/** tfjs's 'auto' period: about 8 frames a second keeps a page usable. */
export const AUTO_YIELD_MS = 125;

/**
 * Resolves the option. 'auto' yields every AUTO_YIELD_MS on a browser's main thread and never elsewhere
 * (Node and workers have no page to keep responsive; tfjs yields there too, which only costs time).
 */
export function yieldPolicy(option: unknown, mainThread = onBrowserMainThread()): YieldPolicy {
  const value = option ?? 'auto';
  if (value === 'auto') return mainThread ? { kind: 'ms', ms: AUTO_YIELD_MS } : { kind: 'never' };
  if (value === 'batch' || value === 'epoch' || value === 'never') return { kind: value };
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return value === 0 ? { kind: 'batch' } : { kind: 'ms', ms: value };
  throw new Error(`yieldEvery must be 'auto', 'batch', 'epoch', 'never' or a number of milliseconds ≥ 0, got ${JSON.stringify(value)}`);
}

/** True on a browser window's main thread: a window with a document, not a worker's global scope. */
export function onBrowserMainThread(g: Record<string, unknown> = globalThis as unknown as Record<string, unknown>): boolean {
  const win = g.window as Record<string, unknown> | undefined;
  if (typeof win !== 'object' || win === null || typeof g.document !== 'object' || g.document === null) return false;
  // Workers have importScripts and no window; a DOM shim in Node (jsdom) has a window but runs in Node.
  if (typeof g.importScripts === 'function') return false;
  const proc = g.process as { versions?: { node?: string } } | undefined;
  return !proc?.versions?.node;
}

/**
 * Resolves on a later macrotask (never a microtask, which runs before the page paints):
 * scheduler.yield where the browser has it, else a MessageChannel message (browsers), setImmediate
 * (Node), or setTimeout 0.
 */
export function nextMacrotask(): Promise<void> {
  const g = globalThis as { scheduler?: { yield?: () => Promise<void> }; setImmediate?: (f: () => void) => unknown; document?: unknown };
  if (typeof g.scheduler?.yield === 'function') return g.scheduler.yield();
  if (typeof g.setImmediate === 'function') return new Promise((resolve) => g.setImmediate!(resolve));
  if (typeof MessageChannel === 'function' && typeof g.document === 'object') {
    return new Promise((resolve) => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => {
        channel.port1.close();
        resolve();
      };
      channel.port2.postMessage(null);
    });
  }
  return new Promise((resolve) => setTimeout(resolve, 0));
}
