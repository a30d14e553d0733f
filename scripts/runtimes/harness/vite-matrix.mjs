// deltaflow through a bundler: `import * as df from 'deltaflow'` resolved and bundled by Vite, the .wasm
// emitted as an asset from deltaflow's `new URL('…', import.meta.url)`.
import * as df from 'deltaflow';
import { runAll } from './tasks.mjs';

async function main() {
  await df.ready();
  const bytes = await (await fetch('/mnist-1000.bin')).arrayBuffer();
  return runAll(df, bytes);
}

main().then(
  (result) => (window.__matrix = { ok: true, result }),
  (e) => (window.__matrix = { ok: false, error: String(e?.stack ?? e) }),
);
