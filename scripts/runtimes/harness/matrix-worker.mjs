// A module Web Worker training with deltaflow imported from the URL the page gave it.
import { runAll } from './tasks.mjs';

const url = new URLSearchParams(location.search).get('url');
try {
  const df = await import(url);
  await df.ready();
  const bytes = await (await fetch(new URL('./mnist-1000.bin', import.meta.url))).arrayBuffer();
  postMessage(await runAll(df, bytes));
} catch (e) {
  postMessage({ error: String(e?.stack ?? e) });
}
