// Worker entry: loads deltaflow's WASM from the URL the page passes, then hands every message to the
// panel's job (src/jobs/). Messages that arrive while the module is loading wait for it, in order.
import * as df from '../../src/index.js';
import { jobs, type Post } from './jobs/index.js';

const scope = self as unknown as { postMessage(m: unknown, transfer?: Transferable[]): void; onmessage: ((e: MessageEvent) => void) | null };
const post: Post = (m, transfer) => scope.postMessage(m, transfer ?? []);
const fail = (e: unknown) => post({ type: 'error', message: e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e) });
self.addEventListener('unhandledrejection', (e) => fail((e as PromiseRejectionEvent).reason));

let started: Promise<((m: { type: string }) => unknown) | undefined> = Promise.resolve(undefined);

scope.onmessage = (e) => {
  const msg = e.data;
  if (msg.type === 'init') {
    started = df.ready({ url: msg.wasmUrl }).then(async () => {
      const make = jobs[msg.job as keyof typeof jobs];
      if (!make) throw new Error(`no job named ${msg.job}`);
      const handler = await make(post, msg);
      post({ type: 'ready' });
      return handler;
    });
    started.catch(fail);
    return;
  }
  started.then(async (handler) => handler?.(msg)).catch(fail);
};
