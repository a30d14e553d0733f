// The page's side of a panel's Web Worker: one worker per panel, so training never blocks the page and
// panels train side by side. Errors in the worker surface as console errors and in the panel.

export interface JobHandle<Out> {
  send(msg: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  /** Replaced by each panel; receives every message but 'ready' and 'error'. */
  onMessage: (msg: Out) => void;
}

export const assetUrl = (name: string) => new URL(name, document.baseURI).href;

export function spawn<Out>(job: string, init: Record<string, unknown> = {}, onError?: (message: string) => void): JobHandle<Out> {
  const worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module', name: job });
  const handle: JobHandle<Out> = {
    send: (msg, transfer = []) => worker.postMessage(msg, transfer),
    terminate: () => worker.terminate(),
    onMessage: () => {},
  };
  worker.onmessage = (e: MessageEvent) => {
    const msg = e.data;
    if (msg?.type === 'error') {
      console.error(`[${job} worker] ${msg.message}`);
      onError?.(msg.message);
    } else if (msg?.type !== 'ready') handle.onMessage(msg as Out);
  };
  worker.onerror = (e) => {
    console.error(`[${job} worker] ${e.message}`);
    onError?.(e.message);
  };
  worker.postMessage({ type: 'init', job, wasmUrl: assetUrl('deltaflow.wasm'), ...init });
  return handle;
}
