// A module Web Worker training with deltaflow imported from the URL the page gave it (on `threads`
// threads when that is above 1: the pool's workers are then started from this worker).
import { runAll } from './tasks.mjs';

const q = new URLSearchParams(location.search);
const url = q.get('url');
const threads = Number(q.get('threads') ?? 1);
try {
  const df = await import(url);
  await df.ready(threads > 1 ? { threads } : {});
  const bytes = await (await fetch(new URL('./mnist-1000.bin', import.meta.url))).arrayBuffer();
  postMessage({ ...(await runAll(df, bytes)), threads: df.getThreads() });
} catch (e) {
  postMessage({ error: String(e?.stack ?? e) });
}
